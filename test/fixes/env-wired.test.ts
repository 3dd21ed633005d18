/**
 * blueprint/env-wired's fixes, as golden files: each folder under `test/fixes/env-wired/` is one
 * scenario, an authentik directory before `--fix` (`before/`) and every file after it (`after/`,
 * byte for byte); a second run must change nothing. Only blueprint/env-wired runs.
 *
 * - missing-env-var: the worker lacks AUTHENTIK_MINIFLUX_CLIENT_SECRET, as in examples/homelab;
 *   its comments, blank lines and trailing comments stay, and the new entry follows the last
 *   client secret with the blank line its siblings have between them;
 * - missing-item: the ExternalSecret lacks `miniflux-client-secret`: a data item after the last
 *   client's, reading `miniflux-oidc` as `grafana-client-secret` reads `grafana-oidc`;
 * - env-and-item-missing: both, in two passes (also run with CRLF line breaks: the fixture's
 *   files converted on copy, so that no checkout can normalise them);
 * - misspelt-key, misspelt-key-unsafe: `miniflux-client-secert`, renamed only with unsafe fixes;
 * - env-absent: a worker without `env:` (and no sibling to learn from): `env:` after `envFrom`,
 *   the default key where exactly one Secret has it, then the rest learned from that entry;
 * - four-spaces: four-space indentation and `-   ` items, in both files;
 * - flow-env: `env: [ … ]` over several lines: the entry goes in flow style too;
 * - flow-items: block sequences of flow mappings (`- { name: … }`), padding kept;
 * - template: keys templated from `target.template.data`: the template key and its input item;
 * - quoted-and-commented: quoted values and a comment per entry, both learned.
 *
 * After a deliberate change, `UPDATE_GOLDEN=1 bun test test/fixes/env-wired.test.ts` rewrites the
 * `after/` trees; review the diff before committing it.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import envWired from "../../rules/blueprint/env-wired.ts";
import schemaExternalSecret from "../../rules/schema/external-secret.ts";
import schemaWorkload from "../../rules/schema/workload.ts";
import { rules as allRules } from "../../rules/index.ts";
import { lintProject } from "../../src/engine.ts";
import { lintAndFix } from "../../src/fix.ts";
import { byAnalogy, isPlainSafe, learnLayout, mappingEntryAfter, replaceScalar, respell, sequenceItemAfter, type YamlValue } from "../../src/fix/style.ts";
import { unifiedDiffs } from "../../src/formatters/diff.ts";
import type { GitopsRule } from "../../src/rule.ts";
import type { SourceRange } from "../../src/types.ts";
import { writeRepo } from "../helpers/rule-tester.ts";

const fixtures = path.join(import.meta.dir, "env-wired");
const rules = { "blueprint/env-wired": envWired as GitopsRule };
const BLUEPRINTS = "argocd/manifests/authentik/configmap-blueprint.yaml";
const WORKER = "argocd/manifests/authentik/deployment-worker.yaml";
const EXTERNAL_SECRET = "argocd/manifests/authentik/external-secret.yaml";

interface Scenario {
  name: string;
  /** The fixture folder, when not named like the scenario. */
  folder?: string;
  /** What the rule reports before fixing: `file:line:column messageId (fix | unsafe fix)`. */
  reported: string[];
  passes: number;
  unsafeFixes?: boolean;
  /** What is left after fixing, in the same form; default: nothing. */
  left?: string[];
  /** Every file's line break, when not the fixture's `\n`. */
  lineBreak?: "\r\n";
}

const at = (line: number, messageId: string, fix: "(fix)" | "(unsafe fix)" | "" = "(fix)") =>
  `${BLUEPRINTS}:${line}:26 ${messageId}${fix === "" ? "" : ` ${fix}`}`;

const scenarios: Scenario[] = [
  { name: "missing-env-var", reported: [at(42, "noEnvVar")], passes: 1 },
  { name: "missing-item", reported: [at(42, "keyNotProduced")], passes: 1 },
  { name: "env-and-item-missing", reported: [at(42, "noEnvVar")], passes: 2 },
  { name: "env-and-item-missing, CRLF", folder: "env-and-item-missing", reported: [at(42, "noEnvVar")], passes: 2, lineBreak: "\r\n" },
  { name: "misspelt-key", reported: [at(42, "missingKey", "(unsafe fix)")], passes: 0, left: [at(42, "missingKey", "(unsafe fix)")] },
  { name: "misspelt-key-unsafe", reported: [at(42, "missingKey", "(unsafe fix)")], passes: 1, unsafeFixes: true },
  { name: "env-absent", reported: [at(18, "noEnvVar"), at(30, "noEnvVar"), at(42, "noEnvVar")], passes: 3 },
  { name: "four-spaces", reported: [at(42, "noEnvVar")], passes: 2 },
  { name: "flow-env", reported: [at(42, "noEnvVar")], passes: 1 },
  { name: "flow-items", reported: [at(42, "noEnvVar")], passes: 2 },
  { name: "template", reported: [at(42, "keyNotProduced")], passes: 1 },
  { name: "quoted-and-commented", reported: [at(42, "noEnvVar")], passes: 2 },
];

/** Every file under `root`, by path relative to it. */
function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    files[path.relative(root, absolute).split(path.sep).join("/")] = fs.readFileSync(absolute, "utf8");
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

function writeTree(root: string, files: Record<string, string>): void {
  fs.rmSync(root, { recursive: true, force: true });
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  }
}

function withLineBreak(files: Record<string, string>, lineBreak: "\n" | "\r\n"): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([file, text]) => [file, text.replaceAll("\n", lineBreak)]));
}

async function messagesOf(root: string, lintRules: Record<string, GitopsRule> = rules): Promise<string[]> {
  const outcome = await lintProject({ cwd: root, rules: lintRules });
  return outcome.results.flatMap((result) =>
    result.messages.map((message) => {
      const fix = message.edits ? (message.unsafeFix ? " (unsafe fix)" : " (fix)") : "";
      return `${path.relative(root, result.filePath).split(path.sep).join("/")}:${message.line}:${message.column} ${message.messageId}${fix}`;
    }),
  );
}

describe("blueprint/env-wired fixes", () => {
  test("every fixture folder has a scenario", () => {
    const folders = fs.readdirSync(fixtures).sort();
    expect(folders).toEqual([...new Set(scenarios.map((scenario) => scenario.folder ?? scenario.name))].sort());
  });

  for (const scenario of scenarios) {
    const folder = path.join(fixtures, scenario.folder ?? scenario.name);
    const lineBreak = scenario.lineBreak ?? "\n";
    const before = withLineBreak(readTree(path.join(folder, "before")), lineBreak);
    const options = { rules, unsafeFixes: scenario.unsafeFixes };

    test(`${scenario.name}: fixed as after/ holds it, and a second run changes nothing`, async () => {
      const root = writeRepo(before);
      expect(await messagesOf(root)).toEqual(scenario.reported);

      const report = await lintAndFix({ cwd: root, ...options });
      expect(report.refused).toEqual([]);
      expect(report.passes).toBe(scenario.passes);
      const fixed = readTree(root);
      if (process.env.UPDATE_GOLDEN === "1" && !scenario.lineBreak) writeTree(path.join(folder, "after"), fixed);
      expect(fixed).toEqual(withLineBreak(readTree(path.join(folder, "after")), lineBreak));
      expect(await messagesOf(root)).toEqual(scenario.left ?? []);

      const again = await lintAndFix({ cwd: root, ...options });
      expect(again.changes.size).toBe(0);
      expect(again.passes).toBe(0);
      expect(readTree(root)).toEqual(fixed);
    });

    test(`${scenario.name}: a dry run writes nothing and reports the same changes`, async () => {
      const root = writeRepo(before);
      const report = await lintAndFix({ cwd: root, ...options, dryRun: true });
      expect(readTree(root)).toEqual(before);
      const after = withLineBreak(readTree(path.join(folder, "after")), lineBreak);
      const changed = Object.fromEntries([...report.changes].map(([file, change]) => [path.relative(root, file).split(path.sep).join("/"), change.after]));
      expect(changed).toEqual(Object.fromEntries(Object.entries(after).filter(([file, text]) => before[file] !== text)));
    });

    test(`${scenario.name}: what is written passes schema/workload and schema/external-secret`, async () => {
      const checks = { "schema/workload": schemaWorkload as GitopsRule, "schema/external-secret": schemaExternalSecret as GitopsRule };
      expect(await messagesOf(writeRepo(before), checks)).toEqual([]);
      expect(await messagesOf(writeRepo(withLineBreak(readTree(path.join(folder, "after")), lineBreak)), checks)).toEqual([]);
    });
  }

  test("--fix-dry-run's diff shows the inserted lines, the untouched ones as context", async () => {
    const root = writeRepo(readTree(path.join(fixtures, "env-and-item-missing", "before")));
    const report = await lintAndFix({ cwd: root, rules, dryRun: true });
    const diff = unifiedDiffs(report.changes, root);
    expect(diff).toContain(
      [
        `--- a/${WORKER}`,
        `+++ b/${WORKER}`,
        "@@ -43,6 +43,12 @@",
        "                   name: authentik-config",
        "                   key: forgejo-client-secret  # rotated in November",
        " ",
        "+            - name: AUTHENTIK_MINIFLUX_CLIENT_SECRET",
        "+              valueFrom:",
        "+                secretKeyRef:",
        "+                  name: authentik-config",
        "+                  key: miniflux-client-secret",
        "+",
        "             - name: AUTHENTIK_LOG_LEVEL",
        "               value: info",
      ].join("\n"),
    );
    expect(diff).toContain(
      [
        `--- a/${EXTERNAL_SECRET}`,
        `+++ b/${EXTERNAL_SECRET}`,
        "@@ -27,3 +27,7 @@",
        "       remoteRef:",
        "         key: forgejo-oidc",
        "         property: client-secret",
        "+    - secretKey: miniflux-client-secret",
        "+      remoteRef:",
        "+        key: miniflux-oidc",
        "+        property: client-secret",
      ].join("\n"),
    );
    expect(report.passes).toBe(2);
    expect(fs.existsSync(path.join(root, WORKER)) && fs.readFileSync(path.join(root, WORKER), "utf8")).not.toContain("MINIFLUX");
  });
});

describe("examples/homelab", () => {
  const homelab = path.resolve(import.meta.dir, "../../examples/homelab");
  const files = readTree(homelab);
  const added = [
    "            - name: AUTHENTIK_MINIFLUX_CLIENT_SECRET",
    "              valueFrom:",
    "                secretKeyRef:",
    "                  name: authentik-config",
    "                  key: miniflux-client-secret",
  ].join("\n");

  test("--fix wires defect 3's env var after the last client secret; defect 4 waits for --unsafe-fixes", async () => {
    const root = writeRepo(files);
    const defects = await messagesOf(root, allRules);
    const report = await lintAndFix({ cwd: root, rules });
    expect([...report.changes.keys()].map((file) => path.relative(root, file))).toEqual([WORKER]);
    const anchor = "                  key: immich-client-secret\n";
    expect(readTree(root)[WORKER]).toBe(files[WORKER]!.replace(anchor, `${anchor}${added}\n`));
    // Every other rule reports what it reported before: the new entry is well formed and wired.
    expect(await messagesOf(root, allRules)).toEqual(defects.filter((defect) => !defect.startsWith(`${BLUEPRINTS}:149:26 noEnvVar`)));
    expect(await messagesOf(root)).toEqual([`${BLUEPRINTS}:209:28 missingKey (unsafe fix)`]);

    const unsafe = await lintAndFix({ cwd: root, rules, unsafeFixes: true });
    expect([...unsafe.changes.keys()].map((file) => path.relative(root, file))).toEqual([EXTERNAL_SECRET]);
    expect(readTree(root)[EXTERNAL_SECRET]).toBe(files[EXTERNAL_SECRET]!.replace("secretKey: immich-client-secert", "secretKey: immich-client-secret"));
    expect(await messagesOf(root)).toEqual([]);
    expect((await lintAndFix({ cwd: root, rules, unsafeFixes: true })).changes.size).toBe(0);
  });
});

/** A small authentik directory, for the cases below. */
const blueprint = (env: string) =>
  [
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
    `          client_secret: ${env}`,
    "",
  ].join("\n");
const worker = (env: string[]) =>
  [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: authentik-worker",
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    "        - name: worker",
    "          image: ghcr.io/goauthentik/server:2024.12.2",
    "          args: [worker]",
    ...env.map((line) => `          ${line}`),
    "          volumeMounts:",
    "            - name: blueprints",
    "              mountPath: /blueprints/custom",
    "      volumes:",
    "        - name: blueprints",
    "          configMap:",
    "            name: authentik-blueprints",
    "",
  ].join("\n");
const secretEnv = (name: string, key: string) => [
  `  - name: ${name}`,
  "    valueFrom:",
  "      secretKeyRef:",
  "        name: authentik-config",
  `        key: ${key}`,
];
const externalSecret = (items: Array<[string, string, string]>) =>
  [
    "apiVersion: external-secrets.io/v1",
    "kind: ExternalSecret",
    "metadata:",
    "  name: authentik-config",
    "spec:",
    "  secretStoreRef:",
    "    kind: ClusterSecretStore",
    "    name: onepassword",
    "  data:",
    ...items.flatMap(([secretKey, key, property]) => [`    - secretKey: ${secretKey}`, "      remoteRef:", `        key: ${key}`, `        property: ${property}`]),
    "",
  ].join("\n");
const grafana: [string, string, string] = ["grafana-client-secret", "grafana-oidc", "client-secret"];

describe("what a fix keeps from its sibling", () => {
  test("an item's sourceRef and read settings are kept, its version is not", async () => {
    const root = writeRepo({
      "blueprints.yaml": blueprint("!Env AUTHENTIK_ZOT_CLIENT_SECRET"),
      "worker.yaml": worker(["env:", ...secretEnv("AUTHENTIK_ZOT_CLIENT_SECRET", "zot-client-secret")]),
      "external-secret.yaml": [
        "apiVersion: external-secrets.io/v1",
        "kind: ExternalSecret",
        "metadata:",
        "  name: authentik-config",
        "spec:",
        "  data:",
        "    - secretKey: grafana-client-secret",
        "      sourceRef:",
        "        storeRef: {name: onepassword, kind: ClusterSecretStore}",
        "      remoteRef:",
        "        key: grafana-oidc",
        "        property: client-secret",
        "        version: \"3\"",
        "        decodingStrategy: None",
        "",
      ].join("\n"),
    });
    await lintAndFix({ cwd: root, rules });
    expect(fs.readFileSync(path.join(root, "external-secret.yaml"), "utf8")).toEndWith(
      [
        "        decodingStrategy: None",
        "    - secretKey: zot-client-secret",
        "      sourceRef:",
        "        storeRef:",
        "          name: onepassword",
        "          kind: ClusterSecretStore",
        "      remoteRef:",
        "        key: zot-oidc",
        "        property: client-secret",
        "        decodingStrategy: None",
        "",
      ].join("\n"),
    );
  });
});

describe("no fix where the link is not certain", () => {
  const cases: Array<{ name: string; files: Record<string, string>; reported: string }> = [
    {
      name: "a misspelt !Env: the worker sets a name one letter off",
      files: {
        "blueprints.yaml": blueprint("!Env AUTHENTIK_GRAFANA_CLIENT_SECRT"),
        "worker.yaml": worker(["env:", ...secretEnv("AUTHENTIK_GRAFANA_CLIENT_SECRET", "grafana-client-secret")]),
        "external-secret.yaml": externalSecret([grafana]),
      },
      reported: "blueprints.yaml:11:26 noEnvVar",
    },
    {
      name: "an !Env with a default: the default may be meant",
      files: {
        "blueprints.yaml": blueprint("!Env [AUTHENTIK_ZOT_CLIENT_SECRET, changeme]"),
        "worker.yaml": worker(["env:", ...secretEnv("AUTHENTIK_GRAFANA_CLIENT_SECRET", "grafana-client-secret")]),
        "external-secret.yaml": externalSecret([grafana]),
      },
      reported: "blueprints.yaml:11:26 noEnvVarWithDefault",
    },
    {
      name: "`env: []`: how its author would fill it is a guess",
      files: { "blueprints.yaml": blueprint("!Env AUTHENTIK_GRAFANA_CLIENT_SECRET"), "worker.yaml": worker(["env: []"]), "external-secret.yaml": externalSecret([grafana]) },
      reported: "blueprints.yaml:11:26 noEnvVar",
    },
    {
      name: "an empty `env:`: not a second one",
      files: { "blueprints.yaml": blueprint("!Env AUTHENTIK_GRAFANA_CLIENT_SECRET"), "worker.yaml": worker(["env:"]), "external-secret.yaml": externalSecret([grafana]) },
      reported: "blueprints.yaml:11:26 noEnvVar",
    },
    {
      name: "no sibling, and the default key is made by no Secret",
      files: { "blueprints.yaml": blueprint("!Env AUTHENTIK_ZOT_CLIENT_SECRET"), "worker.yaml": worker([]), "external-secret.yaml": externalSecret([grafana]) },
      reported: "blueprints.yaml:11:26 noEnvVar",
    },
    {
      name: "the ExternalSecret's items show no pattern: an item per key by id",
      files: {
        "blueprints.yaml": blueprint("!Env AUTHENTIK_ZOT_CLIENT_SECRET"),
        "worker.yaml": worker(["env:", ...secretEnv("AUTHENTIK_ZOT_CLIENT_SECRET", "zot-client-secret")]),
        "external-secret.yaml": externalSecret([["grafana-client-secret", "3f1c0a9e", "password"]]),
      },
      reported: "blueprints.yaml:11:26 keyNotProduced",
    },
    {
      name: "a misspelt key another workload reads as it is",
      files: {
        "blueprints.yaml": blueprint("!Env AUTHENTIK_GRAFANA_CLIENT_SECRET"),
        "worker.yaml": worker(["env:", ...secretEnv("AUTHENTIK_GRAFANA_CLIENT_SECRET", "grafana-client-secret")]),
        "grafana.yaml": worker(["env:", ...secretEnv("GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET", "grafana-client-secert")]).replace("authentik-worker", "grafana").replace("args: [worker]", "args: []"),
        "external-secret.yaml": externalSecret([["grafana-client-secert", "grafana-oidc", "client-secret"]]),
      },
      reported: "blueprints.yaml:11:26 missingKey",
    },
  ];
  for (const { name, files, reported } of cases) {
    test(name, async () => {
      const root = writeRepo(files);
      expect(await messagesOf(root)).toEqual([reported]);
      const report = await lintAndFix({ cwd: root, rules, unsafeFixes: true });
      expect(report.changes.size).toBe(0);
    });
  }
});

describe("src/fix/style.ts", () => {
  /** The text with `value` inserted as an item after the item spanning `anchor` (found by its text). */
  const afterItem = (text: string, anchor: string, value: YamlValue): string => {
    const start = text.indexOf(anchor);
    const range: SourceRange = [start, start + anchor.length];
    const insertion = sequenceItemAfter(text, range, value);
    return text.slice(0, insertion.offset) + insertion.text + text.slice(insertion.offset);
  };
  const entry = { name: "B", valueFrom: { secretKeyRef: { name: "s", key: "b" } } };

  test("a flow sequence on one line gets a flow item after a comma, spaced as its items are", () => {
    expect(afterItem("env: [{name: A, value: a}]\n", "{name: A, value: a}", entry)).toBe(
      "env: [{name: A, value: a}, {name: B, valueFrom: {secretKeyRef: {name: s, key: b}}}]\n",
    );
    expect(afterItem("args: [a,b]\n", "b", "c")).toBe("args: [a,b,c]\n");
  });

  test("an indentless sequence, CRLF, a trailing comment: the item goes after the line, at the dash", () => {
    const text = "env:\r\n- name: A # first\r\n  value: a\r\nnext: 1\r\n";
    expect(afterItem(text, "name: A # first\r\n  value: a", entry)).toBe(
      "env:\r\n- name: A # first\r\n  value: a\r\n- name: B\r\n  valueFrom:\r\n    secretKeyRef:\r\n      name: s\r\n      key: b\r\nnext: 1\r\n",
    );
  });

  test("a mapping entry: a block sequence indented as the file's, a multi-line string as a literal block", () => {
    const text = "spec:\n  args:\n  - a\n  image: x\nlast: 1\n";
    const start = text.indexOf("image: x");
    const insertion = mappingEntryAfter(text, [start, start + "image: x".length], "env", [{ name: "A", script: "one\ntwo\n" }]);
    expect(text.slice(0, insertion.offset) + insertion.text + text.slice(insertion.offset)).toBe(
      "spec:\n  args:\n  - a\n  image: x\n  env:\n  - name: A\n    script: |\n      one\n      two\nlast: 1\n",
    );
  });

  test("a flow mapping gets its entry after a comma", () => {
    const text = "ref: {name: s, key: a}\n";
    const start = text.indexOf("key: a");
    const insertion = mappingEntryAfter(text, [start, start + "key: a".length], "optional", "false");
    expect(text.slice(0, insertion.offset) + insertion.text + text.slice(insertion.offset)).toBe('ref: {name: s, key: a, optional: "false"}\n');
  });

  test("the layout: four spaces, `-   ` items, indentless sequences, quoting only where needed", () => {
    expect(learnLayout("a:\n    b:\n        -   c: 1\n            d: x\n")).toMatchObject({ indent: 4, sequenceIndent: 4, dashWidth: 4, quoting: { always: false } });
    expect(learnLayout("a:\n  b:\n  - c\n  - 'd'\n")).toMatchObject({ indent: 2, sequenceIndent: 0, dashWidth: 2, quoting: { always: true, mark: "'" } });
    expect(learnLayout('a: "{{ x }}"\nb: plain\n').quoting).toEqual({ always: false, mark: '"' });
  });

  test("plain scalars only where they read back as the same string, in YAML 1.1 too", () => {
    expect(["grafana-client-secret", "/blueprints/custom", "a b"].every((value) => isPlainSafe(value, false))).toBe(true);
    expect(["", "yes", "on", "1.0", "0600", "null", "a: b", "a #b", "{{ .x }}", "!Env X", "- a", " a"].some((value) => isPlainSafe(value, false))).toBe(false);
    expect(isPlainSafe("a,b", true)).toBe(false);
  });

  test("a scalar renamed in place keeps its quotes", () => {
    const text = "- secretKey: 'a-secert'\n- secretKey: \"b-secert\"\n- secretKey: c-secert\n";
    const rename = (written: string, value: string) => {
      const start = text.indexOf(written);
      return replaceScalar(text, [start, start + written.length], value).text;
    };
    expect([rename("'a-secert'", "a-secret"), rename('"b-secert"', "b-secret"), rename("c-secert", "c-secret"), rename("c-secert", "yes")]).toEqual([
      "'a-secret'",
      '"b-secret"',
      "c-secret",
      '"yes"',
    ]);
  });

  test("names by analogy: the words that differ, respelt in the case and separators found", () => {
    expect(byAnalogy("AUTHENTIK_GRAFANA_CLIENT_SECRET", "grafana-client-secret", "AUTHENTIK_HOME_ASSISTANT_CLIENT_SECRET")).toBe("home-assistant-client-secret");
    expect(byAnalogy("AUTHENTIK_SECRET_KEY", "secret-key", "AUTHENTIK_GRAFANA_CLIENT_SECRET")).toBe("grafana-client-secret");
    expect(byAnalogy("grafana-client-secret", "grafana-oidc", "home-assistant-client-secret")).toBe("home-assistant-oidc");
    expect(byAnalogy("grafana-client-secret", "client-secret", "zot-client-secret")).toBeUndefined();
    expect(byAnalogy("grafana_client_secret", "{{ .grafana_client_secret }}", "zot_client_secret")).toBe("{{ .zot_client_secret }}");
    expect(byAnalogy("grafanaClientSecret", "GRAFANA_OIDC", "homeAssistantClientSecret")).toBe("HOME_ASSISTANT_OIDC");
    expect(byAnalogy("AUTHENTIK_POSTGRESQL__PASSWORD", "postgres-password", "AUTHENTIK_ZOT_CLIENT_SECRET")).toBeUndefined();
    expect(byAnalogy("password", "password", "zot-client-secret")).toBeUndefined();
    expect(respell("OAuth2 provider for Grafana (grafana.example.org)", ["GRAFANA"], ["HOME", "ASSISTANT"])).toBe(
      "OAuth2 provider for Home Assistant (home-assistant.example.org)",
    );
    expect(respell("the grafanas", ["GRAFANA"], ["ZOT"])).toBeUndefined();
  });
});
