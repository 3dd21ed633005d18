/**
 * Small readers over `yaml` nodes: the one place that knows how a value is spelled in the tree.
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type YAMLMap } from "yaml";
import { isAuthentikTag } from "../parse/tags.ts";
import { aliasTarget } from "../parse/yaml.ts";
import type { Named } from "./model.ts";

/** A node as YAML reads it: an alias (`*name`) is the node anchored `&name`. */
function resolved(node: unknown): unknown {
  return isAlias(node) ? aliasTarget(node) : node;
}

/**
 * The node at `key` of a mapping node, aliases resolved. Merge keys (`<<: *base`) are not
 * followed here: rules that read merged mappings do so themselves.
 */
export function field(node: unknown, key: string): Node | undefined {
  const map = resolved(node);
  if (!isMap(map)) return undefined;
  const value: unknown = resolved(map.get(key, true));
  return value === null || value === undefined ? undefined : (value as Node);
}

/** The node at a path of keys. */
export function path(node: unknown, ...keys: string[]): Node | undefined {
  let current: unknown = node;
  for (const key of keys) current = field(current, key);
  return current as Node | undefined;
}

/**
 * A plain string (numbers and booleans as written). Tagged scalars (`!Env X`) are not strings:
 * their value exists only when authentik applies the blueprint.
 */
export function text(node: unknown): string | undefined {
  if (!isScalar(node) || isAuthentikTag(node.tag)) return undefined;
  const value = node.value;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return node.source ?? String(value);
  }
  return undefined;
}

export function named(node: unknown): Named | undefined {
  const value = text(node);
  return value === undefined ? undefined : { value, node: node as Node };
}

export function namedField(node: unknown, key: string): Named | undefined {
  return named(field(node, key));
}

export function mapField(node: unknown, key: string): YAMLMap | undefined {
  const value = field(node, key);
  return isMap(value) ? value : undefined;
}

/** Items of a sequence node, aliases resolved (empty for anything else). */
export function items(node: unknown): unknown[] {
  const seq = resolved(node);
  return isSeq(seq) ? seq.items.map(resolved) : [];
}

/** Mapping items of a sequence node. */
export function maps(node: unknown): YAMLMap[] {
  return items(node).filter((item): item is YAMLMap => isMap(item));
}

/** Strings of a sequence node, or a lone scalar. */
export function strings(node: unknown): string[] {
  if (isScalar(node)) {
    const value = text(node);
    return value === undefined ? [] : [value];
  }
  return items(node).flatMap((item) => {
    const value = text(item);
    return value === undefined ? [] : [value];
  });
}

/** Each key of a mapping node with its key node. */
export function keysOf(node: unknown): Named[] {
  if (!isMap(node)) return [];
  return node.items.flatMap((pair) => {
    const key = named(pair.key);
    return key ? [key] : [];
  });
}

/**
 * A value another tool fills in before it is applied: `{{ … }}` and `{% … %}` (Jinja, Helm, Go
 * templates) or `${…}` (Flux, envsubst). Its final value is unknown here.
 */
export function isTemplated(value: string): boolean {
  return value.includes("{{") || value.includes("{%") || value.includes("${");
}
