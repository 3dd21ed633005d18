/**
 * Mutation tests: one mistake at a time in a correct repo, each giving exactly one new message
 * with the expected rule id and position. The base is `examples/homelab` (its four deliberate
 * defects are the baseline, subtracted from every run), linted with every rule, so a mutation
 * also proves that no other rule reports the same mistake a second time.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import { rules } from "../../rules/index.ts";
import { lintProject } from "../../src/engine.ts";
import { writeRepo } from "../helpers/rule-tester.ts";

export interface Mutation {
  name: string;
  /** The file to change, relative to examples/homelab. */
  file: string;
  /** Text to find (its first occurrence, or the `occurrence`-th, 1-based) and what replaces it. */
  find: string;
  replace: string;
  occurrence?: number;
  /** The one new message: its rule, `line:column`, and severity (default 2). */
  ruleId: string;
  at: string;
  severity?: 1 | 2;
  messageId?: string;
}

const homelab = path.resolve(import.meta.dir, "../../examples/homelab");

function key(message: { ruleId: string | null; line: number; column: number; message: string }, file: string): string {
  return `${file}|${message.ruleId}|${message.line}:${message.column}|${message.message}`;
}

async function messagesOf(root: string) {
  const outcome = await lintProject({ cwd: root, rules });
  return outcome.results.flatMap((result) =>
    result.messages.map((message) => ({ file: path.relative(root, result.filePath), message })),
  );
}

let baseline: Promise<Set<string>> | undefined;

function baselineKeys(): Promise<Set<string>> {
  baseline ??= (async () => {
    const root = writeRepo({});
    fs.cpSync(homelab, root, { recursive: true });
    return new Set((await messagesOf(root)).map(({ file, message }) => key(message, file)));
  })();
  return baseline;
}

function mutate(text: string, mutation: Mutation): string {
  let index = -1;
  for (let count = 0; count < (mutation.occurrence ?? 1); count++) {
    index = text.indexOf(mutation.find, index + 1);
    if (index === -1) throw new Error(`"${mutation.find}" not found ${mutation.occurrence ?? 1} time(s) in ${mutation.file}`);
  }
  return text.slice(0, index) + mutation.replace + text.slice(index + mutation.find.length);
}

export function runMutations(title: string, mutations: Mutation[]): void {
  describe(title, () => {
    for (const mutation of mutations) {
      test(mutation.name, async () => {
        const known = await baselineKeys();
        const root = writeRepo({});
        fs.cpSync(homelab, root, { recursive: true });
        const target = path.join(root, mutation.file);
        fs.writeFileSync(target, mutate(fs.readFileSync(target, "utf8"), mutation));
        const added = (await messagesOf(root)).filter(({ file, message }) => !known.has(key(message, file)));
        expect(
          added.map(({ file, message }) => ({
            file,
            ruleId: message.ruleId,
            at: `${message.line}:${message.column}`,
            severity: message.severity,
            ...(mutation.messageId ? { messageId: message.messageId } : {}),
          })),
        ).toEqual([
          {
            file: mutation.file,
            ruleId: mutation.ruleId,
            at: mutation.at,
            severity: mutation.severity ?? 2,
            ...(mutation.messageId ? { messageId: mutation.messageId } : {}),
          },
        ]);
      });
    }
  });
}
