/**
 * Blueprint documents → typed views. A blueprint is recognised by content (`isBlueprintDocument`),
 * wherever it is kept (a file of its own, a ConfigMap `data:` key, a Secret `stringData:` or
 * base64 `data:` key).
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type YAMLMap } from "yaml";
import type { ParsedFile } from "../parse/index.ts";
import { isAuthentikTag } from "../parse/tags.ts";
import type { YamlDocument } from "../parse/yaml.ts";
import type { Blueprint, BlueprintEntry } from "./model.ts";
import { field, isTemplated, mapField, namedField } from "./read.ts";

/**
 * Entries in the order authentik applies them: `entries` is a list, or (authentik 2025.2+) a
 * mapping of lists applied one list after another.
 */
function entryNodes(entries: unknown): YAMLMap[] {
  if (isSeq(entries)) return entries.items.filter((item): item is YAMLMap => isMap(item));
  if (isMap(entries)) return entries.items.flatMap((pair) => entryNodes(pair.value));
  return [];
}

/** `encoded`: decoded from a Secret's base64 `data:` (see `Blueprint.encoded`). */
export function readBlueprint(file: ParsedFile, document: YamlDocument, node: YAMLMap, encoded = false): Blueprint {
  const entries = entryNodes(field(node, "entries")).map(
    (entry, index): BlueprintEntry => {
      const conditions = field(entry, "conditions");
      return {
        index,
        node: entry,
        model: namedField(entry, "model"),
        id: namedField(entry, "id"),
        state: namedField(entry, "state"),
        identifiers: mapField(entry, "identifiers"),
        attrs: mapField(entry, "attrs"),
        conditions: isSeq(conditions) ? conditions : undefined,
      };
    },
  );
  const ids = new Map<string, BlueprintEntry[]>();
  for (const entry of entries) {
    if (!entry.id) continue;
    const list = ids.get(entry.id.value);
    if (list) list.push(entry);
    else ids.set(entry.id.value, [entry]);
  }
  const embedded = document.embeddedIn;
  const holderName = embedded ? namedField(field(embedded.holder, "metadata"), "name") : undefined;
  const holder = embedded && holderName ? { name: holderName.value, key: embedded.key } : undefined;
  return {
    kind: "Blueprint",
    file,
    document,
    node,
    name: namedField(field(node, "metadata"), "name"),
    entries,
    tags: document.tags,
    ids,
    configMap: embedded?.kind === "ConfigMap" ? holder : undefined,
    secret: embedded?.kind === "Secret" ? holder : undefined,
    encoded,
  };
}

/**
 * A blueprint value filled in before authentik reads it: a template (`isTemplated`) or Python's
 * `%(name)s`, as authentik's own test fixtures are rendered.
 */
export function isFilledInLater(value: string): boolean {
  return isTemplated(value) || /%\(\w+\)[sdr]/u.test(value);
}

/** The node behind an alias; the node itself otherwise. */
export function resolveAlias(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/**
 * The fields of a mapping as PyYAML (authentik's loader) reads them: `<<: *anchor` and
 * `<<: [*a, *b]` merge the anchored mappings in, written keys first, then each merged mapping in
 * order, the first one to set a key winning.
 */
export function mappingFields(map: YAMLMap, doc: Document): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  const merged: unknown[] = [];
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (key === "<<") {
      const source = resolveAlias(pair.value, doc);
      if (isSeq(source)) merged.push(...source.items.map((item) => resolveAlias(item, doc)));
      else merged.push(source);
    } else if (typeof key === "string" || typeof key === "number") {
      fields.set(String(key), resolveAlias(pair.value, doc));
    }
  }
  for (const source of merged) {
    if (!isMap(source)) continue;
    for (const [key, value] of mappingFields(source, doc)) if (!fields.has(key)) fields.set(key, value);
  }
  return fields;
}

/**
 * An entry's `attrs` and `identifiers` mappings, in the order authentik merges them (identifiers
 * win), through an alias where one is written (`attrs: *defaults`).
 */
export function entryMappings(entry: BlueprintEntry, doc: Document): YAMLMap[] {
  return ["attrs", "identifiers"].flatMap((key) => {
    const node = resolveAlias(entry.node.get(key, true), doc);
    return isMap(node) && !isAuthentikTag(node.tag) ? [node] : [];
  });
}
