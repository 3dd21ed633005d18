/**
 * The config file: where it is found, each file type, the merge of an array config, --config and
 * --no-config-lookup, every config error with its exact message (exit 2), the README's examples,
 * and settings reaching a rule end to end.
 *
 * Every repo is a temporary directory, so no config file of this checkout or above it is found.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, type LoadConfigOptions, type LoadedConfig, lintedRoot, loadConfig, type Settings } from "../src/config.ts";
import { defineConfig } from "../src/index.ts";
import { writeRepo } from "./helpers/rule-tester.ts";
import { runCli } from "./helpers/cli.ts";

const projectRoot = path.resolve(import.meta.dir, "..");
const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");


const run = (argv: string[], cwd: string) => runCli(argv, { cwd });

/** `loadConfig` searching from `root` (default: `cwd`). */
function load(cwd: string, options: Partial<LoadConfigOptions> = {}) {
  return loadConfig({ cwd, root: cwd, lookup: true, ...options });
}

/** What `loadConfig` found: the file and the run's settings. */
function found(loaded: LoadedConfig): { file?: string; settings: Settings } {
  return loaded.file === undefined ? { settings: loaded.settings } : { file: loaded.file, settings: loaded.settings };
}

/** Makes `import … from "gitops-lint"` in `root` resolve to this checkout, through its package.json `exports`. */
function linkPackage(root: string): void {
  fs.mkdirSync(path.join(root, "node_modules"));
  fs.symlinkSync(projectRoot, path.join(root, "node_modules/gitops-lint"), "dir");
}

const yaml = (...lines: string[]): string => `${lines.join("\n")}\n`;

describe("lookup", () => {
  test("no config file: no settings", async () => {
    const root = writeRepo({ "apps/a.yaml": "a: 1\n" });
    expect(found(await load(root))).toEqual({ settings: {} });
  });

  test("a config in the linted root is read", async () => {
    const root = writeRepo({ "gitops-lint.config.yaml": yaml("settings:", "  hosts: [a.example.com]") });
    expect(found(await load(root))).toEqual({ file: path.join(root, "gitops-lint.config.yaml"), settings: { hosts: ["a.example.com"] } });
  });

  test("a config in a directory above the linted root is found", async () => {
    const root = writeRepo({ "gitops-lint.config.yaml": yaml("settings:", "  hosts: [a.example.com]"), "apps/grafana/a.yaml": "a: 1\n" });
    const loaded = await load(root, { root: path.join(root, "apps/grafana") });
    expect(loaded.file).toBe(path.join(root, "gitops-lint.config.yaml"));
  });

  test("the nearest config wins, and is not merged with one further up", async () => {
    const root = writeRepo({
      "gitops-lint.config.yaml": yaml("settings:", "  hosts: [top.example.com]", "  top: true"),
      "apps/gitops-lint.config.json": JSON.stringify({ settings: { hosts: ["apps.example.com"] } }),
      "apps/grafana/a.yaml": "a: 1\n",
    });
    expect(found(await load(root, { root: path.join(root, "apps/grafana") }))).toEqual({
      file: path.join(root, "apps/gitops-lint.config.json"),
      settings: { hosts: ["apps.example.com"] },
    });
  });

  test("a directory named like a config file is not one", async () => {
    const root = writeRepo({ "gitops-lint.config.yaml/a.yaml": "a: 1\n" });
    expect(found(await load(root))).toEqual({ settings: {} });
  });

  test("the linted root: the current directory, a file's directory, the deepest directory holding every path", () => {
    const root = writeRepo({ "apps/a/x.yaml": "a: 1\n", "apps/b/y.yaml": "b: 1\n" });
    expect(lintedRoot(root, [])).toBe(root);
    expect(lintedRoot(root, ["apps/a/x.yaml"])).toBe(path.join(root, "apps/a"));
    expect(lintedRoot(root, ["apps/a", "apps/b/y.yaml"])).toBe(path.join(root, "apps"));
    expect(lintedRoot(path.join(root, "apps/a"), ["../b", "."])).toBe(path.join(root, "apps"));
    expect(lintedRoot(root, ["apps/missing"])).toBe(path.join(root, "apps/missing"));
  });
});

describe("file types", () => {
  const settings = { hosts: ["a.example.com"] };

  test("gitops-lint.config.ts with defineConfig imported from the package", async () => {
    const root = writeRepo({
      "gitops-lint.config.ts": [
        'import { defineConfig } from "gitops-lint";',
        "",
        'const hosts: string[] = ["a.example.com"];',
        "export default defineConfig({ settings: { hosts } });",
        "",
      ].join("\n"),
    });
    linkPackage(root);
    expect((await load(root)).settings).toEqual(settings);
  });

  test.each([
    ["gitops-lint.config.js", `export default ${JSON.stringify({ settings })};\n`],
    ["gitops-lint.config.js", `module.exports = ${JSON.stringify({ settings })};\n`],
    ["gitops-lint.config.mjs", `export default ${JSON.stringify({ settings })};\n`],
    ["gitops-lint.config.mjs", `export const config = ${JSON.stringify({ settings })};\n`],
    ["gitops-lint.config.mjs", `export default Promise.resolve(${JSON.stringify({ settings })});\n`],
    ["gitops-lint.config.json", `\uFEFF${JSON.stringify({ settings })}`],
    ["gitops-lint.config.yaml", yaml("settings:", "  hosts:", "    - a.example.com")],
    ["gitops-lint.config.yml", yaml("settings: { hosts: [a.example.com] }")],
  ])("%s: %s", async (name, text) => {
    const root = writeRepo({ [name]: text });
    expect(found(await load(root))).toEqual({ file: path.join(root, name), settings });
  });

  test("a YAML file with only comments configures nothing", async () => {
    const root = writeRepo({ "gitops-lint.config.yaml": "# settings come later\n" });
    expect((await load(root)).settings).toEqual({});
  });

  test("defineConfig types a config: a misspelt key does not compile", () => {
    // @ts-expect-error: "setings" is not a config key
    expect(defineConfig({ setings: {} })).toEqual({ setings: {} });
    expect(defineConfig([{ name: "a", settings: { hosts: ["x"] } }, { ignores: ["vendor/**"] }])).toHaveLength(2);
  });
});

describe("an array config", () => {
  test("settings are merged deeply in order: objects key by key, arrays and other values replaced", async () => {
    const root = writeRepo({
      "gitops-lint.config.yaml": yaml(
        "- name: base",
        "  settings:",
        "    hosts: [a.example.com]",
        "    onepassword: { vaults: { abc: Homelab }, references: [op://a/b/c] }",
        "- files: ['**/*.yaml']",
        "- settings:",
        "    hosts: [b.example.com]",
        "    onepassword: { items: { def: Grafana }, references: [op://x/y/z] }",
        "    oidc: { clients: { zot: { consumer: false } } }",
      ),
    });
    expect((await load(root)).settings).toEqual({
      hosts: ["b.example.com"],
      onepassword: { vaults: { abc: "Homelab" }, items: { def: "Grafana" }, references: ["op://x/y/z"] },
      oidc: { clients: { zot: { consumer: false } } },
    });
  });

  test("an undefined value keeps the earlier one; a __proto__ key is dropped", async () => {
    const root = writeRepo({
      "gitops-lint.config.mjs": "export default [{ settings: { hosts: ['a'] } }, { settings: { hosts: undefined } }];\n",
      "proto/gitops-lint.config.json": '[{ "settings": { "__proto__": { "polluted": true }, "hosts": ["a"] } }]',
    });
    expect((await load(root)).settings).toEqual({ hosts: ["a"] });
    const settings = (await load(path.join(root, "proto"))).settings;
    expect(settings).toEqual({ hosts: ["a"] });
    expect(Object.getPrototypeOf(settings)).toBe(Object.prototype);
  });
});

describe("--config and --no-config-lookup", () => {
  const files = {
    "gitops-lint.config.yaml": yaml("settings:", "  hosts: [found.example.com]"),
    "configs/lint.json": JSON.stringify({ settings: { hosts: ["given.example.com"] } }),
  };

  test("--config reads the file it names, relative to the current directory, and does not search", async () => {
    const root = writeRepo(files);
    const cwd = path.join(root, "configs");
    expect(found(await loadConfig({ cwd, root, configFile: "lint.json", lookup: true }))).toEqual({
      file: path.join(root, "configs/lint.json"),
      settings: { hosts: ["given.example.com"] },
    });
  });

  test("--no-config-lookup reads no config file, unless --config names one", async () => {
    const root = writeRepo(files);
    expect(found(await load(root, { lookup: false }))).toEqual({ settings: {} });
    expect((await load(root, { lookup: false, configFile: "configs/lint.json" })).settings).toEqual({ hosts: ["given.example.com"] });
  });
});

describe("config errors: exit 2, a message naming the file and the key", () => {
  const allowed = "(allowed: settings, files, ignores, rules, name, languageOptions, linterOptions, plugins, processor, language, extends)";
  const lintable = { "apps/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n" };

  test.each([
    ["an unknown key", { "gitops-lint.config.yaml": yaml("setings:", "  hosts: [a]") }, [], [`gitops-lint.config.yaml: "setings" is not a config key ${allowed}`]],
    [
      "unknown keys and a wrong type in an array, each named",
      {
        "gitops-lint.config.json": JSON.stringify([{ name: "base", rule: {} }, { settings: [], ignores: ["a", 1] }, "recommended"]),
      },
      [],
      [
        `gitops-lint.config.json: config object at index 0 ("base"): "rule" is not a config key ${allowed}`,
        'gitops-lint.config.json: config object at index 1: "settings" must be an object, not an array',
        'gitops-lint.config.json: config object at index 1: "ignores[1]" must be a string, not a number',
        "gitops-lint.config.json: config object at index 2 must be an object, not a string",
      ],
    ],
    ["settings that are not an object", { "gitops-lint.config.yaml": yaml("settings: [hosts]") }, [], ['gitops-lint.config.yaml: "settings" must be an object, not an array']],
    ["a processor of the wrong type", { "gitops-lint.config.yaml": yaml("processor: 1") }, [], ['gitops-lint.config.yaml: "processor" must be a string or an object, not a number']],
    ["a config that is not an object", { "gitops-lint.config.yaml": yaml("hosts") }, [], ["gitops-lint.config.yaml: the config must be an object or an array of objects, not a string"]],
    ["a YAML syntax error", { "gitops-lint.config.yaml": yaml("settings:", "  hosts: [a", "other: 1") }, [], ["gitops-lint.config.yaml:3:1: syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]"]],
    ["a duplicate YAML key", { "gitops-lint.config.yml": yaml("settings: {}", "settings: {}") }, [], ["gitops-lint.config.yml:2:1: syntax error: Map keys must be unique"]],
    ["a JSON syntax error", { "gitops-lint.config.json": '{ "settings": {}, }' }, [], ["gitops-lint.config.json: syntax error: Property name must be a string literal"]],
    ["a TypeScript syntax error", { "gitops-lint.config.ts": "export default { settings: {} ;\n" }, [], ['gitops-lint.config.ts:1:31: syntax error: Expected "}" but found ";"']],
    ["a config that throws", { "gitops-lint.config.mjs": 'throw new Error("no settings today");\n' }, [], ["gitops-lint.config.mjs: importing it failed: no settings today"]],
    ["an import that fails", { "gitops-lint.config.js": 'import { hosts } from "./hosts.js";\nexport default { settings: { hosts } };\n' }, [], [/^gitops-lint\.config\.js: importing it failed: Cannot find module '\.\/hosts\.js'/u]],
    ["a default export that rejects", { "gitops-lint.config.mjs": 'export default Promise.reject(new Error("vault locked"));\n' }, [], ["gitops-lint.config.mjs: importing it failed: vault locked"]],
    ["a module that exports no config", { "gitops-lint.config.js": "export const settings = {};\n" }, [], ['gitops-lint.config.js: exports no config: export it as the default export (export default defineConfig({ … })) or as "config"']],
    [
      "two config files in one directory",
      { "gitops-lint.config.json": "{}", "gitops-lint.config.yaml": "{}\n", "gitops-lint.config.ts": "export default {};\n" },
      [],
      ["gitops-lint.config.ts, gitops-lint.config.json and gitops-lint.config.yaml are config files of the same directory: keep one, or choose one with --config"],
    ],
    ["--config naming a missing file", {}, ["--config", "lint.yaml"], ["lint.yaml: cannot read it (no such file)"]],
    ["--config naming a directory", { "configs/lint.yaml/a.yaml": "a: 1\n" }, ["--config", "configs/lint.yaml"], ["configs/lint.yaml: cannot read it (it is a directory)"]],
    ["--config naming an unknown file type", { "lint.toml": "" }, ["--config", "lint.toml"], ["lint.toml: a config file is .ts, .js, .mjs, .json, .yaml or .yml"]],
  ] as Array<[string, Record<string, string>, string[], Array<string | RegExp>]>)("%s", async (_name, files, argv, expected) => {
    const cwd = writeRepo({ ...lintable, ...files });
    const { code, stdout, stderr } = await run(argv, cwd);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr.endsWith("\n")).toBe(true);
    const lines = stderr.slice(0, -1).split("\n").map((line) => line.replace(/^gitops-lint: /u, "… "));
    expect(lines).toEqual(expected.map((line) => (typeof line === "string" ? `… ${line}` : expect.stringMatching(new RegExp(`^… ${line.source.slice(1)}`, "u")))));
  });

  test("the error names the config file as a path from the current directory", async () => {
    const root = writeRepo({ ...lintable, "gitops-lint.config.yaml": yaml("setings: {}") });
    const { code, stderr } = await run(["."], path.join(root, "apps"));
    expect(code).toBe(2);
    expect(stderr).toBe(`gitops-lint: ../gitops-lint.config.yaml: "setings" is not a config key ${allowed}\n`);
  });

  test("loadConfig throws a ConfigError", async () => {
    const root = writeRepo({ "gitops-lint.config.yaml": yaml("setings: {}") });
    await expect(load(root)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe("README", () => {
  const section = readme.slice(readme.indexOf("### Configuration"), readme.indexOf("## Command line"));
  const block = (language: string): string => new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, "mu").exec(section)![1]!;
  const errorLine = /^```\n(gitops-lint: .*\n)```$/mu.exec(section)![1]!;

  test("the YAML example loads", async () => {
    const root = writeRepo({ "gitops-lint.config.yaml": block("yaml") });
    expect((await load(root)).settings).toEqual({
      hosts: ["login.tailscale.com", "*.grafana.net"],
      externalSecrets: { stores: [{ name: "onepassword", kind: "ClusterSecretStore", provider: "onepassword", vault: "homelab" }] },
    });
  });

  test("the TypeScript example loads", async () => {
    const root = writeRepo({ "gitops-lint.config.ts": block("ts") });
    linkPackage(root);
    expect((await load(root)).settings).toEqual({ hosts: ["login.tailscale.com"], onepassword: { references: ["op://homelab/restic/password"] } });
  });

  test("the error shown is the one a wrong severity gives", async () => {
    const cwd = writeRepo({ "apps/a.yaml": "a: 1\n", "gitops-lint.config.yaml": yaml("- {}", "- {}", "- rules: { schema/ansible: warning }") });
    const { stderr } = await run([], cwd);
    expect(stderr).toBe(errorLine);
  });
});

describe("settings reach the rules", () => {
  /** A Grafana provider whose redirect URI's host is served outside the repo: a warning of oidc/redirect-uri-host. */
  const repo = {
    "authentik/blueprints/grafana.yaml": yaml(
      "version: 1",
      "entries:",
      "  - model: authentik_providers_oauth2.oauth2provider",
      "    id: grafana-provider",
      "    identifiers:",
      "      name: Grafana",
      "    attrs:",
      "      name: Grafana",
      "      redirect_uris:",
      "        - matching_mode: strict",
      "          url: https://grafana.cloud.example.net/login/generic_oauth",
      "  - model: authentik_core.application",
      "    identifiers:",
      "      slug: grafana",
      "    attrs:",
      "      name: Grafana",
      "      provider: !KeyOf grafana-provider",
      "      meta_launch_url: https://grafana.example.com",
    ),
    "apps/grafana/ingress.yaml": yaml(
      "apiVersion: networking.k8s.io/v1",
      "kind: Ingress",
      "metadata:",
      "  name: grafana",
      "spec:",
      "  rules:",
      "    - host: grafana.example.com",
      "      http:",
      "        paths:",
      "          - { path: /, pathType: Prefix, backend: { service: { name: grafana, port: { number: 80 } } } }",
    ),
  };
  const config = { "gitops-lint.config.yaml": yaml("settings:", "  hosts: [grafana.cloud.example.net]") };

  /** The messages of a JSON report as `file:line:col ruleId messageId`. */
  function messages(stdout: string, cwd: string): string[] {
    const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ line: number; column: number; ruleId: string; messageId: string }> }>;
    return results.flatMap((result) =>
      result.messages.map((message) => `${path.relative(cwd, result.filePath)}:${message.line}:${message.column} ${message.ruleId} ${message.messageId}`),
    );
  }

  const warning = "authentik/blueprints/grafana.yaml:11:24 oidc/redirect-uri-host unknownHost";

  test("without a config the unknown host is a warning", async () => {
    const cwd = writeRepo(repo);
    const { code, stdout } = await run(["--format", "json"], cwd);
    expect(code).toBe(0);
    expect(messages(stdout, cwd)).toEqual([warning]);
  });

  test("settings.hosts in gitops-lint.config.yaml silences it", async () => {
    const cwd = writeRepo({ ...repo, ...config });
    const { code, stdout, stderr } = await run(["--format", "json"], cwd);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(messages(stdout, cwd)).toEqual([]);
  });

  test("linting a folder finds the config above it", async () => {
    const cwd = writeRepo({ ...repo, ...config });
    const { stdout } = await run(["--format", "json", "authentik"], cwd);
    expect(messages(stdout, cwd)).toEqual([]);
  });

  test("--fix passes the settings too", async () => {
    const cwd = writeRepo({ ...repo, ...config });
    const { code, stdout } = await run(["--fix", "--format", "json"], cwd);
    expect(code).toBe(0);
    expect(messages(stdout, cwd)).toEqual([]);
  });

  test("--no-config-lookup brings the warning back; --config reads a config elsewhere", async () => {
    const cwd = writeRepo({ ...repo, ...config, "ci/hosts.json": JSON.stringify({ settings: { hosts: ["*.cloud.example.net"] } }) });
    expect(messages((await run(["--format", "json", "--no-config-lookup"], cwd)).stdout, cwd)).toEqual([warning]);
    expect(messages((await run(["--format", "json", "--no-config-lookup", "--config", "ci/hosts.json"], cwd)).stdout, cwd)).toEqual([]);
    expect(messages((await run(["--format", "json", "-c", "ci/hosts.json"], cwd)).stdout, cwd)).toEqual([]);
  });
});
