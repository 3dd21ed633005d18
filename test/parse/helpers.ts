/**
 * Reads parse results back as plain values for exact comparisons: a range as the text it covers
 * in the file on disk and its 1-based start and end, so a test states what a user would see.
 */
import { expect } from "bun:test";
import { isScalar, visit, type Scalar } from "yaml";
import type { SourceMapper } from "../../src/parse/source.ts";
import { parseYaml, type ParsedYaml, type YamlDocument } from "../../src/parse/yaml.ts";
import type { Position, SourceRange } from "../../src/types.ts";

/** Joins lines with `eol`, ending the last one too, so a fixture's line numbers are its array's. */
export function lines(eol: "\n" | "\r\n", ...text: string[]): string {
  return text.join(eol) + eol;
}

export interface Mapped {
  /** The file's text between the mapped start and end offsets. */
  text: string;
  start: Position;
  end: Position;
}

/** `range` is a SourceRange or a `yaml` node's `[start, valueEnd, nodeEnd]`. */
export function mapped(file: string, source: SourceMapper, range: SourceRange | readonly [number, number, number]): Mapped {
  return {
    text: file.slice(source.fileOffset(range[0]), source.fileOffset(range[1])),
    start: source.position(range[0]),
    end: source.position(range[1]),
  };
}

/** Parses a YAML 1.2 file that must have no problem. */
export function parseClean(file: string): ParsedYaml {
  const parsed = parseYaml(file, "1.2");
  expect(parsed.problems).toEqual([]);
  return parsed;
}

/** Each authentik tag of an embedded blueprint, mapped to the outer file. */
export function mappedTags(file: string, document: YamlDocument): Array<{ tag: string } & Mapped> {
  return document.tags.map((tag) => ({ tag: tag.tag, ...mapped(file, document.source, tag.range) }));
}

/** The first scalar of `document` whose value is `value`. */
export function scalarOf(document: YamlDocument, value: unknown): Scalar {
  let found: Scalar | undefined;
  visit(document.doc, {
    Scalar(_key, node) {
      if (node.value !== value) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  if (!found) throw new Error(`no scalar ${JSON.stringify(value)}`);
  return found;
}

/**
 * Every plain scalar of an embedded document, read back from the outer file through both
 * `fileOffset` and `position`: each must be the scalar's own source text.
 */
export function misplacedScalars(file: string, document: YamlDocument): string[] {
  const fileLines = file.split(/\r?\n/u);
  const wrong: string[] = [];
  visit(document.doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || node.type !== "PLAIN" || !node.range || node.source === undefined) return;
      const source = String(node.source);
      const { text, start } = mapped(file, document.source, [node.range[0], node.range[0] + source.length]);
      const atPosition = (fileLines[start.line - 1] ?? "").slice(start.column - 1, start.column - 1 + source.length);
      if (text !== source || atPosition !== source) wrong.push(`${source} → ${JSON.stringify(text)} / ${JSON.stringify(atPosition)}`);
    },
  });
  return wrong;
}
