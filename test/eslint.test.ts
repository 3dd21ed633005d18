/**
 * The ESLint plugin (`gitops-lint/eslint`) run by the real ESLint 10 (its CLI, with a config
 * file) and ESLint 9 (its `ESLint` class) on a copy of examples/homelab: the same messages as
 * gitops-lint's own engine, `# eslint-disable…` comments, the unsaved text of an editor buffer,
 * and broken YAML. ESLint runs under Bun here, which loads the plugin's TypeScript; under Node,
 * test/eslint-node.test.ts runs the JavaScript build.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ESLint as ESLint10 } from "eslint";
import { ESLint as ESLint9 } from "eslint-v9";
import { rules } from "../rules/index.ts";
import { lintProject } from "../src/engine.ts";
import plugin from "../src/eslint/index.ts";
import { setRefreshInterval } from "../src/eslint/repo.ts";
import { deployment, eslintWorkspace, eslintWorkspaceConfig, messageLines, type Reported, repoRoot, slugTypo, slugUnknown } from "./helpers/eslint.ts";

let work: string;
let root: string;
let settings: Record<string, unknown>;

// The repo itself is the installed package: under Bun its `exports` name src/ (the `bun` condition).
beforeAll(() => {
  ({ work, root, settings } = eslintWorkspace(repoRoot));
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function lines(results: readonly Reported[]): string[] {
  return messageLines(root, results);
}

/** ESLint 9 or 10 through the `ESLint` class, configured as the config file does. */
function eslintClass(ESLint: typeof ESLint10 | typeof ESLint9, extra: Record<string, unknown> = {}) {
  return new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [plugin.configs.recommended, { files: plugin.configs.recommended.files, languageOptions: { root } }, { settings }, extra] as never,
  });
}

function text(relPath: string): string {
  return fs.readFileSync(path.join(root, relPath), "utf8");
}

async function lintText(relPath: string, code: string, extra: Record<string, unknown> = {}): Promise<string[]> {
  return lines(await eslintClass(ESLint10, extra).lintText(code, { filePath: path.join(root, relPath) }));
}

describe("gitops-lint/eslint", () => {
  test("ESLint 10's CLI and ESLint 9 report exactly what gitops-lint reports on examples/homelab", async () => {
    const ours = lines((await lintProject({ cwd: root, rules, settings })).results);
    expect(ours.length).toBe(19);

    const cli = spawnSync(process.execPath, [path.join(repoRoot, "node_modules/eslint/bin/eslint.js"), "-f", "json", "."], { cwd: root, encoding: "utf8" });
    expect(cli.stderr).toBe("");
    expect(cli.status).toBe(1);
    expect(lines(JSON.parse(cli.stdout) as Reported[])).toEqual(ours);

    expect(lines(await eslintClass(ESLint9).lintFiles(["."]))).toEqual(ours);
  });

  test("the README's eslint.config.mjs works as it stands: the same messages as gitops-lint without a config", async () => {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### In ESLint and editors"));
    const config = /^```js\n([\s\S]*?)^```$/mu.exec(section)![1]!;
    fs.rmSync(path.join(root, "eslint.config.js"));
    fs.renameSync(path.join(root, "gitops-lint.config.yaml"), path.join(root, "gitops-lint.config.yaml.off"));
    fs.writeFileSync(path.join(root, "eslint.config.mjs"), config);
    try {
      const ours = lines((await lintProject({ cwd: root, rules })).results);
      const cli = spawnSync(process.execPath, [path.join(repoRoot, "node_modules/eslint/bin/eslint.js"), "-f", "json", "."], { cwd: root, encoding: "utf8" });
      expect(cli.stderr).toBe("");
      expect(cli.status).toBe(1);
      expect(lines(JSON.parse(cli.stdout) as Reported[])).toEqual(ours);
    } finally {
      fs.rmSync(path.join(root, "eslint.config.mjs"));
      fs.renameSync(path.join(root, "gitops-lint.config.yaml.off"), path.join(root, "gitops-lint.config.yaml"));
      eslintWorkspaceConfig(root);
    }
  });

  test("every rule is the plugin's, for its language, and the config names them all", () => {
    expect(Object.keys(plugin.rules)).toEqual(Object.keys(rules));
    for (const rule of Object.values(plugin.rules)) expect(rule.meta?.languages).toEqual(["gitops-lint/yaml"]);
    expect(Object.keys(plugin.configs.recommended.rules)).toEqual(Object.keys(rules).map((id) => `gitops-lint/${id}`));
    expect(plugin.meta).toEqual({ name: "gitops-lint", version: expect.any(String), namespace: "gitops-lint" });
  });

  test("# eslint-disable comments silence messages, in files, embedded blueprints and .j2 templates", async () => {
    const options = { linterOptions: { reportUnusedDisableDirectives: "error" } };
    const store = "argocd/manifests/grafana/external-secret.yaml";
    const storeLines = text(store).split("\n");
    storeLines.splice(9, 0, "  # eslint-disable-next-line gitops-lint/external-secret/store-exists -- managed by another repo");
    storeLines.splice(0, 0, "# eslint-disable-next-line gitops-lint/kustomize/resources-exist");
    expect(await lintText(store, storeLines.join("\n"), options)).toEqual([
      `${store}:1:1  Unused eslint-disable directive (no problems were reported from 'gitops-lint/kustomize/resources-exist').`,
    ]);

    // Line 27 of the ConfigMap is inside its embedded blueprint: the comment is the blueprint's.
    const blueprint = "argocd/manifests/authentik/configmap-blueprint.yaml";
    const blueprintLines = text(blueprint).split("\n");
    expect(blueprintLines[26]).toBe("        id: admins-group");
    blueprintLines.splice(26, 0, "        # eslint-disable-next-line gitops-lint/blueprint/unique-ids");
    const silenced = await lintText(blueprint, blueprintLines.join("\n"));
    expect(silenced.filter((line) => line.includes("unique-ids"))).toEqual([]);
    expect(silenced.length).toBe(8);

    const template = "ansible/roles/forgejo/templates/oidc-credentials.env.j2";
    const jinja = `{# eslint-disable-next-line gitops-lint/ansible/op-reference #}\n${text(template)}`;
    expect(await lintText(template, jinja, options)).toEqual([
      `${template}:1:1  Unused eslint-disable directive (no problems were reported from 'gitops-lint/ansible/op-reference').`,
    ]);
  });

  test("as you type: the unsaved text of a file is linted against the rest of the repo", async () => {
    const saved = text(deployment);
    expect(await lintText(deployment, saved)).toEqual([slugTypo]);
    expect(await lintText(deployment, saved.replace("/o/minflux/", "/o/rss-reader/"))).toEqual([slugUnknown]);
    // The slug a blueprint in another file declares: the cross-file message goes away.
    expect(await lintText(deployment, saved.replace("/o/minflux/", "/o/miniflux/"))).toEqual([]);
    expect(await lintText(deployment, saved)).toEqual([slugTypo]);
  });

  test("a file saved since the index was built is seen by the other files once ESLint lints it", async () => {
    const blueprint = "argocd/manifests/authentik/configmap-blueprint.yaml";
    const original = text(blueprint);
    const renamed = original.replace("slug: miniflux\n", "slug: minflux\n");
    expect(renamed).not.toBe(original);
    try {
      fs.writeFileSync(path.join(root, blueprint), renamed);
      await lintText(blueprint, renamed);
      // The Deployment's issuer URL names "minflux", which the saved blueprint now declares.
      expect(await lintText(deployment, text(deployment))).toEqual([]);
    } finally {
      fs.writeFileSync(path.join(root, blueprint), original);
      await lintText(blueprint, original);
    }
    expect(await lintText(deployment, text(deployment))).toEqual([slugTypo]);
  });

  test("a file changed on disk behind ESLint's back (a git pull) is read again once the interval has passed", async () => {
    const blueprint = "argocd/manifests/authentik/configmap-blueprint.yaml";
    const original = text(blueprint);
    expect(await lintText(deployment, text(deployment))).toEqual([slugTypo]);
    try {
      fs.writeFileSync(path.join(root, blueprint), original.replace("slug: miniflux\n", "slug: minflux\n"));
      // Within the interval the index read before is used: a CLI run never checks the disk.
      expect(await lintText(deployment, text(deployment))).toEqual([slugTypo]);
      setRefreshInterval(0);
      expect(await lintText(deployment, text(deployment))).toEqual([]);
    } finally {
      fs.writeFileSync(path.join(root, blueprint), original);
    }
    expect(await lintText(deployment, text(deployment))).toEqual([slugTypo]);
    setRefreshInterval(2000);
  });

  test("uncertain findings take the rule's severity, or are dropped with uncertain: off", async () => {
    const unsure = text(deployment).replace("/o/minflux/", "/o/rss-reader/");
    const [result] = await eslintClass(ESLint10).lintText(unsure, { filePath: path.join(root, deployment) });
    expect(result!.messages.map(({ ruleId, messageId, severity }) => ({ ruleId, messageId, severity }))).toEqual([
      { ruleId: "gitops-lint/oidc/issuer-slug", messageId: "unknownSlug", severity: 2 },
    ]);
    const off = { rules: { "gitops-lint/oidc/issuer-slug": ["error", { uncertain: "off" }] } };
    expect(await lintText(deployment, unsure, off)).toEqual([]);
    // Only the uncertain message ids are dropped: a certain typo is still reported.
    expect(await lintText(deployment, text(deployment), off)).toEqual([slugTypo]);
  });

  test("a fix that changes a value someone wrote is a suggestion, which --fix does not apply", async () => {
    const blueprint = "argocd/manifests/authentik/configmap-blueprint.yaml";
    const [result] = await eslintClass(ESLint10).lintText(text(blueprint), { filePath: path.join(root, blueprint) });
    const redirect = result!.messages.find((message) => message.ruleId === "gitops-lint/oidc/redirect-uri-host");
    expect(redirect?.fix).toBeUndefined();
    const [suggestion] = redirect?.suggestions ?? [];
    expect(suggestion?.desc).toBe("Apply gitops-lint's fix (it changes a value someone wrote: check it before you commit)");
    expect(text(blueprint).slice(suggestion!.fix.range[0], suggestion!.fix.range[1])).toBe("grafana.ops.eblu.me");
    expect(suggestion?.fix.text).toBe("photos.ops.eblu.me");
  });

  test("broken YAML is a parsing error, not a crash", async () => {
    const file = "argocd/manifests/grafana/external-secret.yaml";
    const [result] = await eslintClass(ESLint10).lintText("kind: ExternalSecret\nspec: [unclosed\n", { filePath: path.join(root, file) });
    expect(result!.messages).toEqual([
      {
        ruleId: null,
        fatal: true,
        severity: 2,
        message: "Parsing error: Flow sequence in block collection must be sufficiently indented and end with a ]",
        line: 3,
        column: 1,
      },
    ]);
  });
});
