/**
 * The `json` format: ESLint's JSON formatter output, the result array as one line of JSON, so
 * that tools reading ESLint's JSON read ours. Keys are written in the order ESLint writes them.
 */
import type { LintMessage, LintResult } from "../types.ts";

type JsonResult = Omit<LintResult, "source">;

export function formatJson(results: readonly LintResult[]): string {
  return JSON.stringify(results.map(toJsonResult));
}

// Built key by key rather than copied so that `source` (kept for code frames) and any other
// in-memory property never reaches the output.
function toJsonResult(result: LintResult): JsonResult {
  return {
    filePath: result.filePath,
    messages: result.messages.map(toJsonMessage),
    errorCount: result.errorCount,
    fatalErrorCount: result.fatalErrorCount,
    warningCount: result.warningCount,
    fixableErrorCount: result.fixableErrorCount,
    fixableWarningCount: result.fixableWarningCount,
  };
}

// ESLint writes `fatal` only on fatal messages, and `messageId`, the end position, `fix` and
// `suggestions` only when the message has them (suggestions only when there is at least one).
function toJsonMessage(message: LintMessage): LintMessage {
  const { fix, suggestions } = message;
  return {
    ruleId: message.ruleId,
    ...(message.fatal === true ? { fatal: true } : {}),
    severity: message.severity,
    message: message.message,
    line: message.line,
    column: message.column,
    ...(message.messageId !== undefined ? { messageId: message.messageId } : {}),
    ...(message.endLine !== undefined ? { endLine: message.endLine } : {}),
    ...(message.endColumn !== undefined ? { endColumn: message.endColumn } : {}),
    ...(fix !== undefined ? { fix: { range: fix.range, text: fix.text } } : {}),
    ...(suggestions !== undefined && suggestions.length > 0 ? { suggestions } : {}),
  };
}
