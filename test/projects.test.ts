/**
 * Project fixtures, as actionlint's testdata/projects: each folder under `test/projects/` is one
 * scenario, a repo in miniature (`repo/`) and the stylish output (`expected.txt`, no colour,
 * paths relative to the scenario folder) that `gitops-lint repo` must print there, exactly.
 * The exit code follows from the output: 1 when it counts an error, else 0.
 *
 * After a deliberate change of output, `UPDATE_PROJECTS=1 bun test test/projects.test.ts`
 * rewrites the expected files; review the diff before committing it.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import { runCli } from "./helpers/cli.ts";

const projects = path.join(import.meta.dir, "projects");
const scenarios = fs
  .readdirSync(projects, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();


function expectedCode(output: string): number {
  const errors = /\(([0-9]+) errors?, [0-9]+ warnings?\)/u.exec(output)?.[1];
  return errors !== undefined && Number(errors) > 0 ? 1 : 0;
}

test("there are scenarios to run", () => {
  expect(scenarios).toContain("clean");
  expect(scenarios).toContain("broken-yaml");
});

describe("projects", () => {
  for (const scenario of scenarios) {
    test(scenario, async () => {
      const folder = path.join(projects, scenario);
      const expectedFile = path.join(folder, "expected.txt");
      const { code, stdout, stderr } = await runCli(["repo", "--no-color"], { cwd: folder });
      if (process.env.UPDATE_PROJECTS === "1") fs.writeFileSync(expectedFile, stdout);
      const expected = fs.readFileSync(expectedFile, "utf8");
      expect(stdout).toBe(expected);
      expect(stderr).toBe("");
      expect(code).toBe(expectedCode(expected));
    });
  }
});

test("clean: no message and exit 0", async () => {
  const { code, stdout } = await runCli(["repo", "--no-color"], { cwd: path.join(projects, "clean") });
  expect({ code, stdout }).toEqual({ code: 0, stdout: "" });
});

test("broken-yaml: one fatal message, and the other files are still checked", async () => {
  const folder = path.join(projects, "broken-yaml");
  const { code, stdout } = await runCli(["repo", "--format", "json"], { cwd: folder });
  expect(code).toBe(1);
  const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<Record<string, unknown>>; fatalErrorCount: number }>;
  const byFile = new Map(results.map((result) => [path.relative(folder, result.filePath), result]));
  const broken = byFile.get("repo/argocd/manifests/authentik/deployment-server.yaml");
  expect(broken?.fatalErrorCount).toBe(1);
  expect(broken?.messages).toEqual([
    {
      ruleId: null,
      fatal: true,
      severity: 2,
      message: "Parsing error: Nested mappings are not allowed in compact mappings",
      line: 10,
      column: 18,
    },
  ]);
  expect(byFile.get("repo/argocd/manifests/authentik/configmap-blueprint.yaml")?.messages.map((message) => message.ruleId)).toEqual([
    "blueprint/unique-ids",
  ]);
});
