import { expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import { isScalar } from "yaml";
import { applyEdits, lintAndFix } from "../src/fix.ts";
import type { GitopsRule } from "../src/rule.ts";
import { writeRepo } from "./helpers/rule-tester.ts";

/** A fixable rule: every scalar `latest` becomes `pinned`, one edit per scalar. */
const pinTags: GitopsRule<"unpinned"> = {
  meta: { type: "suggestion", fixable: "code", messages: { unpinned: "tag is not pinned" }, schema: [] },
  create(context) {
    return {
      Scalar(node) {
        if (isScalar(node) && node.value === "latest") {
          context.report({ node, messageId: "unpinned", fix: (fixer) => fixer.replaceText(node, "pinned") });
        }
      },
    };
  },
};

const rules = { "test/pin": pinTags as GitopsRule };

test("--fix writes the fixed files, reports what remains, and a second run changes nothing", async () => {
  const root = writeRepo({
    "a.yaml": "image: latest # keep this comment\nother: latest\n",
    "b.yaml": "\uFEFFimage: latest\n",
    "c.yaml": "image: 1.2.3\n",
  });
  fs.chmodSync(path.join(root, "a.yaml"), 0o640);
  const first = await lintAndFix({ cwd: root, rules });
  expect(first.written.map((file) => path.basename(file))).toEqual(["a.yaml", "b.yaml"]);
  expect(first.passes).toBe(1);
  expect(fs.readFileSync(path.join(root, "a.yaml"), "utf8")).toBe("image: pinned # keep this comment\nother: pinned\n");
  expect(fs.readFileSync(path.join(root, "b.yaml"), "utf8")).toBe("\uFEFFimage: pinned\n");
  expect(fs.readFileSync(path.join(root, "c.yaml"), "utf8")).toBe("image: 1.2.3\n");
  expect(fs.statSync(path.join(root, "a.yaml")).mode & 0o777).toBe(0o640);
  expect(first.outcome.results.flatMap((result) => result.messages)).toEqual([]);
  expect(fs.readdirSync(root).sort()).toEqual(["a.yaml", "b.yaml", "c.yaml"]);

  const second = await lintAndFix({ cwd: root, rules });
  expect(second.written).toEqual([]);
  expect(second.passes).toBe(0);
});

test("a file that changed on disk since it was read is not overwritten", async () => {
  const root = writeRepo({ "a.yaml": "image: latest\n" });
  const file = path.join(root, "a.yaml");
  const racing: GitopsRule<"unpinned"> = {
    ...pinTags,
    create(context) {
      const visitor = pinTags.create(context);
      return {
        ...visitor,
        "File:exit"() {
          fs.writeFileSync(file, "image: edited-by-someone-else\n");
        },
      };
    },
  } as GitopsRule<"unpinned">;
  const report = await lintAndFix({ cwd: root, rules: { "test/pin": racing as GitopsRule } });
  expect(report.changedOnDisk).toEqual([file]);
  expect(report.written).toEqual([]);
  expect(fs.readFileSync(file, "utf8")).toBe("image: edited-by-someone-else\n");
});

test("overlapping edits wait for the next pass", () => {
  expect(
    applyEdits("abcdef", [
      { range: [1, 3], text: "X" },
      { range: [2, 4], text: "Y" },
      { range: [5, 5], text: "Z" },
    ]),
  ).toBe("aXdeZf");
});
