/**
 * The baseline: ESLint's bulk suppressions for gitops-lint. A committed file,
 * `gitops-lint-suppressions.json`, counts the errors each file has of each rule,
 * `{ "<path>": { "<rule id>": { "count": N } } }`, so that a repo can adopt the linter without
 * fixing everything first: a file's errors of a rule are reported only when there are more of
 * them than its count (and then all of them, as ESLint does, since the tool cannot tell the new
 * one from the old ones).
 *
 * Paths are relative to the suppressions file's directory (ESLint's are relative to the current
 * directory), so that the same file serves a run from any directory given
 * `--suppressions-location`. The file holds counts only, never message text, so no secret a
 * message quotes can reach it.
 *
 * `openBaseline` checks the flags and reads the file before linting; `applyBaseline` then
 * records (`--suppress-all`, `--suppress-rule`) or prunes (`--prune-suppressions`), writes the
 * file, and moves the suppressed errors to each result's `suppressedMessages`. It runs on the
 * whole result set: narrowing the report to some files comes after it.
 */
import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "./config.ts";
import { summarise } from "./engine.ts";
import { writeAtomically } from "./fix.ts";
import { closest } from "./schema/suggest.ts";
import type { LintMessage, LintResult, SuppressedMessage } from "./types.ts";

export const defaultSuppressionsFile = "gitops-lint-suppressions.json";

/** The file's content: by path (relative to the file's directory, `/`-separated), by rule id. */
export type Suppressions = Record<string, Record<string, { count: number }>>;

/** A suppressions file that cannot be read, is malformed or missing, or flags that conflict: exit 2. */
export class SuppressionsError extends ConfigError {
  override name = "SuppressionsError";
}

export interface BaselineOptions {
  /** Where `location` and the paths in messages are relative to. */
  cwd: string;
  /** `--suppressions-location`: the file, or a directory to hold gitops-lint-suppressions.json. */
  location?: string;
  /** `--suppress-all`. */
  suppressAll?: boolean;
  /** `--suppress-rule` (repeatable). */
  suppressRules?: readonly string[];
  /** `--prune-suppressions`. */
  prune?: boolean;
  /** `--fix-dry-run`, which writes nothing and so cannot be asked to record or prune. */
  dryRun?: boolean;
  /** Every rule id, so that a misspelt `--suppress-rule` is refused rather than recorded. */
  ruleIds: readonly string[];
}

export interface Baseline {
  /** Absolute path of the suppressions file. */
  file: string;
  /** The file as messages name it: relative to the current directory. */
  name: string;
  /** The file's content, empty when it does not exist yet. */
  suppressions: Suppressions;
  /** The file's text as read, undefined when it does not exist. */
  text: string | undefined;
  /** Rules to record: every rule (`"all"`), the `--suppress-rule` ids, or none. */
  record: "all" | readonly string[];
  prune: boolean;
}

export interface BaselineOutcome {
  /** The results with the suppressed errors moved to `suppressedMessages` and the counts redone. */
  results: LintResult[];
  /** Suppressions of the linted files that no longer occur, with how many no longer do. */
  unused: Suppressions;
  baseline: Baseline;
}

/**
 * Checks the flags and reads the suppressions file. Undefined when there is no file and nothing
 * to record: the run is then exactly as without the feature.
 */
export async function openBaseline(options: BaselineOptions): Promise<Baseline | undefined> {
  const suppressRules = options.suppressRules ?? [];
  const recording = options.suppressAll === true || suppressRules.length > 0;
  if (options.suppressAll && suppressRules.length > 0) {
    throw new SuppressionsError("--suppress-all and --suppress-rule cannot be used together: --suppress-all already records every rule");
  }
  if (recording && options.prune) {
    const flag = options.suppressAll ? "--suppress-all" : "--suppress-rule";
    throw new SuppressionsError(`${flag} and --prune-suppressions cannot be used together: record in one run, prune in another`);
  }
  if (options.dryRun && (recording || options.prune)) {
    const flag = options.suppressAll ? "--suppress-all" : recording ? "--suppress-rule" : "--prune-suppressions";
    throw new SuppressionsError(`${flag} writes the suppressions file and --fix-dry-run writes nothing: use --fix, or drop one of them`);
  }
  for (const id of suppressRules) {
    if (options.ruleIds.includes(id)) continue;
    const near = closest(id, options.ruleIds);
    throw new SuppressionsError(`--suppress-rule "${id}" is not a rule of gitops-lint${near ? ` (did you mean "${near}"?)` : ""}`);
  }

  const file = suppressionsPath(options.cwd, options.location);
  const name = path.relative(options.cwd, file) || file;
  const text = await readIfPresent(file, name);
  if (text === undefined && !recording) {
    if (options.location === undefined) return undefined;
    throw new SuppressionsError(
      `the suppressions file ${name} does not exist: create it with --suppress-all (or --suppress-rule <id>) and the same --suppressions-location`,
    );
  }
  return {
    file,
    name,
    suppressions: text === undefined ? {} : parseSuppressions(text, name),
    text,
    record: options.suppressAll ? "all" : suppressRules,
    prune: options.prune === true,
  };
}

/**
 * Records or prunes as the flags ask (writing the file when its content changes), then applies
 * the suppressions to `results`.
 */
export function applyBaseline(results: readonly LintResult[], baseline: Baseline): BaselineOutcome {
  const baseDir = path.dirname(baseline.file);
  const recording = baseline.record === "all" || baseline.record.length > 0;
  let suppressions = baseline.suppressions;
  if (recording) {
    suppressions = record(results, suppressions, baseDir, baseline.record);
  } else if (baseline.prune) {
    suppressions = prune(suppressions, unusedOf(results, suppressions, baseDir));
  }
  if (recording || (baseline.prune && baseline.text !== undefined)) {
    const text = serializeSuppressions(suppressions);
    if (text !== baseline.text) write(baseline.file, baseline.name, text);
  }
  const applied = applySuppressions(results, suppressions, baseDir);
  return { results: applied.results, unused: unusedOf(results, suppressions, baseDir), baseline: { ...baseline, suppressions } };
}

/**
 * What no longer occurs: ESLint's unused suppressions of the linted files, and (unlike ESLint,
 * whose entries of a deleted or renamed file stay forever) every entry of a file that no longer
 * exists, whatever was linted.
 */
function unusedOf(results: readonly LintResult[], suppressions: Suppressions, baseDir: string): Suppressions {
  const { unused } = applySuppressions(results, suppressions, baseDir);
  for (const [file, rules] of Object.entries(suppressions)) {
    if (unused[file] !== undefined || Object.keys(rules).length === 0) continue;
    if (!fs.existsSync(path.resolve(baseDir, file))) unused[file] = structuredClone(rules);
  }
  return unused;
}

/**
 * ESLint's rule: a file's errors of a rule are all suppressed when there are no more of them
 * than the count, and all reported otherwise. Only errors with a rule id count: warnings and
 * fatal parse errors are never suppressed. `unused` keeps, for the files in `results`, what the
 * counts have beyond the errors that occur. Every returned result has `suppressedMessages`.
 */
export function applySuppressions(
  results: readonly LintResult[],
  suppressions: Suppressions,
  baseDir: string,
): { results: LintResult[]; unused: Suppressions } {
  const unused: Suppressions = {};
  const filtered = results.map((result) => {
    const key = suppressionKey(baseDir, result.filePath);
    const entry = suppressions[key];
    const suppressed = [...(result.suppressedMessages ?? [])];
    if (entry === undefined) return { ...result, suppressedMessages: suppressed };
    const counts = errorCounts(result.messages);
    const rulesSuppressed = new Set<string>();
    for (const [ruleId, { count }] of Object.entries(entry)) {
      const occurring = counts.get(ruleId) ?? 0;
      if (occurring > 0 && occurring <= count) rulesSuppressed.add(ruleId);
      if (occurring < count) (unused[key] ??= {})[ruleId] = { count: count - occurring };
    }
    const messages: LintMessage[] = [];
    for (const message of result.messages) {
      if (isSuppressible(message) && rulesSuppressed.has(message.ruleId)) {
        suppressed.push({ ...message, suppressions: [{ kind: "file", justification: "" }] });
      } else {
        messages.push(message);
      }
    }
    return { ...result, ...summarise(result.filePath, messages, result.source), suppressedMessages: suppressed };
  });
  return { results: filtered, unused };
}

/** The file's text: keys sorted, two-space indent, a final newline. */
export function serializeSuppressions(suppressions: Suppressions): string {
  const sorted: Suppressions = {};
  for (const file of Object.keys(suppressions).sort(byCodeUnit)) {
    const rules = suppressions[file]!;
    const ruleIds = Object.keys(rules).sort(byCodeUnit);
    if (ruleIds.length === 0) continue;
    sorted[file] = Object.fromEntries(ruleIds.map((ruleId) => [ruleId, { count: rules[ruleId]!.count }]));
  }
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/** Parses and checks a suppressions file's text; `name` is the file as messages show it. */
export function parseSuppressions(text: string, name: string): Suppressions {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SuppressionsError(`${name}: not valid JSON (${reason}): fix it, or delete it and run gitops-lint --suppress-all to record the current errors again`);
  }
  const shape = 'each entry is "<path>": { "<rule id>": { "count": N } } with N a whole number above 0';
  if (!isObject(data)) throw new SuppressionsError(`${name}: holds ${describe(data)}, not an object of file paths (${shape})`);
  for (const [file, rules] of Object.entries(data)) {
    if (!isObject(rules)) throw new SuppressionsError(`${name}: "${file}" holds ${describe(rules)}, not an object of rule ids (${shape})`);
    for (const [ruleId, value] of Object.entries(rules)) {
      const where = `${name}: "${file}" → "${ruleId}"`;
      if (!isObject(value)) throw new SuppressionsError(`${where} holds ${describe(value)}, not { "count": N } (${shape})`);
      const extra = Object.keys(value).find((key) => key !== "count");
      if (extra !== undefined) throw new SuppressionsError(`${where} has the key "${extra}": only "count" is allowed (${shape})`);
      const count = value.count;
      if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
        throw new SuppressionsError(`${where}: "count" is ${count === undefined ? "missing" : describe(count)}, not a whole number above 0 (${shape})`);
      }
    }
  }
  return data as Suppressions;
}

/**
 * What stderr says when suppressions no longer occur: ESLint's sentence, then one line per
 * file and rule saying how many, so that the reader knows what pruning will drop.
 */
export function unusedSuppressionsReport(outcome: BaselineOutcome): string {
  const lines = ["gitops-lint: There are suppressions left that do not occur anymore. Consider re-running the command with `--prune-suppressions`."];
  for (const file of Object.keys(outcome.unused).sort(byCodeUnit)) {
    for (const ruleId of Object.keys(outcome.unused[file]!).sort(byCodeUnit)) {
      const gone = outcome.unused[file]![ruleId]!.count;
      const count = outcome.baseline.suppressions[file]?.[ruleId]?.count ?? gone;
      lines.push(`gitops-lint: ${outcome.baseline.name}: "${file}" → "${ruleId}": ${gone} of ${count} suppressed ${count === 1 ? "error" : "errors"} no longer ${gone === 1 ? "occurs" : "occur"}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** `--suppressions-location` resolved: a directory (existing, or written with a trailing `/`) holds the default name. */
function suppressionsPath(cwd: string, location: string | undefined): string {
  if (location === undefined) return path.join(cwd, defaultSuppressionsFile);
  const resolved = path.resolve(cwd, location);
  const isDirectory = /[/\\]$/u.test(location) || (fs.statSync(resolved, { throwIfNoEntry: false })?.isDirectory() ?? false);
  return isDirectory ? path.join(resolved, defaultSuppressionsFile) : resolved;
}

async function readIfPresent(file: string, name: string): Promise<string | undefined> {
  try {
    return await fs.promises.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SuppressionsError(`${name}: cannot read the suppressions file: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function write(file: string, name: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeAtomically(file, text, fs.statSync(file, { throwIfNoEntry: false })?.mode ?? 0o644);
  } catch (error) {
    throw new SuppressionsError(`${name}: cannot write the suppressions file: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** ESLint's `--suppress-all`/`--suppress-rule`: each recorded file and rule gets its current count; the rest of the file stays. */
function record(results: readonly LintResult[], suppressions: Suppressions, baseDir: string, rules: "all" | readonly string[]): Suppressions {
  const next = structuredClone(suppressions);
  for (const result of results) {
    const key = suppressionKey(baseDir, result.filePath);
    for (const [ruleId, count] of errorCounts(result.messages)) {
      if (rules !== "all" && !rules.includes(ruleId)) continue;
      (next[key] ??= {})[ruleId] = { count };
    }
  }
  return next;
}

/** ESLint's `--prune-suppressions`: counts lowered by what no longer occurs, emptied entries dropped. */
function prune(suppressions: Suppressions, unused: Suppressions): Suppressions {
  const next = structuredClone(suppressions);
  for (const [file, rules] of Object.entries(unused)) {
    for (const [ruleId, { count }] of Object.entries(rules)) {
      const entry = next[file]![ruleId]!;
      if (entry.count <= count) delete next[file]![ruleId];
      else entry.count -= count;
    }
    if (Object.keys(next[file]!).length === 0) delete next[file];
  }
  return next;
}

function suppressionKey(baseDir: string, filePath: string): string {
  return path.relative(baseDir, filePath).split(path.sep).join("/");
}

type SuppressibleMessage = LintMessage & { ruleId: string };

function isSuppressible(message: LintMessage): message is SuppressibleMessage {
  return message.severity === 2 && message.fatal !== true && typeof message.ruleId === "string";
}

function errorCounts(messages: readonly LintMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) {
    if (isSuppressible(message)) counts.set(message.ruleId, (counts.get(message.ruleId) ?? 0) + 1);
  }
  return counts;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return `a ${typeof value}`;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
