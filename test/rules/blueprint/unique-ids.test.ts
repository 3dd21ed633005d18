/**
 * blueprint/unique-ids: no entry `id` twice in one blueprint; each later duplicate is reported
 * at its `id`, naming the line of the first.
 */
import rule from "../../../rules/blueprint/unique-ids.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests } from "../../helpers/rule-tester.ts";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

runRuleTests("blueprint/unique-ids", rule as GitopsRule, {
  valid: [
    {
      name: "unique ids, and entries without one",
      files: {
        "blueprints/groups.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_core.group",
          "    id: admins",
          "  - model: authentik_core.group",
          "    id: family",
          "  - model: authentik_core.group",
          "    identifiers:",
          "      name: guests",
        ),
      },
    },
    {
      name: "the same id in two blueprints of one ConfigMap",
      files: {
        "authentik/configmap.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: blueprints",
          "data:",
          "  grafana.yaml: |",
          "    version: 1",
          "    entries:",
          "      - model: authentik_providers_oauth2.oauth2provider",
          "        id: provider",
          "  forgejo.yaml: |",
          "    version: 1",
          "    entries:",
          "      - model: authentik_providers_oauth2.oauth2provider",
          "        id: provider",
        ),
      },
    },
    {
      name: "the same id in two blueprint files",
      files: {
        "blueprints/grafana.yaml": lines("version: 1", "entries:", "  - model: authentik_core.group", "    id: admins"),
        "blueprints/forgejo.yaml": lines("version: 1", "entries:", "  - model: authentik_core.group", "    id: admins"),
      },
    },
  ],
  invalid: [
    {
      name: "an id twice",
      filename: "blueprints/groups.yaml",
      files: {
        "blueprints/groups.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_core.group",
          "    id: admins-group",
          "  - model: authentik_core.group",
          "    id: admins-group",
        ),
      },
      errors: [
        {
          messageId: "duplicateId",
          message:
            'id "admins-group" is already used by the entry at line 4: !KeyOf "admins-group" can refer to only one of them. Give this entry an id of its own.',
          line: 6,
          column: 9,
          endLine: 6,
          endColumn: 21,
        },
      ],
    },
    {
      name: "an id three times: both later ones point at the first",
      filename: "blueprints/groups.yaml",
      files: {
        "blueprints/groups.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_core.group",
          "    id: group",
          "  - model: authentik_core.group",
          "    id: group",
          "  - model: authentik_core.group",
          "    id: group",
        ),
      },
      errors: [
        { messageId: "duplicateId", data: { id: "group", line: 4 }, line: 6, column: 9, endLine: 6, endColumn: 14 },
        { messageId: "duplicateId", data: { id: "group", line: 4 }, line: 8, column: 9, endLine: 8, endColumn: 14 },
      ],
    },
    {
      name: "across the lists of entries given as a mapping",
      filename: "blueprints/groups.yaml",
      files: {
        "blueprints/groups.yaml": lines(
          "version: 1",
          "entries:",
          "  admins:",
          "    - model: authentik_core.group",
          "      id: group",
          "  family:",
          "    - model: authentik_core.group",
          "      id: group",
        ),
      },
      errors: [{ messageId: "duplicateId", data: { id: "group", line: 5 }, line: 8, column: 11, endLine: 8, endColumn: 16 }],
    },
    {
      name: "in a blueprint embedded in a ConfigMap: lines of the outer file",
      filename: "authentik/configmap.yaml",
      files: {
        "authentik/configmap.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: blueprints",
          "data:",
          "  groups.yaml: |",
          "    version: 1",
          "    entries:",
          "      - model: authentik_core.group",
          "        id: admins-group",
          "        identifiers:",
          "          name: admins",
          "      - model: authentik_core.group",
          "        id: admins-group",
          "        identifiers:",
          "          name: family",
        ),
      },
      errors: [{ messageId: "duplicateId", data: { id: "admins-group", line: 10 }, line: 14, column: 13, endLine: 14, endColumn: 25 }],
    },
  ],
});
