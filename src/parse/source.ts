/**
 * Offset → line:column for a file, and for text embedded in it.
 *
 * A blueprint kept as a block scalar in a ConfigMap is parsed as a YAML text of its own; every
 * offset in that inner text maps back to an offset of the outer file, so that messages, code
 * frames and fixes always speak of the file on disk.
 */
import type { Position, SourceLocation, SourceRange } from "../types.ts";

/** Start offsets of each line of `text` (a line ends after "\n"; "\r\n" counts as one break). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  let index = text.indexOf("\n");
  while (index !== -1) {
    starts.push(index + 1);
    index = text.indexOf("\n", index + 1);
  }
  return starts;
}

/** Index of the last line starting at or before `offset`. */
function lineIndexAt(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The end of `text[start, end)` without its trailing whitespace (a block collection's range runs past its last line break). */
export function trimEnd(text: string, start: number, end: number): number {
  let trimmed = end;
  while (trimmed > start && /\s/u.test(text[trimmed - 1] ?? "")) trimmed--;
  return trimmed;
}

/** Maps offsets of a parsed text to positions and offsets of the file on disk. */
export interface SourceMapper {
  /** The text that was parsed. */
  readonly text: string;
  /** 1-based position in the file on disk. */
  position(offset: number): Position;
  /** Offset in the file on disk. */
  fileOffset(offset: number): number;
}

export function locationOf(mapper: SourceMapper, range: SourceRange): SourceLocation {
  return { start: mapper.position(range[0]), end: mapper.position(range[1]) };
}

/** A whole file: offsets are file offsets. */
export class FileSource implements SourceMapper {
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = lineStartsOf(text);
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const index = lineIndexAt(this.lineStarts, clamped);
    return { line: index + 1, column: clamped - this.lineStarts[index]! + 1 };
  }

  fileOffset(offset: number): number {
    return offset;
  }

  /** The text of 1-based `line`, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    const raw = this.text.slice(start, end);
    return raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  }
}

/**
 * The body of a literal block scalar, re-assembled from the outer file's lines with the block
 * indentation removed. Each inner line is one outer line shifted right by `indent` columns, so
 * positions map exactly, whatever the chomping indicator and line endings.
 */
export class EmbeddedSource implements SourceMapper {
  private readonly innerLineStarts: number[];

  constructor(
    readonly text: string,
    private readonly outer: FileSource,
    /** 0-based outer line index of the first body line. */
    private readonly firstLine: number,
    private readonly indent: number,
  ) {
    this.innerLineStarts = lineStartsOf(text);
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const index = lineIndexAt(this.innerLineStarts, clamped);
    const column = clamped - this.innerLineStarts[index]!;
    return { line: this.firstLine + index + 1, column: this.columnOffset(index, column) + 1 };
  }

  fileOffset(offset: number): number {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const index = lineIndexAt(this.innerLineStarts, clamped);
    const column = clamped - this.innerLineStarts[index]!;
    return this.outer.lineStarts[this.firstLine + index]! + this.columnOffset(index, column);
  }

  /** Blank body lines may be shorter than the indentation: never map past their real end. */
  private columnOffset(innerLine: number, column: number): number {
    const outerLine = this.outer.lineText(this.firstLine + innerLine + 1);
    return Math.min(this.indent + column, Math.max(outerLine.length, column));
  }

  /**
   * Rebuilds the body of the literal block scalar whose header (`|`, `|-`, `|+`, `|2`, …) ends on
   * 0-based outer line `headerLine`. `parentIndent` is the indentation of the node that owns the
   * scalar (the mapping key's column), needed only for an explicit indentation indicator.
   * Returns undefined when the body is not a plain literal block this mapper can follow.
   */
  static fromBlockScalar(
    outer: FileSource,
    header: string,
    headerLine: number,
    parentIndent: number,
    bodyEndOffset: number,
  ): EmbeddedSource | undefined {
    const indicator = /^\|([1-9])?[-+]?([1-9])?\s*(#.*)?$/.exec(header.trim());
    if (!indicator) return undefined;
    const explicit = indicator[1] ?? indicator[2];
    const firstLine = headerLine + 1;
    const lastLine = lineIndexAt(outer.lineStarts, Math.max(bodyEndOffset - 1, 0));
    let indent = explicit === undefined ? -1 : parentIndent + Number(explicit);
    const lines: string[] = [];
    for (let index = firstLine; index <= lastLine; index++) {
      const line = outer.lineText(index + 1);
      if (indent < 0 && line.trim() !== "") indent = line.length - line.trimStart().length;
      lines.push(line);
    }
    if (indent < 0) indent = 0;
    const body = lines.map((line) => line.slice(indent)).join("\n");
    return new EmbeddedSource(body, outer, firstLine, indent);
  }
}
