/**
 * Builds a repo index from in-memory files, as the engine does from discovered ones, and reads
 * the values of typed views back as plain strings for exact comparisons.
 */
import { RepoIndex } from "../../src/index/index.ts";
import type { Named } from "../../src/index/model.ts";
import { parseFile } from "../../src/parse/index.ts";

/** Removes the indentation common to every non-blank line, so fixtures can be indented; backslashes are kept as written. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.raw.reduce((out, part, index) => out + part + (index < values.length ? String(values[index]) : ""), "");
  const lines = raw.replace(/^\n/u, "").replace(/\n[ \t]*$/u, "\n").split("\n");
  const indents = lines.filter((line) => line.trim() !== "").map((line) => line.length - line.trimStart().length);
  const indent = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(indent)).join("\n");
}

export function buildIndex(files: ReadonlyArray<readonly [string, string]>): RepoIndex {
  return new RepoIndex(
    files.map(([relPath, text]) =>
      parseFile({ path: "/repo/" + relPath, relPath, kind: relPath.endsWith(".j2") ? "template" : "yaml" }, text),
    ),
  );
}

/** The values of named items; undefined items stay visible as undefined. */
export function values(items: ReadonlyArray<Named | undefined>): Array<string | undefined> {
  return items.map((item) => item?.value);
}
