/**
 * `!KeyOf x` must name an entry with `id: x` that comes before it in the same blueprint:
 * authentik resolves it to the primary key of an entry it has already applied, and fails the
 * blueprint when there is none.
 */
import { isScalar } from "yaml";
import type { GitopsRule } from "../../src/rule.ts";
import { ruleDocsUrl } from "../../src/rule.ts";

const rule: GitopsRule<"undefinedId" | "definedLater" | "ownEntry"> = {
  meta: {
    type: "problem",
    docs: {
      description: "`!KeyOf` refers to an entry id defined earlier in the same blueprint",
      url: ruleDocsUrl("blueprint/keyof-defined"),
      recommended: true,
    },
    messages: {
      undefinedId:
        '!KeyOf "{{id}}" refers to no entry of this blueprint ({{available}}): authentik fails to apply the blueprint when a !KeyOf cannot be resolved. Give the target entry `id: {{id}}`, or correct the reference.',
      definedLater:
        '!KeyOf "{{id}}" refers to the entry at line {{line}}, which comes after it: authentik applies entries in order and resolves !KeyOf only to entries already applied. Move that entry above this one.',
      ownEntry:
        '!KeyOf "{{id}}" refers to its own entry (id at line {{line}}): an entry has no primary key until it is applied. Refer to another entry, or use !Find.',
    },
    schema: [],
  },
  create(context) {
    const { sourceCode } = context;
    return {
      BlueprintTag(tag, blueprint) {
        if (tag.tag !== "!KeyOf" || !isScalar(tag.node) || typeof tag.node.value !== "string") return;
        // Without `entries` (misspelt, which schema/blueprint reports) there are no ids to judge by.
        if (!blueprint.node.has("entries")) return;
        const id = tag.node.value;
        const start = tag.range[0];
        // The entry this tag sits in: the last one starting before it.
        const own = blueprint.entries.findLast((entry) => (entry.node.range?.[0] ?? 0) <= start && start <= (entry.node.range?.[1] ?? 0));
        const targets = blueprint.ids.get(id) ?? [];
        const before = targets.find((entry) => own === undefined || entry.index < own.index);
        if (before) return;
        const target = targets[0];
        if (target?.id) {
          const line = sourceCode.getLoc(target.id.node).start.line;
          context.report({ node: tag, messageId: target === own ? "ownEntry" : "definedLater", data: { id, line } });
          return;
        }
        // Each id once, even where unique-ids reports it twice.
        const earlier = [
          ...new Set(blueprint.entries.filter((entry) => own === undefined || entry.index < own.index).flatMap((entry) => (entry.id ? [`"${entry.id.value}"`] : []))),
        ];
        const available = earlier.length > 0 ? `ids defined before it: ${earlier.join(", ")}` : "no entry before it has an id";
        context.report({ node: tag, messageId: "undefinedId", data: { id, available } });
      },
    };
  },
};

export default rule;
