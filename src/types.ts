/**
 * Shapes shared by every stage: positions, lint messages and per-file results.
 * They follow ESLint's public shapes (`LintMessage`, `LintResult`) so that the JSON output and
 * the formatters read like ESLint's. Lines and columns are 1-based everywhere.
 */
import type { LintMessage as CoreLintMessage, RuleTextEdit } from "@eslint/core";
import type { FileEdit } from "./fixer.ts";

export type { RuleTextEdit } from "@eslint/core";

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units as ESLint counts them. */
  column: number;
}

export interface SourceLocation {
  start: Position;
  end: Position;
}

/** Offsets `[start, end)` into a file's text. */
export type SourceRange = [number, number];

/** 1 = warning, 2 = error, as in ESLint. */
export type Severity = 1 | 2;

export interface LintMessage extends CoreLintMessage {
  severity: Severity;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fix?: RuleTextEdit;
  /** The reported span is a secret's value: code frames mask it. Never serialised. */
  secretSpan?: true;
  /** Every edit of the fix, in every file it touches (ESLint's `fix` holds one file's only). */
  edits?: FileEdit[];
  /** The fix changes a value someone wrote: applied only with `--unsafe-fixes`. */
  unsafeFix?: true;
  /**
   * The other files the problem involves, absolute and sorted: every link of the chain the rule
   * followed (a path that does not exist, or a directory, where the link names one).
   * `--only-files` and `--changed-since` keep the message when any of them, or its own file, is
   * among the files given. Only the SARIF formatter writes them (as `relatedLocations`).
   */
  relatedFiles?: string[];
}

export interface LintResult {
  /** Absolute path of the file. */
  filePath: string;
  messages: LintMessage[];
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  /** The file's text, kept for code frames; never serialised by the JSON formatter. */
  source?: string;
  /** Errors the suppressions file covers (ESLint's field); set on every result when one is in use. */
  suppressedMessages?: SuppressedMessage[];
}

/** A suppressed message, as ESLint's: `kind` is `file` for the suppressions file. */
export interface SuppressedMessage extends LintMessage {
  suppressions: Array<{ kind: "directive" | "file"; justification: string }>;
}
