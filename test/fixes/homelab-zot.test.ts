/**
 * Issue 5's acceptance on examples/homelab: zot is declared in the example's config and has no
 * other link; `--fix` (every rule, safe fixes) writes its whole chain. Golden files hold every
 * file the fix changes or creates; a second run changes no byte and leaves no zot problem.
 * `UPDATE_GOLDEN=1 bun test test/fixes/homelab-zot.test.ts` rewrites them.
 */
import { expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import { rules } from "../../rules/index.ts";
import { loadConfig } from "../../src/config.ts";
import { lintAndFix } from "../../src/fix.ts";
import { homelab, homelabDefects } from "../helpers/homelab.ts";
import { writeRepo } from "../helpers/rule-tester.ts";

const golden = path.join(import.meta.dir, "homelab-zot/after");

test("--fix on examples/homelab writes zot's whole chain, as the golden files hold, and a second run changes nothing", async () => {
  const root = writeRepo({});
  fs.cpSync(homelab, root, { recursive: true });
  const { settings } = await loadConfig({ cwd: root, root, lookup: true });
  const first = await lintAndFix({ cwd: root, rules, settings });
  const changed = [...first.changes.keys()].map((file) => path.relative(root, file).split(path.sep).join("/")).sort();
  if (process.env.UPDATE_GOLDEN) {
    fs.rmSync(golden, { recursive: true, force: true });
    for (const file of changed) {
      fs.mkdirSync(path.dirname(path.join(golden, file)), { recursive: true });
      fs.copyFileSync(path.join(root, file), path.join(golden, file));
    }
  }
  const expected = [...new Bun.Glob("**/*").scanSync({ cwd: golden, dot: true })].map((file) => file.split(path.sep).join("/")).sort();
  expect(changed).toEqual(expected);
  for (const file of expected) expect(`${file}\n${fs.readFileSync(path.join(root, file), "utf8")}`).toBe(`${file}\n${fs.readFileSync(path.join(golden, file), "utf8")}`);
  expect(first.refused).toEqual([]);
  // What remains is the README's deliberate defects but the fixed ones: defect 3 (its env var)
  // and zot's four links (rows 16-19); defect 4's fix is unsafe.
  const remaining = first.outcome.results.flatMap((result) =>
    result.messages.map((message) => `${path.relative(root, result.filePath).split(path.sep).join("/")} ${message.ruleId}`),
  );
  const fixedRows = new Set([3, 16, 17, 18, 19]);
  const expectedRemaining = homelabDefects()
    .filter((_, row) => !fixedRows.has(row + 1))
    .map((defect) => `${defect.at.split(":")[0]} ${defect.ruleId}`);
  expect(remaining.sort()).toEqual(expectedRemaining.sort());

  const second = await lintAndFix({ cwd: root, rules, settings });
  expect(second.changes.size).toBe(0);
  expect(second.passes).toBe(0);
});
