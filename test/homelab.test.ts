/**
 * examples/homelab gets exactly the messages its README lists, each once, at its place: with
 * every rule on, and with each rule alone (so that no rule relies on another to stay quiet).
 */
import { describe, expect, test } from "bun:test";
import path from "node:path";
import { rules } from "../rules/index.ts";
import { loadConfig } from "../src/config.ts";
import { lintProject } from "../src/engine.ts";
import { homelab, homelabDefects } from "./helpers/homelab.ts";

async function messagesAt(selected: typeof rules): Promise<string[]> {
  // The example's own config declares zot, the client --fix creates.
  const { settings } = await loadConfig({ cwd: homelab, root: homelab, lookup: true });
  const outcome = await lintProject({ cwd: homelab, rules: selected, settings });
  return outcome.results
    .flatMap((result) =>
      result.messages.map((message) => `${path.relative(homelab, result.filePath)}:${message.line}:${message.column} ${message.ruleId}`),
    )
    .sort();
}

describe("examples/homelab", () => {
  test("the README lists a deliberate defect for every cross-file rule", () => {
    const listed = new Set(homelabDefects().map((defect) => defect.ruleId));
    const crossFile = Object.keys(rules).filter((id) => !id.startsWith("schema/"));
    expect(crossFile.filter((id) => !listed.has(id))).toEqual([]);
  });

  test("with every rule on: exactly the listed defects", async () => {
    expect(await messagesAt(rules)).toEqual(homelabDefects().map((defect) => `${defect.at} ${defect.ruleId}`).sort());
  });

  for (const [id, rule] of Object.entries(rules)) {
    test(`${id} alone: exactly its listed defects`, async () => {
      const expected = homelabDefects()
        .filter((defect) => defect.ruleId === id)
        .map((defect) => `${defect.at} ${id}`)
        .sort();
      expect(await messagesAt({ [id]: rule })).toEqual(expected);
    });
  }
});
