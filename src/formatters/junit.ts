/**
 * The `junit` format: a JUnit XML report laid out as ESLint's junit formatter lays it out, for
 * CI systems that show test reports (GitLab's `artifacts:reports:junit`, Jenkins): a
 * `testsuite` per linted file, a `testcase` per message holding a `failure` (an `error` for a
 * fatal message) with the position, severity, text and rule, and a file without problems as
 * one empty, passing `testcase`. Names are paths relative to the working directory.
 */
import path from "node:path";
import type { LintMessage, LintResult } from "../types.ts";
import type { FormatOptions } from "./index.ts";

/**
 * Text for an XML attribute or element. Characters XML 1.0 cannot hold at all (other control
 * characters, lone surrogates) are dropped; tab, CR and LF are written as character references
 * so that attribute values keep them.
 */
export function xmlEscape(text: string): string {
  return text
    // With the `u` flag a surrogate pair is one code point: only lone surrogates match here.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu, "")
    .replace(/[<>&"'\t\n\r]/gu, (char) => {
      switch (char) {
        case "<":
          return "&lt;";
        case ">":
          return "&gt;";
        case "&":
          return "&amp;";
        case '"':
          return "&quot;";
        case "'":
          return "&apos;";
        default:
          return `&#${char.charCodeAt(0)};`;
      }
    });
}

export function formatJunit(results: readonly LintResult[], options: FormatOptions): string {
  let output = '<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n';
  for (const result of results) {
    const relPath = path.relative(options.cwd, result.filePath).split(path.sep).join("/");
    const name = xmlEscape(relPath);
    const classname = xmlEscape(withoutExtension(relPath));
    const { messages } = result;
    if (messages.length === 0) {
      output += `<testsuite package="gitops-lint" time="0" tests="1" errors="0" failures="0" name="${name}">\n`;
      output += `<testcase time="0" name="${name}" classname="${classname}" />\n`;
      output += "</testsuite>\n";
      continue;
    }
    const fatal = messages.filter((message) => message.fatal === true).length;
    output += `<testsuite package="gitops-lint" time="0" tests="${messages.length}" errors="${fatal}" failures="${messages.length - fatal}" name="${name}">\n`;
    for (const message of messages) output += testcase(message, classname);
    output += "</testsuite>\n";
  }
  return `${output}</testsuites>\n`;
}

function testcase(message: LintMessage, classname: string): string {
  const type = message.fatal === true ? "error" : "failure";
  const severity = message.fatal === true || message.severity === 2 ? "Error" : "Warning";
  const text = xmlEscape(message.message);
  const rule = message.ruleId ? ` (${xmlEscape(message.ruleId)})` : "";
  const body = `line ${message.line || 0}, col ${message.column || 0}, ${severity} - ${text}${rule}`;
  return (
    `<testcase time="0" name="gitops-lint.${xmlEscape(message.ruleId ?? "unknown")}" classname="${classname}">` +
    `<${type} message="${text}">${body}</${type}></testcase>\n`
  );
}

function withoutExtension(file: string): string {
  const extension = path.posix.extname(file);
  return extension === "" ? file : file.slice(0, -extension.length);
}
