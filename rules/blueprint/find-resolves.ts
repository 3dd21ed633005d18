/**
 * `!Find [model, [field, value]…]` and `!FindObject` look an object up in authentik's database
 * when the blueprint is applied (`model.objects.filter(field=value, …).first()` in
 * authentik/blueprints/v1/common.py) and resolve to null when nothing matches: an entry whose
 * field is required then fails, and an optional link is dropped without a word. The object must
 * be one that a blueprint of the repo declares, or one that authentik creates itself
 * (schemas/blueprint/builtins.json, derived by scripts/build-authentik-builtins.ts).
 *
 * Every declared object of the repo and of authentik is read once per run into one map, model →
 * field → value → objects; each lookup is then a few map reads, so the rule is linear.
 */
import { type Document, isMap, isScalar, isSeq, type Scalar, type YAMLSeq } from "yaml";
import builtins from "../../schemas/blueprint/builtins.json" with { type: "json" };
import models from "../../schemas/blueprint/models.json" with { type: "json" };
import type { RepoIndex } from "../../src/index/index.ts";
import type { Blueprint, BlueprintEntry } from "../../src/index/model.ts";
import { entryMappings, isFilledInLater, mappingFields, resolveAlias } from "../../src/index/blueprint.ts";
import { field, text } from "../../src/index/read.ts";
import type { ParsedFile } from "../../src/parse/index.ts";
import { isAuthentikTag } from "../../src/parse/tags.ts";
import type { TaggedNode } from "../../src/parse/yaml.ts";
import type { GitopsRule, UncertainOptions } from "../../src/rule.ts";
import { involving, ruleDocsUrl, uncertainDefaults, uncertainSchema } from "../../src/rule.ts";
import { editDistance } from "../../src/schema/index.ts";
import { push } from "../../src/index/collect.ts";

type Value = string | number | boolean;

/** An object a blueprint entry declares, as far as it can be known before authentik applies it. */
export interface DeclaredObject {
  /** The model as written, e.g. `authentik_flows.flow`. */
  model: string;
  /** Fields of `identifiers` and `attrs` whose value is written out. */
  fields: Record<string, Value>;
  /** Fields whose value is known only at apply time: a tag, a template, a collection, a long text. */
  unresolved: string[];
}

/** The blueprints' model names, lower-cased: `!Find` of any other model is schema/blueprint's to report. */
const knownModels: ReadonlySet<string> = new Set(Object.keys(models.models).map((name) => name.toLowerCase()));

/**
 * Django resolves the model part of `app_label.model` case-insensitively (`authentik_flows.Flow`
 * is `authentik_flows.flow`); schema/blueprint reports a wrong app label.
 */
function modelKey(model: string): string {
  return model.toLowerCase();
}

/** Long texts (expressions, descriptions) are not what a lookup compares; they are left unresolved. */
const longestKeptValue = 200;

/** A scalar as Django compares it with an exact lookup: `True` and `"true"` alike for a boolean field. */
function comparable(value: Value): string {
  return typeof value === "string" ? value : String(value);
}

/**
 * What `!Context key` or `!Context [key, default]` reads: the blueprint's own `context:`, or the
 * default. An instance may override the context, but in a repo the blueprint file is the story.
 */
function contextLookup(node: Scalar | YAMLSeq, context: Map<string, unknown> | undefined): Value | undefined {
  const key = isSeq(node) ? text(node.items[0]) : typeof node.value === "string" ? node.value : undefined;
  if (key === undefined || !context) return undefined;
  if (context.has(key)) return literalValue(context.get(key));
  return isSeq(node) ? literalValue(node.items[1]) : undefined;
}

/** A value written out, or undefined when it is known only at apply time. */
function literalValue(node: unknown, context?: Map<string, unknown>): Value | undefined {
  if ((isScalar(node) || isSeq(node)) && node.tag === "!Context") return contextLookup(node, context);
  if (!isScalar(node) || text(node) === undefined) return undefined;
  const value: unknown = node.value;
  if (typeof value === "string") return isFilledInLater(value) || value.includes("\n") || value.length > longestKeptValue ? undefined : value;
  if (typeof value === "number" || typeof value === "boolean") return value;
  return undefined;
}

/**
 * The objects a blueprint declares: each entry with a model that does not delete its object
 * (`state: absent`), with the fields of its `identifiers` and `attrs`. Entries behind
 * `conditions` or `!If` count: the rule cannot tell whether they apply, and a false alarm costs
 * more than a missed one.
 */
export function declaredObjects(blueprint: Blueprint): Array<DeclaredObject & { entry: BlueprintEntry }> {
  return entryObjects(blueprint, false);
}

/** The entries of a blueprint as objects: those it declares, or those it deletes (`state: absent`). */
function entryObjects(blueprint: Blueprint, deleted: boolean): Array<DeclaredObject & { entry: BlueprintEntry }> {
  const doc = blueprint.document.doc;
  const contextNode = resolveAlias(field(blueprint.node, "context"), doc);
  const context = isMap(contextNode) ? mappingFields(contextNode, doc) : undefined;
  const objects: Array<DeclaredObject & { entry: BlueprintEntry }> = [];
  for (const entry of blueprint.entries) {
    if (!entry.model || (entry.state?.value === "absent") !== deleted) continue;
    // A meta model (`authentik_blueprints.metaapplyblueprint`) stores nothing: it applies another blueprint.
    if (modelKey(entry.model.value).startsWith("authentik_blueprints.meta")) continue;
    const fields: Record<string, Value> = {};
    const unresolved = new Set<string>();
    // authentik creates an object from attrs updated with identifiers: identifiers win.
    for (const part of entryMappings(entry, doc)) {
      for (const [name, node] of mappingFields(part, doc)) {
        const value = literalValue(node, context);
        delete fields[name];
        unresolved.delete(name);
        // A null value states nothing to compare; anything else not written out matches anything.
        if (value !== undefined) fields[name] = value;
        else if (node !== null && node !== undefined && !(isScalar(node) && node.value === null && !isAuthentikTag(node.tag))) unresolved.add(name);
      }
    }
    objects.push({ model: entry.model.value, fields, unresolved: [...unresolved].sort(), entry });
  }
  return objects;
}

// ── The catalog: every object of the repo and of authentik, by model and field ────────────────

interface KnownObject {
  fields: ReadonlyMap<string, string>;
  /** Written values, for the message. */
  written: Readonly<Record<string, Value>>;
  unresolved: ReadonlySet<string>;
  /** Where it is declared, for the message. */
  where: string;
  inRepo: boolean;
  /** The blueprint's file, for an object the repo declares. */
  file?: ParsedFile;
  /** Declared by a blueprint decoded from a Secret's base64 `data:`: it satisfies lookups, but is never quoted. */
  encoded?: boolean;
}

interface ModelCatalog {
  objects: KnownObject[];
  /** field → comparable value → objects with that value. */
  byValue: Map<string, Map<string, KnownObject[]>>;
  /** field → objects whose value of it is known only at apply time (they match any value). */
  byUnresolved: Map<string, KnownObject[]>;
  /** Objects a blueprint of the repo deletes (`state: absent`): certain not to be there. */
  deleted: KnownObject[];
}


function addObject(catalog: Map<string, ModelCatalog>, model: string, object: KnownObject): void {
  const key = modelKey(model);
  let entry = catalog.get(key);
  if (!entry) {
    entry = { objects: [], byValue: new Map(), byUnresolved: new Map(), deleted: [] };
    catalog.set(key, entry);
  }
  entry.objects.push(object);
  for (const [name, value] of object.fields) {
    let values = entry.byValue.get(name);
    if (!values) {
      values = new Map();
      entry.byValue.set(name, values);
    }
    push(values, value, object);
  }
  for (const name of object.unresolved) push(entry.byUnresolved, name, object);
}

function knownObject(object: DeclaredObject, where: string, inRepo: boolean, file?: ParsedFile): KnownObject {
  return {
    file,
    fields: new Map(Object.entries(object.fields).map(([name, value]) => [name, comparable(value)])),
    written: object.fields,
    unresolved: new Set(object.unresolved),
    where,
    inRepo,
  };
}

/** An entry of schemas/blueprint/builtins.json. */
export interface BuiltinObject extends DeclaredObject {
  /** `blueprint`: declared by one of authentik's blueprints; `code`: created by authentik's code. */
  kind: "blueprint" | "code";
  /** The blueprint file (`blueprints/…`) or the goauthentik/authentik source file. */
  from: string;
  note?: string;
}

// TypeScript types a JSON import by its contents: one object type per shape, not this interface.
const builtinObjects = builtins.objects as unknown as BuiltinObject[];

function builtinWhere(object: BuiltinObject): string {
  return object.kind === "blueprint" ? `authentik's ${object.from}` : `created by authentik itself, ${object.from}`;
}

const catalogs = new WeakMap<RepoIndex, Map<string, ModelCatalog>>();

function catalogOf(index: RepoIndex): Map<string, ModelCatalog> {
  let catalog = catalogs.get(index);
  if (catalog) return catalog;
  catalog = new Map();
  for (const object of builtinObjects) addObject(catalog, object.model, knownObject(object, builtinWhere(object), false));
  for (const blueprint of index.blueprints) {
    for (const object of declaredObjects(blueprint)) {
      const line = blueprint.document.source.position(object.entry.node.range?.[0] ?? 0).line;
      addObject(catalog, object.model, { ...knownObject(object, `${blueprint.file.relPath}:${line}`, true, blueprint.file), encoded: blueprint.encoded });
    }
  }
  for (const blueprint of index.blueprints) {
    for (const object of entryObjects(blueprint, true)) {
      const line = blueprint.document.source.position(object.entry.node.range?.[0] ?? 0).line;
      const model = catalog.get(modelKey(object.model));
      // A deletion of a model nothing declares needs no catalog of its own: no lookup is judged against it.
      model?.deleted.push(knownObject(object, `${blueprint.file.relPath}:${line}`, true, blueprint.file));
    }
  }
  catalogs.set(index, catalog);
  return catalog;
}

// ── Which lookups are judged ───────────────────────────────────────────────────────────────────

/** Primary keys: authentik assigns them when it creates an object, so no blueprint knows them. */
function isPrimaryKey(name: string): boolean {
  return name === "pk" || name === "id" || name.endsWith("uuid") || name.endsWith("_ptr");
}

interface QueryPair {
  name: string;
  value: Value;
}

interface Query {
  model: string;
  /** Every pair as written, for the message. */
  written: string[];
  /** The pairs this rule can judge: a plain field and a written value. */
  judged: QueryPair[];
}

function describeValue(node: unknown): string {
  if ((isScalar(node) || isSeq(node) || isMap(node)) && isAuthentikTag(node.tag)) return node.tag;
  if (isScalar(node)) return JSON.stringify(node.value);
  return "…";
}

/** The lookup a `!Find` makes, or undefined where schema/blueprint has a shape to report. */
function queryOf(tag: TaggedNode, doc: Document): Query | undefined {
  if (!isSeq(tag.node)) return undefined;
  const [modelNode, ...pairs] = tag.node.items;
  const model = text(modelNode);
  if (model === undefined || !knownModels.has(modelKey(model)) || pairs.length === 0) return undefined;
  const query: Query = { model, written: [], judged: [] };
  for (const pairNode of pairs) {
    const pair = resolveAlias(pairNode, doc);
    if (!isSeq(pair) || pair.items.length !== 2) return undefined;
    const name = text(resolveAlias(pair.items[0], doc));
    const valueNode = resolveAlias(pair.items[1], doc);
    query.written.push(`${name ?? describeValue(pair.items[0])} ${describeValue(valueNode)}`);
    // A tagged field or value (`!Context`, `!Format`, `!KeyOf`…), a Django lookup across
    // relations (`group__name`), a primary key or a templated value is known only at apply time.
    if (name === undefined || name.includes("__") || isPrimaryKey(name)) continue;
    if (!isScalar(valueNode) || isAuthentikTag(valueNode.tag)) continue;
    const value: unknown = valueNode.value;
    if (typeof value === "string" && !isFilledInLater(value)) query.judged.push({ name, value });
    else if (typeof value === "number" || typeof value === "boolean") query.judged.push({ name, value });
  }
  return query;
}

/**
 * The `!Find`s of a blueprint that test whether something exists rather than fetch it, where
 * finding nothing is an expected answer: inside an entry's `conditions`, a `!Condition`, or the
 * condition of an `!If`; and, in the branches of such an `!If` or in the rest of such an entry,
 * lookups of the model the condition tests.
 */
function guardedFinds(blueprint: Blueprint): Set<TaggedNode> {
  const guarded = new Set<TaggedNode>();
  const entries = [...blueprint.entries].sort((a, b) => (a.node.range?.[0] ?? 0) - (b.node.range?.[0] ?? 0));
  const ifModels = new Map<TaggedNode, Set<string>>();
  const entryModels = new Map<BlueprintEntry, Set<string>>();
  const pending: Array<{ tag: TaggedNode; model: string; entry?: BlueprintEntry; ifs: TaggedNode[] }> = [];
  const open: TaggedNode[] = [];
  let entryIndex = 0;
  const contains = (node: unknown, offset: number): boolean =>
    (isScalar(node) || isSeq(node) || isMap(node)) && node.range != null && node.range[0] <= offset && offset < node.range[1];
  for (const tag of blueprint.tags) {
    while (open.length > 0 && open[open.length - 1]!.range[1] <= tag.range[0]) open.pop();
    open.push(tag);
    if (tag.tag !== "!Find" && tag.tag !== "!FindObject") continue;
    // Where the tagged node starts: an argument node's range starts after its tag.
    const start = tag.node.range?.[0] ?? tag.range[0];
    const model = isSeq(tag.node) ? text(tag.node.items[0]) : undefined;
    if (model === undefined) continue;
    while (entryIndex < entries.length && (entries[entryIndex]!.node.range?.[1] ?? 0) <= start) entryIndex++;
    const candidate = entries[entryIndex];
    const entry = candidate && (candidate.node.range?.[0] ?? 0) <= start ? candidate : undefined;
    const enclosing = open.slice(0, -1);
    const inCondition =
      (entry?.conditions !== undefined && contains(entry.conditions, start)) ||
      enclosing.some((outer) => outer.tag === "!Condition" || (outer.tag === "!If" && (outer.args.length === 1 || contains(outer.args[0], start))));
    if (inCondition) {
      guarded.add(tag);
      const key = modelKey(model);
      for (const outer of enclosing) {
        if (outer.tag === "!If" && contains(outer.args[0], start)) ifModels.set(outer, (ifModels.get(outer) ?? new Set()).add(key));
      }
      if (entry?.conditions !== undefined && contains(entry.conditions, start)) entryModels.set(entry, (entryModels.get(entry) ?? new Set()).add(key));
      continue;
    }
    pending.push({ tag, model: modelKey(model), entry, ifs: enclosing.filter((outer) => outer.tag === "!If") });
  }
  for (const { tag, model, entry, ifs } of pending) {
    if ((entry && entryModels.get(entry)?.has(model)) || ifs.some((outer) => ifModels.get(outer)?.has(model))) guarded.add(tag);
  }
  return guarded;
}

const guards = new WeakMap<Blueprint, Set<TaggedNode>>();

function isGuarded(tag: TaggedNode, blueprint: Blueprint): boolean {
  let set = guards.get(blueprint);
  if (!set) {
    set = guardedFinds(blueprint);
    guards.set(blueprint, set);
  }
  return set.has(tag);
}

// ── Matching ───────────────────────────────────────────────────────────────────────────────────

/** The objects of a model matching every judged pair: by value, or with that field unresolved. */
function matches(catalog: ModelCatalog, pairs: QueryPair[]): boolean {
  let candidates: Set<KnownObject> | undefined;
  for (const { name, value } of pairs) {
    const found = new Set([...(catalog.byValue.get(name)?.get(comparable(value)) ?? []), ...(catalog.byUnresolved.get(name) ?? [])]);
    candidates = candidates ? new Set([...candidates].filter((object) => found.has(object))) : found;
    if (candidates.size === 0) return false;
  }
  return true;
}

/** The object whose values are closest to the query (edit distance, summed over the pairs). */
function nearest(catalog: ModelCatalog, pairs: QueryPair[]): { object: KnownObject; distance: number } | undefined {
  let best: { object: KnownObject; distance: number } | undefined;
  for (const object of catalog.objects) {
    if (object.encoded || !pairs.some(({ name }) => object.fields.has(name))) continue;
    let distance = 0;
    for (const { name, value } of pairs) {
      if (object.unresolved.has(name)) continue;
      const written = comparable(value);
      const known = object.fields.get(name);
      distance += known === undefined ? written.length : editDistance(written, known);
    }
    if (!best || distance < best.distance) best = { object, distance };
  }
  return best;
}

function describeObject(object: KnownObject, pairs: QueryPair[]): string {
  const names = [...new Set(pairs.map(({ name }) => name))].filter((name) => name in object.written);
  const values = names.map((name) => `${name} ${JSON.stringify(object.written[name])}`).join(", ");
  return `${values} (${object.where})`;
}

/** A written value this close to a known one is a typo, not an object made elsewhere. */
const typoDistance = 2;

/**
 * Fields that name one object of their model in authentik (a flow's or application's slug, a
 * group's or provider's name, a user's username, a managed object's key, a brand's domain).
 */
const namingFields: ReadonlySet<string> = new Set(["slug", "name", "username", "managed", "domain"]);

/**
 * Whether the lookup certainly finds nothing, rather than possibly an object made outside
 * blueprints: the repo deletes what it looks for, or an object of the repo has the value of a
 * naming field the lookup asks for while the lookup asks another field a value that object
 * does not have (that object is the one meant, and it does not match).
 */
function certainlyMissing(catalog: ModelCatalog, pairs: QueryPair[]): boolean {
  const exact = (object: KnownObject, { name, value }: QueryPair): boolean => object.fields.get(name) === comparable(value);
  if (catalog.deleted.some((object) => pairs.every((pair) => exact(object, pair)))) return true;
  if (pairs.length < 2) return false;
  return catalog.objects.some(
    (object) => object.inRepo && pairs.some((pair) => namingFields.has(pair.name) && exact(object, pair)) && pairs.some((pair) => !exact(object, pair) && !object.unresolved.has(pair.name)),
  );
}

type MessageId = "notFound" | "notInRepo";

const rule: GitopsRule<MessageId, [UncertainOptions?]> = {
  meta: {
    type: "problem",
    docs: {
      description: "`!Find` and `!FindObject` look up an object that a blueprint of the repo declares or that authentik creates itself",
      url: ruleDocsUrl("blueprint/find-resolves"),
      recommended: true,
      warningMessages: ["notInRepo"],
    },
    messages: {
      notFound:
        "{{tag}} finds no {{model}} with {{query}}: no blueprint in this repo declares one and authentik does not create one itself, so the lookup returns nothing and authentik sets the value to null, which fails the entry where the field is required and silently drops the link where it is not. Nearest {{model}}: {{nearest}}. Correct the query, or declare the object in a blueprint.",
      notInRepo:
        "{{tag}} finds no {{model}} with {{query}} among the objects this repo's blueprints declare and authentik creates itself (nearest: {{nearest}}): if it is made outside blueprints (in the admin interface, by a source sync), this lookup is unverifiable; if not, the lookup returns nothing and authentik sets the value to null. Declare the object in a blueprint to have it checked.",
    },
    schema: uncertainSchema,
    defaultOptions: uncertainDefaults,
  },
  create(context) {
    const { index } = context.sourceCode;
    return {
      BlueprintTag(tag, blueprint) {
        if (tag.tag !== "!Find" && tag.tag !== "!FindObject") return;
        const query = queryOf(tag, blueprint.document.doc);
        if (!query || query.judged.length === 0 || isGuarded(tag, blueprint)) return;
        const catalog = catalogOf(index).get(modelKey(query.model));
        // A field no object of the model states is one this rule knows nothing about.
        const judged = query.judged.filter(({ name }) => catalog?.byValue.has(name) || catalog?.byUnresolved.has(name));
        if (catalog && (judged.length === 0 || matches(catalog, judged))) return;
        const closest = catalog ? nearest(catalog, judged) : undefined;
        const data = {
          tag: tag.tag,
          model: query.model,
          query: query.written.join(" and "),
          nearest: closest ? describeObject(closest.object, judged) : `none, no ${query.model} is declared`,
        };
        const typo = closest !== undefined && closest.distance <= typoDistance;
        // Other objects of the model in the repo do not make this one a typo: a repo declares
        // some flows or groups and makes others in the admin interface.
        const certain = typo || (catalog !== undefined && certainlyMissing(catalog, judged));
        // The nearest object is most likely the one meant: its blueprint is the lookup's other end.
        context.report(involving({ node: tag, messageId: certain ? "notFound" : "notInRepo", data }, [closest?.object.file]));
      },
    };
  },
};

export default rule;
