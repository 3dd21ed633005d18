/**
 * Derives the blueprint schemas in `schemas/blueprint/` from authentik's own blueprint schema
 * (`../shared/reference/authentik/blueprint-schema.json`, goauthentik/authentik
 * `blueprints/schema.json`, authentik 2024.12.2). Run `bun scripts/build-blueprint-schemas.ts`
 * after replacing the reference; the output is committed and nothing at run time reads `../shared`.
 *
 * - `envelope.json`: the blueprint document and its entries, without the per-model parts.
 * - `models.json`: per model (`<app label>.<model>`, the keys are the model names authentik
 *   knows), the schema of `attrs` and of the entry's `permissions` list. `identifiers` take the
 *   model's `attrs` schema plus `identifierProperties` (`pk`). Attrs and identifiers are
 *   partial, so nothing is required at their top level, and every object whose fields authentik
 *   lists is closed (`additionalProperties: false`) so that an unknown field is found: authentik's
 *   serializers drop unknown fields silently.
 *
 * authentik's schema is stricter than its serializers in places; these schemas widen it only
 * where a blueprint authentik ships needs it, each widening explained where it is made:
 * `identifierProperties.pk`, numeric choices written as integers, and `ignoredFields`.
 *
 * For the rule that picks a model's schema by the entry's `model` value: authentik resolves the
 * name with `registry.get_model(app_label, model_name)` (authentik/blueprints/v1/meta/registry.py),
 * which hands Django models to `apps.get_model`: the app label must match exactly, the model part
 * is matched case-insensitively (`authentik_flows.Flow` in test-fixtures/tags.yaml is
 * `authentik_flows.flow`). The meta models (`authentik_blueprints.meta*`) are looked up in
 * authentik's own registry, which lowercases the name to test it but not to fetch it, so they
 * only work written in lowercase. `!Find` resolves its model with `apps.get_model` directly.
 */
import fs from "node:fs";
import path from "node:path";

type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}

export type BlueprintSchemaFile = "models.json" | "envelope.json";

const repoRoot = path.resolve(import.meta.dir, "..");
export const referencePath = path.resolve(import.meta.dir, "../../shared/reference/authentik/blueprint-schema.json");
export const outputDirectory = path.join(repoRoot, "schemas/blueprint");

const source = "goauthentik/authentik blueprints/schema.json";
const authentikVersion = "2024.12.2";
const draft07 = "http://json-schema.org/draft-07/schema#";

/**
 * The keywords authentik's schema uses for fields, all kept. A keyword outside this list stops
 * the script: a newer reference may mean something these schemas would silently lose.
 */
const fieldKeywords = new Set([
  "type",
  "enum",
  "format",
  "items",
  "properties",
  "required",
  "additionalProperties",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "maxItems",
  "title",
  "description",
]);

const states = ["absent", "created", "must_created", "present"];

/**
 * A primary key in `identifiers`. Not a field of any serializer: authentik's importer reads it
 * itself (`__query_from_identifier` queries `pk`, and a new instance gets it), and its exporter
 * writes `identifiers: {pk: …}` for every entry (`BlueprintEntry.from_model`). Widened to
 * string or integer because primary keys are UUIDs for most models (flows, stages, policies)
 * but integers for others (users, providers); `pk: <uuid>` is in
 * blueprints/example/flows-recovery-email-verification.yaml and
 * test-fixtures/static_prompt_export.yaml.
 */
const primaryKey: JsonObject = {
  type: ["string", "integer"],
  title: "Primary key",
  description: "Primary key of the object (a UUID, or an integer for users and providers); read by the importer, not by the model's serializer.",
};

/**
 * Fields authentik 2024.12's serializers do not have, set by blueprints authentik itself ships:
 * the serializer drops them, and the blueprint applies. Accepted so that authentik's own
 * blueprints pass, and marked `deprecated` (an annotation ajv knows) so that the rule can say
 * the field does nothing.
 */
const ignoredFields: Record<string, Record<string, JsonObject>> = {
  // blueprints/example/flows-login-2fa.yaml, flows-login-conditional-captcha.yaml
  "authentik_stages_identification.identificationstage": {
    template: { type: "string", title: "Template", description: "Ignored: identification stages have no template in authentik 2024.12.", deprecated: true },
  },
  // blueprints/system/sources-ldap.yaml (the userPrincipalName mapping)
  "authentik_sources_ldap.ldapsourcepropertymapping": {
    object_field: { type: "string", title: "Object field", description: "Ignored: LDAP property mappings have no object_field in authentik 2024.12; the expression's return value says where each value goes.", deprecated: true },
  },
};

const integerText = /^-?[0-9]+$/u;

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function expectObject(value: Json | undefined, where: string): JsonObject {
  if (!isObject(value)) throw new Error(`${where}: expected an object in authentik's schema`);
  return value;
}

/**
 * A field's schema as authentik wrote it, with the objects whose fields it lists closed so that
 * an unknown nested field (e.g. in a `redirect_uris` item) is found too.
 */
function field(schema: JsonObject, where: string): JsonObject {
  const out: JsonObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (!fieldKeywords.has(keyword)) throw new Error(`${where}: keyword "${keyword}" is new; decide how to carry it`);
    if (keyword === "items") out.items = field(expectObject(value, `${where}.items`), `${where}.items`);
    else if (keyword === "properties") out.properties = fields(expectObject(value, `${where}.properties`), where);
    else out[keyword] = value;
  }
  if (isObject(out.properties) && out.additionalProperties === undefined) out.additionalProperties = false;
  // Django REST framework's ChoiceField looks the value up by `str(value)`, so a choice written
  // as a number in authentik's schema ("6", "8") is accepted as the YAML integer too:
  // blueprints/default/flow-default-authenticator-totp-setup.yaml sets `digits: 6`.
  const choices = out.enum;
  if (out.type === "string" && Array.isArray(choices) && choices.length > 0 && choices.every((choice) => typeof choice === "string" && integerText.test(choice))) {
    out.type = ["string", "integer"];
    out.enum = [...choices, ...choices.map(Number)];
  }
  return out;
}

function fields(properties: JsonObject, where: string): JsonObject {
  return Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => [name, field(expectObject(schema, `${where}.${name}`), `${where}.${name}`)]),
  );
}

/** A model's `attrs`: every field optional (`required` is `[]` in authentik's schema anyway). */
function attrs(model: JsonObject, where: string): JsonObject {
  const properties = fields(expectObject(model.properties, `${where}.properties`), where);
  for (const [name, schema] of Object.entries(ignoredFields[where] ?? {})) {
    if (properties[name] !== undefined) throw new Error(`${where}.${name}: authentik has this field again; drop it from ignoredFields`);
    properties[name] = schema;
  }
  return { type: "object", properties, additionalProperties: false };
}

/**
 * A model's object permissions, from authentik's `…_permissions` list: each item is
 * `{permission, user, role}` (`BlueprintEntryPermission` in authentik/blueprints/v1/common.py),
 * closed because that dataclass has no other field.
 */
function permissions(list: JsonObject, where: string): JsonObject {
  const items = expectObject(list.items, `${where}.items`);
  return { type: "array", items: field(items, `${where}.items`) };
}

function refName(ref: Json | undefined, where: string): string {
  if (typeof ref !== "string" || !ref.startsWith("#/$defs/")) throw new Error(`${where}: expected a $ref into $defs`);
  return ref.slice("#/$defs/".length);
}

interface ModelEntry {
  model: string;
  attrs: string;
  permissions: string;
  identifiers: boolean;
}

/** The models listed in authentik's `entries` schema, one `oneOf` branch per model. */
function modelEntries(reference: JsonObject): ModelEntry[] {
  const properties = expectObject(reference.properties, "properties");
  const entries = expectObject(properties.entries, "properties.entries");
  const items = expectObject(entries.items, "properties.entries.items");
  const branches = items.oneOf;
  if (!Array.isArray(branches)) throw new Error("properties.entries.items.oneOf: expected a list of models");
  return branches.map((branch, index) => {
    const where = `properties.entries.items.oneOf[${index}]`;
    const entry = expectObject(branch, where);
    const entryProperties = expectObject(entry.properties, `${where}.properties`);
    const model = expectObject(entryProperties.model, `${where}.properties.model`).const;
    if (typeof model !== "string") throw new Error(`${where}.properties.model: expected a const model name`);
    return {
      model,
      attrs: refName(expectObject(entryProperties.attrs, `${where}.attrs`).$ref, `${where}.attrs`),
      permissions: refName(expectObject(entryProperties.permissions, `${where}.permissions`).$ref, `${where}.permissions`),
      identifiers: entryProperties.identifiers !== undefined,
    };
  });
}

/**
 * The blueprint document, after `Blueprint`, `BlueprintMetadata` and `BlueprintEntry` in
 * authentik/blueprints/v1/common.py. authentik loads them with dacite, which ignores unknown
 * keys: closing every object here finds a misspelt key (`identifier:`, `metdata:`) that
 * authentik would drop without a word.
 *
 * `identifiers` is required except for the meta models (authentik lists none for them): the
 * importer ORs the identifiers into a query, and an empty query fails the entry with "No or
 * invalid identifiers" (authentik/blueprints/v1/importer.py, `_validate_single`), attrs or not.
 * With `state: absent` that failure is swallowed and the entry does nothing, which is no better.
 * A meta model's serializer reads only `attrs`. `model` is the only key authentik itself
 * requires; `state` defaults to present, `conditions` to none.
 */
function envelope(metaModels: string[]): JsonObject {
  const metaModel = `^(?:${metaModels.map((model) => model.replace(/\./gu, "\\.")).join("|")})$`;
  const entry: JsonObject = {
    type: "object",
    properties: {
      model: { type: "string", title: "Model", description: "The model, as <app label>.<model>." },
      id: { type: "string", title: "ID", description: "Name other entries use to refer to this entry's object with !KeyOf." },
      state: { type: "string", enum: states, title: "State", description: "present (default) creates or updates, created only creates, must_created fails if the object exists, absent deletes." },
      identifiers: { type: "object", title: "Identifiers", description: "Fields that find the existing object; merged into attrs when it is created." },
      attrs: { type: "object", title: "Attributes", description: "Fields set on the object." },
      conditions: { type: "array", title: "Conditions", description: "The entry is applied only if every condition is truthy." },
      // Each item is `{permission, user, role}`, checked by the model's `permissions` schema in
      // models.json only, so that a wrong item gives one error, not one here and one there.
      permissions: { type: "array", title: "Permissions", description: "Object permissions given on this entry's object." },
    },
    required: ["model"],
    // authentik's own model lookup is case-sensitive for meta models (see the header), so the
    // exception is for their names exactly as authentik lists them. A model that is not a string
    // (a tag) passes the `if`. ajv reports a failed `else` twice, as the `required` error and as
    // an `if` error: the `required` one is the message.
    if: { properties: { model: { pattern: metaModel } } },
    else: { required: ["identifiers"] },
    additionalProperties: false,
  };
  const entries: JsonObject = { type: "array", items: { $ref: "#/definitions/entry" } };
  return {
    $schema: draft07,
    title: `authentik ${authentikVersion} blueprint`,
    description: `The blueprint document and its entries; each entry's attrs, identifiers and permissions are checked against models.json, chosen by the entry's model. Derived from ${source}.`,
    type: "object",
    properties: {
      version: { type: "integer", enum: [1], title: "Blueprint version", description: "authentik applies only version 1." },
      metadata: {
        type: "object",
        properties: {
          name: { type: "string", title: "Name" },
          labels: { type: "object", additionalProperties: { type: "string" }, title: "Labels" },
        },
        required: ["name"],
        additionalProperties: false,
      },
      context: { type: "object", title: "Context", description: "Default context, read by !Context; the instance's context is merged over it." },
      entries: {
        // A list of entries, or (authentik 2025.2+) a mapping of lists applied in order. Both
        // shapes in one schema rather than a oneOf, so that a wrong entry gives one error.
        type: ["array", "object"],
        items: { $ref: "#/definitions/entry" },
        additionalProperties: entries,
        title: "Entries",
      },
    },
    required: ["version", "entries"],
    additionalProperties: false,
    definitions: { entry },
  };
}

/** Objects with their keys sorted, recursively; arrays keep their order. */
function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key]!)]),
  );
}

function serialize(value: Json): string {
  return JSON.stringify(sortKeys(value), null, 2) + "\n";
}

/** The contents of every file of `schemas/blueprint/`, from authentik's schema as parsed JSON. */
export function buildSchemas(referenceJson: unknown): Record<BlueprintSchemaFile, string> {
  const reference = expectObject(referenceJson as Json, "schema");
  const definitions = expectObject(reference.$defs, "$defs");
  const models: JsonObject = {};
  const metaModels: string[] = [];
  const entries = modelEntries(reference);
  const listed = new Set(entries.map((entry) => entry.model));
  for (const model of Object.keys(ignoredFields)) if (!listed.has(model)) throw new Error(`${model}: no longer a model; drop it from ignoredFields`);
  for (const entry of entries) {
    if (models[entry.model] !== undefined) throw new Error(`${entry.model}: listed twice`);
    if (!entry.identifiers) metaModels.push(entry.model);
    models[entry.model] = {
      attrs: attrs(expectObject(definitions[entry.attrs], entry.attrs), entry.model),
      permissions: permissions(expectObject(definitions[entry.permissions], entry.permissions), `${entry.model} permissions`),
    };
  }
  return {
    "models.json": serialize({
      source,
      authentikVersion,
      description: "Per model: the schema of an entry's attrs, and of its permissions list. An entry's identifiers take the attrs schema with identifierProperties added.",
      identifierProperties: { pk: primaryKey },
      models,
    }),
    "envelope.json": serialize(envelope(metaModels)),
  };
}

if (import.meta.main) {
  const reference: unknown = JSON.parse(fs.readFileSync(referencePath, "utf8"));
  fs.mkdirSync(outputDirectory, { recursive: true });
  for (const [name, text] of Object.entries(buildSchemas(reference))) {
    fs.writeFileSync(path.join(outputDirectory, name), text);
    console.log(`${path.relative(repoRoot, path.join(outputDirectory, name))}: ${text.length} bytes`);
  }
}
