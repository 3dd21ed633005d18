/**
 * The `gitlab` format: a GitLab Code Quality report, the JSON array of Code Climate issues that
 * `artifacts:reports:codequality` reads. GitLab uses only `description`, `check_name`,
 * `fingerprint`, `severity`, `location.path` and the begin line (`location.lines.begin` or
 * `location.positions.begin.line`, an integer), and drops an issue without a description,
 * fingerprint, severity or location. Each message is one issue, severities as
 * eslint-formatter-gitlab maps ESLint's (a warning `minor`, an error `major`, a fatal parse error
 * `critical`), the path relative to the working directory (in a GitLab job, the checkout), and
 * its span as Code Climate positions. Nothing to report is an empty array.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { LintMessage, LintResult } from "../types.ts";
import type { FormatOptions } from "./index.ts";

/** Code Climate's severities, from least to most severe. */
export type CodeQualitySeverity = "info" | "minor" | "major" | "critical" | "blocker";

interface CodeQualityPosition {
  line: number;
  column: number;
}

/** Code Climate's location: a path and either a line range or a span of positions. */
type CodeQualityLocation =
  | { path: string; lines: { begin: number; end: number } }
  | { path: string; positions: { begin: CodeQualityPosition; end: CodeQualityPosition } };

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: CodeQualityLocation;
}

export function formatGitlab(results: readonly LintResult[], options: FormatOptions): string {
  const occurrences = new Map<string, number>();
  const issues = results.flatMap((result) => {
    const file = path.relative(options.cwd, result.filePath).split(path.sep).join("/");
    return result.messages.map((message) => issue(file, message, occurrences));
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}

function issue(file: string, message: LintMessage, occurrences: Map<string, number>): CodeQualityIssue {
  const checkName = message.ruleId ?? (message.fatal === true ? "fatal" : "gitops-lint");
  // Code Climate's descriptions are one line.
  const description = message.message.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/gu, " ");
  return {
    description,
    check_name: checkName,
    fingerprint: fingerprint(file, checkName, description, occurrences),
    severity: message.fatal === true ? "critical" : message.severity === 2 ? "major" : "minor",
    location: location(file, message),
  };
}

/**
 * GitLab compares the fingerprints of a merge request's report with the target branch's to tell
 * new problems from fixed ones, and keeps one issue per fingerprint. So a fingerprint leaves out
 * positions (a line added above a problem does not make it new) and severity, and stands for the
 * file, the check, the message with any "line N" it quotes masked (a message naming the other
 * entry's line shifts with it), and the occurrence: the n-th identical problem in the file,
 * counted in report order, which keeps every fingerprint of a report distinct.
 */
function fingerprint(file: string, checkName: string, description: string, occurrences: Map<string, number>): string {
  const key = [file, checkName, description.replace(/\bline \d+/gu, "line N")].join("\u0000");
  const occurrence = occurrences.get(key) ?? 0;
  occurrences.set(key, occurrence + 1);
  return createHash("sha256").update(`${key}\u0000${occurrence}`).digest("hex");
}

/**
 * The message's span as positions: 1-based lines and columns, the end column exclusive as
 * ESLint's (Code Climate does not say; eslint-formatter-gitlab writes ESLint's as they are). A
 * message without an end ends where it begins. A message without a column covers lines; one
 * without a line (a file named on the command line but ignored by the config) is put on line 1,
 * since GitLab needs a line.
 */
function location(file: string, message: LintMessage): CodeQualityLocation {
  const line = Math.max(message.line, 1);
  const { endLine, endColumn } = message;
  if (message.line < 1 || message.column < 1) {
    return { path: file, lines: { begin: line, end: endLine !== undefined && endLine > line ? endLine : line } };
  }
  const begin = { line, column: message.column };
  const endsAfter = endLine !== undefined && endColumn !== undefined && (endLine > line || (endLine === line && endColumn >= message.column));
  return { path: file, positions: { begin, end: endsAfter ? { line: endLine, column: endColumn } : begin } };
}
