/**
 * The pre-commit hook for real: Debian's `pre-commit` installs the hooks of this repo's
 * `.pre-commit-hooks.yaml` into a temporary git repo, and `git commit` runs them. gitops-lint is
 * there as a devDependency would put it (node_modules/gitops-lint and node_modules/.bin), linked
 * to this checkout: nothing is fetched.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "./helpers/cli.ts";

/**
 * The two programs that read `.pre-commit-hooks.yaml`: Debian's pre-commit (.ci/run installs it)
 * and prek (a devDependency, @j178/prek, which ships its binary through the npm registry).
 */
const tools: Array<{ name: string; binary: string | null; install: string }> = [
  { name: "pre-commit", binary: Bun.which("pre-commit"), install: "apt-get install -y pre-commit" },
  { name: "prek", binary: Bun.which("prek", { PATH: path.join(projectRoot, "node_modules/.bin") }), install: "bun install" },
];
for (const tool of tools) {
  if (!tool.binary) console.warn(`test/pre-commit.test.ts: ${tool.name}'s run is skipped, ${tool.name} is not installed (${tool.install})`);
}

// Each commit lints the repo in a new process; the first also clones the hook repository.
const timeout = 20_000;

let temporary = "";
let repo = "";
let env: Record<string, string> = {};
/** The `repo:` entry naming the hook repository at its commit, for a hook id. */
let hookRepo = (id: string): string => id;

/** The tool whose suite runs: prek's output differs from pre-commit's in layout only. */
let currentTool = "pre-commit";

/**
 * prek indents a hook's output by two spaces, prints the hook's description and says when a
 * config is valid; the rest reads as pre-commit's, which the assertions are written against.
 */
function asPreCommitWouldShow(output: string): string {
  if (currentTool !== "prek") return output;
  return output
    .split("\n")
    .filter((line) => !line.startsWith("- description: ") && line !== "success: All configs are valid")
    .map((line) => (line.startsWith("  ") ? line.slice(2) : line))
    .join("\n");
}

function run(command: string, args: string[], cwd = repo): { status: number; output: string } {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8" });
  if (result.error) throw result.error;
  const output = `${result.stdout}${result.stderr}`;
  // gitops-lint run directly prints as it does; through git's hook or the tool, as the tool shows it.
  return { status: result.status ?? -1, output: command === "bun" ? output : asPreCommitWouldShow(output) };
}

function git(...args: string[]): string {
  const result = run("git", args);
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.output}`);
  return result.output;
}

function write(relPath: string, text: string): void {
  const file = path.join(repo, relPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function edit(relPath: string, from: string, to: string): void {
  const file = path.join(repo, relPath);
  const text = fs.readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${relPath} has no "${from}"`);
  fs.writeFileSync(file, text.replace(from, to));
}

/** Stages the files and commits them through the installed hook. */
function commit(message: string, ...files: string[]): { status: number; output: string } {
  git("add", "--", ...files);
  return run("git", ["commit", "-m", message]);
}

const worker = "argocd/manifests/authentik/deployment-worker.yaml";
const blueprints = "argocd/manifests/authentik/configmap-blueprint.yaml";
const store = "argocd/manifests/external-secrets/cluster-secret-store.yaml";

const clusterSecretStore = `apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata:
  name: onepassword
spec:
  provider:
    onepassword:
      connectHost: http://onepassword-connect.external-secrets:8080
      vaults:
        homelab: 1
      auth:
        secretRef:
          connectTokenSecretRef:
            name: onepassword-connect-token
            namespace: external-secrets
            key: token
`;

// An old problem, committed before the hook: the store's name is misspelt. Its chain runs
// through the store's file.
const minifluxSecret = `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: miniflux-db
  namespace: miniflux
spec:
  secretStoreRef:
    kind: ClusterSecretStore
    name: onepasword
  target:
    name: miniflux-db
  data:
    - secretKey: password
      remoteRef:
        key: miniflux-db
        property: password
`;

const immichBlueprint = `apiVersion: v1
kind: ConfigMap
metadata:
  name: authentik-blueprint-immich
data:
  immich.yaml: |
    version: 1
    metadata:
      name: Immich
    entries:
      - model: authentik_providers_oauth2.oauth2provider
        id: immich-provider
        identifiers:
          name: Immich
        attrs:
          authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]
          client_id: immich
          client_secret: !Env AUTHENTIK_IMMICH_SECRET
          redirect_uris:
            - matching_mode: strict
              url: https://immich.example.org/auth/login
      - model: authentik_core.application
        id: immich-application
        identifiers:
          slug: immich
        attrs:
          name: Immich
          provider: !KeyOf immich-provider
`;

/** The fenced blocks of docs/pre-commit.md, in order. */
function docBlocks(): string[] {
  const text = fs.readFileSync(path.join(projectRoot, "docs/pre-commit.md"), "utf8");
  return [...text.matchAll(/^( *)```[a-z]*\n([\s\S]*?)^\1```$/gmu)].map((match) =>
    match[2]!.split("\n").map((line) => line.slice(match[1]!.length)).join("\n"),
  );
}

const oldProblem =
  'argocd/manifests/miniflux/external-secret.yaml\n  9:11  error  no ClusterSecretStore "onepasword" in this repo: the ExternalSecret cannot sync. Did you mean ClusterSecretStore "onepassword" (argocd/manifests/external-secrets/cluster-secret-store.yaml)?';

for (const { name: tool, binary } of tools) {
const title = `the pre-commit hook (.pre-commit-hooks.yaml, run by ${tool} in a temporary git repo)`;

describe.skipIf(!binary)(binary ? title : `${title}: skipped, ${tool} is not installed`, () => {
  beforeAll(() => {
    currentTool = tool;
    temporary = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-pre-commit-")));
    env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: temporary,
      PRE_COMMIT_HOME: path.join(temporary, "cache"),
      GIT_CONFIG_NOSYSTEM: "1",
      NO_COLOR: "1",
    };
    // The hook repository: this checkout's .pre-commit-hooks.yaml, committed (pre-commit clones a rev).
    const hooks = path.join(temporary, "hooks");
    fs.mkdirSync(hooks);
    fs.copyFileSync(path.join(projectRoot, ".pre-commit-hooks.yaml"), path.join(hooks, ".pre-commit-hooks.yaml"));
    repo = hooks;
    for (const args of [["init", "-q", "-b", "main"], ["config", "user.email", "hooks@example.org"], ["config", "user.name", "Hooks"], ["add", "."], ["commit", "-q", "-m", "hooks"]]) git(...args);
    const rev = git("rev-parse", "HEAD").trim();

    // The linted repository: a wired authentik (worker, blueprints, ExternalSecret), a store, and
    // gitops-lint installed as a devDependency.
    repo = path.join(temporary, "repo");
    fs.cpSync(path.join(projectRoot, "test/projects/clean/repo"), repo, { recursive: true });
    write(store, clusterSecretStore);
    write("argocd/manifests/miniflux/external-secret.yaml", minifluxSecret);
    write("gitops-lint.config.yaml", "settings:\n  oidc:\n    clients:\n      grafana:\n        consumer: false\n");
    write(".gitignore", "node_modules/\n");
    hookRepo = (id) => `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: ${id}\n`;
    write(".pre-commit-config.yaml", hookRepo("gitops-lint"));
    fs.mkdirSync(path.join(repo, "node_modules/.bin"), { recursive: true });
    fs.symlinkSync(projectRoot, path.join(repo, "node_modules/gitops-lint"));
    fs.symlinkSync("../gitops-lint/src/bin.ts", path.join(repo, "node_modules/.bin/gitops-lint"));
    for (const args of [["init", "-q", "-b", "main"], ["config", "user.email", "dev@example.org"], ["config", "user.name", "Dev"], ["config", "commit.gpgsign", "false"], ["add", "."], ["commit", "-q", "-m", "initial"]]) git(...args);
    const install = run(binary!, ["install"]);
    if (install.status !== 0) throw new Error(`${tool} install failed: ${install.output}`);
  }, timeout);

  afterAll(() => {
    if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  });

  test("a commit that breaks the !Env chain is refused, with the message at the blueprint", () => {
    // The worker loses the env var the Grafana blueprint's client_secret reads.
    edit(worker, "- name: AUTHENTIK_GRAFANA_CLIENT_SECRET", "- name: AUTHENTIK_GRAFANA_SECRET");
    const { status, output } = commit("rename the worker's env var", worker);
    expect(status).toBe(1);
    expect(output).toMatch(/^gitops-lint\.+Failed$/mu);
    expect(output).toContain(
      '- hook id: gitops-lint\n- exit code: 1\n\nargocd/manifests/authentik/configmap-blueprint.yaml\n  34:26  error  no env var "AUTHENTIK_GRAFANA_CLIENT_SECRET" on container "worker" (argocd/manifests/authentik/deployment-worker.yaml): the authentik worker that applies this blueprint reads !Env from its own environment',
    );
    expect(output).toContain("✖ 1 problem (1 error, 0 warnings)");
    // docs/pre-commit.md shows this output.
    expect(output).toContain(docBlocks().find((block) => block.startsWith("gitops-lint....."))!);
    // The old problem is not this commit's.
    expect(output).not.toContain("onepasword");
    expect(git("log", "--format=%s")).toBe("initial\n");
  }, timeout);

  test("the commit that fixes it passes", () => {
    edit(blueprints, "!Env AUTHENTIK_GRAFANA_CLIENT_SECRET", "!Env AUTHENTIK_GRAFANA_SECRET");
    const { status, output } = commit("read the renamed env var", worker, blueprints);
    expect(output).toMatch(/^gitops-lint\.+Passed$/mu);
    expect(status).toBe(0);
    expect(git("log", "--format=%s")).toBe("read the renamed env var\ninitial\n");
  }, timeout);

  test("a commit of an unrelated file passes while an old problem stays elsewhere", () => {
    write("argocd/manifests/grafana/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: grafana-dashboards\ndata:\n  home.json: \"{}\"\n");
    const { status, output } = commit("add grafana's dashboards", "argocd/manifests/grafana/configmap.yaml");
    expect(output).toMatch(/^gitops-lint\.+Passed$/mu);
    expect(status).toBe(0);
    // The whole repo still has the old problem.
    expect(run("bun", [path.join(projectRoot, "src/bin.ts")]).output).toContain(oldProblem);
  }, timeout);

  test("a commit of a file in the old problem's chain (not the file it is reported in) is refused", () => {
    edit(store, "  name: onepassword\n", "  name: onepassword\n  labels:\n    app.kubernetes.io/part-of: external-secrets\n");
    const { status, output } = commit("label the store", store);
    expect(status).toBe(1);
    expect(output).toMatch(/^gitops-lint\.+Failed$/mu);
    expect(output).toContain(oldProblem);
    expect(output).toContain("✖ 1 problem (1 error, 0 warnings)");
    expect(git("log", "-1", "--format=%s")).toBe("add grafana's dashboards\n");
  }, timeout);

  test("a commit of the config file alone is judged on the whole repo: the old problem refuses it", () => {
    write("gitops-lint.config.yaml", "settings:\n  oidc:\n    clients:\n      grafana:\n        consumer: false\n  hosts: [grafana.example.org]\n");
    const { status, output } = commit("serve grafana's host outside the repo", "gitops-lint.config.yaml");
    expect(status).toBe(1);
    expect(output).toMatch(/^gitops-lint\.+Failed$/mu);
    expect(output).toContain(oldProblem);
    git("reset", "-q", "--hard", "HEAD");
  }, timeout);

  test("docs/pre-commit.md's configurations are valid, and its repo: local form refuses a broken chain", () => {
    const configs = docBlocks().filter((block) => block.startsWith("# .pre-commit-config.yaml"));
    expect(configs.length).toBe(2);
    for (const config of configs) {
      write(".pre-commit-config.yaml", config);
      const validation = run(binary!, ["validate-config", ".pre-commit-config.yaml"]);
      expect(validation).toEqual({ status: 0, output: "" });
    }
    expect(configs[1]).toContain("repo: local");
    edit(worker, "- name: AUTHENTIK_GRAFANA_SECRET", "- name: AUTHENTIK_GRAFANA_TOKEN");
    git("add", ".pre-commit-config.yaml", worker);
    const { status, output } = run(binary!, ["run"]);
    expect(status).toBe(1);
    expect(output).toMatch(/^gitops-lint\.+Failed$/mu);
    expect(output).toContain('argocd/manifests/authentik/configmap-blueprint.yaml\n  34:26  error  no env var "AUTHENTIK_GRAFANA_SECRET" on container "worker"');
  }, timeout);

  test("gitops-lint-fix writes the fix of the problem the commit involves, and stops the commit to show it", () => {
    // From the last commit, a new client's blueprint, whose !Env the worker does not set yet.
    git("reset", "-q", "--hard", "HEAD");
    write("argocd/manifests/authentik/blueprint-immich.yaml", immichBlueprint);
    write(".pre-commit-config.yaml", hookRepo("gitops-lint-fix"));
    git("add", ".pre-commit-config.yaml", "argocd/manifests/authentik/blueprint-immich.yaml");
    const { status, output } = run(binary!, ["run"]);
    expect(status).toBe(1);
    expect(output).toMatch(/^gitops-lint \(fix\)\.+Failed$/mu);
    expect(output).toContain("- files were modified by this hook");
    // The env var on the worker and the key of its ExternalSecret, learned from grafana's.
    expect(fs.readFileSync(path.join(repo, worker), "utf8")).toContain(
      "                  key: grafana-client-secret\n            - name: AUTHENTIK_IMMICH_SECRET\n              valueFrom:\n                secretKeyRef:\n                  name: authentik-config\n                  key: immich-client-secret\n          volumeMounts:\n",
    );
    expect(fs.readFileSync(path.join(repo, "argocd/manifests/authentik/external-secret.yaml"), "utf8")).toEndWith(
      "        property: client-secret\n    - secretKey: immich-client-secret\n      remoteRef:\n        key: immich-oidc\n        property: client-secret\n",
    );
    // What remains: a warning (no service receives immich's secret in this repo).
    expect(output).toContain('- files were modified by this hook\n\nargocd/manifests/authentik/blueprint-immich.yaml\n  17:22  warning  OAuth2 client "immich"');
    expect(output).toContain("✖ 1 problem (0 errors, 1 warning)");
    // The old problem is not this commit's: its store name stays as it was.
    expect(fs.readFileSync(path.join(repo, "argocd/manifests/miniflux/external-secret.yaml"), "utf8")).toBe(minifluxSecret);
  }, timeout);
});
}
