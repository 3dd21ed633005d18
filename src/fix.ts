/**
 * Fix stage: applies the fixes rules attach to their messages, in passes as ESLint does. Each
 * pass applies the non-overlapping fixes of every file, writes the files that changed, and
 * lints again; at most 10 passes, until nothing is fixable.
 *
 * A fix never loses data: a file is written to a temporary file beside it and renamed over it,
 * and only when its bytes on disk are still the ones that were linted.
 */
import fs from "node:fs";
import path from "node:path";
import { lintProject, type LintOptions, type LintOutcome } from "./engine.ts";
import type { LintMessage, RuleTextEdit } from "./types.ts";

export const maxFixPasses = 10;

export interface FixReport {
  outcome: LintOutcome;
  /** Absolute paths of the files written. */
  written: string[];
  /** Files not written because they changed on disk since they were read. */
  changedOnDisk: string[];
  passes: number;
}

/** `text` with the edits applied; an edit overlapping an earlier one is left out. */
export function applyEdits(text: string, edits: readonly RuleTextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let output = "";
  let cursor = 0;
  for (const edit of sorted) {
    // An edit overlapping one already taken waits for the next pass, re-computed on new text.
    if (edit.range[0] < cursor) continue;
    output += text.slice(cursor, edit.range[0]) + edit.text;
    cursor = edit.range[1];
  }
  return output + text.slice(cursor);
}

/** Writes `text` to `file` through a temporary file and a rename, keeping the file's mode. */
export function writeAtomically(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.gitops-lint-${process.pid}.tmp`);
  const mode = fs.statSync(file).mode;
  try {
    fs.writeFileSync(temporary, text, { mode });
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function fixesOf(messages: readonly LintMessage[]): RuleTextEdit[] {
  return messages.flatMap((message) => (message.fix ? [message.fix] : []));
}

export async function lintAndFix(options: LintOptions): Promise<FixReport> {
  const written = new Set<string>();
  const changedOnDisk = new Set<string>();
  let outcome = await lintProject(options);
  let passes = 0;
  while (passes < maxFixPasses) {
    const files = new Map(outcome.files.map((file) => [file.path, file]));
    let wrote = false;
    for (const result of outcome.results) {
      const edits = fixesOf(result.messages);
      const file = files.get(result.filePath);
      if (edits.length === 0 || !file || changedOnDisk.has(file.path)) continue;
      const bom = file.bom ? "\uFEFF" : "";
      const fixed = bom + applyEdits(file.text, edits);
      if (fs.readFileSync(file.path, "utf8") !== bom + file.text) {
        changedOnDisk.add(file.path);
        continue;
      }
      writeAtomically(file.path, fixed);
      written.add(file.path);
      wrote = true;
    }
    if (!wrote) break;
    passes++;
    outcome = await lintProject(options);
  }
  return { outcome, written: [...written].sort(), changedOnDisk: [...changedOnDisk].sort(), passes };
}
