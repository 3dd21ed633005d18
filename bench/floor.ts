/**
 * The parse floor: the least work any linter of these repos must do. It discovers files as the
 * CLI does, reads every YAML file, parses it with `yaml`'s plain Document API (no custom tags:
 * authentik's tags only warn), and parses each ConfigMap `data:` value that holds a blueprint as
 * a document of its own. Nothing else: no positions mapped, no index, no rules, no output.
 *
 * Usage: bun bench/floor.ts <dir>
 */
import { isMap, isScalar, parseAllDocuments, parseDocument } from "yaml";
import { discover } from "../src/discover.ts";

/** The same cheap test the loader applies before parsing a `data:` value. */
function holdsBlueprint(text: string): boolean {
  return text.includes("entries:") && text.includes("version:");
}

export async function floor(dir: string): Promise<{ files: number; documents: number; blueprints: number }> {
  const { files } = await discover([dir], { cwd: process.cwd() });
  let documents = 0;
  let blueprints = 0;
  for (const file of files) {
    if (file.kind !== "yaml") continue;
    const text = await Bun.file(file.path).text();
    for (const document of parseAllDocuments(text)) {
      documents++;
      const contents = document.contents;
      if (!isMap(contents)) continue;
      const kind: unknown = contents.get("kind");
      if (kind !== "ConfigMap") continue;
      const data: unknown = contents.get("data", true);
      if (!isMap(data)) continue;
      for (const { value } of data.items) {
        if (!isScalar(value) || typeof value.value !== "string" || !holdsBlueprint(value.value)) continue;
        parseDocument(value.value);
        blueprints++;
      }
    }
  }
  return { files: files.length, documents, blueprints };
}

if (import.meta.main) {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write("usage: bun bench/floor.ts <dir>\n");
    process.exit(2);
  }
  const counts = await floor(dir);
  if (process.argv.includes("--verbose")) process.stdout.write(`${JSON.stringify(counts)}\n`);
}
