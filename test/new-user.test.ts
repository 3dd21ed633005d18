/**
 * A new user follows only the README's "Three ways to use it" in a fresh git repo (issue 6's
 * acceptance): the install lines, the `package.json`, `bun run lint` and `bun run lint --fix`, the
 * pre-commit config and the GitHub workflow, all read from the README itself so that README and
 * test cannot drift. The repo is blueprint/env-wired's env-absent fixture: three client secrets
 * the authentik worker does not get, which `--fix` wires. Offline: `bun add -d` is replaced by
 * what it leaves in node_modules (a link to this checkout), every other line runs in bash.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import packageJson from "../package.json" with { type: "json" };
import { projectRoot } from "./helpers/cli.ts";
import { codeBlocks, installGitopsLint, makeUserRepo, markdownSection, readmePackageJson, readProjectFile, shell } from "./helpers/user-repo.ts";

const readme = readProjectFile("README.md");
const threeWays = markdownSection(readme, "## Three ways to use it");
const installLines = codeBlocks(threeWays.slice(0, threeWays.indexOf("### 1.")), "sh")[0]!.trimEnd().split("\n");
const usageLines = codeBlocks(markdownSection(readme, "### 1. `bun run lint`"), "sh")[0]!
  .trimEnd()
  .split("\n")
  .map((line) => line.replace(/\s+#.*$/u, ""));
const preCommitConfig = codeBlocks(markdownSection(readme, "### 2. A pre-commit hook"), "yaml")[0]!;
const workflow = codeBlocks(markdownSection(readme, "### 3. In CI"), "yaml")[0]!;
const fixture = "test/fixes/env-wired/env-absent";
const hasPreCommit = Bun.which("pre-commit") !== null;
if (!hasPreCommit) console.warn("test/new-user.test.ts: the hook's steps are skipped, pre-commit is not on PATH (apt-get install -y pre-commit)");
const worker = "argocd/manifests/authentik/deployment-worker.yaml";

/** The README's files, at the paths their first comment line names. */
const destination = (text: string): string => /^# (\S+)\n/u.exec(text)![1]!;

/** The workflow's commands that run gitops-lint. */
const ciCommands: string[] = (YAML.parse(workflow).jobs["gitops-lint"].steps as Array<{ run?: string }>)
  .flatMap((step) => (step.run?.startsWith("bun run lint") ? [step.run] : []));

describe("the README's setup", () => {
  test("installs from a git URL, the one package.json then records", () => {
    const dependency = JSON.parse(readmePackageJson()).devDependencies["gitops-lint"];
    expect(installLines[0]).toBe(`bun add -d ${dependency}`);
    // gitops-lint is not on npm; once package.json names its repository, the README uses that URL.
    const repository = (packageJson as { repository?: string | { url: string } }).repository;
    const url = typeof repository === "string" ? repository : repository?.url;
    expect(dependency).toBe(url === undefined ? "git+https://git.example.org/you/gitops-lint.git" : `git+${url.replace(/^git\+/u, "")}`);
  });

  test("the lint script runs the package's executable", () => {
    const manifest = JSON.parse(readmePackageJson());
    expect(manifest.scripts).toEqual({ lint: "gitops-lint" });
    expect(Object.keys(packageJson.bin)).toEqual(["gitops-lint"]);
  });

  test("the usage lines are `bun run lint` and `bun run lint --fix`", () => {
    expect(usageLines).toEqual(["bun run lint", "bun run lint --fix"]);
  });

  test("the pre-commit hook runs gitops-lint from the repo on staged YAML and templates", () => {
    expect(destination(preCommitConfig)).toBe(".pre-commit-config.yaml");
    expect(YAML.parseDocument(preCommitConfig).errors).toEqual([]);
    expect(YAML.parse(preCommitConfig)).toEqual({
      repos: [
        {
          repo: "local",
          hooks: [
            {
              id: "gitops-lint",
              name: "gitops-lint",
              entry: "bunx --no-install gitops-lint --only-files",
              language: "system",
              files: "(\\.ya?ml|\\.j2|(^|/)Kustomization|(^|/)gitops-lint\\.config\\.(ts|js|mjs|json)|(^|/)gitops-lint-suppressions\\.json)$",
              pass_filenames: true,
              require_serial: true,
            },
          ],
        },
      ],
    });
    const files = new RegExp(YAML.parse(preCommitConfig).repos[0].hooks[0].files, "u");
    for (const file of ["a.yaml", "b.yml", "roles/x/templates/c.conf.j2", "base/Kustomization", "gitops-lint.config.ts", "gitops-lint-suppressions.json"]) {
      expect(file).toMatch(files);
    }
    for (const file of ["README.md", "package.json", "yaml.txt", "my-gitops-lint.config.ts"]) expect(file).not.toMatch(files);
  });
});

describe("a new user's repo, set up as the README says", () => {
  let repo = "";
  beforeAll(() => {
    repo = makeUserRepo(`${fixture}/before`);
    for (const line of installLines) {
      if (line.startsWith("bun add -d ")) installGitopsLint(repo);
      else expect(shell(line, repo)).toMatchObject({ code: 0, stderr: "" });
    }
    fs.writeFileSync(path.join(repo, "package.json"), readmePackageJson());
    for (const file of [preCommitConfig, workflow]) {
      fs.mkdirSync(path.dirname(path.join(repo, destination(file))), { recursive: true });
      fs.writeFileSync(path.join(repo, destination(file)), file);
    }
  });
  // node_modules/gitops-lint is a link: removing the repo leaves this checkout alone.
  afterAll(() => {
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(`${repo}-pre-commit`, { recursive: true, force: true });
  });
  /** pre-commit's cache out of the user's home, and a committer, as a user's machine has. */
  const hookEnv = (): Record<string, string> => ({
    PRE_COMMIT_HOME: `${repo}-pre-commit`,
    GIT_AUTHOR_NAME: "New User",
    GIT_AUTHOR_EMAIL: "new.user@example.org",
    GIT_COMMITTER_NAME: "New User",
    GIT_COMMITTER_EMAIL: "new.user@example.org",
  });

  test("`bun run lint` reports the defects and the fixes on offer, exit 1", () => {
    const run = shell(usageLines[0]!, repo);
    expect(run.code).toBe(1);
    expect(run.stdout).toStartWith(
      '\nargocd/manifests/authentik/configmap-blueprint.yaml\n  18:26  error  no env var "AUTHENTIK_GRAFANA_CLIENT_SECRET" on container "worker" (argocd/manifests/authentik/deployment-worker.yaml)',
    );
    expect(run.stdout).toEndWith("\n✖ 3 problems (3 errors, 0 warnings)\n  3 errors and 0 warnings potentially fixable with the `--fix` option.\n");
  });

  test("the CI workflow's command fails with an annotation per problem", () => {
    expect(ciCommands).toEqual(["bun run lint --format github"]);
    const run = shell(ciCommands.join("\n"), repo, { CI: "true", GITHUB_ACTIONS: "true" });
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").filter((line) => line.startsWith("::error file=argocd/manifests/authentik/configmap-blueprint.yaml,line="))).toHaveLength(3);
  });

  test.skipIf(!hasPreCommit)("the README's hook refuses to commit the broken chain, with the message", () => {
    expect(shell("pre-commit install", repo, hookEnv())).toMatchObject({ code: 0 });
    const run = shell("git add -A && git commit -q -m 'Add the repo'", repo, hookEnv());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('18:26  error  no env var "AUTHENTIK_GRAFANA_CLIENT_SECRET" on container "worker"');
    expect(shell("git rev-parse --verify -q HEAD", repo).code).not.toBe(0);
  });

  test("`bun run lint --fix` wires the secrets, prints nothing and exits 0", () => {
    expect(shell(usageLines[1]!, repo)).toMatchObject({ code: 0, stdout: "" });
    expect(fs.readFileSync(path.join(repo, worker), "utf8")).toBe(fs.readFileSync(path.join(projectRoot, fixture, "after", worker), "utf8"));
  });

  test("then `bun run lint` and the CI command pass, the README's config files included", () => {
    expect(shell(usageLines[0]!, repo)).toMatchObject({ code: 0, stdout: "" });
    expect(shell(ciCommands.join("\n"), repo, { CI: "true", GITHUB_ACTIONS: "true" })).toMatchObject({ code: 0, stdout: "" });
  });

  test("git sees the files to commit, not node_modules", () => {
    const status = shell("git status --porcelain --untracked-files=all", repo);
    expect(status.code).toBe(0);
    const files = status.stdout.split("\n").filter(Boolean).map((line) => line.slice(3));
    expect(files).toContain("package.json");
    expect(files).toContain(".gitignore");
    expect(files).toContain(".pre-commit-config.yaml");
    expect(files).toContain(destination(workflow));
    expect(files.filter((file) => file.startsWith("node_modules"))).toEqual([]);
  });

  test.skipIf(!hasPreCommit)("the hook lets the fixed repo be committed", () => {
    const run = shell("git add -A && git commit -q -m 'Add the repo'", repo, hookEnv());
    expect(run).toMatchObject({ code: 0 });
    expect(run.stderr).toMatch(/^gitops-lint\.+Passed$/mu);
  });
});
