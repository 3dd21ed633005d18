/**
 * Derives the External Secrets schemas in `schemas/external-secrets/` from the upstream CRD
 * schemas (as JSON schemas, one per kind and version) kept next to the project in
 * `../shared/reference/external-secrets/`. Run after updating them:
 *
 *   bun scripts/build-external-secrets-schemas.ts [reference folder]
 *
 * The output is committed; nothing reads the reference folder at run time. Field names, types,
 * enums and required keys are upstream's. What changes:
 * - descriptions, defaults, examples, `format`, `nullable` and the `x-kubernetes-*` extensions go
 *   (none of them is a check ajv should make, and unknown formats would make ajv warn);
 * - every mapping that lists its properties is closed (`additionalProperties: false`): the API
 *   server rejects an unknown field under strict field validation;
 * - an optional field may be null: the API server prunes null fields before validating a custom
 *   resource, so `template:` with nothing under it is not an error. A required one may not;
 * - secret stores keep the providers a homelab uses in full (1Password Connect, 1Password SDK,
 *   Kubernetes, Vault); every other provider is accepted as any mapping;
 * - `metadata` is checked lightly against the fields of Kubernetes' ObjectMeta;
 * - `apiVersion` is left to the rules, which give it a message of its own.
 */
import fs from "node:fs";
import path from "node:path";

type Schema = Record<string, unknown>;

const reference = path.resolve(process.argv[2] ?? path.join(import.meta.dir, "../../shared/reference/external-secrets"));
const output = path.join(import.meta.dir, "../schemas/external-secrets");

/** The providers checked in full; any other provider upstream lists is accepted as a mapping. */
const fullProviders = new Set(["onepassword", "onepasswordSDK", "kubernetes", "vault"]);

/** Keywords kept from upstream; anything else is documentation or a Kubernetes extension. */
const kept = new Set([
  "type",
  "properties",
  "additionalProperties",
  "required",
  "enum",
  "items",
  "minProperties",
  "maxProperties",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
  "pattern",
  "minLength",
  "maxLength",
]);

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An optional field: null is pruned by the API server, so it is accepted too. */
function allowNull(schema: Schema): Schema {
  if (Array.isArray(schema.enum)) {
    const { enum: values, ...rest } = schema;
    return { anyOf: [{ enum: values }, { type: "null" }], ...rest };
  }
  return typeof schema.type === "string" ? { ...schema, nullable: true } : schema;
}

function clean(schema: Schema): Schema {
  const result: Schema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (!kept.has(keyword)) continue;
    if (keyword === "properties" && isSchema(value)) {
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      result.properties = Object.fromEntries(
        Object.entries(value).map(([name, property]) => {
          const cleaned = clean(property as Schema);
          return [name, required.has(name) ? cleaned : allowNull(cleaned)];
        }),
      );
    } else if ((keyword === "items" || keyword === "additionalProperties") && isSchema(value)) {
      result[keyword] = clean(value);
    } else {
      result[keyword] = value;
    }
  }
  if (isSchema(result.properties) && result.additionalProperties === undefined) result.additionalProperties = false;
  // An enum already says the type: one message ("is not one of …") rather than two.
  if (Array.isArray(result.enum)) delete result.type;
  return result;
}

/** Kubernetes' ObjectMeta, as far as a manifest writes it. */
const objectMeta: Schema = {
  type: "object",
  properties: {
    name: { type: "string" },
    generateName: { type: "string" },
    namespace: { type: "string" },
    labels: { type: "object", nullable: true, additionalProperties: { type: "string" } },
    annotations: { type: "object", nullable: true, additionalProperties: { type: "string" } },
    finalizers: { type: "array", nullable: true, items: { type: "string" } },
    ownerReferences: { type: "array", nullable: true },
    uid: {},
    resourceVersion: {},
    generation: {},
    creationTimestamp: {},
    deletionTimestamp: {},
    deletionGracePeriodSeconds: {},
    managedFields: {},
    selfLink: {},
  },
  additionalProperties: false,
};

function read(file: string): Schema {
  return JSON.parse(fs.readFileSync(path.join(reference, file), "utf8")) as Schema;
}

function specOf(crd: Schema): Schema {
  return (crd.properties as Record<string, Schema>).spec!;
}

function resource(title: string, kinds: string[], spec: Schema): Schema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title,
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { enum: kinds },
      metadata: objectMeta,
      spec: allowNull(clean(spec)),
      status: {},
    },
    additionalProperties: false,
  };
}

function externalSecret(version: string): Schema {
  return resource(`ExternalSecret external-secrets.io/${version}`, ["ExternalSecret"], specOf(read(`externalsecret_${version}.json`)));
}

function secretStore(version: string): Schema {
  const spec = specOf(read(`secretstore_${version}.json`));
  const clusterSpec = specOf(read(`clustersecretstore_${version}.json`));
  // Upstream's two kinds share one spec (conditions included), descriptions aside.
  if (JSON.stringify(clean(spec)) !== JSON.stringify(clean(clusterSpec))) {
    throw new Error(`SecretStore and ClusterSecretStore ${version} specs differ: give each a schema of its own`);
  }
  const provider = (spec.properties as Record<string, Schema>).provider!;
  const providers = { ...(provider.properties as Record<string, Schema>) };
  // External Secrets 0.14 to 0.16 served the 1Password SDK provider under v1beta1 too (vault,
  // integrationInfo, auth; `cache` came later, in v1 only); the v1beta1 reference, taken from a
  // later release, has dropped it, and a store written then is still valid.
  if (version === "v1beta1" && !providers.onepasswordSDK) {
    const v1Provider = (specOf(read("secretstore_v1.json")).properties as Record<string, Schema>).provider!;
    const { cache: _cache, ...sdkProperties } = ((v1Provider.properties as Record<string, Schema>).onepasswordSDK!.properties as Record<string, Schema>);
    providers.onepasswordSDK = { ...(v1Provider.properties as Record<string, Schema>).onepasswordSDK!, properties: sdkProperties };
  }
  const trimmed: Schema = {
    ...spec,
    properties: {
      ...(spec.properties as Record<string, Schema>),
      provider: {
        ...provider,
        properties: Object.fromEntries(
          Object.entries(providers).map(([name, schema]) => [name, fullProviders.has(name) ? schema : { type: "object" }]),
        ),
      },
    },
  };
  return resource(`SecretStore and ClusterSecretStore external-secrets.io/${version}`, ["SecretStore", "ClusterSecretStore"], trimmed);
}

function write(file: string, schema: Schema): void {
  fs.writeFileSync(path.join(output, file), `${JSON.stringify(schema, null, 2)}\n`);
}

for (const version of ["v1", "v1beta1"]) {
  write(`external-secret.${version}.json`, externalSecret(version));
  write(`secret-store.${version}.json`, secretStore(version));
}
