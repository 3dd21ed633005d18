/**
 * The rule docs' examples are run: every "Incorrect" example gets at least one message of its
 * rule, every "Correct" one none. An example is a set of files, each a "`path`:" line followed
 * by a fenced yaml block.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import { rules } from "../rules/index.ts";
import { lintWith } from "./helpers/rule-tester.ts";

const docsRoot = path.resolve(import.meta.dir, "../docs/rules");

function examples(markdown: string, heading: "Incorrect" | "Correct"): Record<string, string> {
  const section = markdown.split(/^### /mu).find((part) => part.startsWith(`${heading}\n`)) ?? "";
  const files: Record<string, string> = {};
  for (const match of section.matchAll(/^`([^`]+)`:\n```ya?ml\n([\s\S]*?)^```$/gmu)) files[match[1]!] = match[2]!;
  return files;
}

describe("rule docs", () => {
  for (const [id, rule] of Object.entries(rules)) {
    const file = path.join(docsRoot, `${id}.md`);
    test(`${id} has a doc page at its meta.docs.url`, () => {
      expect(fs.existsSync(file)).toBe(true);
      expect(rule.meta?.docs?.url).toBe(`docs/rules/${id}.md`);
    });
    const markdown = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    test(`${id}: the incorrect example is reported`, async () => {
      const files = examples(markdown, "Incorrect");
      expect(Object.keys(files).length).toBeGreaterThan(0);
      const messages = [...(await lintWith(id, rule, files)).values()].flat();
      expect(messages.filter((message) => message.fatal)).toEqual([]);
      expect(messages.filter((message) => message.ruleId === id).length).toBeGreaterThan(0);
    });
    test(`${id}: the correct example is clean`, async () => {
      const files = examples(markdown, "Correct");
      expect(Object.keys(files).length).toBeGreaterThan(0);
      expect([...(await lintWith(id, rule, files)).values()].flat()).toEqual([]);
    });
  }
});
