/**
 * Inline directives, as ESLint's `eslint-disable` comments:
 *
 *     # gitops-lint-disable-next-line rule-a, rule-b -- reason
 *     key: value  # gitops-lint-disable-line rule-a
 *     # gitops-lint-disable rule-a        (until `# gitops-lint-enable rule-a`, or the end of the file)
 *     # gitops-lint-disable-file rule-a   (the whole file, wherever it is written)
 *
 * No rule ids means every rule; `-- …` is a reason and is ignored. A `# gitops-lint-disable`
 * written before any content also covers the whole file (as `/* eslint-disable *\/` at the top of
 * a script does). In `.j2` templates the same words are written in Jinja comments:
 * `{# gitops-lint-disable-next-line ansible/op-reference -- reason #}`.
 *
 * YAML comments are found in the file's text: a `#` at the start of a line or after a blank
 * that is not inside a scalar (quoted, plain or block) of a parsed document. The block scalars
 * holding ConfigMap-embedded blueprints are YAML themselves, so their comments count too, at the
 * outer file's lines. Suppression is by line; fatal messages are never suppressed.
 */
import { isScalar, visit } from "yaml";
import type { ParsedFile } from "./parse/index.ts";
import type { LintMessage, Severity } from "./types.ts";

export type DirectiveKind = "disable" | "enable" | "disable-line" | "disable-next-line" | "disable-file";

export interface Directive {
  kind: DirectiveKind;
  /** Rule ids as written; empty: every rule. */
  rules: string[];
  reason?: string;
  /** 1-based position of the comment's start (`#` or `{#`) and end. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** A `disable` written before any content: it covers the file from line 1. */
  wholeFile?: true;
}

const directivePattern = /^gitops-lint-(disable-next-line|disable-line|disable-file|disable|enable)(?=\s|$)([\s\S]*)$/u;

/**
 * What follows a directive's name, as ESLint reads it: the rule list and, after `--` between
 * blanks, a justification (trimmed; "" when there is none).
 */
export function splitJustification(afterName: string): { list: string; justification: string } {
  const rest = ` ${afterName}`;
  const separator = /\s-{2,}\s/u.exec(`${rest} `);
  if (!separator) return { list: rest, justification: "" };
  return { list: rest.slice(0, separator.index), justification: rest.slice(separator.index + separator[0].length).trim() };
}

/** Parses a comment's body (without `#` or `{# #}`); undefined when it is no directive. */
export function parseDirectiveComment(body: string): Pick<Directive, "kind" | "rules" | "reason"> | undefined {
  const match = directivePattern.exec(body.trim());
  if (!match) return undefined;
  const { list, justification: reason } = splitJustification(match[2]!);
  const rules = list.split(",").map((id) => id.trim()).filter((id) => id !== "");
  return { kind: match[1] as DirectiveKind, rules, ...(reason !== "" ? { reason } : {}) };
}

/** File offset ranges `[start, end)` of every scalar, except the block scalars that hold embedded blueprints. */
function scalarRanges(file: ParsedFile): Array<[number, number]> {
  const blueprintValues = new Set(file.embedded.map((document) => document.embeddedIn?.valueNode));
  const ranges: Array<[number, number]> = [];
  for (const document of [...file.documents, ...file.embedded]) {
    visit(document.doc, {
      Scalar(_key, node) {
        if (!isScalar(node) || !node.range || blueprintValues.has(node)) return;
        ranges.push([document.source.fileOffset(node.range[0]), document.source.fileOffset(node.range[1])]);
      },
    });
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

function insideAny(ranges: ReadonlyArray<[number, number]>, offset: number): boolean {
  // Ranges are few per line of interest; a linear scan over the sorted list stops early.
  for (const [start, end] of ranges) {
    if (start > offset) return false;
    if (offset < end) return true;
  }
  return false;
}

/** A comment of a file: a YAML `#` comment, or a Jinja `{# … #}` comment in a `.j2` template. */
export interface Comment {
  /** File offsets of the comment's start (`#` or `{#`) and end. */
  start: number;
  end: number;
  /** The text inside the comment, without `#` or `{# #}` (and Jinja's `-` trim markers). */
  body: string;
}

/**
 * The comments of a file that contain `marker`, in text order, with the offset of the first
 * content (anything but blank lines, comments, `---` and `%` directives; for a template, the
 * first non-blank character). Both the `gitops-lint-` directives and the ESLint plugin's
 * `eslint-` directives are read from these.
 */
export function scanComments(file: ParsedFile, marker: string): { comments: Comment[]; firstContent: number } {
  const { text } = file;
  const comments: Comment[] = [];
  if (file.kind === "template") {
    const first = text.search(/\S/u);
    const firstContent = first === -1 ? text.length : first;
    for (const match of text.matchAll(/\{#-?([\s\S]*?)-?#\}/gu)) {
      if (match[1]!.includes(marker)) comments.push({ start: match.index, end: match.index + match[0].length, body: match[1]! });
    }
    return { comments, firstContent };
  }
  if (!text.includes(marker)) return { comments, firstContent: 0 };
  const ranges = scalarRanges(file);
  const content = /^[ \t]*(?!#|---(?:\s|$)|%|\r?$)\S/mu.exec(text);
  const firstContent = content ? content.index : text.length;
  for (const match of text.matchAll(/(^|[ \t])#([^\r\n]*)/gmu)) {
    const hash = match.index + match[1]!.length;
    if (!match[2]!.includes(marker) || insideAny(ranges, hash)) continue;
    comments.push({ start: hash, end: match.index + match[0].length, body: match[2]! });
  }
  return { comments, firstContent };
}

/** Every directive of a parsed file, in text order. */
export function findDirectives(file: ParsedFile): Directive[] {
  const { source } = file;
  const found: Directive[] = [];
  const { comments, firstContent } = scanComments(file, "gitops-lint-");
  for (const { start, end, body } of comments) {
    const parsed = parseDirectiveComment(body);
    if (!parsed) continue;
    const from = source.position(start);
    const to = source.position(end);
    const directive: Directive = { ...parsed, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
    if (parsed.kind === "disable" && start <= firstContent) directive.wholeFile = true;
    found.push(directive);
  }
  return found;
}

export interface DirectiveOptions {
  /** Every rule id there is: others named in a directive are reported. */
  knownRules: Iterable<string>;
  /** Report directives that silenced nothing, at this severity; 0 or undefined: do not. */
  reportUnused?: Severity | 0;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function nearest(id: string, known: readonly string[]): string[] {
  return [...known].sort((a, b) => distance(id, a) - distance(id, b) || a.localeCompare(b)).slice(0, 3);
}

interface Use {
  directive: Directive;
  /** Rule ids that silenced something; "*" when the directive names no rule. */
  used: Set<string>;
}

/**
 * Drops the messages the file's directives silence and adds the directives' own problems
 * (unknown rule ids; unused directives when asked). Returns a new array.
 */
export function applyDirectives(file: ParsedFile, messages: readonly LintMessage[], options: DirectiveOptions): LintMessage[] {
  const directives = findDirectives(file);
  if (directives.length === 0) return [...messages];
  const known = [...options.knownRules];
  const knownSet = new Set(known);
  const out: LintMessage[] = [];
  const at = (directive: Directive, severity: Severity, message: string): LintMessage => ({
    ruleId: null,
    severity,
    message,
    line: directive.line,
    column: directive.column,
    endLine: directive.endLine,
    endColumn: directive.endColumn,
  });

  for (const directive of directives) {
    for (const id of directive.rules) {
      if (knownSet.has(id)) continue;
      out.push(at(directive, 2, `unknown rule "${id}" in gitops-lint-${directive.kind} (known rules: ${nearest(id, known).join(", ")}, …)`));
    }
  }

  const uses = directives.map((directive): Use => ({ directive, used: new Set() }));
  const ranges = uses.filter((use) => use.directive.kind === "disable" || use.directive.kind === "enable");
  const names = (directive: Directive, ruleId: string): boolean => directive.rules.length === 0 || directive.rules.includes(ruleId);
  const mark = (use: Use, ruleId: string): void => {
    use.used.add(use.directive.rules.length === 0 ? "*" : ruleId);
  };

  for (const message of messages) {
    const ruleId = message.ruleId;
    if (message.fatal || ruleId === null || ruleId === undefined) {
      out.push(message);
      continue;
    }
    const silencing: Use[] = [];
    for (const use of uses) {
      const { kind, line } = use.directive;
      if (!names(use.directive, ruleId)) continue;
      if (
        kind === "disable-file" ||
        (kind === "disable-line" && line === message.line) ||
        (kind === "disable-next-line" && line + 1 === message.line)
      ) {
        silencing.push(use);
      }
    }
    // Ranges: the last `disable` or `enable` naming this rule before the message decides.
    let open: Use | undefined;
    for (const use of ranges) {
      const { kind, line, wholeFile } = use.directive;
      if (!names(use.directive, ruleId)) continue;
      if (kind === "disable" && (line <= message.line || wholeFile)) open = use;
      else if (kind === "enable" && line < message.line) open = undefined;
    }
    if (open) silencing.push(open);
    if (silencing.length === 0) out.push(message);
    for (const use of silencing) mark(use, ruleId);
  }

  if (options.reportUnused) {
    const severity = options.reportUnused;
    for (const { directive, used } of uses) {
      if (directive.kind === "enable") continue;
      if (directive.rules.length === 0) {
        if (used.size === 0) out.push(at(directive, severity, `Unused gitops-lint-${directive.kind} directive (no problems were reported).`));
        continue;
      }
      const unused = directive.rules.filter((id) => knownSet.has(id) && !used.has(id));
      if (unused.length === 0) continue;
      const list = unused.map((id) => `'${id}'`).join(" or ");
      out.push(at(directive, severity, `Unused gitops-lint-${directive.kind} directive (no problems were reported from ${list}).`));
    }
    out.push(...unusedEnables(directives, severity, at));
  }
  return out;
}

/** `enable` directives that close no open `disable`, as ESLint 9 reports them. */
function unusedEnables(
  directives: readonly Directive[],
  severity: Severity,
  at: (directive: Directive, severity: Severity, message: string) => LintMessage,
): LintMessage[] {
  const out: LintMessage[] = [];
  let all = false;
  const disabled = new Set<string>();
  for (const directive of directives) {
    if (directive.kind === "disable") {
      if (directive.rules.length === 0) all = true;
      for (const id of directive.rules) disabled.add(id);
    } else if (directive.kind === "enable") {
      if (directive.rules.length === 0) {
        if (!all && disabled.size === 0) out.push(at(directive, severity, "Unused gitops-lint-enable directive (no matching gitops-lint-disable directives were found)."));
        all = false;
        disabled.clear();
      } else {
        const unmatched = directive.rules.filter((id) => !all && !disabled.has(id));
        for (const id of directive.rules) disabled.delete(id);
        if (unmatched.length > 0) {
          const list = unmatched.map((id) => `'${id}'`).join(" or ");
          out.push(at(directive, severity, `Unused gitops-lint-enable directive (no matching gitops-lint-disable directives were found for ${list}).`));
        }
      }
    }
  }
  return out;
}
