import rule from "../../../rules/schema/blueprint.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { expect, test } from "bun:test";
import { lintProject } from "../../../src/engine.ts";
import { runRuleTests, writeRepo } from "../../helpers/rule-tester.ts";

const provider = (attrs: string) => `version: 1
metadata:
  name: grafana
entries:
  - model: authentik_providers_oauth2.oauth2provider
    id: provider
    identifiers:
      name: Grafana
    attrs:
${attrs}`;

const oauthSource = (providerType: string) => `version: 1
entries:
  - model: authentik_sources_oauth.oauthsource
    identifiers:
      slug: entra
    attrs:
      name: Entra
      provider_type: ${providerType}
`;

const configMap = (blueprint: string, header = "|") => `apiVersion: v1
kind: ConfigMap
metadata:
  name: authentik-blueprints
data:
  grafana.yaml: ${header}
${blueprint
  .split("\n")
  .map((line) => (line === "" ? "" : `    ${line}`))
  .join("\n")}`;

const readByPyyaml = (at: string, written: string, reading: string): string =>
  `${at}${written} is read as ${reading} by authentik's blueprint loader (PyYAML, YAML 1.1), but the field must be a string: the serializer rejects a boolean ("Not a valid string.") and stores a number as its digits, so the entry fails or holds another value than written. Quote it: "${written}".`;

runRuleTests("schema/blueprint", rule as GitopsRule, {
  valid: [
    {
      name: "quoted and block scalars are strings to PyYAML too, and y/n are no booleans there",
      files: {
        "bp.yaml": `version: 1
entries:
  - model: authentik_core.application
    identifiers:
      slug: "no"
    attrs:
      name: 'Off'
      group: |
        12:30
      meta_publisher: !!str 0755
      meta_description: n
`,
      },
    },
    {
      // authentik 2025+ (authentik/sources/oauth/types/entra_id.py): added to the 2024.12 choices.
      name: "an oauth source type added after 2024.12",
      files: { "bp.yaml": oauthSource("entraid") },
    },
    {
      name: "a complete OAuth2 provider with tags in every kind of field",
      files: {
        "bp.yaml": provider(`      client_type: confidential
      client_id: grafana
      client_secret: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET
      authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]
      signing_key: !Find [authentik_crypto.certificatekeypair, [name, authentik Self-signed Certificate]]
      property_mappings:
        - !Find [authentik_providers_oauth2.scopemapping, [managed, goauthentik.io/providers/oauth2/scope-openid]]
      redirect_uris:
        - matching_mode: strict
          url: https://grafana.example.org/login/generic_oauth
      sub_mode: user_email
      include_claims_in_id_token: "yes"
      access_code_validity: "{{ validity }}"
`),
      },
    },
    {
      name: "model names ignore the model part's case; pk is an identifier",
      files: {
        "bp.yaml": `version: 1
entries:
  - model: authentik_flows.Flow
    identifiers:
      pk: 0b2f1b5c-4c1e-4f1a-9d52-6c1e2b0f0c11
      slug: x
    attrs:
      name: X
      title: X
      designation: authentication
`,
      },
    },
    {
      name: "entries as a mapping of lists, conditions of any value, permissions",
      files: {
        "bp.yaml": `version: 1
entries:
  groups:
    - model: authentik_core.group
      identifiers:
        name: admins
      conditions:
        - !Condition [AND, !Context enabled, true]
        - text
      permissions:
        - permission: view_group
          user: 1
`,
      },
    },
    {
      name: "null for the relations authentik accepts as empty (an unset flow or key, a binding's other targets)",
      files: {
        "bp.yaml": `version: 1
entries:
  - model: authentik_providers_oauth2.oauth2provider
    identifiers:
      name: Grafana
    attrs:
      authentication_flow: null
      authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]
      invalidation_flow: !Find [authentik_flows.flow, [slug, default-provider-invalidation-flow]]
      signing_key: ~
      encryption_key:
  - model: authentik_policies.policybinding
    identifiers:
      order: 0
      target: !Find [authentik_core.application, [slug, grafana]]
    attrs:
      policy: null
      group: !Find [authentik_core.group, [name, admins]]
      user: null
  - model: authentik_core.group
    identifiers:
      name: admins
    attrs:
      parent: null
`,
      },
    },
    {
      name: "!Env, !Context and !File as a value or [value, default]; !If with one or three items",
      files: {
        "bp.yaml": provider(`      client_id: !Context [client_id, grafana]
      client_secret: !Env [AUTHENTIK_GRAFANA_CLIENT_SECRET, null]
      name: !File [/run/secrets/name, Grafana]
      include_claims_in_id_token: !If [!Context claims]
      sub_mode: !If [!Context by_email, user_email, hashed_user_id]
`),
      },
    },
  ],
  invalid: [
    {
      name: "plain scalars authentik's PyYAML loader reads as booleans and numbers where strings are due",
      filename: "bp.yaml",
      files: {
        "bp.yaml": `version: 1
entries:
  - model: authentik_core.application
    identifiers:
      slug: no
    attrs:
      name: Off
      group: 12:30
      meta_publisher: 0755
      meta_description: y
      open_in_new_tab: yes
`,
      },
      errors: [
        { messageId: "notStringInYaml11", message: readByPyyaml("identifiers.slug: ", "no", "the boolean false"), line: 5, column: 13, endLine: 5, endColumn: 15 },
        { messageId: "notStringInYaml11", message: readByPyyaml("attrs.name: ", "Off", "the boolean false"), line: 7, column: 13, endLine: 7, endColumn: 16 },
        { messageId: "notStringInYaml11", message: readByPyyaml("attrs.group: ", "12:30", "the integer 750"), line: 8, column: 14, endLine: 8, endColumn: 19 },
        { messageId: "notStringInYaml11", message: readByPyyaml("attrs.meta_publisher: ", "0755", "the integer 493"), line: 9, column: 23, endLine: 9, endColumn: 27 },
      ],
    },
    {
      name: "null for a relation authentik requires: a provider's authorization and invalidation flows, a binding's target",
      filename: "bp.yaml",
      files: {
        "bp.yaml": `version: 1
entries:
  - model: authentik_providers_oauth2.oauth2provider
    identifiers:
      name: Grafana
    attrs:
      authorization_flow: null
      invalidation_flow: ~
  - model: authentik_policies.policybinding
    identifiers:
      order: 0
      target: null
`,
      },
      errors: [
        {
          messageId: "wrongType",
          message: "attrs.authorization_flow: must be a string, not null: authentik's serializer rejects the entry. Write the value as that type.",
          line: 7,
          column: 27,
          endLine: 7,
          endColumn: 31,
        },
        {
          messageId: "wrongType",
          message: "attrs.invalidation_flow: must be a string, not null: authentik's serializer rejects the entry. Write the value as that type.",
          line: 8,
          column: 26,
          endLine: 8,
          endColumn: 27,
        },
        {
          messageId: "wrongType",
          message: "identifiers.target: must be a string, not null: authentik's serializer rejects the entry. Write the value as that type.",
          line: 12,
          column: 15,
          endLine: 12,
          endColumn: 19,
        },
      ],
    },
    {
      name: "!Env, !Context and !File with one item, !If with two: authentik's loader fails the blueprint",
      filename: "bp.yaml",
      files: {
        "bp.yaml": provider(`      client_secret: !Env [AUTHENTIK_GRAFANA_CLIENT_SECRET]
      client_id: !Context [client_id]
      name: !File [/run/secrets/name]
      sub_mode: !If [!Context by_email, user_email]
`),
      },
      errors: [
        {
          messageId: "tagWithoutDefault",
          message:
            "!Env [AUTHENTIK_GRAFANA_CLIENT_SECRET] has no default: authentik's loader reads a second item (the default) whenever !Env is given a list, so the whole blueprint fails to load. Write !Env AUTHENTIK_GRAFANA_CLIENT_SECRET, or !Env [AUTHENTIK_GRAFANA_CLIENT_SECRET, default].",
          line: 10,
          column: 22,
          endLine: 10,
          endColumn: 60,
        },
        {
          messageId: "tagWithoutDefault",
          message:
            "!Context [client_id] has no default: authentik's loader reads a second item (the default) whenever !Context is given a list, so the whole blueprint fails to load. Write !Context client_id, or !Context [client_id, default].",
          line: 11,
          column: 18,
          endLine: 11,
          endColumn: 38,
        },
        {
          messageId: "tagWithoutDefault",
          message:
            "!File [/run/secrets/name] has no default: authentik's loader reads a second item (the default) whenever !File is given a list, so the whole blueprint fails to load. Write !File /run/secrets/name, or !File [/run/secrets/name, default].",
          line: 12,
          column: 13,
          endLine: 12,
          endColumn: 38,
        },
        {
          messageId: "tagArguments",
          message:
            "!If takes !If [condition] or !If [condition, when true, when false], not 2 items: authentik fails the blueprint when it cannot resolve the tag.",
          line: 13,
          column: 17,
          endLine: 13,
          endColumn: 52,
        },
      ],
    },
    {
      name: "a misspelt attribute, with did you mean",
      filename: "bp.yaml",
      files: { "bp.yaml": provider("      client_secrets: !Env X\n") },
      errors: [
        {
          messageId: "unknownFieldDidYouMean",
          message:
            'attrs: unknown field "client_secrets" for authentik_providers_oauth2.oauth2provider; did you mean "client_secret"? authentik drops fields it does not know without an error, so this value would never be applied.',
          line: 10,
          column: 7,
          endLine: 10,
          endColumn: 21,
        },
      ],
    },
    {
      name: "an unknown attribute far from any known one is a warning",
      filename: "bp.yaml",
      files: { "bp.yaml": provider("      shiny_new_field: 1\n") },
      errors: [{ messageId: "unknownField", severity: 1, line: 10, column: 7, endLine: 10, endColumn: 22 }],
    },
    {
      name: "a wrong enum value in a nested list",
      filename: "bp.yaml",
      files: { "bp.yaml": provider("      redirect_uris:\n        - matching_mode: exact\n          url: https://x\n") },
      errors: [
        {
          messageId: "wrongValue",
          message:
            'attrs.redirect_uris[0].matching_mode: "exact" is not one of "strict", "regex": authentik rejects the entry. Use one of the allowed values.',
          line: 11,
          column: 26,
          endLine: 11,
          endColumn: 31,
        },
      ],
    },
    {
      name: "a made-up oauth source type is still an error, the added type listed",
      filename: "bp.yaml",
      files: { "bp.yaml": oauthSource("myidp") },
      errors: [
        {
          messageId: "wrongValue",
          message:
            'attrs.provider_type: "myidp" is not one of "apple", "openidconnect", "azuread", "discord", "facebook", "github", "gitlab", "google", "mailcow", "okta", "patreon", "reddit", "twitch", "twitter", "entraid": authentik rejects the entry. Use one of the allowed values.',
          line: 8,
          column: 22,
          endLine: 8,
          endColumn: 27,
        },
      ],
    },
    {
      name: "client_type: secret",
      filename: "bp.yaml",
      files: { "bp.yaml": provider("      client_type: secret\n") },
      errors: [{ messageId: "wrongValue", line: 10, column: 20, endLine: 10, endColumn: 26 }],
    },
    {
      name: "a wrong state, with did you mean",
      filename: "bp.yaml",
      files: { "bp.yaml": "version: 1\nentries:\n  - model: authentik_core.group\n    state: presnt\n    identifiers:\n      name: a\n" },
      errors: [{ messageId: "wrongValueDidYouMean", line: 4, column: 12, endLine: 4, endColumn: 18 }],
    },
    {
      name: "missing identifiers, at the entry's first key",
      filename: "bp.yaml",
      files: { "bp.yaml": "version: 1\nentries:\n  - model: authentik_core.group\n    attrs:\n      name: a\n" },
      errors: [{ messageId: "missingKey", line: 3, column: 5, endLine: 3, endColumn: 10 }],
    },
    {
      name: "an unknown model, with did you mean",
      filename: "bp.yaml",
      files: { "bp.yaml": "version: 1\nentries:\n  - model: authentik_core.aplication\n    identifiers:\n      slug: a\n" },
      errors: [
        {
          messageId: "unknownModelDidYouMean",
          data: { model: "authentik_core.aplication", suggestion: "authentik_core.application" },
          line: 3,
          column: 12,
          endLine: 3,
          endColumn: 37,
        },
      ],
    },
    {
      name: "!Find with no query, !Find of an unknown model, !Condition with an unknown mode, !Env with three items",
      filename: "bp.yaml",
      files: {
        "bp.yaml": `version: 1
entries:
  - model: authentik_core.group
    identifiers:
      name: a
    attrs:
      parent: !Find [authentik_core.group]
      users: !Find [authentik_core.usr, [username, x]]
      is_superuser: !Condition [ANDD, true]
      name: !Env [A, b, c]
      attributes: !Find [authentik_core.group, [name]]
`,
      },
      errors: [
        { messageId: "tagArguments", data: { tag: "!Find", usage: "!Find [model, [field, value], …]", written: "1 item" }, line: 7, column: 15, endLine: 7, endColumn: 43 },
        { messageId: "unknownModelDidYouMean", line: 8, column: 21, endLine: 8, endColumn: 39 },
        { messageId: "conditionModeDidYouMean", data: { mode: "ANDD", suggestion: "AND" }, line: 9, column: 33, endLine: 9, endColumn: 37 },
        { messageId: "tagArguments", line: 10, column: 13, endLine: 10, endColumn: 27 },
        { messageId: "tagArguments", data: { tag: "!Find", usage: "!Find [model, [field, value], …]", written: "a query of 1 item" }, line: 11, column: 48, endLine: 11, endColumn: 54 },
      ],
    },
    {
      name: "inside a ConfigMap: positions in the outer file (|)",
      filename: "cm.yaml",
      files: { "cm.yaml": configMap(provider("      client_secrets: !Env X\n      sub_mode: user_emial\n")) },
      errors: [
        { messageId: "unknownFieldDidYouMean", line: 16, column: 11, endLine: 16, endColumn: 25 },
        { messageId: "wrongValueDidYouMean", line: 17, column: 21, endLine: 17, endColumn: 31 },
      ],
    },
    {
      name: "inside a ConfigMap: positions in the outer file (|2-)",
      filename: "cm.yaml",
      files: { "cm.yaml": configMap(provider("      client_type: secret\n"), "|2-") },
      errors: [{ messageId: "wrongValue", line: 16, column: 24, endLine: 16, endColumn: 30 }],
    },
    {
      name: "a misspelt required entry key is one mistake, one message",
      filename: "bp.yaml",
      files: { "bp.yaml": "version: 1\nentries:\n  - model: authentik_core.group\n    identifier:\n      name: a\n" },
      errors: [{ messageId: "unknownKeyDidYouMean", line: 4, column: 5, endLine: 4, endColumn: 15 }],
    },
  ],
});

test("the allowFields option accepts a field newer than the schema", async () => {
  const root = writeRepo({ "bp.yaml": provider("      shiny_new_field: 1\n") });
  const outcome = await lintProject({
    cwd: root,
    rules: { "schema/blueprint": rule as GitopsRule },
    ruleOptions: { "schema/blueprint": [{ allowFields: { "authentik_providers_oauth2.oauth2provider": ["shiny_new_field"] } }] },
  });
  expect(outcome.results.flatMap((result) => result.messages)).toEqual([]);
});

test("!Find may look up a base model no entry can create (authentik_core.source)", async () => {
  const root = writeRepo({
    "bp.yaml": "version: 1\nentries:\n  - model: authentik_core.group\n    identifiers:\n      name: a\n    attrs:\n      attributes:\n        source: !Find [authentik_core.source, [slug, ldap]]\n",
  });
  const outcome = await lintProject({ cwd: root, rules: { "schema/blueprint": rule as GitopsRule } });
  expect(outcome.results.flatMap((result) => result.messages)).toEqual([]);
});
