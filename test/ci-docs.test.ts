/**
 * The CI workflows of docs/ci/ (issue 6, point 6): each file is valid YAML with the structure its
 * platform needs, docs/ci.md embeds each byte for byte, and the lint commands each runs are the
 * ones the README documents. Then the commands are run as the runner runs them (`bash -eo
 * pipefail`, the CI's variables set) in a user's repo with gitops-lint installed: a clean repo
 * passes with nothing printed, one with a defect fails with the report each platform shows.
 *
 * No JSON schema of GitHub's, Forgejo's or GitLab's workflow files is available offline, so the
 * structure is checked key by key. (`actionlint` finds nothing in the GitHub workflows.)
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { runCli } from "./helpers/cli.ts";
import { codeBlocks, installGitopsLint, makeUserRepo, markdownSection, readmePackageJson, readProjectFile, shell } from "./helpers/user-repo.ts";

type Platform = "forgejo" | "github" | "gitlab";

interface Workflow {
  file: string;
  platform: Platform;
  /** Where the user puts the file, as its first line says. */
  destination: RegExp;
  /** The variables the platform's runner sets that could change what gitops-lint prints. */
  env: Record<string, string>;
}

const workflows: Workflow[] = [
  { file: "forgejo.yaml", platform: "forgejo", destination: /^\.forgejo\/workflows\/[a-z-]+\.yaml$/u, env: { CI: "true", GITHUB_ACTIONS: "true", FORGEJO_ACTIONS: "true" } },
  { file: "github.yaml", platform: "github", destination: /^\.github\/workflows\/[a-z-]+\.yaml$/u, env: { CI: "true", GITHUB_ACTIONS: "true" } },
  { file: "github-sarif.yaml", platform: "github", destination: /^\.github\/workflows\/[a-z-]+\.yaml$/u, env: { CI: "true", GITHUB_ACTIONS: "true" } },
  { file: "gitlab-ci.yml", platform: "gitlab", destination: /^\.gitlab-ci\.yml$/u, env: { CI: "true", GITLAB_CI: "true" } },
];

const readme = readProjectFile("README.md");
const ciDoc = readProjectFile("docs/ci.md");
const text = (workflow: Workflow): string => readProjectFile(`docs/ci/${workflow.file}`);
// Parsed YAML, checked key by key below.
const parse = (workflow: Workflow): any => YAML.parse(text(workflow));

/** The commands of a workflow that run gitops-lint: `run:` steps, or GitLab's `script` lines. */
function lintCommands(workflow: Workflow): string[] {
  const doc = parse(workflow);
  const lines: string[] =
    workflow.platform === "gitlab" ? doc["gitops-lint"].script : doc.jobs["gitops-lint"].steps.flatMap((step: { run?: string }) => (step.run === undefined ? [] : [step.run]));
  return lines.filter((line) => line.startsWith("bun run lint"));
}

/** The value of `--output-file` in a command. */
function outputFile(command: string): string {
  return /--output-file (\S+)/u.exec(command)![1]!;
}

/** The README's list under "### 3. In CI": workflow file → the commands it names. */
function readmeCommands(): Map<string, string[]> {
  const section = markdownSection(readme, "### 3. In CI");
  const items = section.replace(/\n {2}(?=\S)/gu, " ").split("\n").filter((line) => line.startsWith("- "));
  return new Map(
    items.map((item) => [
      /\[`docs\/ci\/([^`]+)`\]/u.exec(item)![1]!,
      [...item.matchAll(/`(bun run lint[^`]*)`/gu)].map((match) => match[1]!),
    ]),
  );
}

/** docs/ci.md's table: workflow file → its commands (`\|` in a table cell is `|`). */
function docTableCommands(): Map<string, string[]> {
  const rows = ciDoc.split("\n").filter((line) => /^\| [^|]+ \| \[`[^`]+`\]\(ci\//u.test(line));
  return new Map(
    rows.map((row) => [
      /\[`([^`]+)`\]/u.exec(row)![1]!,
      [...row.matchAll(/`(bun run lint(?:[^`\\]|\\.)*)`/gu)].map((match) => match[1]!.replace(/\\\|/gu, "|")),
    ]),
  );
}

describe("the workflow files", () => {
  test("docs/ci/ holds exactly the workflows tested here", () => {
    expect(fs.readdirSync(path.join(import.meta.dir, "../docs/ci")).sort()).toEqual(workflows.map((workflow) => workflow.file).sort());
  });

  for (const workflow of workflows) {
    describe(workflow.file, () => {
      test("is valid YAML, without errors or warnings", () => {
        const document = YAML.parseDocument(text(workflow));
        expect(document.errors).toEqual([]);
        expect(document.warnings).toEqual([]);
      });

      test("says on its first line where it goes", () => {
        const destination = /^# (\S+)\n/u.exec(text(workflow))?.[1] ?? "";
        expect(destination).toMatch(workflow.destination);
      });

      test("docs/ci.md embeds it byte for byte", () => {
        expect(ciDoc).toContain(`\`\`\`yaml\n${text(workflow)}\`\`\`\n`);
        expect(ciDoc).toContain(`[\`${workflow.file}\`](ci/${workflow.file})`);
      });

      test("runs the lint commands the README documents, as docs/ci.md's table does", () => {
        const commands = lintCommands(workflow);
        expect(commands.length).toBeGreaterThan(0);
        expect(readmeCommands().get(workflow.file)).toEqual(commands);
        expect(docTableCommands().get(workflow.file)).toEqual(commands);
      });
    });
  }

  test("the README inlines the GitHub workflow byte for byte", () => {
    const github = workflows.find((workflow) => workflow.file === "github.yaml")!;
    expect(codeBlocks(markdownSection(readme, "### 3. In CI"), "yaml")).toEqual([text(github)]);
  });
});

describe("GitHub and Forgejo workflows", () => {
  for (const workflow of workflows.filter((candidate) => candidate.platform !== "gitlab")) {
    test(`${workflow.file}: triggers, one job, checkout, Bun, install, lint`, () => {
      const doc = parse(workflow);
      expect(Object.keys(doc).filter((key) => !["name", "on", "permissions", "jobs"].includes(key))).toEqual([]);
      expect(typeof doc.name).toBe("string");
      expect(Object.keys(doc.on).sort()).toEqual(["pull_request", "push"]);
      expect(doc.on.push).toEqual({ branches: ["main"] });
      expect(Object.keys(doc.jobs)).toEqual(["gitops-lint"]);
      const job = doc.jobs["gitops-lint"];
      expect(Object.keys(job).sort()).toEqual(["name", "runs-on", "steps"]);
      expect(job["runs-on"]).toBe(workflow.platform === "github" ? "ubuntu-latest" : "docker");
      const steps: Array<Record<string, unknown>> = job.steps;
      for (const step of steps) expect(("uses" in step ? 1 : 0) + ("run" in step ? 1 : 0)).toBe(1);
      expect(steps[0]!.uses).toBe(workflow.platform === "github" ? "actions/checkout@v5" : "actions/checkout@v4");
      expect(steps[1]).toEqual(workflow.platform === "github" ? { uses: "oven-sh/setup-bun@v2" } : { run: "npm install -g bun" });
      expect(steps[2]).toEqual({ run: "bun install --frozen-lockfile" });
      expect(steps[3]).toEqual({ run: lintCommands(workflow)[0] });
    });
  }

  test("github.yaml: the annotations' format, read-only token", () => {
    const doc = parse(workflows[1]!);
    expect(doc.permissions).toEqual({ contents: "read" });
    expect(lintCommands(workflows[1]!)).toEqual(["bun run lint --format github"]);
    expect(doc.jobs["gitops-lint"].steps).toHaveLength(4);
  });

  test("github-sarif.yaml: SARIF written, then uploaded even when the lint step failed", () => {
    const doc = parse(workflows[2]!);
    expect(doc.permissions).toEqual({ contents: "read", "security-events": "write" });
    const steps = doc.jobs["gitops-lint"].steps;
    expect(steps).toHaveLength(5);
    const file = outputFile(lintCommands(workflows[2]!)[0]!);
    expect(lintCommands(workflows[2]!)).toEqual([`bun run lint --format sarif --output-file ${file}`]);
    expect(steps[4]).toEqual({
      uses: "github/codeql-action/upload-sarif@v4",
      if: `always() && hashFiles('${file}') != ''`,
      with: { sarif_file: file, category: "gitops-lint" },
    });
  });

  test("forgejo.yaml: the stylish report, nothing GitHub-only", () => {
    expect(lintCommands(workflows[0]!)).toEqual(["bun run lint"]);
    expect(text(workflows[0]!)).not.toMatch(/permissions|github\//u);
  });

  test("the required checks named in the docs are the ones the jobs report", () => {
    for (const workflow of workflows.filter((candidate) => candidate.platform === "github")) {
      // GitHub names a job's check after the job's `name`.
      const check = parse(workflow).jobs["gitops-lint"].name;
      expect(text(workflow)).toContain(`The check to require is "${check}".`);
      expect(ciDoc).toContain(`\`${check}\``);
    }
    // Forgejo reports `<workflow name> / <job name> (<event>)` (services/actions/commit_status.go).
    const forgejo = parse(workflows[0]!);
    const status = `${forgejo.name} / ${forgejo.jobs["gitops-lint"].name} (pull_request)`;
    expect(status).toBe("lint / gitops-lint (pull_request)");
    expect(text(workflows[0]!)).toContain(`"${status}"`);
    expect(ciDoc).toContain(`\`${status}\``);
  });
});

/** The file a workflow's command writes in `format`. */
function reportFile(workflow: Workflow, format: string): string {
  return outputFile(lintCommands(workflow).find((command) => command.includes(`--format ${format} `))!);
}

describe("GitLab CI", () => {
  test("gitlab-ci.yml: one job with an image that has git, Bun installed, Code Quality and JUnit reports kept on failure", () => {
    const doc = parse(workflows[3]!);
    expect(Object.keys(doc)).toEqual(["gitops-lint"]);
    const job = doc["gitops-lint"];
    expect(Object.keys(job)).toEqual(["stage", "image", "before_script", "script", "artifacts"]);
    expect(job.stage).toBe("test");
    expect(job.image).toBe("node:22");
    expect(job.before_script).toEqual(["npm install -g bun", "bun install --frozen-lockfile"]);
    const [codequality, junit, gate] = job.script;
    expect(job.script).toHaveLength(3);
    expect(codequality).toBe(`bun run lint --format gitlab --output-file ${outputFile(codequality)} || true`);
    expect(junit).toBe(`bun run lint --format junit --output-file ${outputFile(junit)} || true`);
    expect(gate).toBe("bun run lint");
    expect(job.artifacts).toEqual({ when: "always", reports: { codequality: outputFile(codequality), junit: outputFile(junit) } });
  });
});

/**
 * The commands each workflow runs, run in a user's repo set up as the README says (its
 * `package.json`, gitops-lint installed): the `run:` steps or `script` lines that call gitops-lint, in one `bash -eo pipefail` as the runners do (`|| true` included).
 */
function runWorkflow(workflow: Workflow, repo: string) {
  return shell(lintCommands(workflow).join("\n"), repo, workflow.env);
}

describe("the workflows' commands, run", () => {
  let clean = "";
  let defect = "";
  let stylish = "";
  let github = "";
  beforeAll(async () => {
    clean = makeUserRepo("test/projects/clean/repo");
    defect = makeUserRepo("test/fixes/env-wired/env-absent/before");
    for (const repo of [clean, defect]) {
      fs.writeFileSync(path.join(repo, "package.json"), readmePackageJson());
      installGitopsLint(repo);
    }
    stylish = (await runCli([], { cwd: defect })).stdout;
    github = (await runCli(["--format", "github"], { cwd: defect })).stdout;
  });
  // node_modules/gitops-lint is a link: removing the repo leaves this checkout alone.
  afterAll(() => {
    for (const repo of [clean, defect]) fs.rmSync(repo, { recursive: true, force: true });
  });

  /** What the defect repo's stylish report shows a reader of the log. */
  function expectStylishReport(stdout: string): void {
    expect(stdout).toBe(stylish);
    expect(stdout).toStartWith("\nargocd/manifests/authentik/configmap-blueprint.yaml\n  18:26  error  no env var \"AUTHENTIK_GRAFANA_CLIENT_SECRET\" on container \"worker\"");
    expect(stdout).toContain("    18 |           client_secret: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET\n       |                          ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
    expect(stdout).toContain("✖ 3 problems (3 errors, 0 warnings)\n  3 errors and 0 warnings potentially fixable with the `--fix` option.\n");
    expect(stdout).not.toContain("\u001b[");
  }

  test("Forgejo: a clean repo passes silently", () => {
    expect(runWorkflow(workflows[0]!, clean)).toMatchObject({ code: 0, stdout: "" });
  });

  test("Forgejo: a defect fails the job with the stylish report, code frames and no colour", () => {
    const run = runWorkflow(workflows[0]!, defect);
    expect(run.code).toBe(1);
    expectStylishReport(run.stdout);
  });

  test("GitHub: a clean repo passes silently", () => {
    expect(runWorkflow(workflows[1]!, clean)).toMatchObject({ code: 0, stdout: "" });
  });

  test("GitHub: a defect fails the job with one ::error command per problem, then the stylish report", () => {
    const run = runWorkflow(workflows[1]!, defect);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(github);
    const commands = run.stdout.split("\n").filter((line) => line.startsWith("::"));
    expect(commands).toHaveLength(3);
    expect(commands[0]).toStartWith(
      '::error file=argocd/manifests/authentik/configmap-blueprint.yaml,line=18,col=26,endLine=18,endColumn=62,title=blueprint/env-wired::no env var "AUTHENTIK_GRAFANA_CLIENT_SECRET" on container "worker"',
    );
    expectStylishReport(run.stdout.slice(`${commands.join("\n")}\n`.length));
  });

  test("GitHub code scanning: a clean repo passes with a SARIF log without results", () => {
    const file = outputFile(lintCommands(workflows[2]!)[0]!);
    expect(runWorkflow(workflows[2]!, clean)).toMatchObject({ code: 0, stdout: "" });
    const log = JSON.parse(fs.readFileSync(path.join(clean, file), "utf8"));
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0].results).toEqual([]);
  });

  test("GitHub code scanning: a defect fails the step and writes a result per problem for the upload", () => {
    const file = outputFile(lintCommands(workflows[2]!)[0]!);
    const run = runWorkflow(workflows[2]!, defect);
    expect(run).toMatchObject({ code: 1, stdout: "" });
    const results = JSON.parse(fs.readFileSync(path.join(defect, file), "utf8")).runs[0].results;
    expect(results).toHaveLength(3);
    expect(results[0].ruleId).toBe("blueprint/env-wired");
    expect(results[0].level).toBe("error");
    expect(results[0].message.text).toStartWith('no env var "AUTHENTIK_GRAFANA_CLIENT_SECRET" on container "worker"');
    expect(results[0].locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: "argocd/manifests/authentik/configmap-blueprint.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 18, startColumn: 26, endLine: 18, endColumn: 62 },
    });
  });

  test("GitLab: a clean repo passes with an empty Code Quality report and a JUnit report without failures", () => {
    expect(runWorkflow(workflows[3]!, clean)).toMatchObject({ code: 0, stdout: "" });
    expect(fs.readFileSync(path.join(clean, reportFile(workflows[3]!, "gitlab")), "utf8")).toBe("[]\n");
    const junit = fs.readFileSync(path.join(clean, reportFile(workflows[3]!, "junit")), "utf8");
    expect(junit).toStartWith('<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n');
    expect(junit).not.toContain("<failure");
  });

  test("GitLab: a defect fails the job, with both reports written and the stylish report in the log", () => {
    const run = runWorkflow(workflows[3]!, defect);
    expect(run.code).toBe(1);
    expectStylishReport(run.stdout);
    const issues = JSON.parse(fs.readFileSync(path.join(defect, reportFile(workflows[3]!, "gitlab")), "utf8"));
    expect(issues).toHaveLength(3);
    expect(new Set(issues.map((issue: { fingerprint: string }) => issue.fingerprint)).size).toBe(3);
    expect(issues[0]).toMatchObject({
      check_name: "blueprint/env-wired",
      severity: "major",
      location: { path: "argocd/manifests/authentik/configmap-blueprint.yaml", positions: { begin: { line: 18, column: 26 }, end: { line: 18, column: 62 } } },
    });
    expect(issues[0].description).toStartWith('no env var "AUTHENTIK_GRAFANA_CLIENT_SECRET" on container "worker"');
    expect(issues[0].fingerprint).toMatch(/^[0-9a-f]{64}$/u);
    const junit = fs.readFileSync(path.join(defect, reportFile(workflows[3]!, "junit")), "utf8");
    expect(junit).toContain('failures="3" name="argocd/manifests/authentik/configmap-blueprint.yaml"');
    expect(junit).toContain(">line 18, col 26, Error - no env var &quot;AUTHENTIK_GRAFANA_CLIENT_SECRET&quot; on container &quot;worker&quot;");
  });
});
