/**
 * `--list-rules` and `--explain <rule-id>`, through the CLI as a user runs them: the table, its
 * JSON form, a rule's page as the terminal shows it, and the messages for what goes wrong.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { rules } from "../rules/index.ts";
import { nearestRules, renderForTerminal } from "../src/rule-docs.ts";
import { projectRoot, runCli } from "./helpers/cli.ts";

const ruleCount = Object.keys(rules).length;

describe("--list-rules", () => {
  test("prints a table of every rule: id, type, a fix marker and the description", async () => {
    const { code, stdout, stderr } = await runCli(["--list-rules"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("Rule                             Type     Fix  Description");
    const rows = lines.slice(1, lines.indexOf(""));
    expect(rows.length).toBe(ruleCount);
    expect(rows.map((row) => row.split(" ")[0])).toEqual(Object.keys(rules).sort());
    expect(rows).toContain(`blueprint/env-wired              problem  🔧   ${rules["blueprint/env-wired"]!.meta!.docs!.description}`);
    expect(rows).toContain(`blueprint/unique-ids             problem       No entry \`id\` appears twice in one blueprint`);
    const fixable = Object.values(rules).filter((rule) => rule.meta?.fixable !== undefined).length;
    expect(lines.slice(ruleCount + 1)).toEqual([
      "",
      `${ruleCount} rules. 🔧 ${fixable} can fix some of their problems with --fix (some fixes need --unsafe-fixes).`,
      "gitops-lint --explain <rule-id> prints a rule's documentation.",
      "",
    ]);
  });

  test("with --format json, prints an array of {id, type, fixable, description, url}", async () => {
    const { code, stdout, stderr } = await runCli(["--list-rules", "--format", "json"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const list = JSON.parse(stdout) as Record<string, unknown>[];
    expect(list.length).toBe(ruleCount);
    for (const entry of list) expect(Object.keys(entry)).toEqual(["id", "type", "fixable", "description", "url"]);
    expect(list.find((entry) => entry.id === "oidc/redirect-uri-host")).toEqual({
      id: "oidc/redirect-uri-host",
      type: "problem",
      fixable: true,
      description: rules["oidc/redirect-uri-host"]!.meta!.docs!.description!,
      url: pathToFileURL(path.join(projectRoot, "docs/rules/oidc/redirect-uri-host.md")).href,
    });
    expect(list.find((entry) => entry.id === "schema/workload")?.fixable).toBe(false);
    for (const entry of list) expect(fs.existsSync(new URL(entry.url as string))).toBe(true);
  });

  test("with --output-file, writes the list there (and its folders) instead of stdout", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-list-rules-"));
    try {
      const { code, stdout, stderr } = await runCli(["--list-rules", "-f", "json", "-o", "out/rules.json"], { cwd: dir });
      expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "", stderr: "" });
      expect((JSON.parse(fs.readFileSync(path.join(dir, "out/rules.json"), "utf8")) as unknown[]).length).toBe(ruleCount);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("another format is a usage error", async () => {
    expect(await runCli(["--list-rules", "--format", "sarif"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'gitops-lint: --list-rules prints a table (the default format, stylish) or json, not "sarif"\nRun gitops-lint --list-rules for every rule.\n',
    });
  });
});

describe("--explain", () => {
  test("prints the rule's page", async () => {
    expect(await runCli(["--explain", "blueprint/unique-ids"])).toEqual({ code: 0, stderr: "", stdout: `# blueprint/unique-ids

No entry \`id\` appears twice in one blueprint

## Why

An \`id\` is how \`!KeyOf\` names an entry. With two entries sharing an id, a \`!KeyOf\` can only
refer to one of them, and which one depends on authentik's lookup order, not on what the author
meant. It is nearly always a copied entry whose id was not renamed. Each later duplicate is
reported at its \`id\`, naming the line of the first.

## What is checked

The entry ids of each blueprint (a blueprint file, or each blueprint kept in a ConfigMap's
\`data:\`): no two entries of one blueprint have the same \`id\`.

## Messages

- \`duplicateId\`: an entry's \`id\` is already the id of an earlier entry of the blueprint;
  reported at the later \`id\`, naming the line of the first.

## Examples

### Incorrect

\`blueprints/groups.yaml\`:
\`\`\`yaml
version: 1
entries:
  - model: authentik_core.group
    id: admins-group
    identifiers:
      name: admins
  - model: authentik_core.group
    id: admins-group
    identifiers:
      name: family
\`\`\`

gitops-lint reports:

\`\`\`text
blueprints/groups.yaml:8:9: error: id "admins-group" is already used by the entry at line 4: !KeyOf "admins-group" can refer to only one of them. Give this entry an id of its own.
\`\`\`

### Correct

\`blueprints/groups.yaml\`:
\`\`\`yaml
version: 1
entries:
  - model: authentik_core.group
    id: admins-group
    identifiers:
      name: admins
  - model: authentik_core.group
    id: family-group
    identifiers:
      name: family
\`\`\`

## Options

This rule has no options.

## Fix

This rule has no fix.

## Limits

- Ids are compared within one blueprint: the same id in two blueprints (two files, or two
  data keys of one ConfigMap) is fine, as \`!KeyOf\` resolves within a blueprint.
- An id is compared as written, as authentik compares it: \`admins-group\` and \`Admins-Group\` are
  two ids.
` });
  });

  test("finds the pages relative to the package, whatever the current directory", async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-explain-"));
    try {
      const { code, stdout } = await runCli(["--explain", "oidc/redirect-uri-host"], { cwd: elsewhere });
      expect(code).toBe(0);
      expect(stdout).toStartWith("# oidc/redirect-uri-host\n\nOAuth2 redirect URIs are absolute https URLs");
      // Tables are aligned for the terminal; fences stay as written.
      expect(stdout).toContain("Message id                Severity  Meaning\n------------------------  --------  -------");
      expect(stdout).toContain("\n```yaml\nversion: 1\n");
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test("an unknown rule exits 2 and names the nearest rules", async () => {
    expect(await runCli(["--explain", "keyof-define"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'gitops-lint: unknown rule "keyof-define": did you mean "blueprint/keyof-defined"?\nRun gitops-lint --list-rules for every rule.\n',
    });
    expect(await runCli(["--explain", "schema/ingres"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'gitops-lint: unknown rule "schema/ingres": did you mean "schema/ingress"?\nRun gitops-lint --list-rules for every rule.\n',
    });
    expect(await runCli(["--explain", "no-such-thing"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'gitops-lint: unknown rule "no-such-thing"\nRun gitops-lint --list-rules for every rule.\n',
    });
  });

  test("without a rule id, or with --list-rules or a format, it is a usage error", async () => {
    const missing = await runCli(["--explain"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("gitops-lint: Option '--explain <value>' argument missing\nRun gitops-lint --help for usage.\n");
    expect(await runCli(["--explain", "schema/ingress", "--list-rules"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "gitops-lint: --list-rules and --explain cannot be used together\nRun gitops-lint --list-rules for every rule.\n",
    });
    expect(await runCli(["--explain", "schema/ingress", "-f", "json"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "gitops-lint: --explain prints its rule's page as text; --format json does not apply\nRun gitops-lint --list-rules for every rule.\n",
    });
  });

  test("--help lists both flags", async () => {
    const { stdout } = await runCli(["--help"]);
    expect(stdout).toContain("  --list-rules            List every rule (with --format json: as JSON) and exit\n");
    expect(stdout).toContain("  --explain <rule-id>     Print a rule's documentation and exit\n");
  });
});

describe("installed as a package", () => {
  /** The package as `bun add` installs it: the folders package.json's "files" names, with or without docs. */
  function install(withDocs: boolean): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-installed-"));
    const target = path.join(root, "node_modules", "gitops-lint");
    for (const folder of ["src", "rules", "schemas", ...(withDocs ? ["docs"] : [])]) {
      fs.cpSync(path.join(projectRoot, folder), path.join(target, folder), { recursive: true });
    }
    fs.copyFileSync(path.join(projectRoot, "package.json"), path.join(target, "package.json"));
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(target, "node_modules"));
    return root;
  }

  function run(root: string, args: string[]) {
    const result = Bun.spawnSync(["bun", path.join(root, "node_modules/gitops-lint/src/bin.ts"), ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
  }

  test("--explain reads the page from the installed package", () => {
    const root = install(true);
    try {
      const { code, stdout } = run(root, ["--explain", "blueprint/unique-ids"]);
      expect(code).toBe(0);
      expect(stdout).toBe(fs.readFileSync(path.join(projectRoot, "docs/rules/blueprint/unique-ids.md"), "utf8"));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test("a package installed without its docs says so, exit 2", () => {
    const root = install(false);
    try {
      const page = path.join(fs.realpathSync(root), "node_modules/gitops-lint/docs/rules/blueprint/unique-ids.md");
      const { code, stdout, stderr } = run(root, ["--explain", "blueprint/unique-ids"]);
      expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
      expect(stderr).toBe(
        `gitops-lint: cannot read the documentation of blueprint/unique-ids (${page}: ENOENT): is the package's docs folder installed?\n`,
      );
      // --list-rules needs no page.
      expect(run(root, ["--list-rules"]).code).toBe(0);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the terminal rendering", () => {
  test("aligns tables, keeps fences and headings, and turns links into text", () => {
    const markdown = [
      "# a/b",
      "",
      "See [`oidc/client-wiring`](../oidc/client-wiring.md), [`a/c`](c.md) and [pre-commit](https://pre-commit.com).",
      "",
      "| Message id | Severity |",
      "| --- | --- |",
      "| `x` | error |",
      "| `longer`, `y` \\| z | warning |",
      "",
      "```yaml",
      "| not: a table |",
      "[not](a-link.md)",
      "```",
    ].join("\n");
    expect(renderForTerminal(markdown, "a/b")).toBe(
      [
        "# a/b",
        "",
        "See `oidc/client-wiring` (gitops-lint --explain oidc/client-wiring), `a/c` (gitops-lint --explain a/c) and pre-commit (https://pre-commit.com).",
        "",
        "Message id         Severity",
        "-----------------  --------",
        "`x`                error",
        "`longer`, `y` | z  warning",
        "",
        "```yaml",
        "| not: a table |",
        "[not](a-link.md)",
        "```",
        "",
      ].join("\n"),
    );
  });

  test("the nearest rules: within two edits of the id, or of its name alone", () => {
    const ids = Object.keys(rules);
    expect(nearestRules("blueprint/uniqe-ids", ids)).toEqual(["blueprint/unique-ids"]);
    expect(nearestRules("env-wired", ids)).toEqual(["blueprint/env-wired"]);
    expect(nearestRules("schema/blueprnt", ids)).toEqual(["schema/blueprint"]);
    expect(nearestRules("nothing", ids)).toEqual([]);
  });
});
