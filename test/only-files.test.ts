/**
 * `--only-files` and `--changed-since`: the repo is linted whole, and only the problems that
 * involve the files given (reported in one, or with a link of their chain in one) are reported.
 * Also the involved files each cross-file rule attaches to its messages (`relatedFiles`).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { rules } from "../rules/index.ts";
import { loadConfig } from "../src/config.ts";
import { lintProject } from "../src/engine.ts";
import type { LintResult } from "../src/types.ts";
import { projectRoot, runCli } from "./helpers/cli.ts";
import { homelab } from "./helpers/homelab.ts";

const temporaries: string[] = [];

afterAll(() => {
  for (const directory of temporaries) fs.rmSync(directory, { recursive: true, force: true });
});

/** A temporary copy of test/projects/clean/repo (a wired authentik), with more files written in. */
function cleanRepo(files: Record<string, string> = {}): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-only-files-")));
  temporaries.push(root);
  fs.cpSync(path.join(projectRoot, "test/projects/clean/repo"), root, { recursive: true });
  return writeFiles(root, files);
}

function writeFiles(root: string, files: Record<string, string>): string {
  for (const [relPath, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relPath)), { recursive: true });
    fs.writeFileSync(path.join(root, relPath), text);
  }
  return root;
}

function emptyDirectory(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-only-files-")));
  temporaries.push(root);
  return root;
}

/** `file errors warnings [line:column ruleId, …]` per result of a JSON report. */
function summary(json: string, root: string): string[] {
  return (JSON.parse(json) as LintResult[]).map(
    (result) =>
      `${path.relative(root, result.filePath)} ${result.errorCount} ${result.warningCount} [${result.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`).join(", ")}]`,
  );
}

function git(cwd: string, ...args: string[]): void {
  const run = spawnSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: cwd } });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
}

function gitRepo(root: string): string {
  git(root, "init", "-q", "-b", "main");
  git(root, "config", "user.email", "dev@example.org");
  git(root, "config", "user.name", "Dev");
  git(root, "config", "commit.gpgsign", "false");
  git(root, "add", ".");
  git(root, "commit", "-q", "-m", "initial");
  return root;
}

function edit(root: string, relPath: string, from: string, to: string): void {
  const file = path.join(root, relPath);
  const text = fs.readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${relPath} has no "${from}"`);
  fs.writeFileSync(file, text.replace(from, to));
}

const worker = "argocd/manifests/authentik/deployment-worker.yaml";

// Two more clients whose worker env var is missing, in two blueprint files: two chains through
// the worker (each message fixable: --fix adds the env var and the ExternalSecret's key).
function blueprintOf(app: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: authentik-blueprint-${app}
data:
  ${app}.yaml: |
    version: 1
    metadata:
      name: ${app}
    entries:
      - model: authentik_providers_oauth2.oauth2provider
        id: ${app}-provider
        identifiers:
          name: ${app}
        attrs:
          authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]
          client_id: ${app}
          client_secret: !Env AUTHENTIK_${app.toUpperCase()}_CLIENT_SECRET
          redirect_uris:
            - matching_mode: strict
              url: https://${app}.example.org/oauth2/callback
      - model: authentik_core.application
        id: ${app}-application
        identifiers:
          slug: ${app}
        attrs:
          name: ${app}
          provider: !KeyOf ${app}-provider
`;
}

const twoClients = {
  "argocd/manifests/authentik/blueprint-immich.yaml": blueprintOf("immich"),
  "argocd/manifests/authentik/blueprint-miniflux.yaml": blueprintOf("miniflux"),
};

// A lookup, a redirect URI and an op:// reference whose chains run through other files.
const crossFiles = {
  "authentik/flows.yaml": `version: 1
metadata:
  name: Flows
entries:
  - model: authentik_flows.flow
    id: consent-flow
    identifiers:
      slug: my-consent-flow
    attrs:
      name: My consent
      designation: authorization
`,
  "authentik/grafana.yaml": `version: 1
metadata:
  name: Grafana
entries:
  - model: authentik_providers_oauth2.oauth2provider
    id: grafana-provider
    identifiers:
      name: Grafana
    attrs:
      authorization_flow: !Find [authentik_flows.flow, [slug, my-consent-flw]]
      client_id: grafana
      redirect_uris:
        - matching_mode: strict
          url: https://grafan.example.org/login/generic_oauth
  - model: authentik_core.application
    id: grafana-application
    identifiers:
      slug: grafana
    attrs:
      name: Grafana
      provider: !KeyOf grafana-provider
      meta_launch_url: https://grafana.example.org
`,
  "ingress.yaml": `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: grafana
spec:
  rules:
    - host: grafana.example.org
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: grafana
                port:
                  number: 3000
`,
  "store.yaml": `apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata:
  name: onepassword
spec:
  provider:
    onepassword:
      connectHost: http://onepassword-connect:8080
      vaults:
        homelab: 1
      auth:
        secretRef:
          connectTokenSecretRef:
            name: onepassword-connect-token
            namespace: external-secrets
            key: token
`,
  "ansible/inventory/group_vars/all.yml": `restic_password: "{{ lookup('community.general.onepassword', 'restic', field='password', vault='homelab') }}"\n`,
};

/** `file:line ruleId -> related files`, relative to `root`. */
async function involvedFiles(root: string): Promise<string[]> {
  const { settings } = await loadConfig({ cwd: root, root, lookup: true });
  const outcome = await lintProject({ cwd: root, rules, settings });
  return outcome.results.flatMap((result) =>
    result.messages.map(
      (message) =>
        `${path.relative(root, result.filePath)}:${message.line} ${message.ruleId} -> ${(message.relatedFiles ?? []).map((file) => path.relative(root, file)).join(", ")}`,
    ),
  );
}

describe("the files each cross-file rule's message involves", () => {
  test("examples/homelab: every link of the chain, paths that do not exist included", async () => {
    expect(await involvedFiles(homelab)).toEqual([
      "ansible/playbooks/indri.yml:26 oidc/client-wiring -> ansible/roles/zot/templates/oidc-credentials.json.j2",
      "ansible/roles/forgejo/defaults/main.yml:13 oidc/client-wiring -> ansible/roles/forgejo/templates/oidc-credentials.env.j2, argocd/manifests/authentik/configmap-blueprint.yaml, argocd/manifests/authentik/deployment-worker.yaml, argocd/manifests/authentik/external-secret.yaml",
      "ansible/roles/zot/defaults/main.yml:9 ansible/op-reference -> ",
      "ansible/roles/zot/tasks/main.yml:1 oidc/client-wiring -> ansible/roles/zot/templates/oidc-credentials.json.j2",
      "ansible/roles/zot/tasks/main.yml:38 oidc/client-wiring -> ansible/roles/zot/templates/oidc-credentials.json.j2",
      "ansible/roles/zot/tasks/main.yml:40 ansible/template-exists -> ansible/playbooks/templates/zot.service, ansible/playbooks/zot.service, ansible/roles/zot/tasks/templates/zot.service, ansible/roles/zot/tasks/zot.service, ansible/roles/zot/templates/zot.service, ansible/roles/zot/templates/zot.service.j2, ansible/roles/zot/zot.service",
      "argocd/manifests/authentik/configmap-blueprint.yaml:10 oidc/client-wiring -> ",
      "argocd/manifests/authentik/configmap-blueprint.yaml:27 blueprint/unique-ids -> ",
      "argocd/manifests/authentik/configmap-blueprint.yaml:120 oidc/application-provider -> ",
      "argocd/manifests/authentik/configmap-blueprint.yaml:149 blueprint/env-wired -> argocd/manifests/authentik/deployment-worker.yaml",
      "argocd/manifests/authentik/configmap-blueprint.yaml:150 blueprint/find-resolves -> ",
      "argocd/manifests/authentik/configmap-blueprint.yaml:168 blueprint/keyof-defined -> ",
      "argocd/manifests/authentik/configmap-blueprint.yaml:209 blueprint/env-wired -> argocd/manifests/authentik/deployment-worker.yaml, argocd/manifests/authentik/external-secret.yaml",
      "argocd/manifests/authentik/configmap-blueprint.yaml:221 oidc/redirect-uri-host -> ",
      "argocd/manifests/authentik/configmap-blueprint.yaml:262 blueprint/no-literal-secrets -> ",
      "argocd/manifests/grafana/external-secret.yaml:10 external-secret/store-exists -> argocd/manifests/external-secrets/cluster-secret-store.yaml",
      "argocd/manifests/miniflux/deployment.yaml:37 oidc/issuer-slug -> argocd/manifests/authentik/configmap-blueprint.yaml",
      "argocd/manifests/miniflux/external-secret.yaml:27 external-secret/onepassword-ref -> argocd/manifests/external-secrets/cluster-secret-store.yaml",
      "argocd/manifests/miniflux/kustomization.yaml:7 kustomize/resources-exist -> argocd/manifests/miniflux/service.yaml, argocd/manifests/miniflux/service.yml",
    ]);
  });

  test("a lookup's nearest object, a redirect URI's served hosts, an op:// reference's store", async () => {
    const root = writeFiles(emptyDirectory(), crossFiles);
    expect(await involvedFiles(root)).toEqual([
      "ansible/inventory/group_vars/all.yml:1 ansible/op-reference -> store.yaml",
      "authentik/grafana.yaml:10 blueprint/find-resolves -> authentik/flows.yaml",
      "authentik/grafana.yaml:14 oidc/redirect-uri-host -> ingress.yaml",
    ]);
  });
});

describe("--only-files", () => {
  test("reports the problems whose chain passes through a file given, wherever they are reported", async () => {
    const { code, stdout, stderr } = await runCli(["-f", "json", "--only-files", worker, "ansible/roles/zot/templates/zot.service"], { cwd: homelab });
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(summary(stdout, homelab)).toEqual([
      "ansible/roles/forgejo/defaults/main.yml 1 0 [13:25 oidc/client-wiring]",
      "ansible/roles/zot/tasks/main.yml 1 0 [40:10 ansible/template-exists]",
      "argocd/manifests/authentik/configmap-blueprint.yaml 2 0 [149:26 blueprint/env-wired, 209:28 blueprint/env-wired]",
      `${worker} 0 0 []`,
    ]);
  });

  test("the stylish report counts only the problems kept", async () => {
    const root = cleanRepo(twoClients);
    const { code, stdout } = await runCli(["--only-files", "argocd/manifests/authentik/blueprint-immich.yaml"], { cwd: root });
    expect(code).toBe(1);
    expect(stdout).toBe(`
argocd/manifests/authentik/blueprint-immich.yaml
  18:26  error  no env var "AUTHENTIK_IMMICH_CLIENT_SECRET" on container "worker" (argocd/manifests/authentik/deployment-worker.yaml): the authentik worker that applies this blueprint reads !Env from its own environment, so the value would be empty. Add "AUTHENTIK_IMMICH_CLIENT_SECRET" to that container's env with valueFrom.secretKeyRef  blueprint/env-wired
    18 |           client_secret: !Env AUTHENTIK_IMMICH_CLIENT_SECRET
       |                          ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

✖ 1 problem (1 error, 0 warnings)
  1 error and 0 warnings potentially fixable with the \`--fix\` option.
`);
  });

  test("a file outside every chain, or gone (deleted, renamed away), reports nothing and is no error", async () => {
    const root = cleanRepo(twoClients);
    const { code, stdout, stderr } = await runCli(["--only-files", "argocd/manifests/authentik/kustomization.yaml", "argocd/manifests/authentik/renamed-away.yaml"], { cwd: root });
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  test("no file given: nothing to report", async () => {
    const { code, stdout, stderr } = await runCli(["--only-files"], { cwd: cleanRepo(twoClients) });
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  test("--max-warnings counts the warnings kept", async () => {
    const root = writeFiles(emptyDirectory(), crossFiles);
    // The store is in the op:// reference's chain: one warning.
    const store = await runCli(["--only-files", "store.yaml", "--max-warnings", "0", "-f", "json"], { cwd: root });
    expect(store.code).toBe(1);
    expect(store.stderr).toBe("gitops-lint found too many warnings (maximum: 0).\n");
    expect(summary(store.stdout, root)).toEqual(["ansible/inventory/group_vars/all.yml 0 1 [1:18 ansible/op-reference]", "store.yaml 0 0 []"]);
    // The Ingress is in the redirect URI's chain only: one warning, allowed.
    const ingress = await runCli(["--only-files", "ingress.yaml", "--max-warnings", "1", "-f", "json"], { cwd: root });
    expect(ingress.code).toBe(0);
    expect(summary(ingress.stdout, root)).toEqual(["authentik/grafana.yaml 0 1 [14:24 oidc/redirect-uri-host]", "ingress.yaml 0 0 []"]);
  });

  test("--fix applies only the fixes of the problems reported", async () => {
    const root = cleanRepo(twoClients);
    const { code, stdout } = await runCli(["--only-files", "argocd/manifests/authentik/blueprint-immich.yaml", "--fix", "-f", "json"], { cwd: root });
    expect(code).toBe(0);
    expect(summary(stdout, root)).toEqual(["argocd/manifests/authentik/blueprint-immich.yaml 0 0 []"]);
    const text = fs.readFileSync(path.join(root, worker), "utf8");
    expect(text).toContain("- name: AUTHENTIK_IMMICH_CLIENT_SECRET");
    expect(text).not.toContain("MINIFLUX");
    // Miniflux's problem is still there, for a commit that involves it.
    const rest = await runCli(["-f", "json"], { cwd: root });
    expect(summary(rest.stdout, root).filter((line) => !line.includes(" 0 0 ["))).toEqual([
      "argocd/manifests/authentik/blueprint-miniflux.yaml 1 0 [18:26 blueprint/env-wired]",
    ]);
  });

  test("SARIF gives the chain's other files as relatedLocations", async () => {
    const root = writeFiles(emptyDirectory(), crossFiles);
    const { stdout } = await runCli(["--only-files", "authentik/flows.yaml", "-f", "sarif"], { cwd: root });
    const results = JSON.parse(stdout).runs[0].results as Array<{ ruleId: string; locations: unknown; relatedLocations: unknown }>;
    expect(results.map(({ ruleId, locations, relatedLocations }) => ({ ruleId, locations, relatedLocations }))).toEqual([
      {
        ruleId: "blueprint/find-resolves",
        locations: [{ physicalLocation: { artifactLocation: { uri: "authentik/grafana.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: 10, startColumn: 27, endLine: 10, endColumn: 79 } } }],
        relatedLocations: [{ id: 0, physicalLocation: { artifactLocation: { uri: "authentik/flows.yaml", uriBaseId: "%SRCROOT%" } } }],
      },
    ]);
  });

  test("filters what the suppressions file leaves: suppressed errors stay silent, and none is taken for unused", async () => {
    const root = cleanRepo(twoClients);
    expect((await runCli(["--suppress-all"], { cwd: root })).code).toBe(0);
    edit(root, worker, "- name: AUTHENTIK_GRAFANA_CLIENT_SECRET", "- name: AUTHENTIK_GRAFANA_SECRET");
    const involved = await runCli(["--only-files", worker, "-f", "json"], { cwd: root });
    expect(involved.stderr).toBe("");
    expect(involved.code).toBe(1);
    expect(summary(involved.stdout, root)).toEqual(["argocd/manifests/authentik/configmap-blueprint.yaml 1 0 [34:26 blueprint/env-wired]", `${worker} 0 0 []`]);
    const other = await runCli(["--only-files", "argocd/manifests/authentik/blueprint-immich.yaml"], { cwd: root });
    // Immich's error is suppressed; miniflux's, also suppressed, does not involve the file.
    expect(other).toEqual({ code: 0, stdout: "1 problem suppressed by gitops-lint-suppressions.json\n", stderr: "" });
  });

  test("the config file or the suppressions file given: every problem is reported, as both judge every file", async () => {
    const root = cleanRepo(twoClients);
    const all = summary((await runCli(["-f", "json"], { cwd: root })).stdout, root).filter((line) => !line.includes(" 0 0 ["));
    expect(all.length).toBe(2);
    fs.writeFileSync(path.join(root, "gitops-lint.config.yaml"), "settings:\n  hosts: [grafana.example.org]\n");
    const config = await runCli(["--only-files", "gitops-lint.config.yaml", "-f", "json"], { cwd: root });
    expect(config.code).toBe(1);
    expect(summary(config.stdout, root).filter((line) => !line.includes(" 0 0 ["))).toEqual(all);
    fs.rmSync(path.join(root, "gitops-lint.config.yaml"));
    expect((await runCli(["--suppress-rule", "blueprint/env-wired"], { cwd: root })).code).toBe(0);
    // The baseline now hides both; a commit that changes it is judged on the whole repo.
    expect(await runCli(["--only-files", "gitops-lint-suppressions.json"], { cwd: root })).toEqual({
      code: 0,
      stdout: "2 problems suppressed by gitops-lint-suppressions.json\n",
      stderr: "",
    });
  });

  test("cannot be used with --changed-since", async () => {
    const { code, stderr } = await runCli(["--only-files", "--changed-since", "main", "a.yaml"], { cwd: cleanRepo() });
    expect(code).toBe(2);
    expect(stderr).toBe("gitops-lint: --only-files and --changed-since cannot be used together\nRun gitops-lint --help for usage.\n");
  });
});

describe("--changed-since", () => {
  test("nothing changed since the ref: nothing reported, whatever the repo holds", async () => {
    const root = gitRepo(cleanRepo(twoClients));
    const { code, stdout, stderr } = await runCli(["--changed-since", "main"], { cwd: root });
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  test("commits since the merge base, staged, unstaged and untracked changes, deleted files", async () => {
    const root = gitRepo(cleanRepo(twoClients));
    git(root, "checkout", "-q", "-b", "feature");
    // Committed on the branch: the worker loses grafana's env var.
    edit(root, worker, "- name: AUTHENTIK_GRAFANA_CLIENT_SECRET", "- name: AUTHENTIK_GRAFANA_SECRET");
    git(root, "commit", "-q", "-am", "rename");
    // main moves on after the branch: its commits are not the branch's changes.
    git(root, "checkout", "-q", "main");
    fs.writeFileSync(path.join(root, "argocd/manifests/authentik/blueprint-miniflux.yaml"), blueprintOf("miniflux").replace("miniflux.example.org", "rss.example.org"));
    git(root, "commit", "-q", "-am", "main moves on");
    git(root, "checkout", "-q", "feature");
    const committed = await runCli(["--changed-since", "main", "-f", "json"], { cwd: root });
    expect(committed.code).toBe(1);
    // Every !Env the worker reads is in its chain; miniflux's message is reported since the
    // worker changed, not because of main's commit.
    expect(summary(committed.stdout, root)).toEqual([
      "argocd/manifests/authentik/blueprint-immich.yaml 1 0 [18:26 blueprint/env-wired]",
      "argocd/manifests/authentik/blueprint-miniflux.yaml 1 0 [18:26 blueprint/env-wired]",
      "argocd/manifests/authentik/configmap-blueprint.yaml 1 0 [34:26 blueprint/env-wired]",
      `${worker} 0 0 []`,
    ]);

    const root2 = gitRepo(cleanRepo());
    // Unstaged: a deleted file a kustomization lists. Untracked: a new blueprint.
    fs.rmSync(path.join(root2, "argocd/manifests/authentik/deployment-server.yaml"));
    writeFiles(root2, { "argocd/manifests/authentik/blueprint-immich.yaml": blueprintOf("immich") });
    const working = await runCli(["--changed-since", "HEAD", "-f", "json"], { cwd: root2 });
    expect(working.code).toBe(1);
    expect(summary(working.stdout, root2)).toEqual([
      "argocd/manifests/authentik/blueprint-immich.yaml 1 0 [18:26 blueprint/env-wired]",
      "argocd/manifests/authentik/kustomization.yaml 1 0 [7:5 kustomize/resources-exist]",
    ]);
  });

  test("an unknown ref, or no git repository: exit 2 with the reason", async () => {
    const root = gitRepo(cleanRepo());
    const unknown = await runCli(["--changed-since", "no-such-branch"], { cwd: root });
    expect(unknown).toEqual({ code: 2, stdout: "", stderr: `gitops-lint: --changed-since: "no-such-branch" is not a commit, branch or tag of the repository at ${root}\n` });
    const option = await runCli(["--changed-since=--output=x"], { cwd: root });
    expect(option).toEqual({ code: 2, stdout: "", stderr: 'gitops-lint: --changed-since: "--output=x" is not a commit, branch or tag\n' });
    const outside = emptyDirectory();
    const none = await runCli(["--changed-since", "main"], { cwd: outside });
    expect(none).toEqual({ code: 2, stdout: "", stderr: `gitops-lint: --changed-since needs a git repository, and ${outside} is not in one\n` });
  });
});
