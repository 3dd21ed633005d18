/**
 * The JavaScript build (scripts/build-dist.ts) under Node, as an editor's ESLint extension runs
 * the plugin: the real ESLint 10 and 9 CLIs, run by `node` on a copy of examples/homelab
 * with the config of docs/eslint.md, report exactly what gitops-lint reports, lint an editor's
 * unsaved text, and validate with the precompiled validators (no schema compiled at run time);
 * the package's entry (`gitops-lint`) loads the config and lints as under Bun.
 *
 * The package under test is what a user installs: package.json, and dist/ built into a temporary
 * directory; src/, rules/ and schemas/ are not there, so the build must carry all it loads.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { rules } from "../rules/index.ts";
import { buildDist } from "../scripts/build-dist.ts";
import { loadConfig } from "../src/config.ts";
import { lintProject } from "../src/engine.ts";
import { deployment, eslintWorkspace, messageLines, type Reported, repoRoot, slugUnknown } from "./helpers/eslint.ts";

const node = Bun.which("node");
const title = "the JavaScript build (dist/) under Node";
if (!node) console.warn(`test/eslint-node.test.ts: skipped, node is not installed (the ESLint plugin's build is for Node ≥ 20.19)`);

/** Counts ajv's compilations in a Node process and writes the count to $GITOPS_LINT_COMPILED at exit. */
const countCompilations = `
import fs from "node:fs";
import { createRequire } from "node:module";
const core = Object.getPrototypeOf(createRequire(import.meta.url)("ajv").default.prototype);
const compile = core.compile;
let compiled = 0;
core.compile = function (...args) { compiled += 1; return compile.apply(this, args); };
process.on("exit", () => fs.writeFileSync(process.env.GITOPS_LINT_COMPILED, String(compiled)));
`;

let installed: string;
let work: string;
let root: string;
let settings: Record<string, unknown>;

beforeAll(async () => {
  if (!node) return;
  // The installed package: its package.json (whose `exports` send Node to dist/), the build, and
  // the dependencies (the repo's node_modules).
  installed = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-package-"));
  fs.copyFileSync(path.join(repoRoot, "package.json"), path.join(installed, "package.json"));
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(installed, "node_modules"), "dir");
  await buildDist(path.join(installed, "dist"));
  fs.writeFileSync(path.join(installed, "count-compilations.mjs"), countCompilations);
  ({ work, root, settings } = eslintWorkspace(installed));
});

afterAll(() => {
  for (const dir of [work, installed]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs node in `cwd` with ajv's compilations counted: its exit code, output and the count. */
function runNode(cwd: string, args: string[], input?: string) {
  const countFile = path.join(installed, "compiled.txt");
  fs.rmSync(countFile, { force: true });
  const run = spawnSync(node!, ["--import", path.join(installed, "count-compilations.mjs"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GITOPS_LINT_COMPILED: countFile },
    ...(input === undefined ? {} : { input }),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, compiled: Number(fs.readFileSync(countFile, "utf8")) };
}

function eslintCli(eslint: "eslint" | "eslint-v9", args: string[], input?: string) {
  return runNode(root, [path.join(repoRoot, "node_modules", eslint, "bin/eslint.js"), "-f", "json", ...args], input);
}

describe.skipIf(!node)(node ? title : `${title}: skipped, node is not installed`, () => {
  test("ESLint 10's and 9's CLIs under node report exactly what gitops-lint reports on examples/homelab, with the precompiled validators", async () => {
    const ours = messageLines(root, (await lintProject({ cwd: root, rules, settings })).results);
    expect(ours.length).toBe(19);
    for (const eslint of ["eslint", "eslint-v9"] as const) {
      const cli = eslintCli(eslint, ["."]);
      expect({ eslint, stderr: cli.stderr, status: cli.status }).toEqual({ eslint, stderr: "", status: 1 });
      expect(messageLines(root, JSON.parse(cli.stdout) as Reported[])).toEqual(ours);
      expect({ eslint, compiled: cli.compiled }).toEqual({ eslint, compiled: 0 });
    }
    // The count is real: a schema the precompiled module lacks is compiled, and counted.
    const control = runNode(installed, ["--input-type=module", "-e", `import Ajv from "ajv"; new Ajv().compile({ type: "string" });`]);
    expect({ stderr: control.stderr, compiled: control.compiled }).toEqual({ stderr: "", compiled: 1 });
  });

  test("as in an editor, the unsaved text of a file is linted against the rest of the repo", () => {
    const unsaved = fs.readFileSync(path.join(root, deployment), "utf8").replace("/o/minflux/", "/o/rss-reader/");
    const cli = eslintCli("eslint", ["--stdin", "--stdin-filename", deployment], unsaved);
    expect(cli.stderr).toBe("");
    expect(messageLines(root, JSON.parse(cli.stdout) as Reported[])).toEqual([slugUnknown]);
  });

  test("the package's entry, `gitops-lint`, loads the config and lints under node as under Bun", async () => {
    const script = `
      import { lintProject, loadConfig, rules } from "gitops-lint";
      const cwd = process.cwd();
      const { config } = await loadConfig({ cwd, root: cwd, lookup: true });
      process.stdout.write(JSON.stringify((await lintProject({ cwd, rules, config })).results));`;
    const run = runNode(root, ["--input-type=module", "-e", script]);
    expect(run.stderr).toBe("");
    const { config } = await loadConfig({ cwd: root, root, lookup: true });
    const ours = messageLines(root, (await lintProject({ cwd: root, rules, config })).results);
    expect(ours.length).toBe(19);
    expect(messageLines(root, JSON.parse(run.stdout) as Reported[])).toEqual(ours);
  });
});
