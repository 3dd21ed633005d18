/**
 * blueprint/keyof-defined: `!KeyOf x` names an entry with `id: x` earlier in the same blueprint.
 */
import rule from "../../../rules/blueprint/keyof-defined.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests } from "../../helpers/rule-tester.ts";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

/** A flow with id `authz` (line 4) followed by a provider reading it (line 10, column 27). */
const flowThenProvider = lines(
  "version: 1",
  "entries:",
  "  - model: authentik_flows.flow",
  "    id: authz",
  "    identifiers:",
  "      slug: authz",
  "  - model: authentik_providers_oauth2.oauth2provider",
  "    id: provider",
  "    attrs:",
  "      authorization_flow: !KeyOf authz",
);

runRuleTests("blueprint/keyof-defined", rule as GitopsRule, {
  valid: [
    { name: "defined earlier", files: { "blueprints/app.yaml": flowThenProvider } },
    {
      name: "nested inside !Format and !If",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_core.group",
          "    id: admins",
          "    identifiers:",
          "      name: admins",
          "  - model: authentik_core.application",
          "    attrs:",
          '      name: !Format ["%s-app", !KeyOf admins]',
          "      group: !If [true, !KeyOf admins, null]",
        ),
      },
    },
    {
      name: "entries as a mapping of lists: an id of the first list serves the second",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "entries:",
          "  flows:",
          "    - model: authentik_flows.flow",
          "      id: authz",
          "      identifiers:",
          "        slug: authz",
          "  providers:",
          "    - model: authentik_providers_oauth2.oauth2provider",
          "      attrs:",
          "        authorization_flow: !KeyOf authz",
        ),
      },
    },
    {
      name: "a blueprint embedded in a ConfigMap",
      files: {
        "authentik/configmap.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: blueprints",
          "data:",
          "  app.yaml: |",
          ...flowThenProvider.trimEnd().split("\n").map((line) => `    ${line}`),
        ),
      },
    },
  ],
  invalid: [
    {
      name: "defined later",
      filename: "blueprints/app.yaml",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_providers_oauth2.oauth2provider",
          "    attrs:",
          "      authorization_flow: !KeyOf authz",
          "  - model: authentik_flows.flow",
          "    id: authz",
          "    identifiers:",
          "      slug: authz",
        ),
      },
      errors: [{ messageId: "definedLater", data: { id: "authz", line: 7 }, line: 5, column: 27, endLine: 5, endColumn: 39 }],
    },
    {
      name: "its own entry",
      filename: "blueprints/app.yaml",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_core.group",
          "    id: admins",
          "    attrs:",
          "      parent: !KeyOf admins",
        ),
      },
      errors: [{ messageId: "ownEntry", data: { id: "admins", line: 4 }, line: 6, column: 15, endLine: 6, endColumn: 28 }],
    },
    {
      name: "undefined, with no id before it",
      filename: "blueprints/app.yaml",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_providers_oauth2.oauth2provider",
          "    id: provider",
          "    attrs:",
          "      authorization_flow: !KeyOf authz",
        ),
      },
      errors: [
        {
          messageId: "undefinedId",
          message:
            '!KeyOf "authz" refers to no entry of this blueprint (no entry before it has an id): authentik fails to apply the blueprint when a !KeyOf cannot be resolved. Give the target entry `id: authz`, or correct the reference.',
          line: 6,
          column: 27,
          endLine: 6,
          endColumn: 39,
        },
      ],
    },
    {
      name: "undefined, listing the ids defined before it",
      filename: "blueprints/app.yaml",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_flows.flow",
          "    id: authz",
          "  - model: authentik_flows.flow",
          "    id: invalidation",
          "  - model: authentik_providers_oauth2.oauth2provider",
          "    attrs:",
          "      authorization_flow: !KeyOf authz-flow",
          "  - model: authentik_core.group",
          "    id: later",
        ),
      },
      errors: [
        {
          messageId: "undefinedId",
          message:
            '!KeyOf "authz-flow" refers to no entry of this blueprint (ids defined before it: "authz", "invalidation"): authentik fails to apply the blueprint when a !KeyOf cannot be resolved. Give the target entry `id: authz-flow`, or correct the reference.',
          line: 9,
          column: 27,
          endLine: 9,
          endColumn: 44,
        },
      ],
    },
    {
      name: "undefined: an id used twice before it is listed once",
      filename: "blueprints/app.yaml",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_core.group",
          "    id: admins",
          "  - model: authentik_core.group",
          "    id: admins",
          "  - model: authentik_core.application",
          "    attrs:",
          "      group: !KeyOf users",
        ),
      },
      errors: [
        { messageId: "undefinedId", data: { id: "users", available: 'ids defined before it: "admins"' }, line: 9, column: 14, endLine: 9, endColumn: 26 },
      ],
    },
    {
      name: "nested inside !Format and !If",
      filename: "blueprints/app.yaml",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_core.application",
          "    attrs:",
          '      name: !Format ["%s-app", !KeyOf admins]',
          "      group: !If [true, !KeyOf users, null]",
        ),
      },
      errors: [
        {
          messageId: "undefinedId",
          data: { id: "admins", available: "no entry before it has an id" },
          line: 5,
          column: 32,
          endLine: 5,
          endColumn: 45,
        },
        {
          messageId: "undefinedId",
          data: { id: "users", available: "no entry before it has an id" },
          line: 6,
          column: 25,
          endLine: 6,
          endColumn: 37,
        },
      ],
    },
    {
      name: "entries as a mapping of lists: a later list's id is defined later",
      filename: "blueprints/app.yaml",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "entries:",
          "  providers:",
          "    - model: authentik_providers_oauth2.oauth2provider",
          "      attrs:",
          "        authorization_flow: !KeyOf authz",
          "  flows:",
          "    - model: authentik_flows.flow",
          "      id: authz",
        ),
      },
      errors: [{ messageId: "definedLater", data: { id: "authz", line: 9 }, line: 6, column: 29, endLine: 6, endColumn: 41 }],
    },
    {
      name: "a blueprint embedded in a ConfigMap: positions in the outer file",
      filename: "authentik/configmap.yaml",
      files: {
        "authentik/configmap.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: blueprints",
          "data:",
          "  app.yaml: |",
          "    version: 1",
          "    entries:",
          "      - model: authentik_flows.flow",
          "        id: authz",
          "      - model: authentik_providers_oauth2.oauth2provider",
          "        attrs:",
          "          authorization_flow: !KeyOf authz-flow",
        ),
      },
      errors: [
        {
          messageId: "undefinedId",
          data: { id: "authz-flow", available: 'ids defined before it: "authz"' },
          line: 13,
          column: 31,
          endLine: 13,
          endColumn: 48,
        },
      ],
    },
    {
      name: "two blueprints in one ConfigMap do not see each other's ids",
      filename: "authentik/configmap.yaml",
      files: {
        "authentik/configmap.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: blueprints",
          "data:",
          "  flows.yaml: |",
          "    version: 1",
          "    entries:",
          "      - model: authentik_flows.flow",
          "        id: authz",
          "  app.yaml: |-",
          "    version: 1",
          "    entries:",
          "      - model: authentik_providers_oauth2.oauth2provider",
          "        attrs:",
          "          authorization_flow: !KeyOf authz",
        ),
      },
      errors: [
        {
          messageId: "undefinedId",
          data: { id: "authz", available: "no entry before it has an id" },
          line: 16,
          column: 31,
          endLine: 16,
          endColumn: 43,
        },
      ],
    },
    {
      name: "two blueprint documents in one file do not see each other's ids",
      filename: "blueprints/app.yaml",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_flows.flow",
          "    id: authz",
          "---",
          "version: 1",
          "entries:",
          "  - model: authentik_providers_oauth2.oauth2provider",
          "    attrs:",
          "      authorization_flow: !KeyOf authz",
        ),
      },
      errors: [
        {
          messageId: "undefinedId",
          data: { id: "authz", available: "no entry before it has an id" },
          line: 10,
          column: 27,
          endLine: 10,
          endColumn: 39,
        },
      ],
    },
  ],
});
