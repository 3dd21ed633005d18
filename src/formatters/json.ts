/**
 * The `json` format: ESLint's JSON formatter output, the result array as one line of JSON, so
 * that tools reading ESLint's JSON read ours. Keys are written in the order ESLint writes them.
 */
import type { LintMessage, LintResult, SuppressedMessage } from "../types.ts";

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
    // ESLint's field, written when a suppressions file is in use (every result has it then).
    ...(result.suppressedMessages !== undefined ? { suppressedMessages: result.suppressedMessages.map(toJsonSuppressedMessage) } : {}),
    errorCount: result.errorCount,
    fatalErrorCount: result.fatalErrorCount,
    warningCount: result.warningCount,
    fixableErrorCount: result.fixableErrorCount,
    fixableWarningCount: result.fixableWarningCount,
  };
}

function toJsonSuppressedMessage(message: SuppressedMessage): SuppressedMessage {
  return { ...toJsonMessage(message), suppressions: message.suppressions };
}

/** A fixable message's fix as gitops-lint adds it to ESLint's shape: every file it touches. */
interface JsonFix {
  /** `safe` fixes are applied by `--fix`; `unsafe` ones only with `--unsafe-fixes`. */
  safety: "safe" | "unsafe";
  edits: Array<{ filePath: string; range: [number, number]; text: string; create?: true }>;
}

// ESLint writes `fatal` only on fatal messages, and `messageId`, the end position, `fix` and
// `suggestions` only when the message has them (suggestions only when there is at least one).
// `fixes` is gitops-lint's: a fix may edit other files than the linted one, which ESLint's `fix`
// (one range of one file) cannot say, and it is safe or unsafe.
function toJsonMessage(message: LintMessage): LintMessage & { fixes?: JsonFix } {
  const { fix, suggestions, edits } = message;
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
    ...(edits !== undefined
      ? {
          fixes: {
            safety: message.unsafeFix ? "unsafe" : "safe",
            edits: edits.map((edit) => ({
              filePath: edit.file,
              range: [edit.range[0], edit.range[1]],
              text: edit.text,
              ...(edit.create ? { create: true as const } : {}),
            })),
          },
        }
      : {}),
  };
}
