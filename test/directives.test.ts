import { expect, test } from "bun:test";
import { isScalar } from "yaml";
import { parseDirectiveComment } from "../src/directives.ts";
import { lintProject } from "../src/engine.ts";
import type { GitopsRule } from "../src/rule.ts";
import type { Severity } from "../src/types.ts";
import { writeRepo } from "./helpers/rule-tester.ts";

/** `test/a` reports every scalar `a`, `test/b` every scalar `b`, `test/t` every template variable `t`. */
function scalarRule(value: string): GitopsRule {
  const rule: GitopsRule<"found"> = {
    meta: { type: "problem", messages: { found: `found ${value}` }, schema: [] },
    create(context) {
      return {
        Scalar(node) {
          if (isScalar(node) && node.value === value) context.report({ node, messageId: "found" });
        },
      };
    },
  };
  return rule as GitopsRule;
}

const templateRule: GitopsRule = {
  meta: { type: "problem", messages: { found: "found t" }, schema: [] },
  create(context) {
    return {
      AnsibleTemplate(file) {
        for (const variable of file.variables) {
          if (variable.name !== "t") continue;
          const start = file.source.position(variable.range[0]);
          context.report({ loc: start, messageId: "found" });
        }
      },
    };
  },
} as GitopsRule;

const rules = { "test/a": scalarRule("a"), "test/b": scalarRule("b"), "test/t": templateRule };

async function lint(files: Record<string, string>, reportUnused?: Severity): Promise<Array<[number, string | null, string]>> {
  const root = writeRepo(files);
  const outcome = await lintProject({ cwd: root, rules, reportUnusedDisableDirectives: reportUnused });
  return outcome.results.flatMap((result) => result.messages.map((m): [number, string | null, string] => [m.line, m.ruleId ?? null, m.message]));
}

test("parses directive comments with rule lists and -- reasons", () => {
  expect(parseDirectiveComment(" gitops-lint-disable-next-line test/a, test/b -- legacy value")).toEqual({
    kind: "disable-next-line",
    rules: ["test/a", "test/b"],
    reason: "legacy value",
  });
  expect(parseDirectiveComment("gitops-lint-disable -- all of it")).toEqual({ kind: "disable", rules: [], reason: "all of it" });
  expect(parseDirectiveComment("gitops-lint-enable")).toEqual({ kind: "enable", rules: [] });
  expect(parseDirectiveComment("gitops-lint-disable-file test/a")).toEqual({ kind: "disable-file", rules: ["test/a"] });
  expect(parseDirectiveComment("gitops-lint-disabled")).toBeUndefined();
  expect(parseDirectiveComment("see gitops-lint-disable")).toBeUndefined();
});

test("without directives every message is reported", async () => {
  expect(await lint({ "x.yaml": "k1: a\nk2: b\n" })).toEqual([
    [1, "test/a", "found a"],
    [2, "test/b", "found b"],
  ]);
});

test("disable-next-line and disable-line silence the named rules on their line only", async () => {
  const text = [
    "# gitops-lint-disable-next-line test/a -- known",
    "k1: a",
    "k2: a",
    "k3: b # gitops-lint-disable-line test/b",
    "k4: [a, b] # gitops-lint-disable-line test/b -- only b",
    "k5: a # gitops-lint-disable-line",
    "",
  ].join("\n");
  expect(await lint({ "x.yaml": text })).toEqual([
    [3, "test/a", "found a"],
    [5, "test/a", "found a"],
  ]);
});

test("disable / enable ranges, for some rules or all", async () => {
  const text = [
    "k0: a",
    "# gitops-lint-disable test/a",
    "k1: a",
    "k2: b",
    "# gitops-lint-enable test/a",
    "k3: a",
    "# gitops-lint-disable",
    "k4: a",
    "# gitops-lint-enable test/b",
    "k5: b",
    "k6: a",
    "# gitops-lint-enable",
    "k7: a",
    "",
  ].join("\n");
  expect(await lint({ "x.yaml": text })).toEqual([
    [1, "test/a", "found a"],
    [4, "test/b", "found b"],
    [6, "test/a", "found a"],
    [10, "test/b", "found b"],
    [13, "test/a", "found a"],
  ]);
});

test("whole-file forms: disable-file anywhere, and disable before any content", async () => {
  expect(await lint({ "x.yaml": "k1: a\nk2: b\n# gitops-lint-disable-file test/a -- generated\n" })).toEqual([[2, "test/b", "found b"]]);
  expect(await lint({ "x.yaml": "# gitops-lint-disable-file\nk1: a\nk2: b\n" })).toEqual([]);
  // Before any content (after other comments and `---`), `disable` covers line 1 too.
  const top = "# Generated file.\n# gitops-lint-disable test/a\n---\nk1: a\nk2: b\n";
  expect(await lint({ "x.yaml": top })).toEqual([[5, "test/b", "found b"]]);
  // A problem reported at 1:1, above the directive, is still covered by it.
  const atTop: GitopsRule = {
    meta: { type: "problem", messages: { top: "top" }, schema: [] },
    create: (context) => ({ Document: () => context.report({ loc: { line: 1, column: 1 }, messageId: "top" }) }),
  } as GitopsRule;
  const root = writeRepo({ "x.yaml": "# Generated.\n# gitops-lint-disable test/top\nk: 1\n", "y.yaml": "k: 1\n# gitops-lint-disable test/top\nj: 2\n" });
  const outcome = await lintProject({ cwd: root, rules: { "test/top": atTop } });
  expect(outcome.results.map((result) => result.messages.length)).toEqual([0, 1]);
});

test("a # inside a quoted or plain scalar is not a directive", async () => {
  const text = [
    `k1: "a # gitops-lint-disable-line test/a"`,
    `k2: 'x # gitops-lint-disable-line'`,
    "k3: a",
    "k4: x#gitops-lint-disable-file",
    "k5: |",
    "  # gitops-lint-disable-file",
    "k6: a",
    "",
  ].join("\n");
  // k2 is not "a": the only silencing comment would be in a string; nothing is silenced.
  expect(await lint({ "x.yaml": text })).toEqual([
    [3, "test/a", "found a"],
    [7, "test/a", "found a"],
  ]);
});

test("comments inside a ConfigMap-embedded blueprint are directives at the file's lines", async () => {
  const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: blueprints
data:
  a.yaml: |
    version: 1
    entries:
      # gitops-lint-disable-next-line test/a -- embedded
      - model: a
      - model: a # gitops-lint-disable-line test/a
      - model: a
        note: "b # gitops-lint-disable-line test/b"
`;
  expect(await lint({ "cm.yaml": text })).toEqual([[12, "test/a", "found a"]]);
});

test("Jinja comments hold directives in .j2 templates", async () => {
  const template = [
    "{# gitops-lint-disable-next-line test/t -- reason #}",
    "x = {{ t }}",
    "y = {{ t }} {#- gitops-lint-disable-line test/t -#}",
    "z = {{ t }}",
    "{# gitops-lint-disable #}",
    "w = {{ t }}",
    "",
  ].join("\n");
  expect(await lint({ "roles/r/templates/a.j2": template })).toEqual([[4, "test/t", "found t"]]);
});

test("unknown rule ids are reported at the directive with the nearest known rules", async () => {
  const messages = await lint({ "x.yaml": "k1: a # gitops-lint-disable-line test/aa, test/a\n" });
  expect(messages).toEqual([[1, null, 'unknown rule "test/aa" in gitops-lint-disable-line (known rules: test/a, test/b, test/t, …)']]);
  const root = writeRepo({ "x.yaml": "# gitops-lint-disable nope\nk: 1\n" });
  const outcome = await lintProject({ cwd: root, rules });
  expect(outcome.results[0]!.messages[0]).toMatchObject({ ruleId: null, severity: 2, line: 1, column: 1 });
  expect(outcome.results[0]!.errorCount).toBe(1);
});

test("unused directives are reported only when asked, at the asked severity", async () => {
  const text = [
    "# gitops-lint-disable-next-line test/a, test/b",
    "k1: a",
    "k2: a # gitops-lint-disable-line",
    "k3: c # gitops-lint-disable-line",
    "# gitops-lint-enable test/b",
    "",
  ].join("\n");
  expect(await lint({ "x.yaml": text })).toEqual([]);
  const root = writeRepo({ "x.yaml": text });
  const outcome = await lintProject({ cwd: root, rules, reportUnusedDisableDirectives: 1 });
  expect(outcome.results[0]!.messages.map((m) => [m.line, m.column, m.severity, m.message])).toEqual([
    [1, 1, 1, "Unused gitops-lint-disable-next-line directive (no problems were reported from 'test/b')."],
    [4, 7, 1, "Unused gitops-lint-disable-line directive (no problems were reported)."],
    [5, 1, 1, "Unused gitops-lint-enable directive (no matching gitops-lint-disable directives were found for 'test/b')."],
  ]);
  const asErrors = await lintProject({ cwd: root, rules, reportUnusedDisableDirectives: 2 });
  expect(asErrors.results[0]!.errorCount).toBe(3);
});

test("fatal parse errors are never silenced", async () => {
  const messages = await lint({ "x.yaml": "# gitops-lint-disable-file\nk: [a\n" });
  expect(messages.length).toBe(1);
  expect(messages[0]![1]).toBeNull();
});

test("the CLI: --report-unused-disable-directives reports errors, -severity chooses the level", async () => {
  const { main } = await import("../src/cli.ts");
  const root = writeRepo({ "x.yaml": "# gitops-lint-disable-next-line blueprint/unique-ids -- old\nk: 1\n" });
  const run = async (...flags: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await main(["--no-config-lookup", "--format", "json", ...flags, root], {
      cwd: root,
      env: {},
      isTTY: false,
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
    });
    return { code, stderr, messages: stdout === "" ? [] : (JSON.parse(stdout) as Array<{ messages: Array<{ severity: number; message: string }> }>).flatMap((r) => r.messages) };
  };
  expect((await run()).code).toBe(0);
  expect((await run()).messages).toEqual([]);
  const errors = await run("--report-unused-disable-directives");
  expect(errors.code).toBe(1);
  expect(errors.messages.map((m) => [m.severity, m.message])).toEqual([
    [2, "Unused gitops-lint-disable-next-line directive (no problems were reported from 'blueprint/unique-ids')."],
  ]);
  const warnings = await run("--report-unused-disable-directives-severity", "warn");
  expect(warnings.code).toBe(0);
  expect(warnings.messages.map((m) => m.severity)).toEqual([1]);
  expect((await run("--report-unused-disable-directives-severity", "loud")).code).toBe(2);
});
