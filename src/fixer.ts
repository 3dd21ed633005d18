/**
 * The fixer a rule's `fix` receives. For the file being linted it is `@eslint/core`'s
 * `RuleTextEditor`, so single-file fixes are plain ESLint fixes; gitops-lint's engine adds
 * `inFile` (edits to another file of the repo) and `createFile`, since wiring one link often
 * means writing in another file. Every edit carries its file; the engine keeps ESLint's merged
 * `fix` for single-file fixes and the list of file edits for all.
 */
import path from "node:path";
import type { RuleTextEdit, RuleTextEditor } from "@eslint/core";
import type { Reportable } from "./language/source-code.ts";
import type { SourceRange } from "./types.ts";

/** One edit of one file; `create` marks a file that does not exist yet (range [0, 0]). */
export interface FileEdit extends RuleTextEdit {
  /** Absolute path. */
  file: string;
  create?: true;
}

export interface GitopsFixer extends RuleTextEditor<Reportable> {
  /** An editor for another file of the repo, by its path relative to the repo root. */
  inFile(relPath: string): RuleTextEditor<Reportable>;
  /** Creates a file of the repo, by its path relative to the repo root. */
  createFile(relPath: string, text: string): RuleTextEdit;
}

/** The project fixer, when the rule runs in gitops-lint's engine (ESLint passes a plain one). */
export function projectFixer(fixer: RuleTextEditor): GitopsFixer | undefined {
  return "inFile" in fixer && "createFile" in fixer ? (fixer as unknown as GitopsFixer) : undefined;
}

export interface FixerContext {
  /** The file being linted (absolute). */
  file: string;
  root: string;
  /** A reportable's file offsets, when it is a value of the file at `absolutePath`. */
  rangeOf(element: Reportable, absolutePath: string): SourceRange;
}

function editorFor(file: string, context: FixerContext): RuleTextEditor<Reportable> {
  const edit = (range: SourceRange, text: string): FileEdit => ({ file, range, text });
  const insert = (offset: number, text: string): FileEdit => edit([offset, offset], text);
  const rangeOf = (element: Reportable): SourceRange => context.rangeOf(element, file);
  return {
    insertTextAfter: (element, text) => insert(rangeOf(element)[1], text),
    insertTextAfterRange: (range, text) => insert(range[1], text),
    insertTextBefore: (element, text) => insert(rangeOf(element)[0], text),
    insertTextBeforeRange: (range, text) => insert(range[0], text),
    remove: (element) => edit(rangeOf(element), ""),
    removeRange: (range) => edit(range, ""),
    replaceText: (element, text) => edit(rangeOf(element), text),
    replaceTextRange: (range, text) => edit(range, text),
  };
}

/** Resolves a repo-relative path, refusing any path that leaves the root. */
export function insideRoot(root: string, relPath: string): string {
  const absolute = path.resolve(root, relPath);
  const relative = path.relative(root, absolute);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new Error(`a fix may not write outside the linted root: ${relPath}`);
  }
  return absolute;
}

export function createFixer(context: FixerContext): GitopsFixer {
  return {
    ...editorFor(context.file, context),
    inFile: (relPath) => editorFor(insideRoot(context.root, relPath), context),
    createFile: (relPath, text) => ({ file: insideRoot(context.root, relPath), range: [0, 0], text, create: true }) satisfies FileEdit,
  };
}

/** Several edits of one file become one, as ESLint merges a fix; overlapping edits are a rule bug. */
export function mergeEdits(text: string, edits: readonly RuleTextEdit[]): RuleTextEdit | undefined {
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
