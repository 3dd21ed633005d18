/**
 * The config applied: `files` and `ignores` per file, global ignores, rule severities and
 * options per file, the presets and `extends`, the `uncertain` option, `linterOptions`, every
 * rule-entry error with its exact message (exit 2), `--rule` and `--print-config`.
 *
 * Every repo is a temporary directory, so no config file of this checkout or above it is found.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import { rules } from "../rules/index.ts";
import { loadConfig } from "../src/config.ts";
import { lintProject } from "../src/engine.ts";
import { configs } from "../src/index.ts";
import { runCli } from "./helpers/cli.ts";
import { homelab } from "./helpers/homelab.ts";
import { writeRepo } from "./helpers/rule-tester.ts";

const projectRoot = path.resolve(import.meta.dir, "..");
const yaml = (...lines: string[]): string => `${lines.join("\n")}\n`;
const run = (argv: string[], cwd: string) => runCli(argv, { cwd });

/** A blueprint whose second entry reuses the first's id: one blueprint/unique-ids error at 7:9. */
const duplicateIds = yaml(
  "version: 1",
  "entries:",
  "  - model: authentik_core.group",
  "    id: admins",
  "    identifiers: { name: admins }",
  "  - model: authentik_core.group",
  "    id: admins",
  "    identifiers: { name: operators }",
);

/** A provider no application uses, in a repo that has applications: an uncertain finding (a warning) at 3:12. */
const unusedProvider = yaml(
  "version: 1",
  "entries:",
  "  - model: authentik_providers_proxy.proxyprovider",
  "    id: grafana-provider",
  "    identifiers: { name: Grafana }",
  "  - model: authentik_providers_proxy.proxyprovider",
  "    id: wiki-provider",
  "    identifiers: { name: Wiki }",
  "  - model: authentik_core.application",
  "    identifiers: { slug: wiki }",
  "    attrs:",
  "      name: Wiki",
  "      provider: !KeyOf wiki-provider",
);

const repo = {
  "apps/a/groups.yaml": duplicateIds,
  "apps/a/provider.yaml": unusedProvider,
  "apps/b/groups.yaml": duplicateIds,
  "vendor/groups.yaml": duplicateIds,
};

/** A JSON report as `file:line:col severity ruleId messageId` lines. */
function messages(stdout: string, cwd: string): string[] {
  const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ line: number; column: number; severity: number; ruleId: string | null; messageId?: string; message: string }> }>;
  return results.flatMap((result) =>
    result.messages.map(
      (message) =>
        `${path.relative(cwd, result.filePath)}:${message.line}:${message.column} ${message.severity === 2 ? "error" : "warn"} ${message.ruleId ?? "-"} ${message.messageId ?? message.message}`,
    ),
  );
}

async function lint(files: Record<string, string>, argv: string[] = []): Promise<{ code: number; lines: string[]; stderr: string }> {
  const cwd = writeRepo(files);
  const { code, stdout, stderr } = await run(["--format", "json", ...argv], cwd);
  return { code, lines: stdout === "" ? [] : messages(stdout, cwd), stderr };
}

/** Makes `import … from "gitops-lint"` in `root` resolve to this checkout. */
function linkPackage(root: string): void {
  fs.mkdirSync(path.join(root, "node_modules"));
  fs.symlinkSync(projectRoot, path.join(root, "node_modules/gitops-lint"), "dir");
}

/** The rules that have `warningMessages`, and so the `uncertain` option. */
const uncertainRules = [
  "ansible/op-reference",
  "blueprint/env-wired",
  "blueprint/find-resolves",
  "oidc/application-provider",
  "oidc/client-wiring",
  "oidc/issuer-slug",
  "oidc/redirect-uri-host",
  "schema/ansible",
  "schema/blueprint",
];

/** `--print-config`'s rules when every rule is at `severity` and uncertain findings are `uncertain`. */
function printedRules(severity: number, uncertain: string): Record<string, unknown[]> {
  return Object.fromEntries(Object.keys(rules).map((id) => [id, uncertainRules.includes(id) ? [severity, { uncertain }] : [severity]]));
}

describe("files, ignores and global ignores", () => {
  const config = yaml(
    "- ignores: [vendor/]",
    "- rules:",
    "    blueprint/unique-ids: warn",
    "- files: ['apps/a/**']",
    "  rules:",
    "    blueprint/unique-ids: 'off'",
    "- files: ['apps/**']",
    "  ignores: ['apps/b/**']",
    "  rules:",
    "    oidc/application-provider: [error, { uncertain: error }]",
  );

  test("without a config: every rule an error, uncertain findings warnings", async () => {
    expect(await lint(repo)).toEqual({
      code: 1,
      stderr: "",
      lines: [
        "apps/a/groups.yaml:7:9 error blueprint/unique-ids duplicateId",
        "apps/a/provider.yaml:3:12 warn oidc/application-provider unusedProvider",
        "apps/b/groups.yaml:7:9 error blueprint/unique-ids duplicateId",
        "vendor/groups.yaml:7:9 error blueprint/unique-ids duplicateId",
      ],
    });
  });

  test("each file gets the objects whose files match and whose ignores do not; a globally ignored folder is not reported", async () => {
    expect(await lint({ ...repo, "gitops-lint.config.yaml": config })).toEqual({
      code: 1,
      stderr: "",
      lines: ["apps/a/provider.yaml:3:12 error oidc/application-provider unusedProvider", "apps/b/groups.yaml:7:9 warn blueprint/unique-ids duplicateId"],
    });
  });

  test("a globally ignored file named on the command line gets a warning and nothing else (exit 0)", async () => {
    const cwd = writeRepo({ ...repo, "gitops-lint.config.yaml": config });
    const { code, stdout } = await run(["--format", "json", "vendor/groups.yaml"], cwd);
    expect(code).toBe(0);
    expect(messages(stdout, cwd)).toEqual([
      'vendor/groups.yaml:0:0 warn - File ignored because of a matching ignore pattern in gitops-lint.config.yaml: it is read for the links of the other files but not reported on. Remove the pattern from "ignores" to lint it.',
    ]);
  });

  test("a globally ignored file still serves the other files' links", async () => {
    // The application lives in the ignored folder: the provider it uses is not "unused".
    const files = {
      "apps/providers.yaml": yaml("version: 1", "entries:", "  - model: authentik_providers_proxy.proxyprovider", "    id: wiki-provider", "    identifiers: { name: Wiki }"),
      "vendor/application.yaml": yaml("version: 1", "entries:", "  - model: authentik_core.application", "    identifiers: { slug: wiki }", "    attrs:", "      name: Wiki", "      provider: !Find [authentik_providers_proxy.proxyprovider, [name, Wiki]]"),
      "gitops-lint.config.yaml": yaml("ignores: ['vendor/**']"),
    };
    expect(await lint(files)).toEqual({ code: 0, stderr: "", lines: [] });
  });

  test.each([
    ["vendor/", ["apps/a/x.yaml", "vendor/x.yaml", "apps/vendor/x.yaml"], ["vendor/x.yaml"]],
    ["vendor", ["vendor/x.yaml", "apps/vendor/x.yaml"], ["vendor/x.yaml"]],
    ["**/vendor/", ["vendor/x.yaml", "apps/vendor/x.yaml", "apps/a/x.yaml"], ["vendor/x.yaml", "apps/vendor/x.yaml"]],
    ["**/*.generated.yaml", ["a.generated.yaml", "apps/.b.generated.yaml", "apps/b.yaml"], ["a.generated.yaml", "apps/.b.generated.yaml"]],
    ["apps/*/secret.yaml", ["apps/a/secret.yaml", "apps/a/b/secret.yaml"], ["apps/a/secret.yaml"]],
  ])("global ignore %p", async (pattern, paths, ignored) => {
    const root = writeRepo({ "gitops-lint.config.json": JSON.stringify([{ name: "generated", ignores: [pattern] }]) });
    const { config } = await loadConfig({ cwd: root, root, lookup: true });
    expect(paths.filter((file) => config.isIgnored(path.join(root, file)))).toEqual(ignored);
  });

  test("a ! pattern unignores a file, but not one in an ignored directory", async () => {
    const root = writeRepo({ "gitops-lint.config.yaml": yaml("ignores: ['generated/*', '!generated/keep.yaml', 'vendor/', '!vendor/keep.yaml']") });
    const { config } = await loadConfig({ cwd: root, root, lookup: true });
    const ignored = ["generated/a.yaml", "generated/keep.yaml", "vendor/a.yaml", "vendor/keep.yaml"].filter((file) => config.isIgnored(path.join(root, file)));
    expect(ignored).toEqual(["generated/a.yaml", "vendor/a.yaml", "vendor/keep.yaml"]);
  });

  test("an ignores-only object with a name is global; with any other key it only limits its object", async () => {
    const files = { ...repo, "gitops-lint.config.yaml": yaml("- ignores: ['apps/**']", "  rules: { blueprint/unique-ids: 'off' }") };
    expect((await lint(files)).lines).toEqual([
      "apps/a/groups.yaml:7:9 error blueprint/unique-ids duplicateId",
      "apps/a/provider.yaml:3:12 warn oidc/application-provider unusedProvider",
      "apps/b/groups.yaml:7:9 error blueprint/unique-ids duplicateId",
    ]);
  });

  test("an inner array of files matches when all its patterns do; patterns are relative to the config file's directory", async () => {
    const root = writeRepo({
      "gitops-lint.config.yaml": yaml("files: [['apps/**', '**/groups.yaml']]", "rules: { blueprint/unique-ids: warn }"),
    });
    const { config } = await loadConfig({ cwd: path.join(root, "apps"), root: path.join(root, "apps"), lookup: true });
    const severity = (file: string) => config.forFile(path.join(root, file)).rules.get("blueprint/unique-ids")!.severity;
    expect([severity("apps/a/groups.yaml"), severity("apps/a/provider.yaml"), severity("vendor/groups.yaml")]).toEqual([1, 2, 2]);
  });

  test("files with the same matching objects share one resolved config", async () => {
    const root = writeRepo({ "gitops-lint.config.yaml": config });
    const { config: resolved } = await loadConfig({ cwd: root, root, lookup: true });
    const at = (file: string) => resolved.forFile(path.join(root, file));
    expect(at("apps/a/x.yaml")).toBe(at("apps/a/y/z.yaml"));
    expect(at("apps/a/x.yaml")).not.toBe(at("apps/c/x.yaml"));
  });
});

describe("rule entries and options", () => {
  test("a severity alone keeps the options an earlier object gave", async () => {
    const cwd = writeRepo({
      ...repo,
      "gitops-lint.config.yaml": yaml("- rules: { oidc/application-provider: [error, { uncertain: error }] }", "- files: ['apps/**']", "  rules: { oidc/application-provider: warn }"),
    });
    const { stdout } = await run(["--print-config", "apps/a/provider.yaml"], cwd);
    expect((JSON.parse(stdout) as { rules: Record<string, unknown> }).rules["oidc/application-provider"]).toEqual([1, { uncertain: "error" }]);
    expect(messages((await run(["--format", "json"], cwd)).stdout, cwd)).toContain("apps/a/provider.yaml:3:12 warn oidc/application-provider unusedProvider");
  });

  test("uncertain: off drops the uncertain findings, and 0/1/2 are severities", async () => {
    const { code, lines } = await lint({ ...repo, "gitops-lint.config.json": JSON.stringify({ rules: { "oidc/application-provider": [2, { uncertain: "off" }], "blueprint/unique-ids": 1 } }) });
    expect({ code, lines }).toEqual({
      code: 0,
      lines: ["apps/a/groups.yaml:7:9 warn blueprint/unique-ids duplicateId", "apps/b/groups.yaml:7:9 warn blueprint/unique-ids duplicateId", "vendor/groups.yaml:7:9 warn blueprint/unique-ids duplicateId"],
    });
  });

  test("an option object merges with meta.defaultOptions, as in ESLint", async () => {
    const root = writeRepo({ "gitops-lint.config.yaml": yaml("rules:", "  schema/blueprint: [error, { allowFields: { authentik_core.group: [color] } }]") });
    const { config } = await loadConfig({ cwd: root, root, lookup: true });
    expect(config.forFile(path.join(root, "a.yaml")).rules.get("schema/blueprint")).toEqual({
      severity: 2,
      options: [{ uncertain: "warn", allowFields: { "authentik_core.group": ["color"] } }],
    });
  });

  test("the API's ruleOptions get the defaults too", async () => {
    const cwd = writeRepo({ "apps/provider.yaml": unusedProvider });
    const outcome = await lintProject({ cwd, rules: { "oidc/application-provider": rules["oidc/application-provider"]! }, ruleOptions: { "oidc/application-provider": [{ uncertain: "error" }] } });
    expect(outcome.results[0]!.messages.map((message) => [message.messageId, message.severity])).toEqual([["unusedProvider", 2]]);
  });
});

describe("presets and extends", () => {
  test("strict: every rule an error, uncertain findings included, unused disable directives errors", async () => {
    const files = {
      ...repo,
      "apps/c/groups.yaml": `# gitops-lint-disable-next-line blueprint/unique-ids\n${duplicateIds.replace("id: admins\n    identifiers: { name: operators }", "id: operators\n    identifiers: { name: operators }")}`,
    };
    expect((await lint(files)).lines).toContain("apps/a/provider.yaml:3:12 warn oidc/application-provider unusedProvider");
    expect((await lint({ ...files, "gitops-lint.config.yaml": yaml("extends: [strict]") })).lines).toEqual([
      "apps/a/groups.yaml:7:9 error blueprint/unique-ids duplicateId",
      "apps/a/provider.yaml:3:12 error oidc/application-provider unusedProvider",
      "apps/b/groups.yaml:7:9 error blueprint/unique-ids duplicateId",
      "apps/c/groups.yaml:1:1 error - Unused gitops-lint-disable-next-line directive (no problems were reported from 'blueprint/unique-ids').",
      "vendor/groups.yaml:7:9 error blueprint/unique-ids duplicateId",
    ]);
  });

  test("extends applies the preset with the object's files, before the object", async () => {
    const cwd = writeRepo({ "gitops-lint.config.yaml": yaml("files: ['apps/**']", "extends: [strict]", "rules: { schema/blueprint: warn }") });
    const inApps = JSON.parse((await run(["--print-config", "apps/x.yaml"], cwd)).stdout) as { linterOptions: unknown; settings: unknown; rules: Record<string, unknown> };
    const outside = JSON.parse((await run(["--print-config", "x.yaml"], cwd)).stdout) as { linterOptions: unknown; settings: unknown; rules: Record<string, unknown> };
    expect(inApps).toEqual({
      linterOptions: { reportUnusedDisableDirectives: 2, noInlineConfig: false },
      settings: {},
      rules: { ...printedRules(2, "error"), "schema/blueprint": [1, { uncertain: "error" }] },
    });
    expect(outside).toEqual({ linterOptions: { reportUnusedDisableDirectives: 0, noInlineConfig: false }, settings: {}, rules: printedRules(2, "warn") });
  });

  test("a .ts config puts configs.strict in its array", async () => {
    const cwd = writeRepo({
      "gitops-lint.config.ts": [
        'import { configs, defineConfig } from "gitops-lint";',
        "",
        'export default defineConfig([configs.strict, { extends: ["recommended"], files: ["legacy/**"] }]);',
        "",
      ].join("\n"),
    });
    linkPackage(cwd);
    const printed = (file: string) => run(["--print-config", file], cwd).then(({ stdout }) => JSON.parse(stdout) as { rules: Record<string, unknown> });
    expect((await printed("apps/x.yaml")).rules).toEqual(printedRules(2, "error"));
    // recommended over strict: every rule's entry is a severity alone, which keeps strict's options.
    expect((await printed("legacy/x.yaml")).rules).toEqual(printedRules(2, "error"));
    expect(configs.strict.linterOptions).toEqual({ reportUnusedDisableDirectives: "error" });
  });

  test("strict on examples/homelab: its warnings become errors", async () => {
    const cwd = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? "/tmp"), "gitops-lint-homelab-"));
    fs.cpSync(homelab, cwd, { recursive: true });
    // An unused provider and a link to a host served outside the repo: two uncertain findings.
    fs.writeFileSync(path.join(cwd, "argocd/manifests/authentik/extra-blueprint.yaml"), unusedProvider);
    const before = await run(["--format", "json", "."], cwd);
    const config = path.join(cwd, "gitops-lint.config.yaml");
    fs.writeFileSync(config, `${fs.readFileSync(config, "utf8")}extends: [strict]\n`);
    const after = await run(["--format", "json", "."], cwd);
    const count = (stdout: string) =>
      (JSON.parse(stdout) as Array<{ errorCount: number; warningCount: number }>).reduce((sum, result) => [sum[0]! + result.errorCount, sum[1]! + result.warningCount], [0, 0]);
    expect(count(before.stdout)).toEqual([19, 1]);
    expect(count(after.stdout)).toEqual([20, 0]);
    expect(messages(after.stdout, cwd)).toContain("argocd/manifests/authentik/extra-blueprint.yaml:3:12 error oidc/application-provider unusedProvider");
    fs.rmSync(cwd, { recursive: true, force: true });
  });
});

describe("settings and linterOptions per file", () => {
  test("settings of objects with files apply to their files; the run's settings are those without files", async () => {
    const root = writeRepo({ "gitops-lint.config.yaml": yaml("- settings: { hosts: [a.example.com], onepassword: { vaults: { x: Homelab } } }", "- files: ['apps/**']", "  settings: { hosts: [b.example.com] }") });
    const { settings, config } = await loadConfig({ cwd: root, root, lookup: true });
    expect(settings).toEqual({ hosts: ["a.example.com"], onepassword: { vaults: { x: "Homelab" } } });
    expect(config.forFile(path.join(root, "apps/x.yaml")).settings).toEqual({ hosts: ["b.example.com"], onepassword: { vaults: { x: "Homelab" } } });
    expect(config.forFile(path.join(root, "x.yaml")).settings).toBe(settings);
  });

  test("reportUnusedDisableDirectives from the config; the command-line flag wins", async () => {
    const files = {
      "apps/groups.yaml": "# gitops-lint-disable-next-line blueprint/unique-ids\na: 1\n",
      "gitops-lint.config.yaml": yaml("linterOptions: { reportUnusedDisableDirectives: true }"),
    };
    const unused = "Unused gitops-lint-disable-next-line directive (no problems were reported from 'blueprint/unique-ids').";
    expect(await lint(files)).toEqual({ code: 0, stderr: "", lines: [`apps/groups.yaml:1:1 warn - ${unused}`] });
    expect(await lint(files, ["--report-unused-disable-directives"])).toEqual({ code: 1, stderr: "", lines: [`apps/groups.yaml:1:1 error - ${unused}`] });
    expect(await lint(files, ["--report-unused-disable-directives-severity", "off"])).toEqual({ code: 0, stderr: "", lines: [] });
  });

  test("noInlineConfig: directives silence nothing and say so", async () => {
    const files = {
      "apps/groups.yaml": `${duplicateIds.replace("  - model: authentik_core.group\n    id: admins\n    identifiers: { name: operators }", "  # gitops-lint-disable-next-line blueprint/unique-ids\n  - model: authentik_core.group\n    id: admins\n    identifiers: { name: operators }")}`,
      "gitops-lint.config.yaml": yaml("linterOptions: { noInlineConfig: true }"),
    };
    expect((await lint(files)).lines).toEqual([
      'apps/groups.yaml:6:3 warn - "# gitops-lint-disable-next-line" has no effect because linterOptions.noInlineConfig is set in the config.',
      "apps/groups.yaml:8:9 error blueprint/unique-ids duplicateId",
    ]);
  });
});

describe("--rule", () => {
  test("applies after the config, to every file", async () => {
    const files = { ...repo, "gitops-lint.config.yaml": yaml("rules: { blueprint/unique-ids: warn }") };
    expect(await lint(files, ["--rule", "blueprint/unique-ids: off", "--rule", "oidc/application-provider: [warn, {uncertain: error}]"])).toEqual({
      code: 0,
      stderr: "",
      lines: ["apps/a/provider.yaml:3:12 warn oidc/application-provider unusedProvider"],
    });
  });

  test("--fix lints every pass with the same config", async () => {
    expect(await lint(repo, ["--fix", "--rule", "blueprint/unique-ids: off"])).toEqual({
      code: 0,
      stderr: "",
      lines: ["apps/a/provider.yaml:3:12 warn oidc/application-provider unusedProvider"],
    });
  });

  test("several rules in one value, with or without braces", async () => {
    expect((await lint(repo, ["--rule", "{blueprint/unique-ids: 0, oidc/application-provider: [2, {uncertain: error}]}"])).lines).toEqual([
      "apps/a/provider.yaml:3:12 error oidc/application-provider unusedProvider",
    ]);
  });
});

describe("--print-config", () => {
  test("prints the file's config as ESLint does and exits 0 without linting", async () => {
    const cwd = writeRepo({ ...repo, "gitops-lint.config.yaml": yaml("- settings: { hosts: [a.example.com] }", "- files: ['apps/**']", "  rules: { schema/blueprint: [warn, { allowFields: { authentik_core.group: [color] } }] }") });
    const { code, stdout, stderr } = await run(["--print-config", "apps/a/groups.yaml"], cwd);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(
      `${JSON.stringify(
        {
          linterOptions: { reportUnusedDisableDirectives: 0, noInlineConfig: false },
          settings: { hosts: ["a.example.com"] },
          rules: { ...printedRules(2, "warn"), "schema/blueprint": [1, { uncertain: "warn", allowFields: { "authentik_core.group": ["color"] } }] },
        },
        null,
        2,
      )}\n`,
    );
    expect(stdout.split("\n").slice(0, 8)).toEqual([
      "{",
      '  "linterOptions": {',
      '    "reportUnusedDisableDirectives": 0,',
      '    "noInlineConfig": false',
      "  },",
      '  "settings": {',
      '    "hosts": [',
      '      "a.example.com"',
    ]);
  });

  test("without a config: the recommended preset; the command-line flag shows in linterOptions", async () => {
    const cwd = writeRepo({});
    const { code, stdout } = await run(["--print-config", "x.yaml", "--report-unused-disable-directives"], cwd);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ linterOptions: { reportUnusedDisableDirectives: 2, noInlineConfig: false }, settings: {}, rules: printedRules(2, "warn") });
  });

  test("an ignored file: undefined, as ESLint prints it, and a note on stderr", async () => {
    const cwd = writeRepo({ "gitops-lint.config.yaml": yaml("ignores: [vendor/]") });
    expect(await run(["--print-config", "vendor/x.yaml"], cwd)).toEqual({
      code: 0,
      stdout: "undefined\n",
      stderr: 'gitops-lint: vendor/x.yaml is ignored by the config\'s global "ignores": it is not linted\n',
    });
  });
});

describe("rule entry errors: exit 2, a message naming the file, the object, the key and what is allowed", () => {
  const severities = '"off", "warn", "error", 0, 1 or 2';
  test.each([
    ["an unknown rule", yaml("rules: { oidc/issuer-slugs: error }"), [], ['gitops-lint.config.yaml: rules["oidc/issuer-slugs"]: no such rule; did you mean "oidc/issuer-slug"?']],
    [
      "an unknown rule with nothing close",
      yaml("rules: { no-tabs: error }"),
      [],
      [`gitops-lint.config.yaml: rules["no-tabs"]: no such rule (rules: ${Object.keys(rules).join(", ")})`],
    ],
    ["a wrong severity", yaml("rules: { blueprint/unique-ids: warning }"), [], [`gitops-lint.config.yaml: rules["blueprint/unique-ids"] must be a severity, ${severities}, not "warning"`]],
    ["a wrong severity in an array", yaml("rules: { blueprint/unique-ids: [3] }"), [], [`gitops-lint.config.yaml: rules["blueprint/unique-ids"][0] must be a severity, ${severities}, not 3`]],
    ["an object entry", yaml("rules: { blueprint/unique-ids: { severity: error } }"), [], [`gitops-lint.config.yaml: rules["blueprint/unique-ids"] must be a severity (${severities}) or an array [severity, ...options], not an object`]],
    ["an empty array", yaml("rules: { blueprint/unique-ids: [] }"), [], [`gitops-lint.config.yaml: rules["blueprint/unique-ids"] must be a severity (${severities}) or an array [severity, ...options], not an empty array`]],
    ["options for a rule that takes none", yaml("rules: { blueprint/unique-ids: [error, { uncertain: error }] }"), [], ['gitops-lint.config.yaml: rules["blueprint/unique-ids"] takes no options: write the severity alone, not [severity, ...options]']],
    ["too many options", yaml("rules: { oidc/issuer-slug: [error, {}, {}] }"), [], ['gitops-lint.config.yaml: rules["oidc/issuer-slug"][2]: oidc/issuer-slug takes one option, not 2']],
    [
      "a wrong uncertain, in an array config, naming the object",
      yaml("- name: base", "- files: ['apps/**']", "  rules:", "    oidc/client-wiring: [warn, { uncertain: eror }]"),
      [],
      ['gitops-lint.config.yaml: config object at index 1: rules["oidc/client-wiring"][1].uncertain must be "warn", "error" or "off", not "eror"'],
    ],
    [
      "an unknown option",
      yaml("- name: base", "  rules:", "    schema/blueprint: [warn, { allowField: {} }]"),
      [],
      ['gitops-lint.config.yaml: config object at index 0 ("base"): rules["schema/blueprint"][1]: "allowField" is not an option of schema/blueprint (allowed: allowFields, uncertain); did you mean "allowFields"?'],
    ],
    [
      "an option of the wrong type",
      yaml("rules:", "  schema/blueprint: [warn, { allowFields: { authentik_core.group: color } }]"),
      [],
      ['gitops-lint.config.yaml: rules["schema/blueprint"][1].allowFields["authentik_core.group"] must be an array, not a string'],
    ],
    ["an options value that is not an object", yaml("rules: { oidc/issuer-slug: [error, error] }"), [], ['gitops-lint.config.yaml: rules["oidc/issuer-slug"][1] must be an object, not a string']],
    ["an unknown preset", yaml("extends: [stric]"), [], ['gitops-lint.config.yaml: extends[0] must be "recommended" or "strict", not "stric"; did you mean "strict"?']],
    ["a wrong linterOptions value", yaml("linterOptions: { reportUnusedDisableDirectives: warning }"), [], ['gitops-lint.config.yaml: "linterOptions.reportUnusedDisableDirectives" must be "off", "warn", "error", 0, 1, 2, true or false, not "warning"']],
    ["an unknown linterOptions key", yaml("linterOptions: { reportUnusedInlineConfigs: warn }"), [], ['gitops-lint.config.yaml: "linterOptions.reportUnusedInlineConfigs" is not a key of linterOptions (allowed: reportUnusedDisableDirectives, noInlineConfig)']],
    [
      "every mistake at once",
      yaml("- rules: { blueprint/unique-id: error, schema/ansible: [error, { uncertain: 1 }] }"),
      [],
      [
        'gitops-lint.config.yaml: config object at index 0: rules["blueprint/unique-id"]: no such rule; did you mean "blueprint/unique-ids"?',
        'gitops-lint.config.yaml: config object at index 0: rules["schema/ansible"][1].uncertain must be "warn", "error" or "off", not 1',
      ],
    ],
    ["--rule with a wrong severity", "", ["--rule", "oidc/issuer-slug: of"], [`--rule 'oidc/issuer-slug: of': rules["oidc/issuer-slug"] must be a severity, ${severities}, not "of"`]],
    ["--rule with a wrong option", "", ["--rule", "oidc/issuer-slug: [warn, {uncertain: yes}]"], ['--rule \'oidc/issuer-slug: [warn, {uncertain: yes}]\': rules["oidc/issuer-slug"][1].uncertain must be "warn", "error" or "off", not "yes"']],
    [
      "--rule that is not YAML",
      "",
      ["--rule", "oidc/issuer-slug: [warn"],
      ['--rule \'oidc/issuer-slug: [warn\': write it as "rule-id: severity" or "rule-id: [severity, {option: value}]" (Flow sequence in block collection must be sufficiently indented and end with a ])'],
    ],
    ["--rule that is empty", "", ["--rule", ""], ['--rule \'\': write it as "rule-id: severity" or "rule-id: [severity, {option: value}]"']],
  ] as Array<[string, string, string[], string[]]>)("%s", async (_name, config, argv, expected) => {
    const cwd = writeRepo({ "apps/a.yaml": "a: 1\n", ...(config === "" ? {} : { "gitops-lint.config.yaml": config }) });
    const { code, stdout, stderr } = await run(argv, cwd);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: "", stderr: expected.map((line) => `gitops-lint: ${line}\n`).join("") });
  });

  test("an extended object of the wrong shape, in a .mjs config", async () => {
    const cwd = writeRepo({ "apps/a.yaml": "a: 1\n", "gitops-lint.config.mjs": 'export default [{ extends: [{ rule: {} }] }];\n' });
    const { code, stderr } = await run([], cwd);
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr:
        'gitops-lint: gitops-lint.config.mjs: config object at index 0: extends[0]: "rule" is not a config key (allowed: settings, files, ignores, rules, name, languageOptions, linterOptions, plugins, processor, language, extends)\n',
    });
  });
});

describe("docs/config.md", () => {
  const docs = fs.readFileSync(path.join(projectRoot, "docs/config.md"), "utf8");
  const blocks = (language: string): string[] => [...docs.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, "gmu"))].map((match) => match[1]!);
  const section = (heading: string): string => docs.slice(docs.indexOf(`## ${heading}\n`), docs.indexOf("\n## ", docs.indexOf(`## ${heading}\n`) + 1));

  test("every YAML example loads", async () => {
    const examples = blocks("yaml");
    expect(examples.length).toBe(2);
    for (const example of examples) {
      const root = writeRepo({ "gitops-lint.config.yaml": example });
      await loadConfig({ cwd: root, root, lookup: true });
    }
  });

  test("the TypeScript example loads: strict, and legacy/ with schema/ansible a warning", async () => {
    const cwd = writeRepo({ "gitops-lint.config.ts": blocks("ts")[0]! });
    linkPackage(cwd);
    const printed = JSON.parse((await run(["--print-config", "legacy/site.yml"], cwd)).stdout) as { rules: Record<string, unknown> };
    expect(printed.rules).toEqual({ ...printedRules(2, "error"), "schema/ansible": [1, { uncertain: "error" }] });
  });

  test("the --print-config example is what the Rules example prints", async () => {
    const cwd = writeRepo({ "gitops-lint.config.yaml": blocks("yaml")[0]! });
    const { stdout } = await run(["--print-config", "legacy/site.yml"], cwd);
    const shownLines = /^\$ gitops-lint --print-config legacy\/site\.yml\n([\s\S]*?)\n {4}…$/mu.exec(section("`--print-config`"))![1]!;
    expect(stdout.startsWith(`${shownLines}\n`)).toBe(true);
    expect((JSON.parse(stdout) as { rules: Record<string, unknown> }).rules["oidc/application-provider"]).toEqual([1, { uncertain: "error" }]);
  });

  test("the ignored-file examples are what gitops-lint prints", async () => {
    const cwd = writeRepo({ ...repo, "gitops-lint.config.yaml": yaml("ignores: [vendor/]") });
    const ignored = /^```\n\$ gitops-lint vendor\/groups\.yaml\n([\s\S]*?)^```$/mu.exec(docs)![1]!;
    expect((await run(["vendor/groups.yaml"], cwd)).stdout).toBe(ignored);
    const printed = /^```\n\$ gitops-lint --print-config vendor\/chart\.yaml\n([\s\S]*?)^```$/mu.exec(docs)![1]!;
    const { stdout, stderr } = await run(["--print-config", "vendor/chart.yaml"], cwd);
    expect(stdout + stderr).toBe(printed);
  });

  test("the errors shown are what one wrong object and a wrong --rule give", async () => {
    const cwd = writeRepo({
      "apps/a.yaml": "a: 1\n",
      "gitops-lint.config.yaml": yaml(
        "- name: base",
        "- extends: [stric]",
        "  rules:",
        "    oidc/client-wiring: [warn, { uncertain: eror }]",
        "    oidc/issuer-slugs: error",
        "    blueprint/unique-ids: [error, {}]",
      ),
    });
    const shown = /^## Errors\n[\s\S]*?^```\n([\s\S]*?)^```$/mu.exec(docs)![1]!;
    expect(await run(["--rule", "oidc/issuer-slug: of"], cwd)).toEqual({ code: 2, stdout: "", stderr: shown });
  });
});
