/**
 * Blueprints checked against authentik's own schema: the envelope, each entry, and each entry's
 * `attrs`, `identifiers` and `permissions` against the schema of its `model` (the model is the
 * discriminator: a wrong field gives one message about that field). Tagged values stand for
 * what authentik resolves at apply time and satisfy any field; the tags' own arguments are
 * checked here.
 *
 * authentik applies blueprints through its API serializers, which drop an attribute they do not
 * know without an error: `client_secrets:` is not a failure at apply time, the login just fails.
 */
import { isScalar, isSeq, type Node } from "yaml";
import envelope from "../../schemas/blueprint/envelope.json" with { type: "json" };
import models from "../../schemas/blueprint/models.json" with { type: "json" };
import type { Named } from "../../src/index/model.ts";
import { text } from "../../src/index/read.ts";
import type { TaggedNode } from "../../src/parse/yaml.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { ruleDocsUrl, uncertainDefaults, uncertainProperty, type UncertainOptions } from "../../src/rule.ts";
import { checkNode, closest, type SchemaProblem } from "../../src/schema/index.ts";
import { messageData, messageIdOf, type SchemaMessageId, type Yaml11MessageId, yaml11MessageIdOf } from "../../src/schema/report.ts";

type MessageId =
  | SchemaMessageId
  | Yaml11MessageId
  | "unknownField"
  | "unknownFieldDidYouMean"
  | "unknownModel"
  | "unknownModelDidYouMean"
  | "tagArguments"
  | "tagWithoutDefault"
  | "conditionMode"
  | "conditionModeDidYouMean";

interface ModelSchemas {
  attrs: object;
  permissions?: object;
}

const modelSchemas = models.models as Record<string, ModelSchemas>;

const identifierSchemas = new Map<string, object>();

/**
 * An entry's identifiers are the model's fields plus `pk`, which authentik's importer reads
 * itself (its exporter writes `pk` for every entry).
 */
function identifierSchema(model: string): object {
  let schema = identifierSchemas.get(model);
  if (!schema) {
    const attrs = modelSchemas[model]!.attrs as { properties?: Record<string, unknown> };
    schema = { ...attrs, properties: { ...attrs.properties, ...models.identifierProperties } };
    identifierSchemas.set(model, schema);
  }
  return schema;
}

/** Model names as authentik resolves them: Django's `apps.get_model` ignores the model's case. */
const modelsByLowerName = new Map(Object.keys(modelSchemas).map((name) => [name.toLowerCase(), name]));
const modelNames = Object.keys(modelSchemas).sort();

/**
 * Django REST framework's serializers coerce strings: a BooleanField takes "yes", "on", "1"…,
 * an IntegerField takes "5". Such a value is what authentik accepts, not a mistake.
 */
const booleanStrings = new Set(["y", "yes", "true", "on", "1", "n", "no", "false", "off", "0"]);

function coerced(problem: SchemaProblem): boolean {
  if (problem.kind !== "wrongType" || !isScalar(problem.node) || typeof problem.node.value !== "string") return false;
  const value = problem.node.value.trim();
  if (problem.allowed.includes("boolean") && booleanStrings.has(value.toLowerCase())) return true;
  if (problem.allowed.includes("integer") && /^[-+]?\d+$/u.test(value)) return true;
  return problem.allowed.includes("number") && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/u.test(value);
}

const conditionModes = ["AND", "NAND", "OR", "NOR", "XOR", "XNOR"];

export interface Options extends UncertainOptions {
  /** Fields to accept per model, for authentik versions newer than the schema. */
  allowFields?: Record<string, string[]>;
}

interface TagShape {
  /** Whether the tag takes a single value (`!Env NAME`). */
  scalar: boolean;
  /** The numbers of items the tag takes as a sequence, from `[0]` to `[1]`. */
  sequence?: [number, number];
  /** A number of items within the range that the loader still cannot read. */
  notCount?: number;
}

/**
 * How many arguments each tag takes, as authentik's loader reads them
 * (authentik/blueprints/v1/common.py, each tag's `__init__`). The loader indexes the items it
 * expects without checking how many there are: `!Env [X]` reads `node.value[1]`, `!If [c, x]`
 * reads `node.value[2]`, and the IndexError fails the whole blueprint at load, before any entry.
 */
const tagShapes: Record<string, TagShape> = {
  "!KeyOf": { scalar: true },
  "!Env": { scalar: true, sequence: [2, 2] },
  "!Find": { scalar: false, sequence: [2, Number.POSITIVE_INFINITY] },
  "!FindObject": { scalar: false, sequence: [2, Number.POSITIVE_INFINITY] },
  "!Context": { scalar: true, sequence: [2, 2] },
  "!Format": { scalar: false, sequence: [1, Number.POSITIVE_INFINITY] },
  "!If": { scalar: false, sequence: [1, 3], notCount: 2 },
  "!Condition": { scalar: false, sequence: [2, Number.POSITIVE_INFINITY] },
  "!Enumerate": { scalar: false, sequence: [3, 3] },
  "!Index": { scalar: true },
  "!Value": { scalar: true },
  "!AtIndex": { scalar: false, sequence: [2, 3] },
  "!ParseJSON": { scalar: true },
  "!File": { scalar: true, sequence: [2, 2] },
};

/**
 * The tags whose sequence form is `[key, default]`, with what their key is called: one item is
 * the single-value form written as a list.
 */
const defaultTagKeys: Record<string, string> = { "!Env": "NAME", "!Context": "key", "!File": "path" };

const tagUsage: Record<string, string> = {
  "!KeyOf": "!KeyOf <entry id>",
  "!Env": "!Env NAME or !Env [NAME, default]",
  "!Find": "!Find [model, [field, value], …]",
  "!FindObject": "!FindObject [model, [field, value], …]",
  "!Context": "!Context key or !Context [key, default]",
  "!Format": "!Format [format, value, …]",
  "!If": "!If [condition] or !If [condition, when true, when false]",
  "!Condition": "!Condition [MODE, value, …]",
  "!Enumerate": "!Enumerate [iterable, SEQ or MAP, output]",
  "!Index": "!Index depth",
  "!Value": "!Value depth",
  "!AtIndex": "!AtIndex [sequence or mapping, index or key] or with a default as third item",
  "!ParseJSON": "!ParseJSON value",
  "!File": "!File path or !File [path, default]",
};

const rule: GitopsRule<MessageId, [Options?]> = {
  meta: {
    type: "problem",
    docs: {
      description: "Blueprints match authentik's schema: envelope, entries, each model's attrs and identifiers, tag arguments",
      url: ruleDocsUrl("schema/blueprint"),
      recommended: true,
      warningMessages: ["unknownField"],
    },
    messages: {
      unknownKey: '{{at}}unknown key "{{key}}" (known: {{allowed}}): authentik rejects a blueprint entry it cannot read. Remove or rename it.',
      unknownKeyDidYouMean:
        '{{at}}unknown key "{{key}}"; did you mean "{{suggestion}}"? authentik rejects a blueprint entry it cannot read.',
      missingKey: "{{at}}{{detail}}: authentik cannot apply an entry without it. Add it.",
      wrongValue: "{{at}}{{detail}}: authentik rejects the entry. Use one of the allowed values.",
      wrongValueDidYouMean: '{{at}}{{detail}}; did you mean "{{suggestion}}"? authentik rejects the entry.',
      wrongType: "{{at}}{{detail}}: authentik's serializer rejects the entry. Write the value as that type.",
      notStringInYaml11:
        "{{at}}{{written}} is read as {{reading}} by authentik's blueprint loader (PyYAML, YAML 1.1), but the field must be a string: the serializer rejects a boolean (\"Not a valid string.\") and stores a number as its digits, so the entry fails or holds another value than written. Quote it: {{quoted}}.",
      invalid: "{{at}}{{detail}}. authentik's serializer rejects the entry.",
      unknownField:
        '{{at}}unknown field "{{key}}" for {{model}}: authentik drops fields it does not know without an error, so this value would never be applied. This check follows authentik 2024.12 (schemas/blueprint/models.json); if the field is newer, add it to this rule\'s allowFields option for {{model}}.',
      unknownFieldDidYouMean:
        '{{at}}unknown field "{{key}}" for {{model}}; did you mean "{{suggestion}}"? authentik drops fields it does not know without an error, so this value would never be applied.',
      unknownModel:
        'unknown model "{{model}}": authentik fails the whole blueprint on a model it does not have. Models are named "app_label.model", e.g. "authentik_core.application".',
      unknownModelDidYouMean:
        'unknown model "{{model}}"; did you mean "{{suggestion}}"? authentik fails the whole blueprint on a model it does not have.',
      tagArguments: "{{tag}} takes {{usage}}, not {{written}}: authentik fails the blueprint when it cannot resolve the tag.",
      tagWithoutDefault:
        "{{tag}} [{{key}}] has no default: authentik's loader reads a second item (the default) whenever {{tag}} is given a list, so the whole blueprint fails to load. Write {{tag}} {{key}}, or {{tag}} [{{key}}, default].",
      conditionMode:
        '!Condition mode "{{mode}}" is not one of AND, NAND, OR, NOR, XOR, XNOR: authentik fails the blueprint when it cannot resolve the tag.',
      conditionModeDidYouMean:
        '!Condition mode "{{mode}}" is not one of AND, NAND, OR, NOR, XOR, XNOR; did you mean "{{suggestion}}"? authentik fails the blueprint when it cannot resolve the tag.',
    },
    schema: [
      {
        type: "object",
        additionalProperties: false,
        properties: {
          allowFields: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
          ...uncertainProperty,
        },
      },
    ],
    defaultOptions: [{ ...uncertainDefaults[0] }],
  },
  create(context) {
    const allowFields = context.options[0]?.allowFields ?? {};

    /** The schema name of a written model, or undefined when authentik has no such model. */
    function resolveModel(model: Named): string | undefined {
      return modelsByLowerName.get(model.value.toLowerCase());
    }

    function reportModel(model: Named): void {
      const suggestion = closest(model.value, modelNames);
      context.report({
        node: model.node,
        messageId: suggestion ? "unknownModelDidYouMean" : "unknownModel",
        data: { model: model.value, suggestion: suggestion ?? "" },
      });
    }

    function reportFields(problems: SchemaProblem[], prefix: string, model: string): void {
      const allowed = new Set(allowFields[model] ?? []);
      for (const problem of problems) {
        if (problem.kind === "unknownKey" && problem.path === "" && problem.key !== undefined && allowed.has(problem.key)) continue;
        if (coerced(problem)) continue;
        const data = { ...messageData(problem, prefix), model };
        if (problem.kind === "unknownKey") {
          context.report({ node: problem.node, messageId: problem.suggestion ? "unknownFieldDidYouMean" : "unknownField", data });
        } else {
          context.report({ node: problem.node, messageId: yaml11MessageIdOf(problem), data });
        }
      }
    }

    function describe(node: Node): string {
      if (isSeq(node)) return `${node.items.length} item${node.items.length === 1 ? "" : "s"}`;
      if (isScalar(node)) return "a single value";
      return "a mapping";
    }

    function checkTag(tag: TaggedNode): void {
      const shape = tagShapes[tag.tag];
      if (!shape) return;
      const node = tag.node;
      const count = isSeq(node) ? node.items.length : 0;
      const fits = isScalar(node)
        ? shape.scalar
        : isSeq(node) && shape.sequence !== undefined && count >= shape.sequence[0] && count <= shape.sequence[1] && count !== shape.notCount;
      const defaultTagKey = defaultTagKeys[tag.tag];
      if (!fits && isSeq(node) && count === 1 && defaultTagKey !== undefined) {
        context.report({ node: tag, messageId: "tagWithoutDefault", data: { tag: tag.tag, key: text(node.items[0]) ?? defaultTagKey } });
        return;
      }
      if (!fits) {
        context.report({ node: tag, messageId: "tagArguments", data: { tag: tag.tag, usage: tagUsage[tag.tag] ?? "", written: describe(node) } });
        return;
      }
      if (!isSeq(node)) return;
      if (tag.tag === "!Find" || tag.tag === "!FindObject") {
        // !Find looks up any Django model, base models included (`authentik_core.source`), not
        // only those a blueprint entry may create: only a near miss of a known one is reported.
        const model = text(node.items[0]);
        if (model !== undefined && !resolveModel({ value: model, node: node.items[0] as Node })) {
          const suggestion = closest(model, modelNames);
          if (suggestion) context.report({ node: node.items[0] as Node, messageId: "unknownModelDidYouMean", data: { model, suggestion } });
        }
        const badPair = node.items.slice(1).find((pair) => !(isSeq(pair) && pair.items.length === 2));
        if (badPair) {
          context.report({
            node: badPair as Node,
            messageId: "tagArguments",
            data: { tag: tag.tag, usage: tagUsage[tag.tag] ?? "", written: `a query of ${describe(badPair as Node)}` },
          });
        }
      }
      if (tag.tag === "!Condition") {
        const mode = text(node.items[0]);
        if (mode !== undefined && !conditionModes.includes(mode)) {
          const suggestion = closest(mode, conditionModes);
          context.report({
            node: node.items[0] as Node,
            messageId: suggestion ? "conditionModeDidYouMean" : "conditionMode",
            data: { mode, suggestion: suggestion ?? "" },
          });
        }
      }
    }

    return {
      Blueprint(blueprint) {
        const problems = checkNode(blueprint.node, envelope);
        for (const problem of problems) {
          context.report({ node: problem.node, messageId: messageIdOf(problem), data: messageData(problem) });
        }
      },
      BlueprintEntry(entry) {
        if (!entry.model) return;
        const model = resolveModel(entry.model);
        if (!model) {
          reportModel(entry.model);
          return;
        }
        const schemas = modelSchemas[model]!;
        // authentik loads blueprints with PyYAML (YAML 1.1): an unquoted `yes` is a boolean there.
        if (entry.attrs) reportFields(checkNode(entry.attrs, schemas.attrs, "authentik"), "attrs", model);
        if (entry.identifiers) reportFields(checkNode(entry.identifiers, identifierSchema(model), "authentik"), "identifiers", model);
        // The envelope checks that `permissions` is a list; its items are the model's.
        const permissions: unknown = entry.node.get("permissions", true);
        if (isSeq(permissions) && schemas.permissions) reportFields(checkNode(permissions, schemas.permissions, "authentik"), "permissions", model);
      },
      BlueprintTag(tag) {
        checkTag(tag);
      },
    };
  },
};

export default rule;
