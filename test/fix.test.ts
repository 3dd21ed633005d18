import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import { isScalar } from "yaml";
import { main } from "../src/cli.ts";
import { applyEdits, lintAndFix } from "../src/fix.ts";
import { projectFixer } from "../src/fixer.ts";
import type { GitopsRule } from "../src/rule.ts";
import { writeRepo } from "./helpers/rule-tester.ts";

/** A single-file fix: every scalar `latest` becomes `pinned`. */
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

/**
 * A cross-file fix: a `wants: <name>` key in any file asks for `made/<name>.yaml` to exist and
 * for `index.yaml` to list it; the fix creates the one and appends to the other.
 */
const wants: GitopsRule<"missing"> = {
  meta: { type: "problem", fixable: "code", messages: { missing: "made/{{name}}.yaml is missing" }, schema: [] },
  create(context) {
    const { index } = context.sourceCode;
    return {
      Scalar(node) {
        if (!isScalar(node) || typeof node.value !== "string" || !node.value.startsWith("wants:")) return;
        const name = node.value.slice("wants:".length);
        if (index.exists(`made/${name}.yaml`)) return;
        const list = index.files.find((file) => file.relPath === "index.yaml");
        context.report({
          node,
          messageId: "missing",
          data: { name },
          fix(fixer) {
            const project = projectFixer(fixer);
            if (!project || !list) return null;
            return [
              project.createFile(`made/${name}.yaml`, `name: ${name}\n`),
              project.inFile("index.yaml").insertTextAfterRange([list.text.length, list.text.length], `- made/${name}.yaml\n`),
            ];
          },
        });
      },
    };
  },
};

/** An unsafe fix: it changes a value someone wrote. */
const renames: GitopsRule<"rename"> = {
  meta: {
    type: "problem",
    fixable: "code",
    docs: { unsafeFixMessages: ["rename"] },
    messages: { rename: "old name" },
    schema: [],
  },
  create(context) {
    return {
      Scalar(node) {
        if (isScalar(node) && node.value === "old") context.report({ node, messageId: "rename", fix: (fixer) => fixer.replaceText(node, "new") });
      },
    };
  },
};

const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), "utf8");

describe("--fix", () => {
  test("writes the fixed files, keeps mode and byte-order mark, and a second run changes nothing", async () => {
    const root = writeRepo({
      "a.yaml": "image: latest # keep this comment\nother: latest\n",
      "b.yaml": "\uFEFFimage: latest\n",
      "c.yaml": "image: 1.2.3\n",
    });
    fs.chmodSync(path.join(root, "a.yaml"), 0o640);
    const rules = { "test/pin": pinTags as GitopsRule };
    const first = await lintAndFix({ cwd: root, rules });
    expect([...first.changes.keys()].map((file) => path.basename(file)).sort()).toEqual(["a.yaml", "b.yaml"]);
    expect(first.passes).toBe(1);
    expect(read(root, "a.yaml")).toBe("image: pinned # keep this comment\nother: pinned\n");
    expect(read(root, "b.yaml")).toBe("\uFEFFimage: pinned\n");
    expect(read(root, "c.yaml")).toBe("image: 1.2.3\n");
    expect(fs.statSync(path.join(root, "a.yaml")).mode & 0o777).toBe(0o640);
    expect(first.outcome.results.flatMap((result) => result.messages)).toEqual([]);
    expect(fs.readdirSync(root).sort()).toEqual(["a.yaml", "b.yaml", "c.yaml"]);

    const second = await lintAndFix({ cwd: root, rules });
    expect(second.changes.size).toBe(0);
    expect(second.passes).toBe(0);
  });

  test("a fix edits another file and creates one, all or nothing; a second run changes nothing", async () => {
    const root = writeRepo({ "app.yaml": "a: wants:alpha\nb: wants:beta\n", "index.yaml": "- first.yaml\n" });
    const rules = { "test/wants": wants as GitopsRule };
    const report = await lintAndFix({ cwd: root, rules });
    expect(read(root, "made/alpha.yaml")).toBe("name: alpha\n");
    expect(read(root, "made/beta.yaml")).toBe("name: beta\n");
    // Both fixes append at the end of index.yaml: the second waits for the next pass.
    expect(read(root, "index.yaml")).toBe("- first.yaml\n- made/alpha.yaml\n- made/beta.yaml\n");
    expect(report.passes).toBe(2);
    expect(report.refused).toEqual([]);
    expect(report.outcome.results.flatMap((result) => result.messages)).toEqual([]);
    const again = await lintAndFix({ cwd: root, rules });
    expect(again.changes.size).toBe(0);
  });

  test("a dry run writes nothing and reports every change, created files included", async () => {
    const root = writeRepo({ "app.yaml": "a: wants:alpha\n", "index.yaml": "- first.yaml\n" });
    const report = await lintAndFix({ cwd: root, rules: { "test/wants": wants as GitopsRule }, dryRun: true });
    expect(fs.existsSync(path.join(root, "made"))).toBe(false);
    expect(read(root, "index.yaml")).toBe("- first.yaml\n");
    expect(Object.fromEntries([...report.changes].map(([file, change]) => [path.relative(root, file), change]))).toEqual({
      "index.yaml": { before: "- first.yaml\n", after: "- first.yaml\n- made/alpha.yaml\n" },
      "made/alpha.yaml": { before: undefined, after: "name: alpha\n" },
    });
    // The dry run lints its fixed texts: nothing is left to fix.
    expect(report.outcome.results.flatMap((result) => result.messages)).toEqual([]);
  });

  test("unsafe fixes only with unsafeFixes; --fix-type filters by rule type", async () => {
    const root = writeRepo({ "a.yaml": "name: old\nimage: latest\n" });
    const rules = { "test/rename": renames as GitopsRule, "test/pin": pinTags as GitopsRule };
    await lintAndFix({ cwd: root, rules, types: new Set(["problem"]) });
    expect(read(root, "a.yaml")).toBe("name: old\nimage: latest\n");
    await lintAndFix({ cwd: root, rules, types: new Set(["suggestion"]) });
    expect(read(root, "a.yaml")).toBe("name: old\nimage: pinned\n");
    await lintAndFix({ cwd: root, rules, unsafeFixes: true });
    expect(read(root, "a.yaml")).toBe("name: new\nimage: pinned\n");
  });

  test("a file that changed on disk since it was read is not overwritten", async () => {
    const root = writeRepo({ "a.yaml": "image: latest\n" });
    const file = path.join(root, "a.yaml");
    const racing: GitopsRule<"unpinned"> = {
      ...pinTags,
      create(context) {
        return {
          ...pinTags.create(context),
          "File:exit"() {
            fs.writeFileSync(file, "image: edited-by-someone-else\n");
          },
        };
      },
    } as GitopsRule<"unpinned">;
    const report = await lintAndFix({ cwd: root, rules: { "test/pin": racing as GitopsRule } });
    expect(report.refused).toEqual([{ file, reason: "it changed on disk while it was being linted" }]);
    expect(report.changes.size).toBe(0);
    expect(read(root, "a.yaml")).toBe("image: edited-by-someone-else\n");
  });

  test("a read-only file is not written, and the CLI says so and exits 2", async () => {
    const root = writeRepo({ "a.yaml": "image: latest\n" });
    const file = path.join(root, "a.yaml");
    fs.chmodSync(file, 0o444);
    const report = await lintAndFix({ cwd: root, rules: { "test/pin": pinTags as GitopsRule } });
    expect(report.refused).toEqual([{ file, reason: "it is read-only" }]);
    expect(read(root, "a.yaml")).toBe("image: latest\n");
  });

  test("a fix may not write outside the linted root", async () => {
    const escaping: GitopsRule<"out"> = {
      meta: { type: "problem", fixable: "code", messages: { out: "out" }, schema: [] },
      create(context) {
        return {
          File(file) {
            if (file.relPath !== "a.yaml") return;
            context.report({
              loc: { line: 1, column: 1 },
              messageId: "out",
              fix: (fixer) => projectFixer(fixer)?.createFile("../escaped.yaml", "x: 1\n") ?? null,
            });
          },
        };
      },
    };
    const root = writeRepo({ "a.yaml": "a: 1\n" });
    const report = await lintAndFix({ cwd: root, rules: { "test/out": escaping as GitopsRule } });
    expect(report.outcome.internalErrors).toBe(1);
    expect(fs.existsSync(path.join(root, "../escaped.yaml"))).toBe(false);
  });
});

describe("CLI", () => {
  test("--fix-dry-run prints a unified diff, writes nothing; --fix-type must be known", async () => {
    let stdout = "";
    let stderr = "";
    const io = { cwd: "", env: {}, isTTY: false, stdout: (text: string) => (stdout += text), stderr: (text: string) => (stderr += text) };
    const root = writeRepo({ "a.yaml": "a: 1\n" });
    expect(await main(["--fix-dry-run", "--no-color"], { ...io, cwd: root })).toBe(0);
    expect(stdout).toBe("");
    expect(await main(["--fix", "--fix-type", "problme"], { ...io, cwd: root })).toBe(2);
    expect(stderr).toContain('unknown fix type "problme": use problem, suggestion, layout');
  });
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

test("dry-run diffs are unified diffs, created files against /dev/null", async () => {
  const { unifiedDiffs } = await import("../src/formatters/diff.ts");
  const diff = unifiedDiffs(
    new Map([
      ["/repo/index.yaml", { before: "- first.yaml\n", after: "- first.yaml\n- made/alpha.yaml\n" }],
      ["/repo/made/alpha.yaml", { before: undefined, after: "name: alpha\n" }],
    ]),
    "/repo",
  );
  expect(diff).toBe(
    [
      "--- a/index.yaml",
      "+++ b/index.yaml",
      "@@ -1,1 +1,2 @@",
      " - first.yaml",
      "+- made/alpha.yaml",
      "--- /dev/null",
      "+++ b/made/alpha.yaml",
      "@@ -0,0 +1,1 @@",
      "+name: alpha",
      "",
    ].join("\n"),
  );
});

test("an I/O error while writing leaves that file as it was, is reported, and other files are still fixed", async () => {
  const root = writeRepo({ "a.yaml": "image: latest\n", "b.yaml": "image: latest\n" });
  const rename = fs.renameSync;
  fs.renameSync = ((from: fs.PathLike, to: fs.PathLike) => {
    if (String(to).endsWith("a.yaml")) throw new Error("EIO: i/o error, rename");
    rename(from, to);
  }) as typeof fs.renameSync;
  try {
    const report = await lintAndFix({ cwd: root, rules: { "test/pin": pinTags as GitopsRule } });
    expect(report.refused).toEqual([{ file: path.join(root, "a.yaml"), reason: "it could not be written: EIO: i/o error, rename" }]);
  } finally {
    fs.renameSync = rename;
  }
  expect(read(root, "a.yaml")).toBe("image: latest\n");
  expect(read(root, "b.yaml")).toBe("image: pinned\n");
  // No temporary file is left behind.
  expect(fs.readdirSync(root).sort()).toEqual(["a.yaml", "b.yaml"]);
});
