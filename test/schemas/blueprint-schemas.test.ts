/**
 * The committed blueprint schemas (`schemas/blueprint/`, derived from authentik's own schema by
 * scripts/build-blueprint-schemas.ts) accept every blueprint and test fixture authentik ships
 * (../shared/reference/authentik/, see ../shared/reference/README.md) and reject single
 * mistakes at the right path with the right keyword. Tests that read the reference data skip
 * when it is absent; the others need only the committed schemas.
 *
 * Blueprints are checked as the rule checks them: the envelope first, then each entry's attrs,
 * identifiers and permissions against the schema of its model, picked by the `model` value. A
 * tagged value stands for something authentik computes at apply time: it becomes a placeholder
 * `{ "$tag": "!Env", "args": … }`, and an error at or below a placeholder counts as satisfied
 * (the rule checks tags' own arguments, not these schemas).
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import fg from "fast-glob";
import { parseAllDocuments, type CollectionTag, type ScalarTag } from "yaml";
import { buildSchemas, outputDirectory, referencePath } from "../../scripts/build-blueprint-schemas.ts";
import { authentikTags } from "../../src/parse/tags.ts";

const reference = path.dirname(referencePath);
const absent = !fs.existsSync(reference);

type JsonSchema = Record<string, unknown>;
interface ModelSchemas {
  attrs: JsonSchema & { properties: Record<string, JsonSchema> };
  permissions: JsonSchema;
}
interface ModelsFile {
  source: string;
  authentikVersion: string;
  identifierProperties: Record<string, JsonSchema>;
  models: Record<string, ModelSchemas>;
}

function readSchema(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(outputDirectory, name), "utf8"));
}
const envelopeSchema = readSchema("envelope.json") as JsonSchema;
const modelsFile = readSchema("models.json") as ModelsFile;
const models = modelsFile.models;

// ajv knows no formats without ajv-formats; naming them keeps it from warning about each one.
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, formats: { uuid: true, email: true, "date-time": true, uri: true } });
const validateEnvelope = ajv.compile(envelopeSchema);

interface ModelValidators {
  attrs: ValidateFunction;
  identifiers: ValidateFunction;
  permissions: ValidateFunction;
}
const compiled = new Map<string, ModelValidators>();

/** A model's validators; identifiers take the attrs schema with `identifierProperties` added. */
function validators(model: string): ModelValidators {
  let found = compiled.get(model);
  if (found) return found;
  const schema = models[model]!;
  found = {
    attrs: ajv.compile(schema.attrs),
    identifiers: ajv.compile({ ...schema.attrs, properties: { ...schema.attrs.properties, ...modelsFile.identifierProperties } }),
    permissions: ajv.compile(schema.permissions),
  };
  compiled.set(model, found);
  return found;
}

/** authentik's lookup: the app label exactly, the model part in any case. */
function findModel(name: string): string | undefined {
  const dot = name.indexOf(".");
  const key = name.slice(0, dot) + "." + name.slice(dot + 1).toLowerCase();
  return dot > 0 && models[key] ? key : undefined;
}

interface Placeholder {
  $tag: string;
  args: unknown;
}

/** Every authentik tag, in each of its shapes, read as a placeholder. */
const placeholderTags: Array<ScalarTag | CollectionTag> = authentikTags.flatMap((tag) => [
  { tag, identify: () => false, resolve: (value: string): Placeholder => ({ $tag: tag, args: value }) } satisfies ScalarTag,
  { tag, collection: "seq", identify: () => false, resolve: (seq): Placeholder => ({ $tag: tag, args: seq.toJSON() }) } satisfies CollectionTag,
  { tag, collection: "map", identify: () => false, resolve: (map): Placeholder => ({ $tag: tag, args: map.toJSON() }) } satisfies CollectionTag,
]);

function isPlaceholder(value: unknown): value is Placeholder {
  return typeof value === "object" && value !== null && "$tag" in value;
}

/**
 * authentik's tests read their fixtures through `load_fixture` (authentik/lib/tests/utils.py),
 * which fills `%(name)s` with Python's `%` operator before the blueprint is loaded: in
 * test-fixtures/, such a string stands for a value the test supplies (`user: "%(user)s"` is a
 * user's pk, `slug: "%(id)s"` a generated slug), as a tag does.
 */
const fixtureTemplate = /%\([^)]+\)s/u;

/** JSON Pointers of the placeholders in `value`, as ajv writes `instancePath`. */
function placeholderPointers(value: unknown, templated: boolean, pointer = "", out: string[] = []): string[] {
  if (isPlaceholder(value) || (templated && typeof value === "string" && fixtureTemplate.test(value))) out.push(pointer);
  else if (Array.isArray(value)) value.forEach((item, index) => placeholderPointers(item, templated, `${pointer}/${index}`, out));
  else if (typeof value === "object" && value !== null)
    for (const [key, item] of Object.entries(value)) placeholderPointers(item, templated, `${pointer}/${key.replace(/~/gu, "~0").replace(/\//gu, "~1")}`, out);
  return out;
}

/** One schema error: where, which keyword, and the key it names (unknown or missing), if any. */
type Problem = [instancePath: string, keyword: string, key?: string];

function problems(errors: ErrorObject[] | null | undefined, prefix: string): Problem[] {
  return (errors ?? []).map((error): Problem => {
    const key = (error.params as { additionalProperty?: string; missingProperty?: string }).additionalProperty ?? (error.params as { missingProperty?: string }).missingProperty;
    return key === undefined ? [prefix + error.instancePath, error.keyword] : [prefix + error.instancePath, error.keyword, key];
  });
}

/** The problems of one blueprint document, as the rule finds them, placeholders satisfied. */
function check(blueprint: unknown, templated = false): Problem[] {
  const found: Problem[] = [];
  validateEnvelope(blueprint);
  found.push(...problems(validateEnvelope.errors, ""));
  const entries = (blueprint as { entries?: unknown }).entries;
  const lists: Array<[string, unknown]> = Array.isArray(entries)
    ? [["/entries", entries]]
    : typeof entries === "object" && entries !== null
      ? Object.entries(entries).map(([key, list]): [string, unknown] => [`/entries/${key}`, list])
      : [];
  for (const [listPointer, list] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((entry: unknown, index) => {
      if (typeof entry !== "object" || entry === null) return;
      const fields = entry as Record<string, unknown>;
      if (typeof fields.model !== "string") return;
      const pointer = `${listPointer}/${index}`;
      const model = findModel(fields.model);
      if (!model) {
        found.push([`${pointer}/model`, "unknownModel"]);
        return;
      }
      const validate = validators(model);
      for (const part of ["attrs", "identifiers", "permissions"] as const) {
        if (fields[part] === undefined) continue;
        validate[part](fields[part]);
        found.push(...problems(validate[part].errors, `${pointer}/${part}`));
      }
    });
  }
  const placeholders = placeholderPointers(blueprint, templated);
  // ajv reports a failed `else` both as the `required` error and as an `if` error.
  return found.filter(
    ([instancePath, keyword]) => keyword !== "if" && !placeholders.some((at) => instancePath === at || instancePath.startsWith(at + "/")),
  );
}

function load(text: string): unknown[] {
  return parseAllDocuments(text, { customTags: placeholderTags }).flatMap((document) => {
    if (!("toJS" in document)) return [];
    expect(document.errors).toEqual([]);
    return [document.toJS()];
  });
}

/** The problems of a one-document blueprint. */
function checkText(text: string): Problem[] {
  const [blueprint, ...rest] = load(text);
  expect(rest).toEqual([]);
  return check(blueprint);
}

describe("the committed blueprint schemas", () => {
  test("cover every model of authentik 2024.12.2, each with closed attrs and a permissions list", () => {
    expect(modelsFile.source).toBe("goauthentik/authentik blueprints/schema.json");
    expect(modelsFile.authentikVersion).toBe("2024.12.2");
    const names = Object.keys(models);
    expect(names).toHaveLength(97);
    expect(names).toContain("authentik_providers_oauth2.oauth2provider");
    expect(names).toContain("authentik_blueprints.metaapplyblueprint");
    for (const name of names) {
      expect(name).toMatch(/^[a-z0-9_]+\.[a-z0-9_]+$/u);
      expect({ name, type: models[name]!.attrs.type, additionalProperties: models[name]!.attrs.additionalProperties, required: models[name]!.attrs.required }).toEqual({
        name,
        type: "object",
        additionalProperties: false,
        required: undefined,
      });
      expect(models[name]!.permissions.type).toBe("array");
    }
  });

  test("are written with sorted keys, two-space indentation and a final newline", () => {
    for (const name of ["models.json", "envelope.json"]) {
      const text = fs.readFileSync(path.join(outputDirectory, name), "utf8");
      const sorted = (value: unknown): unknown =>
        Array.isArray(value)
          ? value.map(sorted)
          : typeof value === "object" && value !== null
            ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]))
            : value;
      expect(text).toBe(JSON.stringify(sorted(JSON.parse(text)), null, 2) + "\n");
    }
  });
});

describe("single mistakes", () => {
  const valid = `
version: 1
metadata:
  name: Homelab - Grafana
  labels:
    blueprints.goauthentik.io/instantiate: "true"
entries:
  - model: authentik_providers_oauth2.oauth2provider
    id: grafana-provider
    identifiers:
      name: Grafana
    attrs:
      name: Grafana
      client_type: confidential
      client_id: grafana
      client_secret: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET
      authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]
      redirect_uris:
        - matching_mode: strict
          url: https://grafana.example.org/login/generic_oauth
      sub_mode: hashed_user_id
    permissions:
      - permission: view_oauth2provider
        role: !Find [authentik_rbac.role, [name, admins]]
  - model: authentik_core.Application
    state: present
    identifiers:
      slug: grafana
    attrs:
      name: Grafana
      provider: !KeyOf grafana-provider
      policy_engine_mode: any
`;

  /** `valid` with `from` replaced by `to`; `from` must be in it exactly once. */
  function mutate(from: string, to: string): string {
    expect(valid.split(from)).toHaveLength(2);
    return valid.replace(from, to);
  }

  test("the unmutated blueprint passes", () => {
    expect(checkText(valid)).toEqual([]);
  });

  test.each<[string, string, string, Problem]>([
    ["a misspelt attr", "      client_secret:", "      client_secrets:", ["/entries/0/attrs", "additionalProperties", "client_secrets"]],
    ["a wrong enum in a nested object", "matching_mode: strict", "matching_mode: exact", ["/entries/0/attrs/redirect_uris/0/matching_mode", "enum"]],
    ["a wrong enum", "client_type: confidential", "client_type: secret", ["/entries/0/attrs/client_type", "enum"]],
    ["a wrong state", "state: present", "state: presnt", ["/entries/1/state", "enum"]],
    ["a missing model", "  - model: authentik_core.Application\n    state:", "  - state:", ["/entries/1", "required", "model"]],
    ["missing identifiers", "    identifiers:\n      slug: grafana\n", "", ["/entries/1", "required", "identifiers"]],
    ["an unknown model", "authentik_core.Application", "authentik_core.aplication", ["/entries/1/model", "unknownModel"]],
    ["a misspelt entry key", "    permissions:\n", "    permission:\n", ["/entries/0", "additionalProperties", "permission"]],
    ["an unknown permission", "permission: view_oauth2provider", "permission: view_oauth2providers", ["/entries/0/permissions/0/permission", "enum"]],
    ["a permission without its codename", "      - permission: view_oauth2provider\n        role:", "      - role:", ["/entries/0/permissions/0", "required", "permission"]],
    ["an unknown identifier", "      name: Grafana\n    attrs:", "      nam: Grafana\n    attrs:", ["/entries/0/identifiers", "additionalProperties", "nam"]],
    ["a wrong type", "client_id: grafana", "client_id: [grafana]", ["/entries/0/attrs/client_id", "type"]],
    ["a string label", 'instantiate: "true"', "instantiate: true", ["/metadata/labels/blueprints.goauthentik.io~1instantiate", "type"]],
    ["an unknown metadata key", "  labels:", "  label:", ["/metadata", "additionalProperties", "label"]],
    ["another version", "version: 1", "version: 2", ["/version", "enum"]],
  ])("%s", (_, from, to, problem) => {
    expect(checkText(mutate(from, to))).toEqual([problem]);
  });

  test("a tag satisfies any field, and a model in any case is authentik's model", () => {
    expect(checkText(mutate("client_type: confidential", "client_type: !Env CLIENT_TYPE"))).toEqual([]);
    expect(checkText(mutate("authentik_core.Application", "authentik_core.APPLICATION"))).toEqual([]);
  });

  test("entries may be a mapping of lists (authentik 2025.2+)", () => {
    const blueprint = mutate("entries:\n  - model: authentik_providers_oauth2", "entries:\n  providers:\n  - model: authentik_providers_oauth2");
    expect(checkText(blueprint)).toEqual([]);
    expect(checkText(blueprint.replace("client_type: confidential", "client_type: secret"))).toEqual([["/entries/providers/0/attrs/client_type", "enum"]]);
  });

  test("identifiers take a primary key, a UUID or an integer", () => {
    expect(checkText(mutate("      name: Grafana\n    attrs:", "      pk: 12\n    attrs:"))).toEqual([]);
    expect(checkText(mutate("      slug: grafana\n", "      pk: 0b4f1c2e-6a4e-4a4f-9d1e-3c1b2a7f9e10\n"))).toEqual([]);
    expect(checkText(mutate("      slug: grafana\n", "      pk: [1]\n"))).toEqual([["/entries/1/identifiers/pk", "type"]]);
    expect(checkText(mutate("      client_id: grafana\n", "      client_id: grafana\n      pk: 12\n"))).toEqual([["/entries/0/attrs", "additionalProperties", "pk"]]);
  });

  test("a meta model takes no identifiers, and an absent entry needs no attrs", () => {
    const blueprint = `
version: 1
entries:
  - model: authentik_blueprints.metaapplyblueprint
    attrs:
      identifiers:
        name: Default - Authentication flow
      required: false
  - model: authentik_flows.flow
    state: absent
    identifiers:
      slug: default-authentication-flow
`;
    expect(checkText(blueprint)).toEqual([]);
    expect(checkText(blueprint.replace("required: false", "require: false"))).toEqual([["/entries/0/attrs", "additionalProperties", "require"]]);
  });

  test("a choice authentik lists as a numeral is also accepted as a YAML integer", () => {
    const totp = (digits: string): string => `
version: 1
entries:
  - model: authentik_stages_authenticator_totp.authenticatortotpstage
    identifiers:
      name: default-authenticator-totp-setup
    attrs:
      digits: ${digits}
`;
    expect(checkText(totp("6"))).toEqual([]);
    expect(checkText(totp('"8"'))).toEqual([]);
    expect(checkText(totp("7"))).toEqual([["/entries/0/attrs/digits", "enum"]]);
  });

  test("a relation authentik's model and serializer allow to be empty accepts null; a required one does not", () => {
    const nullable = (model: string, attrs: string): string => `
version: 1
entries:
  - model: ${model}
    identifiers:
      pk: 1
    attrs:
${attrs}`;
    const oauth2 = "authentik_providers_oauth2.oauth2provider";
    expect(checkText(nullable(oauth2, "      authentication_flow: null\n      signing_key: null\n      encryption_key: null\n"))).toEqual([]);
    expect(checkText(nullable("authentik_policies.policybinding", "      policy: null\n      group: null\n      user: null\n"))).toEqual([]);
    expect(checkText(nullable("authentik_brands.brand", "      flow_recovery: null\n      default_application: null\n"))).toEqual([]);
    expect(checkText(nullable("authentik_stages_identification.identificationstage", "      password_stage: null\n      recovery_flow: null\n"))).toEqual([]);
    // ProviderSerializer sets allow_null False for these two; a binding always has a target.
    expect(checkText(nullable(oauth2, "      authorization_flow: null\n      invalidation_flow: null\n"))).toEqual([
      ["/entries/0/attrs/authorization_flow", "type"],
      ["/entries/0/attrs/invalidation_flow", "type"],
    ]);
    expect(checkText(nullable("authentik_policies.policybinding", "      target: null\n"))).toEqual([["/entries/0/attrs/target", "type"]]);
    expect(checkText(nullable("authentik_flows.flowstagebinding", "      target: null\n      stage: null\n"))).toEqual([
      ["/entries/0/attrs/stage", "type"],
      ["/entries/0/attrs/target", "type"],
    ]);
    // null is one more value, not any value.
    expect(checkText(nullable(oauth2, "      encryption_key: 12\n"))).toEqual([["/entries/0/attrs/encryption_key", "type"]]);
  });
});

describe.skipIf(absent)("authentik's reference blueprints", () => {
  test("the committed schemas are what scripts/build-blueprint-schemas.ts derives from authentik's schema", () => {
    const built = buildSchemas(JSON.parse(fs.readFileSync(referencePath, "utf8")));
    const stale = Object.entries(built)
      .filter(([name, text]) => fs.readFileSync(path.join(outputDirectory, name), "utf8") !== text)
      .map(([name]) => `${name} is stale: run bun scripts/build-blueprint-schemas.ts`);
    expect(stale).toEqual([]);
  });

  test("every shipped blueprint and test fixture passes the envelope and its models' schemas", () => {
    const files = fg.sync(["blueprints/**/*.yaml", "test-fixtures/*.yaml"], { cwd: reference }).sort();
    expect(files).toHaveLength(46);
    const outcomes = files.map((relPath) => ({
      relPath,
      problems: load(fs.readFileSync(path.join(reference, relPath), "utf8")).flatMap((blueprint) => check(blueprint, relPath.startsWith("test-fixtures/"))),
    }));
    expect(outcomes).toEqual(files.map((relPath) => ({ relPath, problems: [] })));
  });

  test("fields authentik ignores but its own blueprints set are accepted, and marked deprecated", () => {
    const template = models["authentik_stages_identification.identificationstage"]!.attrs.properties.template;
    expect(template).toMatchObject({ type: "string", deprecated: true });
    const objectField = models["authentik_sources_ldap.ldapsourcepropertymapping"]!.attrs.properties.object_field;
    expect(objectField).toMatchObject({ type: "string", deprecated: true });
  });
});
