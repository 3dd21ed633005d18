/**
 * The command line end to end: `main` on examples/homelab and on small repos, its formats,
 * flags, colour and exit codes, an internal error through the engine, and the real binary once.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import packageJson from "../package.json" with { type: "json" };
import uniqueIds from "../rules/blueprint/unique-ids.ts";
import { lintProject } from "../src/engine.ts";
import type { GitopsRule } from "../src/rule.ts";
import { runCli as run } from "./helpers/cli.ts";
import { homelabDefects } from "./helpers/homelab.ts";
import { writeRepo } from "./helpers/rule-tester.ts";

const projectRoot = path.resolve(import.meta.dir, "..");
const blueprintFile = "examples/homelab/argocd/manifests/authentik/configmap-blueprint.yaml";


/** The `line:col severity … rule` rows of stylish output, as [position, severity, rule]. */
function rows(stylish: string): string[][] {
  return stylish.split("\n").flatMap((line) => {
    const match = /^\s+(\d+:\d+)\s+(error|warning)\s+.*\s(\S+)$/u.exec(line);
    return match ? [[match[1]!, match[2]!, match[3]!]] : [];
  });
}

/** A repo whose one finding is a warning: an `!Env` with a default that the worker does not set. */
function repoWithWarning(): string {
  return writeRepo({
    "authentik/configmap-blueprint.yaml": [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: authentik-blueprints",
      "data:",
      "  app.yaml: |",
      "    version: 1",
      "    entries:",
      "      - model: authentik_providers_oauth2.oauth2provider",
      "        attrs:",
      "          client_secret: !Env [AUTHENTIK_APP_SECRET, changeme]",
      "        identifiers:",
      "          name: app",
      "",
    ].join("\n"),
    "authentik/deployment-worker.yaml": [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: authentik-worker",
      "spec:",
      "  selector:",
      "    matchLabels:",
      "      app: authentik-worker",
      "  template:",
      "    metadata:",
      "      labels:",
      "        app: authentik-worker",
      "    spec:",
      "      containers:",
      "        - name: worker",
      "          image: ghcr.io/goauthentik/server:2025.2.1",
      "          args: [worker]",
      "      volumes:",
      "        - name: blueprints",
      "          configMap:",
      "            name: authentik-blueprints",
      "",
    ].join("\n"),
  });
}

const ESC = "\u001b[";

/** examples/homelab's defects as `file:line:col rule`, from its README's table. */
const defects = homelabDefects().map((defect) => `examples/homelab/${defect.at} ${defect.ruleId}`).sort();
const summary = `✖ ${defects.length} problems (${defects.length} errors, 0 warnings)`;

/** The `file:line:col rule` of every message of a stylish report. */
function stylishEntries(stylish: string): string[] {
  let file = "";
  const entries: string[] = [];
  for (const line of stylish.split("\n")) {
    if (/^\S.*\.(ya?ml|j2)$/u.test(line)) file = line;
    const match = /^\s+(\d+:\d+)\s+(?:error|warning)\s+.*\s(\S+)$/u.exec(line);
    if (match) entries.push(`${file}:${match[1]} ${match[2]}`);
  }
  return entries.sort();
}

describe("examples/homelab", () => {
  test("stylish: exactly the deliberate defects its README lists, exit 1", async () => {
    const { code, stdout, stderr } = await run(["examples/homelab", "--no-color"]);
    expect(code).toBe(1);
    expect(stderr).toBe("");
    expect(stylishEntries(stdout)).toEqual(defects);
    expect(rows(stdout).every(([, severity]) => severity === "error")).toBe(true);
    expect(stdout.trimEnd().split("\n").slice(-3)).toEqual([
      summary,
      // Defect 3 and zot's four missing links (rows 16-19) have safe fixes; defect 4's (renaming a
      // key) and defect 9's (replacing a redirect host) change values someone wrote: unsafe.
      "  5 errors and 0 warnings potentially fixable with the `--fix` option.",
      "  2 more problems fixable with the `--fix --unsafe-fixes` options.",
    ]);
    expect(stdout).not.toContain(ESC);
  });

  test("json: ESLint's result array with the same messages", async () => {
    const { code, stdout } = await run(["examples/homelab", "--format", "json"]);
    expect(code).toBe(1);
    const results = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(Array.isArray(results)).toBe(true);
    for (const result of results) {
      expect(Object.keys(result).sort()).toEqual(
        ["errorCount", "filePath", "fatalErrorCount", "fixableErrorCount", "fixableWarningCount", "messages", "warningCount"].sort(),
      );
      expect(path.isAbsolute(result.filePath as string)).toBe(true);
      for (const message of result.messages as Array<Record<string, unknown>>) {
        // `fix` only where a fix edits this one file, as ESLint writes it; `fixes` (gitops-lint's:
        // every file a fix edits, and whether it is safe) wherever there is a fix.
        const keys = ["column", "endColumn", "endLine", "line", "message", "messageId", "ruleId", "severity"];
        if ("fix" in message) keys.push("fix");
        if ("fixes" in message) keys.push("fixes");
        expect(Object.keys(message).sort()).toEqual(keys.sort());
        expect("fix" in message ? "fixes" in message : true).toBe(true);
        expect(typeof message.message).toBe("string");
      }
    }
    const found = results.flatMap((result) =>
      (result.messages as Array<Record<string, unknown>>).map(
        (message) => `${path.relative(projectRoot, result.filePath as string)}:${message.line}:${message.column} ${message.ruleId}`,
      ),
    );
    expect(found.sort()).toEqual(defects);
    const blueprints = results.find((result) => result.filePath === path.join(projectRoot, blueprintFile))!;
    // Fixable here: defect 3 (the worker env var) and zot's blueprint (row 16).
    expect(blueprints).toMatchObject({ warningCount: 0, fatalErrorCount: 0, fixableErrorCount: 2, fixableWarningCount: 0 });
    const firstFour = (blueprints.messages as Array<Record<string, unknown>>).filter((message) =>
      ["blueprint/unique-ids", "blueprint/env-wired", "blueprint/keyof-defined"].includes(message.ruleId as string),
    );
    expect(firstFour.map(({ message: _message, fixes: _fixes, ...rest }) => rest)).toEqual([
      { ruleId: "blueprint/unique-ids", severity: 2, messageId: "duplicateId", line: 27, column: 13, endLine: 27, endColumn: 25 },
      { ruleId: "blueprint/env-wired", severity: 2, messageId: "noEnvVar", line: 149, column: 26, endLine: 149, endColumn: 63 },
      { ruleId: "blueprint/keyof-defined", severity: 2, messageId: "undefinedId", line: 168, column: 21, endLine: 168, endColumn: 44 },
      { ruleId: "blueprint/env-wired", severity: 2, messageId: "missingKey", line: 209, column: 28, endLine: 209, endColumn: 63 },
    ]);
    expect(firstFour[3]!.message).toContain('has no key "immich-client-secret"');
    // Defect 3's fix adds the worker's env var in another file (safe); defect 4's renames a key (unsafe).
    expect(firstFour.map((message) => (message.fixes as { safety: string } | undefined)?.safety)).toEqual([undefined, "safe", undefined, "unsafe"]);
    const envFix = (firstFour[1]!.fixes as { edits: Array<{ filePath: string; text: string }> }).edits;
    expect(envFix.map((edit) => path.relative(projectRoot, edit.filePath))).toEqual(["examples/homelab/argocd/manifests/authentik/deployment-worker.yaml"]);
    expect(envFix[0]!.text).toContain("name: AUTHENTIK_MINIFLUX_CLIENT_SECRET");
    expect(stdout).not.toContain('"source"');
  });

  test("--quiet keeps the errors", async () => {
    const { code, stdout } = await run(["examples/homelab", "--quiet", "--no-color"]);
    expect(code).toBe(1);
    expect(rows(stdout)).toHaveLength(defects.length);
  });

  test("the real binary exits 1", async () => {
    const child = Bun.spawn([process.execPath, "src/bin.ts", "examples/homelab"], {
      cwd: projectRoot,
      env: { ...process.env, NO_COLOR: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    expect(code).toBe(1);
    expect(stdout).toContain(summary);
  });
});

describe("warnings", () => {
  test("a warning alone exits 0 and is counted", async () => {
    const { code, stdout } = await run(["--no-color"], { cwd: repoWithWarning() });
    expect(code).toBe(0);
    expect(rows(stdout)).toEqual([["11:26", "warning", "blueprint/env-wired"]]);
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("✖ 1 problem (0 errors, 1 warning)");
  });

  test("--quiet drops warnings: no output at all", async () => {
    const { code, stdout } = await run(["--quiet"], { cwd: repoWithWarning() });
    expect({ code, stdout }).toEqual({ code: 0, stdout: "" });
  });

  test("--quiet with json keeps every file, without the warnings", async () => {
    const { stdout } = await run(["--quiet", "--format", "json"], { cwd: repoWithWarning() });
    const results = JSON.parse(stdout) as Array<{ messages: unknown[]; warningCount: number }>;
    expect(results).toHaveLength(2);
    expect(results.every((result) => result.messages.length === 0 && result.warningCount === 0)).toBe(true);
  });

  test("--max-warnings: over the limit exits 1, at the limit exits 0", async () => {
    const cwd = repoWithWarning();
    const over = await run(["--max-warnings", "0", "--no-color"], { cwd });
    expect(over.code).toBe(1);
    expect(over.stderr).toBe("gitops-lint found too many warnings (maximum: 0).\n");
    expect(rows(over.stdout)).toHaveLength(1);
    const at = await run(["--max-warnings", "1"], { cwd });
    expect({ code: at.code, stderr: at.stderr }).toEqual({ code: 0, stderr: "" });
  });

  test("--max-warnings does not count warnings --quiet left out", async () => {
    const { code } = await run(["--max-warnings", "0", "--quiet"], { cwd: repoWithWarning() });
    expect(code).toBe(0);
  });
});

describe("usage", () => {
  test.each([
    ["an unknown option", ["--bogus"], "gitops-lint: Unknown option '--bogus'"],
    ["an unknown format", ["--format", "xml", "examples/homelab"], 'gitops-lint: unknown format "xml": use one of stylish, json'],
    ["a --max-warnings that is not a number", ["--max-warnings", "many", "examples/homelab"], 'gitops-lint: --max-warnings takes a whole number, not "many"'],
    ["a missing path", ["examples/no-such-repo"], "gitops-lint: "],
  ])("%s exits 2 with a message on stderr", async (_name, argv, start) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.startsWith(start)).toBe(true);
    expect(stderr).toEndWith("Run gitops-lint --help for usage.\n");
  });

  test("a missing path is named", async () => {
    const { stderr } = await run(["examples/no-such-repo"]);
    expect(stderr).toContain("no-such-repo");
  });

  test("--help prints the usage and exits 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const { code, stdout, stderr } = await run([flag]);
      expect(code).toBe(0);
      expect(stderr).toBe("");
      expect(stdout.startsWith("gitops-lint [options] [paths…]\n")).toBe(true);
      for (const option of ["--format", "--quiet", "--max-warnings", "--no-color", "--help", "--version"]) expect(stdout).toContain(option);
    }
  });

  test("the README's Command line section is the help, word for word", async () => {
    const { stdout } = await run(["--help"]);
    const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
    expect(readme).toContain(`## Command line\n\n\`\`\`\n${stdout}\`\`\`\n`);
  });

  test("--version prints the package version and exits 0", async () => {
    for (const flag of ["--version", "-v"]) {
      expect(await run([flag])).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: "" });
    }
  });
});

describe("colour", () => {
  const argv = ["examples/homelab"];

  test("a terminal gets colour; a pipe does not", async () => {
    expect((await run(argv, { isTTY: true })).stdout).toContain(ESC);
    expect((await run(argv, { isTTY: false })).stdout).not.toContain(ESC);
  });

  test("NO_COLOR turns it off on a terminal", async () => {
    expect((await run(argv, { isTTY: true, env: { NO_COLOR: "1" } })).stdout).not.toContain(ESC);
  });

  test("FORCE_COLOR turns it on in a pipe, unless it is 0", async () => {
    expect((await run(argv, { env: { FORCE_COLOR: "1" } })).stdout).toContain(ESC);
    expect((await run(argv, { isTTY: true, env: { FORCE_COLOR: "0" } })).stdout).not.toContain(ESC);
  });

  test("--no-color wins over FORCE_COLOR and a terminal", async () => {
    expect((await run([...argv, "--no-color"], { isTTY: true, env: { FORCE_COLOR: "1" } })).stdout).not.toContain(ESC);
  });

  test("--color wins over NO_COLOR", async () => {
    expect((await run([...argv, "--color"], { env: { NO_COLOR: "1" } })).stdout).toContain(ESC);
  });

  test("json never has colour", async () => {
    expect((await run([...argv, "--format", "json"], { isTTY: true, env: { FORCE_COLOR: "1" } })).stdout).not.toContain(ESC);
  });
});

describe("a rule that throws", () => {
  const throwing: GitopsRule = {
    meta: { type: "problem", docs: { description: "throws on every blueprint" }, messages: {}, schema: [] },
    create() {
      return {
        Blueprint() {
          throw new Error("boom");
        },
      };
    },
  };
  const files = {
    "blueprints/groups.yaml": [
      "version: 1",
      "entries:",
      "  - model: authentik_core.group",
      "    id: admins",
      "  - model: authentik_core.group",
      "    id: admins",
      "",
    ].join("\n"),
    "blueprints/other.yaml": ["version: 1", "entries:", "  - model: authentik_core.group", "    id: family", ""].join("\n"),
  };

  test("one internal-error message per file naming the rule and the file; other rules still report", async () => {
    const cwd = writeRepo(files);
    const outcome = await lintProject({ cwd, rules: { "test/throws": throwing, "blueprint/unique-ids": uniqueIds as GitopsRule } });
    // The CLI exits 2 whenever this is not zero.
    expect(outcome.internalErrors).toBe(2);
    const byFile = new Map(outcome.results.map((result) => [path.relative(cwd, result.filePath), result.messages]));
    expect(byFile.get("blueprints/groups.yaml")?.map(({ ruleId, fatal, severity, message, line, column }) => ({ ruleId, fatal, severity, message, line, column }))).toEqual([
      {
        ruleId: "test/throws",
        fatal: true,
        severity: 2,
        message: "Internal error in rule test/throws while linting blueprints/groups.yaml: boom",
        line: 1,
        column: 1,
      },
      {
        ruleId: "blueprint/unique-ids",
        fatal: undefined,
        severity: 2,
        message: expect.stringContaining('id "admins" is already used by the entry at line 4') as unknown as string,
        line: 6,
        column: 9,
      },
    ]);
    expect(byFile.get("blueprints/other.yaml")?.map((message) => message.message)).toEqual([
      "Internal error in rule test/throws while linting blueprints/other.yaml: boom",
    ]);
  });

  test("a rule whose create throws is reported the same way", async () => {
    const cwd = writeRepo({ "blueprints/other.yaml": files["blueprints/other.yaml"] });
    const broken: GitopsRule = { ...throwing, create: () => { throw new Error("bad options"); } };
    const outcome = await lintProject({ cwd, rules: { "test/create-throws": broken } });
    expect(outcome.internalErrors).toBe(1);
    expect(outcome.results[0]?.messages.map((message) => message.message)).toEqual([
      "Internal error in rule test/create-throws while linting blueprints/other.yaml: bad options",
    ]);
  });
});

describe("--fix", () => {
  test("it writes the safe fixes only (defect 3's env var, zot's chain) and reports the remaining problems, exit 1", async () => {
    const source = path.join(projectRoot, "examples/homelab");
    const copy = writeRepo({});
    fs.cpSync(source, copy, { recursive: true });
    const read = (file: string) => fs.readFileSync(path.join(copy, file), "utf8");
    const result = await run(["--fix", "--no-color"], { cwd: copy });
    expect(result.code).toBe(1);
    // Defect 3 and zot's four missing links are fixed; defect 4's fix is unsafe and stays.
    expect(result.stdout).toContain(`✖ ${defects.length - 5} problems (${defects.length - 5} errors, 0 warnings)`);
    expect(result.stdout).toContain("2 more problems fixable with the `--fix --unsafe-fixes` options.");
    expect(read("argocd/manifests/authentik/configmap-blueprint.yaml")).toContain("client_secret: !Env AUTHENTIK_ZOT_CLIENT_SECRET");
    expect(read("argocd/manifests/authentik/deployment-worker.yaml")).toContain("- name: AUTHENTIK_MINIFLUX_CLIENT_SECRET");
    expect(read("argocd/manifests/authentik/deployment-worker.yaml")).toContain("- name: AUTHENTIK_ZOT_CLIENT_SECRET");
    expect(read("argocd/manifests/authentik/external-secret.yaml")).toContain("immich-client-secert");
    expect(read("ansible/roles/zot/templates/oidc-credentials.json.j2")).toContain("{{ zot_oidc_client_secret }}");
    expect(read("ansible/playbooks/indri.yml")).toContain('op read "op://homelab/zot-oidc/client-secret"');

    // --unsafe-fixes also renames the misspelt key (defect 4) and puts Immich's redirect URI back
    // on Immich's host (defect 9).
    const unsafe = await run(["--fix", "--unsafe-fixes", "--no-color"], { cwd: copy });
    expect(unsafe.stdout).toContain(`✖ ${defects.length - 7} problems (${defects.length - 7} errors, 0 warnings)`);
    expect(read("argocd/manifests/authentik/external-secret.yaml")).toContain("secretKey: immich-client-secret\n");
    expect(read("argocd/manifests/authentik/configmap-blueprint.yaml")).toContain("url: https://photos.ops.eblu.me/user-settings\n");
  });
});

describe("TIMING", () => {
  test("TIMING=all prints stage and rule times on stderr, and the JSON report stays valid", async () => {
    const result = await run(["examples/homelab", "--format", "json"], { env: { TIMING: "all" } });
    expect(result.code).toBe(1);
    expect(() => JSON.parse(result.stdout)).not.toThrow();
    const lines = result.stderr.split("\n");
    expect(lines[0]).toMatch(/^Stage +\| Time \(ms\) \| Relative$/u);
    expect(lines.slice(1, 5).map((line) => line.split("|")[0]!.trim())).toEqual(["discover", "read and parse", "index", "rules"]);
    expect(lines).toContainEqual(expect.stringMatching(/^blueprint\/env-wired +\| +\d+\.\d \| +\d+\.\d%$/u));
  });
});

describe("--fix safety", () => {
  test("a read-only file a fix needs is not written: the CLI names it on stderr and exits 2", async () => {
    const copy = writeRepo({});
    fs.cpSync(path.join(projectRoot, "examples/homelab"), copy, { recursive: true });
    const worker = path.join(copy, "argocd/manifests/authentik/deployment-worker.yaml");
    const before = fs.readFileSync(worker, "utf8");
    fs.chmodSync(worker, 0o444);
    const result = await run(["--fix", "--no-color"], { cwd: copy });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("gitops-lint: not fixing argocd/manifests/authentik/deployment-worker.yaml: it is read-only\n");
    expect(fs.readFileSync(worker, "utf8")).toBe(before);
  });
});
