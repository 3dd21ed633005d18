/**
 * The baseline (bulk suppressions), end to end through the CLI on temporary copies of the
 * project fixtures: the file `--suppress-all`/`--suppress-rule` write, what later runs report,
 * pruning, the exit codes, and the errors of a bad suppressions file.
 */
import { afterAll, describe, expect, test } from "bun:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { applySuppressions, serializeSuppressions } from "../src/suppressions.ts";
import type { LintResult } from "../src/types.ts";
import { runCli } from "./helpers/cli.ts";

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temporary copy of `test/projects/<name>/repo`, with `edits` (path → [from, to]) applied. */
function copyProject(name: string, edits: Record<string, Array<[string, string]>> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-suppressions-"));
  copies.push(dir);
  fs.cpSync(path.join(import.meta.dir, "projects", name, "repo"), dir, { recursive: true });
  for (const [file, replacements] of Object.entries(edits)) edit(dir, file, replacements);
  return dir;
}

function edit(dir: string, file: string, replacements: Array<[string, string]>): void {
  const target = path.join(dir, file);
  let text = fs.readFileSync(target, "utf8");
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  fs.writeFileSync(target, text);
}

const blueprint = "argocd/manifests/authentik/configmap-blueprint.yaml";
const suppressionsFile = "gitops-lint-suppressions.json";

function read(dir: string, file = suppressionsFile): string {
  return fs.readFileSync(path.join(dir, file), "utf8");
}

function run(dir: string, ...argv: string[]) {
  return runCli([...argv, "--no-color"], { cwd: dir });
}

const duplicateRow = [
  `${blueprint}`,
  '  19:13  error  id "admins-group" is already used by the entry at line 13: !KeyOf "admins-group" can refer to only one of them. Give this entry an id of its own  blueprint/unique-ids',
  "    19 |         id: admins-group",
  "       |             ^~~~~~~~~~~~",
].join("\n");

const oneUniqueIdSuppressed = `{
  "${blueprint}": {
    "blueprint/unique-ids": {
      "count": 1
    }
  }
}
`;

/** A third group entry reusing the id: one more blueprint/unique-ids error, at line 23. */
const thirdDuplicate: [string, string] = [
  "  grafana.yaml: |",
  "      - model: authentik_core.group\n        id: admins-group\n        identifiers:\n          name: guests\n  grafana.yaml: |",
];

describe("--suppress-all", () => {
  test("records every error by file and rule, and later runs report only what it does not cover", async () => {
    const dir = copyProject("duplicate-id");
    const first = await run(dir, "--suppress-all");
    expect(first).toEqual({ code: 0, stdout: "1 problem suppressed by gitops-lint-suppressions.json\n", stderr: "" });
    expect(read(dir)).toBe(oneUniqueIdSuppressed);
    expect(fs.readdirSync(dir).sort()).toEqual(["argocd", suppressionsFile]);

    expect(await run(dir)).toEqual({ code: 0, stdout: "1 problem suppressed by gitops-lint-suppressions.json\n", stderr: "" });
    // Run again, the file is the same and the run still passes.
    expect(await run(dir, "--suppress-all")).toEqual({ code: 0, stdout: "1 problem suppressed by gitops-lint-suppressions.json\n", stderr: "" });
    expect(read(dir)).toBe(oneUniqueIdSuppressed);
  });

  test("never suppresses a fatal parse error, so the run still fails", async () => {
    const dir = copyProject("broken-yaml");
    const { code, stdout, stderr } = await run(dir, "--suppress-all");
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout).toBe(
      [
        "",
        "argocd/manifests/authentik/deployment-server.yaml",
        "  10:18  error  Parsing error: Nested mappings are not allowed in compact mappings",
        "    10 |           image: ghcr.io/goauthentik/server: 2025.2.1",
        "       |                  ^",
        "",
        "✖ 1 problem (1 error, 0 warnings)",
        "  1 problem suppressed by gitops-lint-suppressions.json",
        "",
      ].join("\n"),
    );
    expect(read(dir)).toBe(oneUniqueIdSuppressed);
  });

  test("never suppresses a warning: the file stays empty and the warning is reported", async () => {
    const dir = copyProject("env-default-warning");
    const { code, stdout } = await run(dir, "--suppress-all");
    expect(code).toBe(0);
    expect(read(dir)).toBe("{}\n");
    expect(stdout).toContain("  34:26  warning  no env var \"AUTHENTIK_GRAFANA_CLIENT_SECRET\"");
    expect(stdout).toEndWith("✖ 1 problem (0 errors, 1 warning)\n");
  });

  test("merges with the file: other files' entries stay, the recorded ones take the current count", async () => {
    const dir = copyProject("duplicate-id", { [blueprint]: [thirdDuplicate] });
    fs.writeFileSync(
      path.join(dir, suppressionsFile),
      `{"argocd/manifests/authentik/kustomization.yaml":{"kustomize/resources-exist":{"count":3}},"${blueprint}":{"blueprint/unique-ids":{"count":1}}}`,
    );
    fs.chmodSync(path.join(dir, suppressionsFile), 0o600);
    const { code, stdout } = await run(dir, "--suppress-all", "--pass-on-unpruned-suppressions");
    expect({ code, stdout }).toEqual({ code: 0, stdout: "2 problems suppressed by gitops-lint-suppressions.json\n" });
    expect(read(dir)).toBe(`{
  "${blueprint}": {
    "blueprint/unique-ids": {
      "count": 2
    }
  },
  "argocd/manifests/authentik/kustomization.yaml": {
    "kustomize/resources-exist": {
      "count": 3
    }
  }
}
`);
    // Written through a temporary file renamed over it: the mode stays, no temporary file is left.
    expect(fs.statSync(path.join(dir, suppressionsFile)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).sort()).toEqual(["argocd", suppressionsFile]);
  });

  test("with --fix, records only what remains after fixing", async () => {
    const dir = copyProject("env-not-set", { [blueprint]: [["id: family-group", "id: admins-group"]] });
    const { code, stdout, stderr } = await run(dir, "--fix", "--suppress-all");
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "1 problem suppressed by gitops-lint-suppressions.json\n", stderr: "" });
    expect(read(dir)).toBe(oneUniqueIdSuppressed);
    expect(read(dir, "argocd/manifests/authentik/deployment-worker.yaml")).toContain("- name: AUTHENTIK_GRAFANA_CLIENT_SECRET");
  });

  test("--fix-dry-run writes nothing, so it cannot record", async () => {
    const dir = copyProject("duplicate-id");
    expect(await run(dir, "--fix-dry-run", "--suppress-all")).toEqual({
      code: 2,
      stdout: "",
      stderr: "gitops-lint: --suppress-all writes the suppressions file and --fix-dry-run writes nothing: use --fix, or drop one of them\n",
    });
    expect(fs.existsSync(path.join(dir, suppressionsFile))).toBe(false);
  });
});

describe("counts", () => {
  test("a file with more errors of a rule than its count gets all of them reported", async () => {
    const dir = copyProject("duplicate-id");
    await run(dir, "--suppress-all");
    edit(dir, blueprint, [thirdDuplicate]);
    const { code, stdout, stderr } = await run(dir);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout).toBe(
      [
        "",
        duplicateRow,
        '  23:13  error  id "admins-group" is already used by the entry at line 13: !KeyOf "admins-group" can refer to only one of them. Give this entry an id of its own  blueprint/unique-ids',
        "    23 |         id: admins-group",
        "       |             ^~~~~~~~~~~~",
        "",
        "✖ 2 problems (2 errors, 0 warnings)",
        "",
      ].join("\n"),
    );
  });

  test("json keeps the suppressed errors in suppressedMessages, as ESLint does", async () => {
    const dir = copyProject("duplicate-id");
    await run(dir, "--suppress-all");
    const { code, stdout } = await run(dir, "--format", "json");
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as Array<LintResult & { suppressedMessages: unknown[] }>;
    const result = results.find((entry) => entry.filePath === path.join(dir, blueprint))!;
    expect(result.messages).toEqual([]);
    expect(result.errorCount).toBe(0);
    expect(result.suppressedMessages).toEqual([
      {
        ruleId: "blueprint/unique-ids",
        severity: 2,
        message: 'id "admins-group" is already used by the entry at line 13: !KeyOf "admins-group" can refer to only one of them. Give this entry an id of its own.',
        line: 19,
        column: 13,
        messageId: "duplicateId",
        endLine: 19,
        endColumn: 25,
        suppressions: [{ kind: "file", justification: "" }],
      },
    ]);
    expect(results.every((entry) => Array.isArray(entry.suppressedMessages))).toBe(true);
    expect(Object.keys(result)).toEqual([
      "filePath",
      "messages",
      "suppressedMessages",
      "errorCount",
      "fatalErrorCount",
      "warningCount",
      "fixableErrorCount",
      "fixableWarningCount",
    ]);
  });

  test("without a suppressions file, json results have no suppressedMessages", async () => {
    const dir = copyProject("duplicate-id");
    const results = JSON.parse((await run(dir, "--format", "json")).stdout) as LintResult[];
    expect(results.some((entry) => "suppressedMessages" in entry)).toBe(false);
  });
});

describe("unused suppressions and --prune-suppressions", () => {
  const unusedMessage =
    "gitops-lint: There are suppressions left that do not occur anymore. Consider re-running the command with `--prune-suppressions`.\n";

  test("a suppression that no longer occurs exits 2, unless --pass-on-unpruned-suppressions; pruning drops it", async () => {
    const dir = copyProject("duplicate-id");
    await run(dir, "--suppress-all");
    edit(dir, blueprint, [["        id: admins-group\n        identifiers:\n          name: family", "        id: family-group\n        identifiers:\n          name: family"]]);
    expect(await run(dir)).toEqual({
      code: 2,
      stdout: "",
      stderr: `${unusedMessage}gitops-lint: gitops-lint-suppressions.json: "${blueprint}" → "blueprint/unique-ids": 1 of 1 suppressed error no longer occurs\n`,
    });
    expect(await run(dir, "--pass-on-unpruned-suppressions")).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(await run(dir, "--prune-suppressions")).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(read(dir)).toBe("{}\n");
    expect(await run(dir)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  test("pruning lowers a count to the errors that still occur", async () => {
    const dir = copyProject("duplicate-id", { [blueprint]: [thirdDuplicate] });
    await run(dir, "--suppress-all");
    expect(read(dir)).toContain('"count": 2');
    edit(dir, blueprint, [["        id: admins-group\n        identifiers:\n          name: guests", "        id: guests-group\n        identifiers:\n          name: guests"]]);
    expect(await run(dir)).toEqual({
      code: 2,
      stdout: "1 problem suppressed by gitops-lint-suppressions.json\n",
      stderr: `${unusedMessage}gitops-lint: gitops-lint-suppressions.json: "${blueprint}" → "blueprint/unique-ids": 1 of 2 suppressed errors no longer occurs\n`,
    });
    expect(await run(dir, "--prune-suppressions")).toEqual({ code: 0, stdout: "1 problem suppressed by gitops-lint-suppressions.json\n", stderr: "" });
    expect(read(dir)).toBe(oneUniqueIdSuppressed);
  });

  test("an entry of a file that no longer exists does not occur either, whatever was linted", async () => {
    const dir = copyProject("duplicate-id");
    fs.writeFileSync(path.join(dir, suppressionsFile), `{ "apps/removed.yaml": { "schema/workload": { "count": 2 } } }\n`);
    const { code, stdout, stderr } = await run(dir, "argocd");
    expect(code).toBe(2);
    expect(stdout).toBe(`\n${duplicateRow}\n\n✖ 1 problem (1 error, 0 warnings)\n`);
    expect(stderr).toBe(`${unusedMessage}gitops-lint: gitops-lint-suppressions.json: "apps/removed.yaml" → "schema/workload": 2 of 2 suppressed errors no longer occur\n`);
    await run(dir, "argocd", "--prune-suppressions");
    expect(read(dir)).toBe("{}\n");
  });

  test("--prune-suppressions cannot be combined with recording", async () => {
    const dir = copyProject("duplicate-id");
    expect(await run(dir, "--suppress-all", "--prune-suppressions")).toEqual({
      code: 2,
      stdout: "",
      stderr: "gitops-lint: --suppress-all and --prune-suppressions cannot be used together: record in one run, prune in another\n",
    });
    expect(await run(dir, "--suppress-all", "--suppress-rule", "blueprint/unique-ids")).toEqual({
      code: 2,
      stdout: "",
      stderr: "gitops-lint: --suppress-all and --suppress-rule cannot be used together: --suppress-all already records every rule\n",
    });
  });

  test("without a suppressions file, --prune-suppressions writes nothing", async () => {
    const dir = copyProject("duplicate-id");
    expect((await run(dir, "--prune-suppressions")).code).toBe(1);
    expect(fs.existsSync(path.join(dir, suppressionsFile))).toBe(false);
  });
});

describe("--suppress-rule", () => {
  /** duplicate-id with a misspelt !KeyOf too: a blueprint/keyof-defined error at 44:21. */
  const twoRules = { [blueprint]: [["provider: !KeyOf grafana-provider", "provider: !KeyOf grafana-provder"] as [string, string]] };

  test("records only the rules named, and the others are still reported", async () => {
    const dir = copyProject("duplicate-id", twoRules);
    const { code, stdout, stderr } = await run(dir, "--suppress-rule", "blueprint/keyof-defined", "--suppress-rule", "schema/workload");
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout).toBe(`\n${duplicateRow}\n\n✖ 1 problem (1 error, 0 warnings)\n  1 problem suppressed by gitops-lint-suppressions.json\n`);
    expect(read(dir)).toBe(`{
  "${blueprint}": {
    "blueprint/keyof-defined": {
      "count": 1
    }
  }
}
`);
    expect(await run(dir, "--suppress-rule", "blueprint/unique-ids")).toEqual({
      code: 0,
      stdout: "2 problems suppressed by gitops-lint-suppressions.json\n",
      stderr: "",
    });
    expect(read(dir)).toBe(`{
  "${blueprint}": {
    "blueprint/keyof-defined": {
      "count": 1
    },
    "blueprint/unique-ids": {
      "count": 1
    }
  }
}
`);
  });

  test("a rule id that does not exist is refused, naming the nearest one", async () => {
    const dir = copyProject("duplicate-id");
    expect(await run(dir, "--suppress-rule", "blueprint/unique-id")).toEqual({
      code: 2,
      stdout: "",
      stderr: 'gitops-lint: --suppress-rule "blueprint/unique-id" is not a rule of gitops-lint (did you mean "blueprint/unique-ids"?)\n',
    });
  });
});

describe("--suppressions-location and the current directory", () => {
  test("paths are relative to the suppressions file, so a run from a sub directory uses the same file", async () => {
    const dir = copyProject("duplicate-id");
    const sub = path.join(dir, "argocd/manifests");
    const fromSub = await runCli(["--suppress-all", "--suppressions-location", "../../gitops-lint-suppressions.json", "--no-color"], { cwd: sub });
    expect(fromSub).toEqual({ code: 0, stdout: "1 problem suppressed by ../../gitops-lint-suppressions.json\n", stderr: "" });
    expect(read(dir)).toBe(oneUniqueIdSuppressed);
    expect(await run(dir)).toEqual({ code: 0, stdout: "1 problem suppressed by gitops-lint-suppressions.json\n", stderr: "" });
    const inSub = await runCli(["authentik", "--suppressions-location", "../../gitops-lint-suppressions.json", "--no-color"], { cwd: sub });
    expect(inSub).toEqual({ code: 0, stdout: "1 problem suppressed by ../../gitops-lint-suppressions.json\n", stderr: "" });
    // The default location is the current directory's, where there is none: nothing is suppressed.
    expect((await runCli(["--no-color"], { cwd: sub })).code).toBe(1);
  });

  test("a directory holds gitops-lint-suppressions.json, created with its folders", async () => {
    const dir = copyProject("duplicate-id");
    expect(await run(dir, "--suppress-all", "--suppressions-location", ".github/lint/")).toEqual({
      code: 0,
      stdout: "1 problem suppressed by .github/lint/gitops-lint-suppressions.json\n",
      stderr: "",
    });
    expect(read(dir, ".github/lint/gitops-lint-suppressions.json")).toBe(`{
  "../../${blueprint}": {
    "blueprint/unique-ids": {
      "count": 1
    }
  }
}
`);
    expect((await run(dir, "--suppressions-location", ".github/lint")).code).toBe(0);
  });

  test("a --suppressions-location that does not exist is an error unless the run records", async () => {
    const dir = copyProject("duplicate-id");
    expect(await run(dir, "--suppressions-location", "baseline.json")).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "gitops-lint: the suppressions file baseline.json does not exist: create it with --suppress-all (or --suppress-rule <id>) and the same --suppressions-location\n",
    });
  });
});

describe("a bad suppressions file", () => {
  async function withFile(text: string) {
    const dir = copyProject("duplicate-id");
    fs.writeFileSync(path.join(dir, suppressionsFile), text);
    return run(dir);
  }
  const shape = '(each entry is "<path>": { "<rule id>": { "count": N } } with N a whole number above 0)';

  test("invalid JSON", async () => {
    expect(await withFile('{ "a.yaml": ')).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "gitops-lint: gitops-lint-suppressions.json: not valid JSON (JSON Parse error: Unexpected EOF): fix it, or delete it and run gitops-lint --suppress-all to record the current errors again\n",
    });
  });

  test("the wrong shape, named down to the key", async () => {
    expect((await withFile("[]")).stderr).toBe(`gitops-lint: gitops-lint-suppressions.json: holds an array, not an object of file paths ${shape}\n`);
    expect((await withFile('{ "a.yaml": 3 }')).stderr).toBe(`gitops-lint: gitops-lint-suppressions.json: "a.yaml" holds 3, not an object of rule ids ${shape}\n`);
    expect((await withFile('{ "a.yaml": { "schema/workload": { "count": 0 } } }')).stderr).toBe(
      `gitops-lint: gitops-lint-suppressions.json: "a.yaml" → "schema/workload": "count" is 0, not a whole number above 0 ${shape}\n`,
    );
    expect((await withFile('{ "a.yaml": { "schema/workload": { "count": "2" } } }')).stderr).toBe(
      `gitops-lint: gitops-lint-suppressions.json: "a.yaml" → "schema/workload": "count" is the string "2", not a whole number above 0 ${shape}\n`,
    );
    expect((await withFile('{ "a.yaml": { "schema/workload": { "cuont": 2 } } }')).stderr).toBe(
      `gitops-lint: gitops-lint-suppressions.json: "a.yaml" → "schema/workload" has the key "cuont": only "count" is allowed ${shape}\n`,
    );
    expect((await withFile('{ "a.yaml": { "schema/workload": {} } }')).stderr).toBe(
      `gitops-lint: gitops-lint-suppressions.json: "a.yaml" → "schema/workload": "count" is missing, not a whole number above 0 ${shape}\n`,
    );
    expect((await withFile('{ "a.yaml": { "schema/workload": { "count": 2 } } }')).code).toBe(2);
  });

  test("a file that cannot be read", async () => {
    const dir = copyProject("duplicate-id");
    fs.mkdirSync(path.join(dir, suppressionsFile));
    expect(await run(dir)).toEqual({
      code: 2,
      stdout: "",
      stderr: "gitops-lint: gitops-lint-suppressions.json: cannot read the suppressions file: EISDIR: illegal operation on a directory, read\n",
    });
  });
});

describe("applySuppressions", () => {
  test("suppresses a rule's errors only while they fit the count, and reports the rest as unused", () => {
    const message = (ruleId: string | null, severity: 1 | 2, line: number) => ({ ruleId, severity, message: "m", line, column: 1 });
    const result: LintResult = {
      filePath: "/repo/a.yaml",
      messages: [message("r/one", 2, 1), message("r/one", 1, 2), message("r/two", 2, 3), message("r/two", 2, 4), message(null, 2, 5)],
      errorCount: 4,
      warningCount: 1,
      fatalErrorCount: 0,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
    };
    const suppressions = { "a.yaml": { "r/one": { count: 3 }, "r/two": { count: 1 }, "r/three": { count: 1 } }, "b.yaml": { "r/one": { count: 1 } } };
    const { results, unused } = applySuppressions([result], suppressions, "/repo");
    expect(results[0]!.messages.map((entry) => [entry.ruleId, entry.line])).toEqual([["r/one", 2], ["r/two", 3], ["r/two", 4], [null, 5]]);
    expect(results[0]!.suppressedMessages!.map((entry) => [entry.ruleId, entry.line])).toEqual([["r/one", 1]]);
    expect(results[0]).toMatchObject({ errorCount: 3, warningCount: 1 });
    // b.yaml was not linted: ESLint leaves it alone.
    expect(unused).toEqual({ "a.yaml": { "r/one": { count: 2 }, "r/three": { count: 1 } } });
  });

  test("serializes with sorted keys, two-space indent and a final newline", () => {
    expect(serializeSuppressions({ "b.yaml": { "z/z": { count: 1 }, "a/a": { count: 2 } }, "a.yaml": { "r/r": { count: 1 } }, "c.yaml": {} })).toBe(
      '{\n  "a.yaml": {\n    "r/r": {\n      "count": 1\n    }\n  },\n  "b.yaml": {\n    "a/a": {\n      "count": 2\n    },\n    "z/z": {\n      "count": 1\n    }\n  }\n}\n',
    );
  });
});
