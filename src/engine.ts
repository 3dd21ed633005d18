/**
 * The engine: discover → parse → index → rules, for a whole repo at once. Each rule runs per
 * file as in ESLint (its reports land in the file being linted) but sees the whole repo through
 * `context.sourceCode.index`.
 */
import type { RuleContext, RuleTextEdit, RuleTextEditor, ViolationReport } from "@eslint/core";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type DiscoveredFile, discover, type RepoPaths } from "./discover.ts";
import { RepoIndex } from "./index/index.ts";
import { GitopsSourceCode, type GitopsVisitor, type Reportable } from "./language/source-code.ts";
import { type ParsedFile, parseFile } from "./parse/index.ts";
import { type GitopsRule, type InvolvedFile, involvedFilesOf } from "./rule.ts";
import { createFixer, type FileEdit, mergeEdits } from "./fixer.ts";
import { applyDirectives, findDirectives } from "./directives.ts";
import { type FileConfig, type ResolvedConfig, withDefaultOptions } from "./config.ts";
import type { LintMessage, LintResult, Severity, SourceLocation } from "./types.ts";

export type RuleSeverities = Record<string, Severity | 0>;

export interface LintOptions {
  cwd: string;
  /** Files and directories to lint; default: `cwd`. */
  paths?: string[];
  rules: Record<string, GitopsRule>;
  /**
   * The config, resolved per file (`loadConfig`): which files are ignored, and each file's
   * severities, options, settings and linter options. Without one every rule is an error.
   */
  config?: ResolvedConfig;
  /** Severity per rule id, over the config's; rules in neither run as errors. */
  severities?: RuleSeverities;
  /** Options per rule id, as `context.options` (with `meta.defaultOptions` merged in), over the config's. */
  ruleOptions?: Record<string, unknown[]>;
  /** Settings for every file, instead of the config's. */
  settings?: Record<string, unknown>;
  /** Collects where the time goes, when given (`TIMING=1`). */
  timing?: Timing;
  overlay?: Overlay;
  /** Report inline `gitops-lint-disable` directives that silenced nothing, at this severity, over the config's `linterOptions`. */
  reportUnusedDisableDirectives?: Severity | 0;
  /**
   * Keep fixes only on the messages this accepts (`--fix` with `--only-files` fixes only what it
   * reports); the others lose their fix. Default: every message keeps its fix.
   */
  keepFix?: (message: LintMessage, filePath: string) => boolean;
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

/** Runs `work`, timed as a stage when `timing` is given. */
async function staged<T>(timing: Timing | undefined, name: string, work: () => T | Promise<T>): Promise<T> {
  return timing ? timing.stage(name, work) : work();
}

/**
 * Texts that stand in for the disk, by absolute path: a dry run of `--fix` lints its fixed and
 * created files without writing them.
 */
export type Overlay = ReadonlyMap<string, string>;

/** A file the overlay creates, discovered as discovery would have found it. */
function overlaidFile(root: string, file: string): DiscoveredFile | undefined {
  const relPath = path.relative(root, file).split(path.sep).join("/");
  if (/(^|\/)templates\/.*\.j2$/u.test(relPath)) return { path: file, relPath, kind: "template" };
  return /\.ya?ml$/u.test(relPath) ? { path: file, relPath, kind: "yaml" } : undefined;
}

/** Reads and parses every file; unreadable files become fatal messages, never exceptions. */
async function load(paths: string[], cwd: string, timing: Timing | undefined, overlay: Overlay | undefined) {
  const discovery = await staged(timing, "discover", () => discover(paths, { cwd }));
  const known = new Set(discovery.files.map((file) => file.path));
  const created = [...(overlay?.keys() ?? [])].filter((file) => !known.has(file)).flatMap((file) => overlaidFile(discovery.root, file) ?? []);
  const files = created.length > 0 ? [...discovery.files, ...created].sort((a, b) => (a.relPath < b.relPath ? -1 : 1)) : discovery.files;
  const read = () => Promise.all(
    files.map(async (file) => {
      try {
        // node:fs keeps a byte-order mark (Bun.file().text() drops it), so a fix can keep it too.
        const text = overlay?.get(file.path) ?? (await readFile(file.path, "utf8"));
        return { parsed: parseFile(file, text) };
      } catch (error) {
        return { file, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  const loaded = await staged(timing, "read and parse", read);
  return { root: discovery.root, loaded, paths: created.length > 0 ? withCreated(discovery, created) : discovery };
}

/** The repo's paths with the files an overlay creates, and their folders. */
function withCreated(paths: RepoPaths, created: readonly DiscoveredFile[]): RepoPaths {
  const all = new Map(paths.paths);
  for (const file of created) {
    all.set(file.relPath, "file");
    for (let folder = path.posix.dirname(file.relPath); folder !== "."; folder = path.posix.dirname(folder)) all.set(folder, "directory");
  }
  return { paths: all, covers: (relPath) => paths.covers(relPath) };
}

/** A repo read, parsed and indexed: what every rule of a run sees. */
export interface LoadedRepo {
  root: string;
  /** Every discovered file: parsed, or the reason it could not be read. */
  loaded: Array<{ parsed: ParsedFile } | { file: DiscoveredFile; error: string }>;
  /** The files that were read and parsed. */
  files: ParsedFile[];
  index: RepoIndex;
}

/** Discovers, reads, parses and indexes the repo under `paths` (default: `cwd`). */
export async function loadRepo(options: Pick<LintOptions, "cwd" | "paths" | "timing" | "overlay">): Promise<LoadedRepo> {
  const { timing } = options;
  const { root, loaded, paths } = await load(options.paths ?? [], options.cwd, timing, options.overlay);
  const files = loaded.flatMap((entry) => ("parsed" in entry && entry.parsed ? [entry.parsed] : []));
  const index = await staged(timing, "index", () => new RepoIndex(files, paths));
  return { root, loaded, files, index };
}

export async function lintProject(options: LintOptions): Promise<LintOutcome> {
  const { timing } = options;
  const { root, loaded, files, index } = await loadRepo(options);
  let internalErrors = 0;
  const { config } = options;
  const named = new Set((options.paths ?? []).map((given) => path.resolve(options.cwd, given)));
  const lintAll = () => loaded.flatMap((entry): LintResult[] => {
    const filePath = "parsed" in entry ? entry.parsed.path : entry.file.path;
    // A globally ignored file stays in the index (its links serve the other files) but is not
    // reported on; named on the command line, it gets ESLint's warning.
    if (config?.isIgnored(filePath)) {
      return named.has(filePath) ? [summarise(filePath, [{ ruleId: null, severity: 1, message: config.ignoredMessage(), line: 0, column: 0 }])] : [];
    }
    if (!("parsed" in entry)) {
      return [summarise(entry.file.path, [fatal(`Cannot read file: ${entry.error}`, 1, 1)])];
    }
    const file = entry.parsed;
    const outcome = lintFile(file, index, options, root, config?.forFile(file.path));
    internalErrors += outcome.internalErrors;
    if (options.keepFix) {
      for (const message of outcome.messages) {
        if (options.keepFix(message, file.path)) continue;
        delete message.fix;
        delete message.edits;
        delete message.unsafeFix;
      }
    }
    return [summarise(file.path, outcome.messages, file.text)];
  });
  const results = await staged(timing, "rules", lintAll);
  return { root, results, files, index, internalErrors };
}

function fatal(message: string, line: number, column: number): LintMessage {
  return { ruleId: null, fatal: true, severity: 2, message, line, column };
}

/** As in ESLint, the fixable counts say what `--fix` fixes: unsafe fixes need `--unsafe-fixes`. */
export function summarise(filePath: string, messages: LintMessage[], source?: string): LintResult {
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
      if (message.edits && !message.unsafeFix) result.fixableErrorCount++;
    } else {
      result.warningCount++;
      if (message.edits && !message.unsafeFix) result.fixableWarningCount++;
    }
  }
  return result;
}

/** ESLint's placeholder syntax: `{{ name }}`; unknown placeholders stay as written. */
export function interpolate(text: string, data: Record<string, unknown> | undefined): string {
  if (!data) return text;
  return text.replace(/\{\{\s*([^{}]+?)\s*\}\}/gu, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

/** Runs a rule's fix: ESLint's merged `fix` when it edits only this file, and every file edit. */
function runFixer(
  fix: ((fixer: RuleTextEditor) => RuleTextEdit | Iterable<RuleTextEdit> | null) | null | undefined,
  sourceCode: GitopsSourceCode,
  root: string,
): { fix?: RuleTextEdit; edits: FileEdit[] } {
  if (!fix) return { edits: [] };
  const filesByPath = sourceCode.index.filesByPath;
  const fixer = createFixer({
    file: sourceCode.file.path,
    root,
    rangeOf: (element, absolutePath) => {
      const file = filesByPath.get(absolutePath);
      if (!file) throw new Error(`a fix edits ${absolutePath}, which was not read`);
      return sourceCode.getRangeIn(element, file);
    },
  });
  const produced = fix(fixer as RuleTextEditor);
  if (!produced) return { edits: [] };
  const edits = (Symbol.iterator in produced ? [...produced] : [produced]) as FileEdit[];
  const own = edits.filter((edit) => edit.file === sourceCode.file.path && !edit.create);
  return { fix: own.length === edits.length ? mergeEdits(sourceCode.text, own) : undefined, edits };
}

type Report = ViolationReport<Reportable, string>;

interface MessageKinds {
  warnings: ReadonlySet<string>;
  secrets: ReadonlySet<string>;
  unsafe: ReadonlySet<string>;
}

const messageKindsByRule = new WeakMap<GitopsRule, MessageKinds>();

/** A rule's `warningMessages`, `secretMessages` and `unsafeFixMessages` as sets: built once per rule, not per file. */
function messageKinds(rule: GitopsRule): MessageKinds {
  let kinds = messageKindsByRule.get(rule);
  if (!kinds) {
    const docs = rule.meta?.docs;
    kinds = {
      warnings: new Set(docs?.warningMessages ?? []),
      secrets: new Set(docs?.secretMessages ?? []),
      unsafe: new Set(docs?.unsafeFixMessages ?? []),
    };
    messageKindsByRule.set(rule, kinds);
  }
  return kinds;
}

/** The absolute paths of a report's involved files, its own file left out. */
function relatedFiles(involved: readonly InvolvedFile[], own: string, root: string): string[] {
  const paths = new Set(involved.map((file) => (typeof file === "string" ? path.resolve(root, file) : file.path)));
  paths.delete(own);
  return [...paths].sort();
}

function lintFile(
  file: ParsedFile,
  index: RepoIndex,
  options: LintOptions,
  root: string,
  fileConfig: FileConfig | undefined,
): { messages: LintMessage[]; internalErrors: number } {
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
    const configured = fileConfig?.rules.get(id);
    const severity = options.severities?.[id] ?? configured?.severity ?? 2;
    if (severity === 0) continue;
    const meta = rule.meta ?? {};
    const given = options.ruleOptions?.[id];
    const ruleOptions = given !== undefined ? withDefaultOptions(rule, given) : (configured?.options ?? withDefaultOptions(rule, []));
    // The `uncertain` option: what a finding the rule cannot be sure of is reported as.
    const uncertain = (ruleOptions[0] as { uncertain?: unknown } | undefined)?.uncertain;
    const uncertainSeverity = uncertain === "error" ? severity : 1;
    const { warnings, secrets, unsafe } = messageKinds(rule);
    const context = {
      id,
      cwd: options.cwd,
      filename: file.path,
      physicalFilename: file.path,
      sourceCode,
      settings: options.settings ?? (meta.docs?.runSettings ? options.config?.settings : fileConfig?.settings) ?? {},
      languageOptions: {},
      options: ruleOptions,
      report(report: Report): void {
        const messageId = "messageId" in report ? report.messageId : undefined;
        const template = messageId !== undefined ? meta.messages?.[messageId] : "message" in report ? report.message : undefined;
        if (template === undefined) throw new Error(`unknown messageId "${String(messageId)}"`);
        const uncertainFinding = messageId !== undefined && warnings.has(messageId);
        if (uncertainFinding && uncertain === "off") return;
        const loc: SourceLocation =
          "node" in report
            ? sourceCode.getLoc(report.node)
            : "start" in report.loc
              ? report.loc
              : { start: report.loc, end: report.loc };
        const { fix, edits } = runFixer(report.fix, sourceCode, root);
        const message: LintMessage = {
          ruleId: id,
          severity: uncertainFinding ? uncertainSeverity : severity,
          message: interpolate(template, report.data),
          line: loc.start.line,
          column: loc.start.column,
          endLine: loc.end.line,
          endColumn: loc.end.column,
        };
        if (messageId !== undefined) message.messageId = messageId;
        if (messageId !== undefined && secrets.has(messageId)) message.secretSpan = true;
        if (fix) message.fix = fix;
        if (edits.length > 0) message.edits = edits;
        if (edits.length > 0 && messageId !== undefined && unsafe.has(messageId)) message.unsafeFix = true;
        const related = relatedFiles(involvedFilesOf(report), file.path, root);
        if (related.length > 0) message.relatedFiles = related;
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
  // With `linterOptions.noInlineConfig` a directive silences nothing and says so, as in ESLint.
  if (fileConfig?.linterOptions.noInlineConfig) {
    for (const directive of findDirectives(file)) {
      messages.push({
        ruleId: null,
        severity: 1,
        message: `"# gitops-lint-${directive.kind}" has no effect because linterOptions.noInlineConfig is set in the config.`,
        line: directive.line,
        column: directive.column,
        endLine: directive.endLine,
        endColumn: directive.endColumn,
      });
    }
    return { messages, internalErrors };
  }
  // Inline `# gitops-lint-disable…` comments silence this file's messages by line.
  const reportUnused = options.reportUnusedDisableDirectives ?? fileConfig?.linterOptions.reportUnusedDisableDirectives;
  const kept = applyDirectives(file, messages, { knownRules: Object.keys(options.rules), reportUnused });
  return { messages: kept, internalErrors };
}
