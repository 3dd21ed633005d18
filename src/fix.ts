/**
 * Fix stage: applies the fixes rules attach to their messages, in passes as ESLint does. A fix
 * may edit several files and create new ones; all of one fix's edits are applied together or
 * not at all. Each pass takes the fixes that do not overlap an edit already taken, writes, and
 * lints again; at most 10 passes, until nothing is fixable. Suggestions are never applied.
 *
 * A fix never loses data: a file is written to a temporary file beside it and renamed over it
 * (keeping its mode), only when its bytes on disk are still the ones that were linted, never
 * when it is read-only, and never outside the linted root. A dry run lints the fixed texts in
 * memory and writes nothing.
 */
import type { RuleType } from "@eslint/core";
import fs from "node:fs";
import path from "node:path";
import { lintProject, type LintOptions, type LintOutcome } from "./engine.ts";
import type { FileEdit } from "./fixer.ts";
import type { LintMessage, RuleTextEdit } from "./types.ts";

export const maxFixPasses = 10;

export const fixTypes: readonly RuleType[] = ["problem", "suggestion", "layout"];

export interface FixOptions extends LintOptions {
  /** Compute every pass in memory and write nothing. */
  dryRun?: boolean;
  /** Also apply fixes that change a value someone wrote. */
  unsafeFixes?: boolean;
  /** Apply only the fixes of rules of these types (`--fix-type`); default: all. */
  types?: ReadonlySet<RuleType>;
}

/** A file's text before the first fix and after the last (`undefined` before: created). */
export interface FileChange {
  before: string | undefined;
  after: string;
}

export interface FixReport {
  outcome: LintOutcome;
  /** Changed or created files (would be, in a dry run), by absolute path. */
  changes: Map<string, FileChange>;
  /** Files not written, each with why; any of them makes the run exit 2. */
  refused: Array<{ file: string; reason: string }>;
  passes: number;
}

/** `text` with the edits applied; an edit overlapping an earlier one is left out. */
export function applyEdits(text: string, edits: readonly RuleTextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let output = "";
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.range[0] < cursor) continue;
    output += text.slice(cursor, edit.range[0]) + edit.text;
    cursor = edit.range[1];
  }
  return output + text.slice(cursor);
}

/** Writes `text` to `file` through a temporary file and a rename, keeping the mode it had. */
export function writeAtomically(file: string, text: string, mode?: number): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.gitops-lint-${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, text, { mode: mode ?? fs.statSync(file).mode });
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function overlaps(taken: ReadonlyArray<readonly [number, number]>, edit: FileEdit): boolean {
  return taken.some(([start, end]) => edit.range[0] < end && start < edit.range[1]) ||
    taken.some(([start, end]) => start === end && edit.range[0] === edit.range[1] && start === edit.range[0]);
}

/** The fixes of one pass: whole fixes that fit together, in report order. */
function choose(messages: readonly LintMessage[], exists: (file: string) => boolean): FileEdit[] {
  const taken = new Map<string, Array<readonly [number, number]>>();
  const creating = new Set<string>();
  const chosen: FileEdit[] = [];
  for (const message of messages) {
    const edits = message.edits ?? [];
    const fits = edits.every((edit) =>
      edit.create ? !exists(edit.file) && !creating.has(edit.file) : !creating.has(edit.file) && !overlaps(taken.get(edit.file) ?? [], edit),
    );
    if (!fits) continue;
    for (const edit of edits) {
      if (edit.create) creating.add(edit.file);
      else taken.set(edit.file, [...(taken.get(edit.file) ?? []), [edit.range[0], edit.range[1]]]);
      chosen.push(edit);
    }
  }
  return chosen;
}

function wanted(message: LintMessage, options: FixOptions): boolean {
  if (!message.edits || (message.unsafeFix && !options.unsafeFixes)) return false;
  if (!options.types) return true;
  const type = message.ruleId ? options.rules[message.ruleId]?.meta?.type : undefined;
  return type !== undefined && options.types.has(type);
}

function isReadOnly(file: string): boolean {
  // Root may write anything: the mode bits, not access(2), say what the owner meant.
  return (fs.statSync(file).mode & 0o222) === 0;
}

export async function lintAndFix(options: FixOptions): Promise<FixReport> {
  const overlay = new Map<string, string>();
  const changes = new Map<string, FileChange>();
  const refused = new Map<string, string>();
  const lint = () => lintProject(options.dryRun ? { ...options, overlay } : options);
  let outcome = await lint();
  let passes = 0;
  while (passes < maxFixPasses) {
    const texts = new Map(outcome.files.map((file) => [file.path, (file.bom ? "\uFEFF" : "") + file.text]));
    const messages = outcome.results.flatMap((result) => result.messages).filter((message) => wanted(message, options));
    const exists = (file: string) => texts.has(file) || overlay.has(file) || fs.existsSync(file);
    const byFile = new Map<string, FileEdit[]>();
    for (const edit of choose(messages, exists)) {
      if (refused.has(edit.file)) continue;
      byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
    }
    let wrote = false;
    for (const [file, edits] of byFile) {
      const created = edits.some((edit) => edit.create);
      const before = created ? undefined : texts.get(file);
      if (!created && before === undefined) {
        refused.set(file, "a fix edits a file that was not linted");
        continue;
      }
      const bom = before?.startsWith("\uFEFF") ? "\uFEFF" : "";
      const after = created
        ? edits.map((edit) => edit.text).join("")
        : bom + applyEdits(before!.slice(bom.length), edits);
      if (after === before) continue;
      if (!options.dryRun) {
        const reason = writeFile(file, before, after);
        if (reason) {
          refused.set(file, reason);
          continue;
        }
      }
      overlay.set(file, after);
      const change = changes.get(file);
      changes.set(file, { before: change ? change.before : before, after });
      wrote = true;
    }
    if (!wrote) break;
    passes++;
    outcome = await lint();
  }
  return {
    outcome,
    changes,
    refused: [...refused].map(([file, reason]) => ({ file, reason })).sort((a, b) => a.file.localeCompare(b.file)),
    passes,
  };
}

/** Writes one file safely; returns why it was not written, if it was not. */
function writeFile(file: string, before: string | undefined, after: string): string | undefined {
  try {
    if (before === undefined) {
      if (fs.existsSync(file)) return "it was created on disk while it was being linted";
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeAtomically(file, after, 0o644);
      return undefined;
    }
    if (fs.readFileSync(file, "utf8") !== before) return "it changed on disk while it was being linted";
    if (isReadOnly(file)) return "it is read-only";
    writeAtomically(file, after);
    return undefined;
  } catch (error) {
    return `it could not be written: ${error instanceof Error ? error.message : String(error)}`;
  }
}
