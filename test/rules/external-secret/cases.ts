/**
 * What the RuleTester harness does not do yet, for the External Secrets and 1Password rules:
 * cases linted with `settings`, cases with messages in several files, and examples/homelab as a
 * valid case. Each case is checked exactly: every message of every file, in RuleTester's shape.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import { lintProject } from "../../../src/engine.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import type { LintMessage } from "../../../src/types.ts";
import { type ExpectedError, writeRepo } from "../../helpers/rule-tester.ts";

export interface ProjectCase {
  name: string;
  files: Record<string, string>;
  settings?: Record<string, unknown>;
  /** Expected messages by file; every other file must have none. */
  errors?: Record<string, ExpectedError[]>;
}

export const lines = (...text: string[]): string => `${text.join("\n")}\n`;

/** examples/homelab's files, by path. */
export function homelabFiles(): Record<string, string> {
  const root = path.resolve(import.meta.dir, "../../../examples/homelab");
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(root, full).split(path.sep).join("/")] = fs.readFileSync(full, "utf8");
  }
  return files;
}

function shape(message: LintMessage, expected: ExpectedError): Record<string, unknown> {
  const actual: Record<string, unknown> = { messageId: message.messageId, line: message.line, column: message.column };
  if (expected.endLine !== undefined) actual.endLine = message.endLine;
  if (expected.endColumn !== undefined) actual.endColumn = message.endColumn;
  if (expected.message !== undefined) actual.message = message.message;
  if (expected.severity !== undefined) actual.severity = message.severity;
  return actual;
}

export function runProjectCases(id: string, rule: GitopsRule, cases: ProjectCase[]): void {
  describe(`${id} (projects)`, () => {
    for (const project of cases) {
      test(project.name, async () => {
        const root = writeRepo(project.files);
        const outcome = await lintProject({ cwd: root, rules: { [id]: rule }, settings: project.settings });
        const byFile = new Map(outcome.results.map((result) => [path.relative(root, result.filePath).split(path.sep).join("/"), result.messages]));
        for (const [file, messages] of byFile) {
          const expected = project.errors?.[file] ?? [];
          expect({ file, messages: messages.map((message, position) => shape(message, expected[position] ?? expected[0] ?? { messageId: "", line: 0, column: 0 })) }).toEqual({
            file,
            messages: expected.map(({ data: _data, ...rest }) => rest),
          });
          expected.forEach((error, position) => {
            if (!error.data) return;
            const template = rule.meta?.messages?.[error.messageId] ?? "";
            const text = template.replace(/\{\{\s*([^{}]+?)\s*\}\}/gu, (whole, key: string) => (key in error.data! ? String(error.data![key]) : whole));
            expect(messages[position]?.message).toBe(text);
          });
        }
        for (const file of Object.keys(project.errors ?? {})) expect(byFile.has(file)).toBe(true);
      });
    }
  });
}
