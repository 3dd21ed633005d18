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
 * where authentik accepts more, each widening explained where it is made:
 * `identifierProperties.pk`, numeric choices written as integers, `ignoredFields`,
 * `nullableRelations` (the relations authentik's schema generator writes without `null`), and
 * `addedChoices` (choices later authentik versions accept, so a newer instance's blueprint is
 * not an error).
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

/**
 * The relations to another object that authentik accepts as `null` (no object), by model.
 *
 * authentik's schema generator (authentik/blueprints/management/commands/schema.py) replaces
 * drf-jsonschema-serializer's converter for `PrimaryKeyRelatedField` with its own, which returns
 * `{"type": "string", "format": "uuid"}` or `{"type": "integer"}` and never reads the field's
 * `allow_null`; the library's own converters (text, choices, dates) add `"null"` to the type, so
 * `friendly_name: null` is in authentik's schema and `authentication_flow: null` is not. Django
 * REST framework's ModelSerializer gives a relation `allow_null=True` when the model's foreign
 * key is `null=True` (`get_relation_kwargs`), and blueprints authentik exports write `null` for
 * every unset one. Each field below is `null=True` in authentik's models and keeps it in its
 * serializer; the relations not listed are required (`FlowStageBinding.target`, a source
 * connection's `user`), or made non-null by the serializer: `ProviderSerializer` sets
 * `authorization_flow` and `invalidation_flow` to `allow_null: False` in its `extra_kwargs`.
 */
const providerFlows = ["authentication_flow"];
const sourceFlows = ["authentication_flow", "enrollment_flow"];
const configureFlow = ["configure_flow"];
const nullableRelations: Record<string, string[]> = {
  // Provider.authentication_flow (authentik/core/models.py), with each provider's own keys.
  "authentik_providers_ldap.ldapprovider": [...providerFlows, "certificate"],
  "authentik_providers_oauth2.oauth2provider": [...providerFlows, "signing_key", "encryption_key"],
  "authentik_providers_proxy.proxyprovider": [...providerFlows, "certificate"],
  "authentik_providers_radius.radiusprovider": providerFlows,
  "authentik_providers_rac.racprovider": providerFlows,
  "authentik_providers_saml.samlprovider": [...providerFlows, "name_id_mapping", "signing_kp", "verification_kp", "encryption_kp"],
  // OutgoingSyncProvider.filter_group (authentik/lib/sync/outgoing/models.py).
  "authentik_providers_scim.scimprovider": ["filter_group"],
  "authentik_providers_google_workspace.googleworkspaceprovider": ["filter_group"],
  "authentik_providers_microsoft_entra.microsoftentraprovider": ["filter_group"],
  // Source.authentication_flow and enrollment_flow (authentik/core/models.py).
  "authentik_sources_kerberos.kerberossource": sourceFlows,
  "authentik_sources_ldap.ldapsource": [...sourceFlows, "peer_certificate", "client_certificate", "sync_parent_group"],
  "authentik_sources_oauth.oauthsource": sourceFlows,
  "authentik_sources_plex.plexsource": sourceFlows,
  "authentik_sources_saml.samlsource": [...sourceFlows, "verification_kp", "signing_kp", "encryption_kp"],
  // ConfigurableStage.configure_flow (authentik/flows/models.py).
  "authentik_stages_authenticator_duo.authenticatorduostage": configureFlow,
  "authentik_stages_authenticator_endpoint_gdtc.authenticatorendpointgdtcstage": configureFlow,
  "authentik_stages_authenticator_sms.authenticatorsmsstage": [...configureFlow, "mapping"],
  "authentik_stages_authenticator_static.authenticatorstaticstage": configureFlow,
  "authentik_stages_authenticator_totp.authenticatortotpstage": configureFlow,
  "authentik_stages_authenticator_webauthn.authenticatorwebauthnstage": configureFlow,
  "authentik_stages_password.passwordstage": configureFlow,
  "authentik_stages_identification.identificationstage": ["password_stage", "captcha_stage", "enrollment_flow", "recovery_flow", "passwordless_flow"],
  "authentik_stages_invitation.invitation": ["flow"],
  "authentik_stages_redirect.redirectstage": ["target_flow"],
  "authentik_stages_user_write.userwritestage": ["create_users_group"],
  // A binding targets one of policy, group or user; the other two are null.
  "authentik_policies.policybinding": ["policy", "group", "user"],
  "authentik_outposts.dockerserviceconnection": ["tls_verification", "tls_authentication"],
  "authentik_outposts.outpost": ["service_connection"],
  "authentik_brands.brand": [
    "flow_authentication",
    "flow_invalidation",
    "flow_recovery",
    "flow_unenrollment",
    "flow_user_settings",
    "flow_device_code",
    "default_application",
    "web_certificate",
  ],
  "authentik_core.group": ["parent"],
  "authentik_core.application": ["provider"],
  "authentik_events.notificationtransport": ["webhook_mapping"],
  "authentik_events.notificationrule": ["group"],
};

/**
 * Choices added after 2024.12, by model and field: a blueprint written for a newer authentik
 * uses them, and authentik 2024.12 itself would reject them, so accepting them trades a missed
 * error on an old instance for no false alarm on a new one. Only values read in authentik's
 * source are listed, each with the file it was verified in; a made-up value is still an error.
 * The script stops when authentik's schema already has a value, so a newer reference drops it.
 *
 * Not added: the other oauth source types seen in authentik's source tree (slack, wechat,
 * wechatserviceaccount, ...) are not in `AUTHENTIK_SOURCES_OAUTH_TYPES`
 * (authentik/sources/oauth/apps.py), so no release could be confirmed to load them. The oauth2
 * provider's `client_type`, `sub_mode` and `issuer_mode` had no new values in the newest source
 * read (authentik/providers/oauth2/models.py, constants.py).
 */
const addedChoices: Record<string, Record<string, string[]>> = {
  "authentik_sources_oauth.oauthsource": {
    // added after 2024.12 (verified in authentik's source:
    // authentik/sources/oauth/types/entra_id.py, `EntraIDType.name = "entraid"`, registered in
    // authentik/sources/oauth/apps.py `AUTHENTIK_SOURCES_OAUTH_TYPES`).
    provider_type: ["entraid"],
  },
};

/** A relation's schema as authentik's converter writes it: a UUID or an integer primary key. */
function isRelation(schema: JsonObject): boolean {
  return (schema.type === "string" && schema.format === "uuid") || schema.type === "integer";
}

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
  for (const name of nullableRelations[where] ?? []) {
    const schema = properties[name];
    if (!isObject(schema) || !isRelation(schema)) throw new Error(`${where}.${name}: not a relation in authentik's schema; drop it from nullableRelations`);
    schema.type = [schema.type as string, "null"];
  }
  for (const [name, values] of Object.entries(addedChoices[where] ?? {})) {
    const schema = properties[name];
    const choices = isObject(schema) ? schema.enum : undefined;
    if (!isObject(schema) || !Array.isArray(choices)) throw new Error(`${where}.${name}: no longer a choice field in authentik's schema; drop it from addedChoices`);
    for (const value of values) {
      if (choices.includes(value)) throw new Error(`${where}.${name}: authentik's schema has "${value}" now; drop it from addedChoices`);
    }
    schema.enum = [...choices, ...values];
  }
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
  for (const model of Object.keys(nullableRelations)) if (!listed.has(model)) throw new Error(`${model}: no longer a model; drop it from nullableRelations`);
  for (const model of Object.keys(addedChoices)) if (!listed.has(model)) throw new Error(`${model}: no longer a model; drop it from addedChoices`);
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
