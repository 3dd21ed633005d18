/**
 * A YAML node tree as the plain value ajv validates, with every JSON Pointer mapped back to the
 * nodes it came from, so that each schema error lands on the exact key or value.
 *
 * A node carrying an authentik tag stands for a value that exists only when authentik applies
 * the blueprint: it becomes a placeholder, and its pointer is remembered so that schema errors
 * at or below it are dropped (the tag's own arguments are checked by the rule, not the schema).
 * A templated string (`{{ var }}`) is treated the same way.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from "yaml";
import { isAuthentikTag } from "../parse/tags.ts";

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
}

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
 * Converts `root` to a plain value. Aliases are followed as plain copies of nothing (`null`):
 * the index does not resolve them either, and a schema cannot judge a value it cannot see.
 */
export function valueTree(root: unknown): ValueTree {
  const nodes = new Map<string, PointerNodes>();
  const tagged = new Set<string>();

  function convert(node: unknown, pointer: string, key?: Node, depth = 0): unknown {
    // Nesting this deep is no configuration: stop rather than exhaust the stack.
    if (depth > maxDepth) return null;
    if (isAlias(node) || node === null || node === undefined) {
      if (isAlias(node)) nodes.set(pointer, { value: node, key });
      return null;
    }
    const yamlNode = node as Node;
    nodes.set(pointer, { value: yamlNode, key });
    if ((isScalar(node) || isMap(node) || isSeq(node)) && isAuthentikTag(node.tag)) {
      tagged.add(pointer);
      return placeholder(yamlNode);
    }
    if (isScalar(node) && typeof node.value === "string" && templated.test(node.value)) {
      tagged.add(pointer);
      return node.value;
    }
    if (isScalar(node)) return node.value;
    if (isSeq(node)) return node.items.map((item, index) => convert(item, `${pointer}/${index}`, undefined, depth + 1));
    if (isMap(node)) {
      const object: Record<string, unknown> = {};
      for (const pair of (node as YAMLMap).items) {
        if (!isPair(pair)) continue;
        const name = keyText(pair.key);
        object[name] = convert(pair.value, `${pointer}/${pointerSegment(name)}`, pair.key as Node, depth + 1);
      }
      return object;
    }
    return null;
  }

  return { value: convert(root, ""), nodes, tagged };
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
