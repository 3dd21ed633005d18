/**
 * The `github` format: one GitHub Actions workflow command per message,
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=<rule id>::<message>` (`::warning`
 * for a warning), which GitHub shows as annotations on the run and on the pull request's diff.
 * GitHub shows only the first few dozen annotations of a job, so the commands are followed by
 * the whole stylish report (colour off): the log always carries every problem, with its code
 * frame. Paths are relative to the working directory, which in a workflow is the checkout.
 */
import path from "node:path";
import type { LintMessage, LintResult } from "../types.ts";
import type { FormatOptions } from "./index.ts";
import { formatStylish } from "./stylish.ts";

/** A command's message: `%`, CR and LF escaped as the runner decodes them. */
export function escapeData(text: string): string {
  return text.replace(/%/gu, "%25").replace(/\r/gu, "%0D").replace(/\n/gu, "%0A");
}

/** A command property's value: also `:` and `,`, which end a property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/gu, "%3A").replace(/,/gu, "%2C");
}

export function formatGithub(results: readonly LintResult[], options: FormatOptions): string {
  const commands = results.flatMap((result) => result.messages.map((message) => command(result, message, options.cwd)));
  if (commands.length === 0) return "";
  return `${commands.join("\n")}\n${formatStylish(results, { ...options, color: false })}`;
}

function command(result: LintResult, message: LintMessage, cwd: string): string {
  const kind = message.fatal === true || message.severity === 2 ? "error" : "warning";
  const properties: Array<[string, string | number]> = [["file", path.relative(cwd, result.filePath).split(path.sep).join("/")]];
  if (message.line >= 1) {
    properties.push(["line", message.line]);
    // GitHub rejects `col`/`endColumn` on a span over several lines, and an end before the start.
    const endLine = message.endLine !== undefined && message.endLine >= message.line ? message.endLine : undefined;
    const oneLine = endLine === undefined || endLine === message.line;
    if (oneLine && message.column >= 1) properties.push(["col", message.column]);
    if (endLine !== undefined) properties.push(["endLine", endLine]);
    if (oneLine && endLine !== undefined && message.column >= 1 && message.endColumn !== undefined && message.endColumn >= message.column) {
      properties.push(["endColumn", message.endColumn]);
    }
  }
  if (message.ruleId) properties.push(["title", message.ruleId]);
  const list = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(",");
  return `::${kind} ${list}::${escapeData(message.message)}`;
}
