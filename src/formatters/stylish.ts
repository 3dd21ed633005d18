/**
 * The `stylish` format, the default: ESLint's stylish layout (a block per file with aligned
 * `line:col  severity  message  rule` rows, then a summary) with a code frame under each message
 * as actionlint prints it, the source line and a `^~~~` marker under the exact span.
 */
import { redactSecrets } from "./redact.ts";
import { relative } from "node:path";
import { createColors } from "picocolors";
import type { LintMessage, LintResult } from "../types.ts";
import type { FormatOptions } from "./index.ts";

type Colors = ReturnType<typeof createColors>;

/** Frames sit under their message row, indented past the row's own two-space indent. */
const FRAME_INDENT = "    ";

export function formatStylish(results: readonly LintResult[], options: FormatOptions): string {
  const colors = createColors(options.color);
  let output = "";
  let errorCount = 0;
  let warningCount = 0;
  let fixableErrorCount = 0;
  let fixableWarningCount = 0;

  for (const result of results) {
    if (result.messages.length === 0) continue;
    errorCount += result.errorCount;
    warningCount += result.warningCount;
    fixableErrorCount += result.fixableErrorCount;
    fixableWarningCount += result.fixableWarningCount;
    output += `\n${colors.underline(relative(options.cwd, result.filePath))}\n`;
    output += `${formatFile(result, colors).join("\n")}\n`;
  }

  const total = errorCount + warningCount;
  // Errors the baseline covers are not listed, only counted, so that the report says they exist.
  const suppressed = results.reduce((sum, result) => sum + (result.suppressedMessages?.length ?? 0), 0);
  const suppressedLine = `${suppressed} ${pluralize("problem", suppressed)} suppressed by ${options.suppressionsFile ?? "the suppressions file"}`;
  if (total === 0) return suppressed === 0 ? "" : `${colors.dim(suppressedLine)}\n`;

  const summaryColor = errorCount > 0 ? colors.red : colors.yellow;
  const summary =
    `\u2716 ${total} ${pluralize("problem", total)} ` +
    `(${errorCount} ${pluralize("error", errorCount)}, ` +
    `${warningCount} ${pluralize("warning", warningCount)})`;
  output += `\n${summaryColor(colors.bold(summary))}\n`;
  if (fixableErrorCount > 0 || fixableWarningCount > 0) {
    const fixable =
      `  ${fixableErrorCount} ${pluralize("error", fixableErrorCount)} and ` +
      `${fixableWarningCount} ${pluralize("warning", fixableWarningCount)} ` +
      "potentially fixable with the `--fix` option.";
    output += `${summaryColor(colors.bold(fixable))}\n`;
  }
  // As ruff does: fixes that change a value someone wrote are applied only on request.
  const unsafe = results.reduce((sum, result) => sum + result.messages.filter((message) => message.edits && message.unsafeFix).length, 0);
  if (unsafe > 0) {
    const line = `  ${unsafe} more ${pluralize("problem", unsafe)} fixable with the \`--fix --unsafe-fixes\` options.`;
    output += `${summaryColor(colors.bold(line))}\n`;
  }
  if (suppressed > 0) output += `  ${colors.dim(suppressedLine)}\n`;
  return output;
}

interface Row {
  message: LintMessage;
  line: string;
  column: string;
  severity: "error" | "warning";
  text: string;
  ruleId: string;
}

/**
 * One file's rows and frames. The columns are padded the way ESLint's `text-table` lays them
 * out: cells joined by two spaces, the line number right-aligned and the column left-aligned
 * around the `:`, trailing blanks trimmed (so a fatal message, which has no rule id, ends with
 * its text).
 */
function formatFile(result: LintResult, colors: Colors): string[] {
  const rows: Row[] = result.messages.map((message) => ({
    message,
    line: String(message.line || 0),
    column: String(message.column || 0),
    severity: isError(message) ? "error" : "warning",
    // As ESLint's stylish: one trailing period is dropped, unless a space precedes it.
    text: message.message.replace(/([^ ])\.$/u, "$1"),
    ruleId: message.ruleId ?? "",
  }));
  const lineWidth = maxLength(rows.map((row) => row.line));
  const columnWidth = maxLength(rows.map((row) => row.column));
  const severityWidth = maxLength(rows.map((row) => row.severity));
  const textWidth = maxLength(rows.map((row) => row.text));
  const sourceLines = result.source?.split("\n");

  const lines: string[] = [];
  for (const row of rows) {
    const severityColor = row.severity === "error" ? colors.red : colors.yellow;
    const cells = [
      "",
      spaces(lineWidth - row.line.length) +
        colors.dim(`${row.line}:${row.column}`) +
        spaces(columnWidth - row.column.length),
      severityColor(row.severity) + spaces(severityWidth - row.severity.length),
      row.text + spaces(textWidth - row.text.length),
      row.ruleId === "" ? "" : colors.dim(row.ruleId),
    ];
    lines.push(cells.join("  ").replace(/\s+$/u, ""));
    if (sourceLines !== undefined) {
      lines.push(...codeFrame(sourceLines, row.message, lineWidth, severityColor, colors));
    }
  }
  return lines;
}

/**
 * The source line of the message's start and a marker line: `^` at the start column and `~` up
 * to the exclusive end column, or to the end of the line when the span goes on to later lines.
 * Without a line to show (no such line, or a column past its end) there is no frame.
 */
function codeFrame(
  sourceLines: readonly string[],
  message: LintMessage,
  numberWidth: number,
  markerColor: Colors["red"],
  colors: Colors,
): string[] {
  const raw = sourceLines[message.line - 1];
  if (raw === undefined) return [];
  // Lines are split on "\n" only, as YAML positions count them; the "\r" of a CRLF is not shown.
  const redacted = redactSecrets(raw.endsWith("\r") ? raw.slice(0, -1) : raw);
  const start = message.column - 1;
  if (start < 0 || start > redacted.length) return [];

  let end = start + 1;
  if (message.endLine !== undefined && message.endLine > message.line) {
    end = redacted.length;
  } else if (message.endLine === message.line && message.endColumn !== undefined) {
    end = Math.min(message.endColumn - 1, redacted.length);
  }
  // A span the rule says is a secret is masked whatever the line looks like.
  const text = message.secretSpan
    ? redacted.slice(0, start) + redacted.slice(start, end).replace(/[^\s"']/gu, "*") + redacted.slice(end)
    : redacted;

  // Columns count UTF-16 units but a terminal shows one cell per code point, so the marker is
  // measured in code points. Tabs before the caret stay tabs so that it lands under the token.
  const before = Array.from(text.slice(0, start), (char) => (char === "\t" ? "\t" : " ")).join("");
  const spanWidth = Array.from(text.slice(start, end)).length;
  const marker = `^${"~".repeat(Math.max(spanWidth - 1, 0))}`;

  const number = String(message.line);
  const gutter = colors.dim(`${spaces(numberWidth - number.length)}${number} |`);
  return [
    `${FRAME_INDENT}${gutter}${text === "" ? "" : ` ${text}`}`,
    `${FRAME_INDENT}${colors.dim(`${spaces(numberWidth)} |`)} ${before}${markerColor(marker)}`,
  ];
}

function isError(message: LintMessage): boolean {
  return message.fatal === true || message.severity === 2;
}

function pluralize(word: string, count: number): string {
  return count === 1 ? word : `${word}s`;
}

function spaces(count: number): string {
  return " ".repeat(Math.max(count, 0));
}

function maxLength(values: readonly string[]): number {
  return values.reduce((max, value) => Math.max(max, value.length), 0);
}
