/**
 * Each `id` names one entry of a blueprint: `!KeyOf` resolves an id to a single entry, so a
 * second entry with the same id makes references ambiguous (usually a copy-paste not renamed).
 */
import type { GitopsRule } from "../../src/rule.ts";
import { ruleDocsUrl } from "../../src/rule.ts";

const rule: GitopsRule<"duplicateId"> = {
  meta: {
    type: "problem",
    docs: {
      description: "No entry `id` appears twice in one blueprint",
      url: ruleDocsUrl("blueprint/unique-ids"),
      recommended: true,
    },
    messages: {
      duplicateId:
        'id "{{id}}" is already used by the entry at line {{line}}: !KeyOf "{{id}}" can refer to only one of them. Give this entry an id of its own.',
    },
    schema: [],
  },
  create(context) {
    const { sourceCode } = context;
    return {
      Blueprint(blueprint) {
        for (const [id, entries] of blueprint.ids) {
          const [first, ...rest] = entries;
          if (!first?.id) continue;
          const line = sourceCode.getLoc(first.id.node).start.line;
          for (const entry of rest) {
            if (entry.id) context.report({ node: entry.id, messageId: "duplicateId", data: { id, line } });
          }
        }
      },
    };
  },
};

export default rule;
