/**
 * The engine: discover → parse → index → rules, for a whole repo at once. Each rule runs per
 * file as in ESLint (its reports land in the file being linted) but sees the whole repo through
 * `context.sourceCode.index`.
 */
import type { RuleContext, RuleTextEdit, RuleTextEditor, ViolationReport } from "@eslint/core";
import { readFile } from "node:fs/promises";
import { discover } from "./discover.ts";
import { RepoIndex } from "./index/index.ts";
import { GitopsSourceCode, type GitopsVisitor, type Reportable } from "./language/source-code.ts";
import { type ParsedFile, parseFile } from "./parse/index.ts";
import type { GitopsRule } from "./rule.ts";
import type { LintMessage, LintResult, Severity, SourceLocation, SourceRange } from "./types.ts";

export type RuleSeverities = Record<string, Severity | 0>;

export interface LintOptions {
  cwd: string;
  /** Files and directories to lint; default: `cwd`. */
  paths?: string[];
  rules: Record<string, GitopsRule>;
  /** Severity per rule id; rules not listed run at their default (error). */
  severities?: RuleSeverities;
  /** Options per rule id, as `context.options`. */
  ruleOptions?: Record<string, unknown[]>;
  settings?: Record<string, unknown>;
  /** Collects where the time goes, when given (`TIMING=1`). */
  timing?: Timing;
}

/** Milliseconds per stage and per rule, as ESLint's `TIMING=1` reports them. */
export class Timing {
  readonly stages = new Map<string, number>();
  readonly rules = new Map<string, number>();

  add(table: Map<string, number>, name: string, milliseconds: number): void {
    table.set(name, (table.get(name) ?? 0) + milliseconds);
  }

  async stage<T>(name: string, work: () => T | Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.add(this.stages, name, performance.now() - start);
    }
  }
}

export interface LintOutcome {
  root: string;
  results: LintResult[];
  files: ParsedFile[];
  index: RepoIndex;
  /** A rule threw: the run is not trustworthy, exit code 2. */
  internalErrors: number;
}

/** Reads and parses every file; unreadable files become fatal messages, never exceptions. */
async function load(paths: string[], cwd: string, timing: Timing | undefined) {
  const discovery = timing ? await timing.stage("discover", () => discover(paths, { cwd })) : await discover(paths, { cwd });
  const read = () => Promise.all(
    discovery.files.map(async (file) => {
      try {
        // node:fs keeps a byte-order mark (Bun.file().text() drops it), so a fix can keep it too.
        return { parsed: parseFile(file, await readFile(file.path, "utf8")) };
      } catch (error) {
        return { file, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  const loaded = timing ? await timing.stage("read and parse", read) : await read();
  return { root: discovery.root, loaded, paths: discovery };
}

export async function lintProject(options: LintOptions): Promise<LintOutcome> {
  const { timing } = options;
  const { root, loaded, paths } = await load(options.paths ?? [], options.cwd, timing);
  const files = loaded.flatMap((entry) => ("parsed" in entry && entry.parsed ? [entry.parsed] : []));
  const index = timing ? await timing.stage("index", () => new RepoIndex(files, paths)) : new RepoIndex(files, paths);
  let internalErrors = 0;
  const lintAll = () => loaded.map((entry): LintResult => {
    if (!("parsed" in entry) || !entry.parsed) {
      return summarise(entry.file.path, [fatal(`Cannot read file: ${entry.error}`, 1, 1)]);
    }
    const file = entry.parsed;
    const outcome = lintFile(file, index, options);
    internalErrors += outcome.internalErrors;
    return summarise(file.path, outcome.messages, file.text);
  });
  const results = timing ? await timing.stage("rules", lintAll) : lintAll();
  return { root, results, files, index, internalErrors };
}

function fatal(message: string, line: number, column: number): LintMessage {
  return { ruleId: null, fatal: true, severity: 2, message, line, column };
}

function summarise(filePath: string, messages: LintMessage[], source?: string): LintResult {
  messages.sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId ?? "").localeCompare(b.ruleId ?? ""));
  const result: LintResult = {
    filePath,
    messages,
    errorCount: 0,
    warningCount: 0,
    fatalErrorCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    source,
  };
  for (const message of messages) {
    if (message.severity === 2) {
      result.errorCount++;
      if (message.fatal) result.fatalErrorCount++;
      if (message.fix) result.fixableErrorCount++;
    } else {
      result.warningCount++;
      if (message.fix) result.fixableWarningCount++;
    }
  }
  return result;
}

/** ESLint's placeholder syntax: `{{ name }}`; unknown placeholders stay as written. */
export function interpolate(text: string, data: Record<string, unknown> | undefined): string {
  if (!data) return text;
  return text.replace(/\{\{\s*([^{}]+?)\s*\}\}/gu, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

function editor(sourceCode: GitopsSourceCode): RuleTextEditor<Reportable> {
  const insert = (range: SourceRange, text: string, at: 0 | 1): RuleTextEdit => ({ range: [range[at], range[at]], text });
  return {
    insertTextAfter: (element, text) => insert(sourceCode.getRange(element), text, 1),
    insertTextAfterRange: (range, text) => insert(range, text, 1),
    insertTextBefore: (element, text) => insert(sourceCode.getRange(element), text, 0),
    insertTextBeforeRange: (range, text) => insert(range, text, 0),
    remove: (element) => ({ range: sourceCode.getRange(element), text: "" }),
    removeRange: (range) => ({ range, text: "" }),
    replaceText: (element, text) => ({ range: sourceCode.getRange(element), text }),
    replaceTextRange: (range, text) => ({ range, text }),
  };
}

/** Several edits of one fix become one, as ESLint merges them; overlapping edits are a rule bug. */
function mergeEdits(text: string, edits: RuleTextEdit[]): RuleTextEdit | undefined {
  if (edits.length === 0) return undefined;
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const start = sorted[0]!.range[0];
  const end = Math.max(...sorted.map((edit) => edit.range[1]));
  let merged = "";
  let cursor = start;
  for (const edit of sorted) {
    if (edit.range[0] < cursor) throw new Error("fix ranges overlap");
    merged += text.slice(cursor, edit.range[0]) + edit.text;
    cursor = edit.range[1];
  }
  merged += text.slice(cursor, end);
  return { range: [start, end], text: merged };
}

function runFixer(
  fix: ((fixer: RuleTextEditor) => RuleTextEdit | Iterable<RuleTextEdit> | null) | null | undefined,
  sourceCode: GitopsSourceCode,
): RuleTextEdit | undefined {
  if (!fix) return undefined;
  const produced = fix(editor(sourceCode) as RuleTextEditor);
  if (!produced) return undefined;
  const edits = Symbol.iterator in produced ? [...produced] : [produced];
  return mergeEdits(sourceCode.text, edits);
}

type Report = ViolationReport<Reportable, string>;

function lintFile(file: ParsedFile, index: RepoIndex, options: LintOptions): { messages: LintMessage[]; internalErrors: number } {
  const messages: LintMessage[] = file.problems.length > 0
    ? [fatal(file.problems[0]!.message, file.problems[0]!.start.line, file.problems[0]!.start.column)]
    : [];
  // A file whose YAML is broken is reported once and not judged half-read; its readable
  // documents still serve the other files' links through the index.
  if (file.problems.length > 0) return { messages, internalErrors: 0 };
  const sourceCode = new GitopsSourceCode(file, index);
  const listeners = new Map<string, Array<{ id: string; handler: (...args: unknown[]) => void }>>();
  let internalErrors = 0;
  const failed = new Set<string>();
  const internalError = (id: string, error: unknown): void => {
    if (failed.has(id)) return;
    failed.add(id);
    internalErrors++;
    const reason = error instanceof Error ? error.message : String(error);
    messages.push({ ...fatal(`Internal error in rule ${id} while linting ${file.relPath}: ${reason}`, 1, 1), ruleId: id });
  };

  for (const [id, rule] of Object.entries(options.rules)) {
    const severity = options.severities?.[id] ?? 2;
    if (severity === 0) continue;
    const meta = rule.meta ?? {};
    const warnings = new Set(meta.docs?.warningMessages ?? []);
    const secrets = new Set(meta.docs?.secretMessages ?? []);
    const context = {
      id,
      cwd: options.cwd,
      filename: file.path,
      physicalFilename: file.path,
      sourceCode,
      settings: options.settings ?? {},
      languageOptions: {},
      options: options.ruleOptions?.[id] ?? [],
      report(report: Report): void {
        const messageId = "messageId" in report ? report.messageId : undefined;
        const template = messageId !== undefined ? meta.messages?.[messageId] : "message" in report ? report.message : undefined;
        if (template === undefined) throw new Error(`unknown messageId "${String(messageId)}"`);
        const loc: SourceLocation =
          "node" in report
            ? sourceCode.getLoc(report.node)
            : "start" in report.loc
              ? report.loc
              : { start: report.loc, end: report.loc };
        const fix = runFixer(report.fix, sourceCode);
        const message: LintMessage = {
          ruleId: id,
          severity: messageId !== undefined && warnings.has(messageId) ? 1 : severity,
          message: interpolate(template, report.data),
          line: loc.start.line,
          column: loc.start.column,
          endLine: loc.end.line,
          endColumn: loc.end.column,
        };
        if (messageId !== undefined) message.messageId = messageId;
        if (messageId !== undefined && secrets.has(messageId)) message.secretSpan = true;
        if (fix) message.fix = fix;
        messages.push(message);
      },
    } satisfies RuleContext<{ LangOptions: Record<string, unknown>; Code: GitopsSourceCode; RuleOptions: unknown[]; Node: Reportable; MessageIds: string }>;
    let visitor: GitopsVisitor;
    const created = performance.now();
    try {
      visitor = rule.create(context as never);
    } catch (error) {
      internalError(id, error);
      continue;
    } finally {
      options.timing?.add(options.timing.rules, id, performance.now() - created);
    }
    for (const [event, handler] of Object.entries(visitor)) {
      if (typeof handler !== "function") continue;
      const list = listeners.get(event) ?? [];
      list.push({ id, handler: handler as (...args: unknown[]) => void });
      listeners.set(event, list);
    }
  }

  for (const step of sourceCode.traverse(new Set(listeners.keys()))) {
    for (const { id, handler } of listeners.get(step.target) ?? []) {
      if (failed.has(id)) continue;
      const start = options.timing ? performance.now() : 0;
      try {
        handler(...step.args);
      } catch (error) {
        internalError(id, error);
      }
      if (options.timing) options.timing.add(options.timing.rules, id, performance.now() - start);
    }
  }
  return { messages, internalErrors };
}
