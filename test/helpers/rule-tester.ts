/**
 * RuleTester in ESLint's shape, for cross-file rules: each case is a small repo (files by path)
 * and the file whose messages are checked. The repo is written to a temporary directory and
 * linted by the real engine, so discovery, parsing and the index are exercised too.
 */
import { afterAll, describe, expect, test } from "bun:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { lintProject } from "../../src/engine.ts";
import type { GitopsRule } from "../../src/rule.ts";
import type { LintMessage } from "../../src/types.ts";

export interface ValidCase {
  name?: string;
  /** The repo: file contents by path relative to its root. */
  files: Record<string, string>;
  /** The file checked for messages; default: every file. */
  filename?: string;
}

export interface ExpectedError {
  messageId: string;
  data?: Record<string, string | number>;
  /** The exact message text, where it matters. */
  message?: string;
  severity?: 1 | 2;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface InvalidCase extends ValidCase {
  filename: string;
  errors: ExpectedError[];
}

const roots: string[] = [];

afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

/** Writes a repo to a new temporary directory and returns its path. */
export function writeRepo(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-test-"));
  roots.push(root);
  for (const [relative, text] of Object.entries(files)) {
    const target = path.join(root, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  return root;
}

/** Lints a repo with only `rule` on and returns the messages by relative path. */
export async function lintWith(id: string, rule: GitopsRule, files: Record<string, string>): Promise<Map<string, LintMessage[]>> {
  const root = writeRepo(files);
  const outcome = await lintProject({ cwd: root, rules: { [id]: rule } });
  return new Map(outcome.results.map((result) => [path.relative(root, result.filePath).split(path.sep).join("/"), result.messages]));
}

/** Drops the keys a case did not state, so it asserts exactly what it names. */
function comparable(message: LintMessage, expected: ExpectedError): Record<string, unknown> {
  const actual: Record<string, unknown> = {
    messageId: message.messageId,
    line: message.line,
    column: message.column,
  };
  if (expected.endLine !== undefined) actual.endLine = message.endLine;
  if (expected.endColumn !== undefined) actual.endColumn = message.endColumn;
  if (expected.message !== undefined) actual.message = message.message;
  if (expected.severity !== undefined) actual.severity = message.severity;
  return actual;
}

export function runRuleTests(id: string, rule: GitopsRule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(id, () => {
    describe("valid", () => {
      cases.valid.forEach((valid, index) => {
        test(valid.name ?? `valid #${index + 1}`, async () => {
          const messages = await lintWith(id, rule, valid.files);
          const selected = valid.filename ? (messages.get(valid.filename) ?? []) : [...messages.values()].flat();
          expect(selected).toEqual([]);
        });
      });
    });
    describe("invalid", () => {
      cases.invalid.forEach((invalid, index) => {
        test(invalid.name ?? `invalid #${index + 1}`, async () => {
          const messages = await lintWith(id, rule, invalid.files);
          const actual = messages.get(invalid.filename) ?? [];
          expect(actual.filter((message) => message.fatal)).toEqual([]);
          expect(actual.map((message, position) => comparable(message, invalid.errors[position] ?? invalid.errors[0]!))).toEqual(
            invalid.errors.map(({ data: _data, ...expected }) => expected),
          );
          invalid.errors.forEach((expected, position) => {
            if (!expected.data) return;
            const template = rule.meta?.messages?.[expected.messageId] ?? "";
            const text = template.replace(/\{\{\s*([^{}]+?)\s*\}\}/gu, (whole, key: string) =>
              key in expected.data! ? String(expected.data![key]) : whole,
            );
            expect(actual[position]?.message).toBe(text);
          });
          for (const [other, list] of messages) {
            if (other !== invalid.filename) expect({ file: other, messages: list }).toEqual({ file: other, messages: [] });
          }
        });
      });
    });
  });
}
