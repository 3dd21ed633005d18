/**
 * Blueprint documents → typed views. A blueprint is recognised by content (`isBlueprintDocument`),
 * wherever it is kept (a file of its own or a ConfigMap `data:` key).
 */
import { isMap, isSeq, type YAMLMap } from "yaml";
import type { ParsedFile } from "../parse/index.ts";
import type { YamlDocument } from "../parse/yaml.ts";
import type { Blueprint, BlueprintEntry } from "./model.ts";
import { field, mapField, namedField } from "./read.ts";

/**
 * Entries in the order authentik applies them: `entries` is a list, or (authentik 2025.2+) a
 * mapping of lists applied one list after another.
 */
function entryNodes(entries: unknown): YAMLMap[] {
  if (isSeq(entries)) return entries.items.filter((item): item is YAMLMap => isMap(item));
  if (isMap(entries)) return entries.items.flatMap((pair) => entryNodes(pair.value));
  return [];
}

export function readBlueprint(file: ParsedFile, document: YamlDocument, node: YAMLMap): Blueprint {
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
  const configMapName = embedded ? namedField(field(embedded.configMap, "metadata"), "name") : undefined;
  return {
    kind: "Blueprint",
    file,
    document,
    node,
    name: namedField(field(node, "metadata"), "name"),
    entries,
    tags: document.tags,
    ids,
    configMap: embedded && configMapName ? { name: configMapName.value, key: embedded.key } : undefined,
  };
}
