/**
 * A YAML node tree as the plain value ajv validates, with every JSON Pointer mapped back to the
 * nodes it came from, so that each schema error lands on the exact key or value.
 *
 * A node carrying an authentik tag stands for a value that exists only when authentik applies
 * the blueprint: it becomes a placeholder, and its pointer is remembered so that schema errors
 * at or below it are dropped (the tag's own arguments are checked by the rule, not the schema).
 * A templated string (`{{ var }}`) is treated the same way.
 *
 * Read for Kubernetes or for authentik, a plain scalar has the value that reader gives it (YAML
 * 1.1, see `yaml11.ts`), not the one the YAML 1.2 parser gave it; where the two differ (`yes` is a
 * boolean, `0755` is 493, `1_000` is a number), the pointer is remembered, so that a "must be a
 * string" problem there can say why and how to quote it. Quoted and block scalars, and tagged ones, are strings in both.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from "yaml";
import { isAuthentikTag } from "../parse/tags.ts";
import { aliasTarget, isMergeKey } from "../parse/yaml.ts";
import { kubernetesPlainValue, pyyamlPlainValue } from "./yaml11.ts";

export interface PointerNodes {
  /** The value's node. */
  value: Node;
  /** The key's node, for a mapping member. */
  key?: Node;
}

export interface ValueTree {
  value: unknown;
  /** JSON Pointer (ajv's `instancePath`, "" for the root) → nodes. */
  nodes: Map<string, PointerNodes>;
  /** Pointers of tagged nodes. */
  tagged: Set<string>;
  /**
   * Pointers of plain scalars the tree's reader reads otherwise than YAML 1.2 does (`yes`,
   * `0755`), with the text as written.
   */
  yaml11Readings: Map<string, string>;
}

/**
 * Who reads the YAML: the values as parsed (YAML 1.2, or 1.1 for Ansible files), Kubernetes
 * (go-yaml v2) or authentik's blueprint loader (PyYAML), which both read plain scalars by YAML
 * 1.1's rules whatever the file's parser did.
 */
export type YamlReader = "parsed" | "kubernetes" | "authentik";

const plainValue: Record<Exclude<YamlReader, "parsed">, (text: string) => unknown> = {
  kubernetes: kubernetesPlainValue,
  authentik: pyyamlPlainValue,
};

const maxDepth = 256;

/**
 * A string another tool fills in before authentik or Kubernetes reads it: Jinja or Helm
 * (`{{ … }}`), shell or kustomize (`${…}`), Python's `%(name)s`. Its final value is unknown, so
 * it satisfies any schema, as a tag does.
 */
const templated = /\{\{.*\}\}|\$\{[^}]*\}|%\([\w.-]+\)[sdifr]/su;

/** JSON Pointer escaping, as ajv writes `instancePath`. */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/gu, "~0").replace(/\//gu, "~1");
}

/** A tag's placeholder: a string, so that no type error is more likely than another. */
function placeholder(node: Node): string {
  return `${(node as Scalar).tag ?? "!tag"} (resolved by authentik)`;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/**
 * How many nodes aliases may add to one tree: an alias copies its anchor's whole value, so
 * anchors that alias each other can double the tree at every level ("billion laughs").
 */
const maxAliasedNodes = 10_000;

/**
 * The mappings a merge key's value merges, in order of precedence; undefined when the value is
 * no merge (not a mapping, nor a list of them), so that `<<` is kept as an ordinary key.
 */
function mergeSources(value: unknown): YAMLMap[] | undefined {
  const resolve = (node: unknown): unknown => (isAlias(node) ? aliasTarget(node) : node);
  const target = resolve(value);
  if (isMap(target)) return [target];
  if (!isSeq(target)) return undefined;
  const sources = target.items.map(resolve);
  return sources.every((source) => isMap(source)) ? (sources as YAMLMap[]) : undefined;
}

/**
 * Converts `root` to a plain value. An alias is its anchor's value, as YAML reads it, and merge
 * keys are applied (keys written in the mapping win over merged ones); a problem inside an
 * aliased value is placed at the alias, where that copy of the value is used. An alias the
 * parser did not resolve, one that contains itself, or one past the size limit is a value the
 * schema cannot see: it satisfies any schema, as a tag does.
 */
export function valueTree(root: unknown, reader: YamlReader = "parsed"): ValueTree {
  const nodes = new Map<string, PointerNodes>();
  const tagged = new Set<string>();
  const yaml11Readings = new Map<string, string>();
  const expanding = new Set<Node>();
  let aliased = 0;

  /** `via` is the alias (or merge key value) through which `node` is reached, if any. */
  function convert(node: unknown, pointer: string, key?: Node, depth = 0, via?: Node): unknown {
    // Nesting this deep is no configuration: stop rather than exhaust the stack.
    if (depth > maxDepth) return null;
    if (node === null || node === undefined) return null;
    if (via && ++aliased > maxAliasedNodes) {
      tagged.add(pointer);
      return null;
    }
    if (isAlias(node)) {
      const target = aliasTarget(node);
      nodes.set(pointer, { value: via ?? node, key: via ?? key });
      if (!target || expanding.has(target)) {
        tagged.add(pointer);
        return null;
      }
      expanding.add(target);
      const value = convert(target, pointer, key, depth + 1, via ?? node);
      expanding.delete(target);
      // The alias's own pointer stays at the alias, not at the anchored node.
      nodes.set(pointer, { value: via ?? node, key: via ?? key });
      return value;
    }
    const yamlNode = node as Node;
    nodes.set(pointer, via ? { value: via, key: via } : { value: yamlNode, key });
    if ((isScalar(node) || isMap(node) || isSeq(node)) && isAuthentikTag(node.tag)) {
      tagged.add(pointer);
      return placeholder(yamlNode);
    }
    if (isScalar(node) && typeof node.value === "string" && templated.test(node.value)) {
      tagged.add(pointer);
      return node.value;
    }
    if (isScalar(node) && reader !== "parsed" && node.type === "PLAIN" && node.tag === undefined && typeof node.source === "string") {
      const value = plainValue[reader](node.source);
      if (!Object.is(node.value, value)) yaml11Readings.set(pointer, node.source);
      return value;
    }
    if (isScalar(node)) return node.value;
    if (isSeq(node)) return node.items.map((item, index) => convert(item, `${pointer}/${index}`, undefined, depth + 1, via));
    if (isMap(node)) {
      const pairs = (node as YAMLMap).items.filter((pair) => isPair(pair));
      const object: Record<string, unknown> = {};
      // Merged mappings first, the last of a list first, so that earlier ones and then the
      // mapping's own keys overwrite them, as YAML's merge does.
      for (const pair of pairs) {
        const sources = isMergeKey(pair.key) ? mergeSources(pair.value) : undefined;
        for (const source of (sources ?? []).toReversed()) {
          if (expanding.has(source)) continue;
          expanding.add(source);
          const merged = convert(source, pointer, key, depth + 1, via ?? (pair.value as Node));
          expanding.delete(source);
          if (merged !== null && typeof merged === "object") Object.assign(object, merged);
        }
      }
      nodes.set(pointer, via ? { value: via, key: via } : { value: yamlNode, key });
      for (const pair of pairs) {
        if (isMergeKey(pair.key) && mergeSources(pair.value)) continue;
        const name = keyText(pair.key);
        object[name] = convert(pair.value, `${pointer}/${pointerSegment(name)}`, pair.key as Node, depth + 1, via);
      }
      return object;
    }
    return null;
  }

  return { value: convert(root, ""), nodes, tagged, yaml11Readings };
}

/** True when `pointer` is a tagged node or lies below one. */
export function underTag(tree: ValueTree, pointer: string): boolean {
  if (tree.tagged.size === 0) return false;
  let current = pointer;
  for (;;) {
    if (tree.tagged.has(current)) return true;
    const slash = current.lastIndexOf("/");
    if (slash === -1) return false;
    current = current.slice(0, slash);
  }
}
