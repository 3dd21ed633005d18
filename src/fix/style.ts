/**
 * Writing into a YAML file the way its author writes. A fix inserts an entry next to its
 * siblings, and the entry should read as if the same hand had written it: these are pure
 * functions of the file's text and the file offsets of the nodes a fix writes next to, returning
 * an offset and the text to insert there. Nothing is re-serialised, so every byte outside the
 * insertion stays as it was.
 *
 * Learned from the file, nearest evidence first (the sibling's own lines, then the whole text):
 * the line break, the indentation of nested mappings, of a block sequence under its key and after
 * a dash, block or flow style (of the sequence, of its items, `{ a: b }` padding), the quoting of
 * values, blank lines between siblings; and names, spelled by analogy with a sibling's
 * (`AUTHENTIK_GRAFANA_CLIENT_SECRET` is to `grafana-client-secret` as
 * `AUTHENTIK_ZOT_CLIENT_SECRET` is to `zot-client-secret`).
 */
import { parse } from "yaml";
import { trimEnd } from "../parse/source.ts";
import type { SourceRange } from "../types.ts";

/** A value to write: a string scalar, a sequence, or a mapping (keys in insertion order). */
export type YamlValue = string | readonly YamlValue[] | YamlMapping;
export interface YamlMapping {
  readonly [key: string]: YamlValue;
}

/** Text to insert at a file offset. */
export interface Insertion {
  offset: number;
  text: string;
}

/** Text to put in place of a file range. */
export interface Replacement {
  range: SourceRange;
  text: string;
}

export type LineBreak = "\n" | "\r\n";

/** How the file quotes string values. */
export interface Quoting {
  /** Values are quoted even where a plain scalar would read the same. */
  always: boolean;
  /** The quote used where one is needed (or always). */
  mark: '"' | "'";
}

export interface Layout {
  lineBreak: LineBreak;
  /** Columns a nested mapping is indented by, relative to its key. */
  indent: number;
  /** Columns a block sequence's dash is indented by, relative to its key (0: `key:\n- a`). */
  sequenceIndent: number;
  /** Columns from a dash to its item's content (`- a` → 2, `-   a` → 4). */
  dashWidth: number;
  quoting: Quoting;
  /** Spaces inside flow braces and brackets (`{ a: b }` → " "). */
  flowPadding: string;
}

// ── Lines ──────────────────────────────────────────────────────────────────────────────────────

/** The file's line break: `\r\n` when its first line ends with one. */
export function lineBreakOf(text: string): LineBreak {
  const index = text.indexOf("\n");
  return index > 0 && text[index - 1] === "\r" ? "\r\n" : "\n";
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** The end of the line holding `offset`, before its line break. */
export function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf("\n", offset);
  const end = newline === -1 ? text.length : newline;
  return end > 0 && text[end - 1] === "\r" ? end - 1 : end;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function indentationOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The offset just past the last non-blank character of a range. */
function contentEnd(text: string, range: SourceRange): number {
  return trimEnd(text, range[0], range[1]);
}

/** The offset of the last non-blank character before `offset`, or -1. */
function previousToken(text: string, offset: number): number {
  let index = offset - 1;
  while (index >= 0 && /\s/u.test(text[index] ?? "")) index--;
  return index;
}

const spaces = (count: number): string => " ".repeat(Math.max(0, count));

/** A line without its line break and trailing comment (a `#` after a space, outside quotes). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === "#" && (index === 0 || /\s/u.test(line[index - 1] ?? ""))) {
      return line.slice(0, index).trimEnd();
    }
  }
  return line.trimEnd();
}

/** Whether a blank line separates the end of `previous` from the line where `next` starts. */
function blankLineBetween(text: string, previous: SourceRange, next: number): boolean {
  const from = lineEnd(text, contentEnd(text, previous));
  const to = lineStart(text, next);
  if (to <= from) return false;
  return text
    .slice(from, to)
    .split("\n")
    .slice(1, -1)
    .some((line) => line.trim() === "");
}

/**
 * The comment lines directly above the line where `range` starts, at that line's indentation
 * and with no blank line between (each without its `#` and one space): the comment a sibling
 * entry carries, as `# OAuth2 provider for Grafana` above a provider.
 */
export function leadingComment(text: string, range: SourceRange): string[] {
  const start = lineStart(text, range[0]);
  const indentation = indentationOf(text.slice(start, lineEnd(text, start)));
  const comments: string[] = [];
  let cursor = start;
  while (cursor > 0) {
    const previous = lineStart(text, cursor - 1);
    const line = text.slice(previous, lineEnd(text, previous));
    if (!line.trimStart().startsWith("#") || indentationOf(line) !== indentation) break;
    comments.unshift(line.trim().replace(/^#+ ?/u, ""));
    cursor = previous;
  }
  return comments;
}

// ── Learning the layout ────────────────────────────────────────────────────────────────────────

interface Evidence {
  indent: number[];
  sequenceIndent: number[];
  dashWidth: number[];
  /** Quoted values that did not need it (true) and plain values (false). */
  quotedAlways: boolean[];
  marks: Array<'"' | "'">;
  padding: string[];
}

function collect(lines: readonly string[]): Evidence {
  const evidence: Evidence = { indent: [], sequenceIndent: [], dashWidth: [], quotedAlways: [], marks: [], padding: [] };
  let opener: number | undefined;
  for (const raw of lines) {
    const line = withoutComment(raw.endsWith("\r") ? raw.slice(0, -1) : raw);
    if (line.trim() === "") continue;
    let column = indentationOf(line);
    let content = line.slice(column);
    if (opener !== undefined) {
      (content.startsWith("-") ? evidence.sequenceIndent : evidence.indent).push(column - opener);
      opener = undefined;
    }
    for (let dash = /^-( +)(?=\S)/u.exec(content); dash; dash = /^-( +)(?=\S)/u.exec(content)) {
      evidence.dashWidth.push(dash[0].length);
      column += dash[0].length;
      content = content.slice(dash[0].length);
    }
    if (/^[^\s"'{[#&*!|>-][^:]*:$/u.test(content) || /^"[^"]*":$|^'[^']*':$/u.test(content)) opener = column;
    collectValues(content, evidence);
  }
  return evidence;
}

/** Quoting and flow padding of the values on one line (after any dashes). */
function collectValues(content: string, evidence: Evidence): void {
  for (const match of content.matchAll(/(?:^|:[ \t]+|[[{,][ \t]*)(["'])/gu)) {
    const mark = match[1] as '"' | "'";
    const start = match.index + match[0].length;
    const end = mark === '"' ? content.slice(start).search(/(?<!\\)"/u) : content.slice(start).search(/'(?!')/u);
    if (end === -1) continue;
    const body = content.slice(start, start + end);
    let value: string;
    try {
      value = mark === '"' ? (JSON.parse(`"${body}"`) as string) : body.replaceAll("''", "'");
    } catch {
      continue;
    }
    evidence.marks.push(mark);
    if (isPlainSafe(value, /[[{]/u.test(content))) evidence.quotedAlways.push(true);
  }
  for (const match of content.matchAll(/(?:^[^\s"'{[#&*!|>,-][^:]*:|[{,][ \t]*[^\s"'{[,:]+:)[ \t]+([^\s"'|>{[&*!#])/gu)) {
    if (match[1]) evidence.quotedAlways.push(false);
  }
  for (const match of content.matchAll(/[{[]( ?)(?=[^\s}\]])/gu)) evidence.padding.push(match[1] ?? "");
}

/** The most frequent sample, the first seen on a tie. */
function mostFrequent<T>(samples: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  let best: T | undefined;
  for (const sample of samples) {
    const count = (counts.get(sample) ?? 0) + 1;
    counts.set(sample, count);
    if (best === undefined || count > (counts.get(best) ?? 0)) best = sample;
  }
  return best;
}

/**
 * The layout of `text`, learned from the lines of `near` (the sibling a fix writes next to)
 * where they show it, else from the whole text, else YAML's usual two spaces and plain values.
 */
export function learnLayout(text: string, near?: SourceRange): Layout {
  const local = near ? collect(text.slice(lineStart(text, near[0]), lineEnd(text, contentEnd(text, near))).split("\n")) : undefined;
  let whole: Evidence | undefined;
  const pick = <T>(select: (evidence: Evidence) => readonly T[]): T | undefined =>
    mostFrequent(local && select(local).length > 0 ? select(local) : select((whole ??= collect(text.split("\n")))));
  const indent = pick((evidence) => evidence.indent.filter((value) => value > 0)) ?? 2;
  return {
    lineBreak: lineBreakOf(text),
    indent,
    sequenceIndent: pick((evidence) => evidence.sequenceIndent.filter((value) => value >= 0)) ?? indent,
    dashWidth: pick((evidence) => evidence.dashWidth) ?? 2,
    quoting: { always: pick((evidence) => evidence.quotedAlways) ?? false, mark: pick((evidence) => evidence.marks) ?? '"' },
    flowPadding: pick((evidence) => evidence.padding) ?? "",
  };
}

// ── Writing values ─────────────────────────────────────────────────────────────────────────────

// YAML 1.1 readers (Kubernetes' sigs.k8s.io/yaml, Ansible) take these plain scalars as booleans.
const yaml11Booleans = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/u;

/** Whether `value` reads back as the same string when written without quotes, in YAML 1.1 and 1.2. */
export function isPlainSafe(value: string, flow: boolean): boolean {
  if (value === "" || value !== value.trim() || /[\r\n\t]/u.test(value)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/u.test(value) || /: |:$| #/u.test(value) || yaml11Booleans.test(value)) return false;
  if (flow && /[,[\]{}]/u.test(value)) return false;
  try {
    return parse(value, { version: "1.2" }) === value && parse(value, { version: "1.1" }) === value;
  } catch {
    return false;
  }
}

function quoted(value: string, mark: '"' | "'"): string {
  return mark === "'" && !/[\r\n\t\\]/u.test(value) ? `'${value.replaceAll("'", "''")}'` : JSON.stringify(value);
}

function scalar(value: string, layout: Layout, flow: boolean): string {
  return !layout.quoting.always && isPlainSafe(value, flow) ? value : quoted(value, layout.quoting.mark);
}

function keyText(key: string, flow: boolean): string {
  return isPlainSafe(key, flow) ? key : JSON.stringify(key);
}

function isSequence(value: YamlValue): value is readonly YamlValue[] {
  return Array.isArray(value);
}

/** A multi-line string as a literal block (`|`, `|-`, `|+`) indented at `column`. */
function literalBlock(value: string, column: number, layout: Layout): string | undefined {
  const body = value.replace(/\n+$/u, "");
  const trailing = value.length - body.length;
  if (/^[ \t]/u.test(body) || /\r/u.test(body)) return undefined;
  const header = trailing === 0 ? "|-" : trailing === 1 ? "|" : "|+";
  const lines = [...body.split("\n"), ...Array.from({ length: Math.max(0, trailing - 1) }, () => "")];
  return header + lines.map((line) => layout.lineBreak + (line === "" ? "" : spaces(column) + line)).join("");
}

/** A value in flow style: `{name: A, value: b}`. */
function flowText(value: YamlValue, layout: Layout): string {
  const pad = layout.flowPadding;
  if (typeof value === "string") return scalar(value, layout, true);
  if (isSequence(value)) return value.length === 0 ? "[]" : `[${pad}${value.map((item) => flowText(item, layout)).join(", ")}${pad}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  return `{${pad}${entries.map(([key, item]) => `${keyText(key, true)}: ${flowText(item, layout)}`).join(", ")}${pad}}`;
}

/** The text that follows `key:` for `value`, the key at `column`. */
function afterKey(value: YamlValue, column: number, layout: Layout): string {
  const br = layout.lineBreak;
  if (typeof value === "string") {
    const block = value.includes("\n") ? literalBlock(value, column + layout.indent, layout) : undefined;
    return ` ${block ?? scalar(value, layout, false)}`;
  }
  if (isSequence(value)) {
    if (value.length === 0) return " []";
    const dash = column + layout.sequenceIndent;
    return value.map((item) => `${br}${spaces(dash)}-${afterDash(item, dash, layout)}`).join("");
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return " {}";
  const inner = column + layout.indent;
  return entries.map(([key, item]) => `${br}${spaces(inner)}${keyText(key, false)}:${afterKey(item, inner, layout)}`).join("");
}

/** The text that follows a dash at `column` for `value`. */
function afterDash(value: YamlValue, column: number, layout: Layout): string {
  const br = layout.lineBreak;
  const inner = column + layout.dashWidth;
  const pad = spaces(layout.dashWidth - 1);
  if (typeof value === "string") {
    const block = value.includes("\n") ? literalBlock(value, inner, layout) : undefined;
    return pad + (block ?? scalar(value, layout, false));
  }
  if (isSequence(value)) {
    if (value.length === 0) return `${pad}[]`;
    return value.map((item, index) => `${index === 0 ? pad : br + spaces(inner)}-${afterDash(item, inner, layout)}`).join("");
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return `${pad}{}`;
  return entries
    .map(([key, item], index) => `${index === 0 ? pad : br + spaces(inner)}${keyText(key, false)}:${afterKey(item, inner, layout)}`)
    .join("");
}

function commentLines(comment: readonly string[] | undefined, column: number, br: LineBreak): string {
  return (comment ?? []).map((line) => `${spaces(column)}#${line === "" ? "" : ` ${line}`}${br}`).join("");
}

export interface InsertOptions {
  /** The sibling before the anchor: a blank line between the two asks for one before the new entry. */
  previous?: SourceRange;
  /** Comment lines to write above the new entry (block style only), e.g. learned with `leadingComment`. */
  comment?: readonly string[];
}

/**
 * A new item of the sequence holding `anchor` (an item's range), right after it: in a block
 * sequence on its own lines at the anchor's dash column, in the anchor's style (a flow mapping
 * item stays a flow mapping); in a flow sequence after a comma, on a line of its own where the
 * items are.
 */
export function sequenceItemAfter(text: string, anchor: SourceRange, value: YamlValue, options: InsertOptions = {}): Insertion {
  const layout = learnLayout(text, anchor);
  const br = layout.lineBreak;
  const before = previousToken(text, anchor[0]);
  const end = contentEnd(text, anchor);
  if (text[before] === "-") {
    const dash = columnOf(text, before);
    const sameLine = !text.slice(before, anchor[0]).includes("\n");
    const itemLayout: Layout = sameLine ? { ...layout, dashWidth: anchor[0] - before } : layout;
    const flowItem = text[anchor[0]] === "{" || text[anchor[0]] === "[";
    const item = flowItem ? spaces(itemLayout.dashWidth - 1) + flowText(value, itemLayout) : afterDash(value, dash, itemLayout);
    const blank = options.previous && blankLineBetween(text, options.previous, before) ? br : "";
    return { offset: lineEnd(text, end), text: `${br}${blank}${commentLines(options.comment, dash, br)}${spaces(dash)}-${item}` };
  }
  return { offset: end, text: flowContinuation(text, before, anchor, flowText(value, layout), br) };
}

/**
 * A new `key: value` entry of the mapping holding `anchor` (from an entry's key to the end of
 * its value), right after it, at the anchor's key column; after a comma in a flow mapping.
 */
export function mappingEntryAfter(text: string, anchor: SourceRange, key: string, value: YamlValue, options: InsertOptions = {}): Insertion {
  const layout = learnLayout(text, anchor);
  const br = layout.lineBreak;
  const before = previousToken(text, anchor[0]);
  const end = contentEnd(text, anchor);
  if (text[before] === "{" || text[before] === ",") {
    return { offset: end, text: flowContinuation(text, before, anchor, `${keyText(key, true)}: ${flowText(value, layout)}`, br) };
  }
  const column = columnOf(text, anchor[0]);
  const blank = options.previous && blankLineBetween(text, options.previous, anchor[0]) ? br : "";
  return {
    offset: lineEnd(text, end),
    text: `${br}${blank}${commentLines(options.comment, column, br)}${spaces(column)}${keyText(key, false)}:${afterKey(value, column, layout)}`,
  };
}

/** `, entry` after a flow item: on a new line at the item's indentation when items have lines of their own. */
function flowContinuation(text: string, before: number, anchor: SourceRange, entry: string, br: LineBreak): string {
  if (text.slice(before + 1, anchor[0]).includes("\n")) {
    const start = lineStart(text, anchor[0]);
    return `,${br}${spaces(indentationOf(text.slice(start, lineEnd(text, start))))}${entry}`;
  }
  const gap = text[before] === "," ? text.slice(before + 1, anchor[0]) : " ";
  return `,${gap}${entry}`;
}

/** A scalar written anew in place, keeping its quotes (a plain one is quoted only if it must be). */
export function replaceScalar(text: string, range: SourceRange, value: string): Replacement {
  const mark = text[range[0]];
  const flow = ["{", "[", ","].includes(text[previousToken(text, range[0])] ?? "");
  const written = mark === '"' || mark === "'" ? quoted(value, mark) : isPlainSafe(value, flow) ? value : JSON.stringify(value);
  return { range, text: written };
}

// ── Names ──────────────────────────────────────────────────────────────────────────────────────

/** The words of a name: split at `-`, `_`, `.`, `/`, spaces and lower-to-upper case changes. */
export function wordsOf(name: string): string[] {
  return name
    .split(/[^A-Za-z0-9]+/u)
    .flatMap((part) => part.split(/(?<=[a-z0-9])(?=[A-Z])/u))
    .filter((word) => word !== "");
}

/** The words two names share at their start and at their end (ignoring case), not overlapping. */
function sharedEnds(a: readonly string[], b: readonly string[]): { prefix: number; suffix: number } {
  const same = (x: string | undefined, y: string | undefined) => x !== undefined && y !== undefined && x.toLowerCase() === y.toLowerCase();
  const shortest = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < shortest && same(a[prefix], b[prefix])) prefix++;
  let suffix = 0;
  while (prefix + suffix < shortest && same(a[a.length - 1 - suffix], b[b.length - 1 - suffix])) suffix++;
  return { prefix, suffix };
}

/** How many words two names share at their start and end: the closer siblings share more. */
export function sharedWords(a: string, b: string): number {
  const { prefix, suffix } = sharedEnds(wordsOf(a), wordsOf(b));
  return prefix + suffix;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** `words` spelt as `found` spells the words it stands for (case and separator). */
function spellLike(words: readonly string[], found: string, separator: string): string {
  const letters = found.replace(/[^A-Za-z]/gu, "");
  if (letters === letters.toUpperCase()) return words.map((word) => word.toUpperCase()).join(separator);
  if (letters === letters.toLowerCase()) return words.map((word) => word.toLowerCase()).join(separator);
  if (/^[a-z]/u.test(found)) return words.map((word, index) => (index === 0 ? word.toLowerCase() : capitalised(word))).join("");
  return words.map(capitalised).join(separator);
}

/**
 * `text` with every occurrence of the words `from` (whole words, in any case, with any one
 * separator between them) spelt as `to` in the case and with the separator of that occurrence;
 * undefined when `from` does not occur. `# OAuth2 provider for Grafana` with `[GRAFANA]` →
 * `[HOME, ASSISTANT]` gives `# OAuth2 provider for Home Assistant`.
 */
export function respell(text: string, from: readonly string[], to: readonly string[]): string | undefined {
  if (from.length === 0 || to.length === 0) return undefined;
  const pattern = new RegExp(`(?<![A-Za-z0-9])${from.map(escapeRegExp).join("([-_. /]?)")}(?![A-Za-z0-9])`, "giu");
  let found = false;
  const result = text.replace(pattern, (match: string, ...rest: unknown[]) => {
    found = true;
    const offset = rest[from.length - 1] as number;
    const between = from.length > 1 ? (rest[0] as string) : undefined;
    // A dot or slash beside a word ends a name (`grafana.example.org`) rather than joining words.
    const beside = /[-_ ]/u.exec(`${text[offset - 1] ?? ""}${text[offset + match.length] ?? ""}`)?.[0];
    const letters = match.replace(/[^A-Za-z]/gu, "");
    const usual = letters === letters.toUpperCase() ? "_" : letters === letters.toLowerCase() ? "-" : " ";
    return spellLike(to, match, between ?? beside ?? usual);
  });
  return found ? result : undefined;
}

/**
 * By analogy with a sibling: `example` is to `exampleValue` as `name` is to the result. The words
 * where the two names differ (`GRAFANA` and `ZOT` in `AUTHENTIK_GRAFANA_CLIENT_SECRET` and
 * `AUTHENTIK_ZOT_CLIENT_SECRET`) are respelt in `exampleValue` (`grafana-client-secret` →
 * `zot-client-secret`). Undefined when the names share no word, differ only by added words, or
 * `exampleValue` does not hold the differing words: then the sibling shows no pattern.
 */
export function byAnalogy(example: string, exampleValue: string, name: string): string | undefined {
  const from = wordsOf(example);
  const to = wordsOf(name);
  const { prefix, suffix } = sharedEnds(from, to);
  if (prefix + suffix === 0) return undefined;
  return respell(exampleValue, from.slice(prefix, from.length - suffix), to.slice(prefix, to.length - suffix));
}
