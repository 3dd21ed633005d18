/**
 * oidc/client-wiring's blueprint fixes, as golden files: each folder under
 * `test/fixes/client-blueprint/` is one scenario, the repo before `--fix` (`before/`) and the
 * files it must hold after (`after/`, every file, byte for byte). Only oidc/client-wiring runs:
 * the next links (the worker's env var, the ExternalSecret item) are other rules' fixes.
 *
 * - homelab: examples/homelab's authentik, zot declared in settings as issue 5 shows it: a new
 *   `data:` key after the last client's, in the siblings' style;
 * - stub: a provider with only a name, a client id and a redirect URI, completed (no settings);
 * - kustomize-files: blueprints are files of a configMapGenerator: a new file, and its entry;
 * - no-sibling: the worker's ConfigMap holds no client: authentik's defaults;
 * - standalone-files: blueprint files no generator lists (a Helm chart mounts them): a new file.
 *
 * After a deliberate change, `UPDATE_GOLDEN=1 bun test test/fixes/client-blueprint.test.ts`
 * rewrites the `after/` trees; review the diff before committing it.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import envWired from "../../rules/blueprint/env-wired.ts";
import keyofDefined from "../../rules/blueprint/keyof-defined.ts";
import clientWiring from "../../rules/oidc/client-wiring.ts";
import schemaBlueprint from "../../rules/schema/blueprint.ts";
import { lintProject } from "../../src/engine.ts";
import { lintAndFix } from "../../src/fix.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { writeRepo } from "../helpers/rule-tester.ts";

const fixtures = path.join(import.meta.dir, "client-blueprint");
const rules = { "oidc/client-wiring": clientWiring as GitopsRule };

interface Scenario {
  name: string;
  settings: Record<string, unknown>;
  /** Where the rule reports before the fix: `file:line:column messageId`. */
  reported: string;
}

const clients = (clients: Record<string, unknown>) => ({ oidc: { clients } });

const scenarios: Scenario[] = [
  {
    name: "homelab",
    settings: clients({
      zot: {
        redirectUris: ["https://registry.ops.eblu.me/zot/auth/callback/oidc"],
        launchUrl: "https://registry.ops.eblu.me",
        name: "Zot Registry",
        groups: ["admins"],
        ansibleRole: "zot",
      },
    }),
    reported: "argocd/manifests/authentik/configmap-blueprint.yaml:10:1 clientNotDeclared",
  },
  { name: "stub", settings: {}, reported: "argocd/manifests/authentik/configmap-blueprint.yaml:92:16 clientIncomplete" },
  {
    name: "kustomize-files",
    settings: clients({ zot: { redirectUris: ["https://registry.example.org/zot/auth/callback/oidc"] } }),
    reported: "authentik/kustomization.yaml:8:11 clientNotDeclared",
  },
  {
    name: "no-sibling",
    settings: clients({
      zot: {
        redirectUris: ["https://registry.example.org/zot/auth/callback/oidc", "https://registry.example.org/zot/auth/callback/oidc?mobile=1"],
        name: "Zot: the registry",
        groups: ["admins"],
      },
    }),
    reported: "authentik/configmap-blueprints.yaml:5:1 clientNotDeclared",
  },
  {
    name: "standalone-files",
    settings: clients({ zot: { redirectUris: ["https://registry.example.org/zot/auth/callback/oidc"], groups: ["admins"] } }),
    reported: "authentik/blueprints/grafana.yaml:3:1 clientNotDeclared",
  },
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

async function messagesOf(root: string, lintRules: Record<string, GitopsRule>, settings: Record<string, unknown> = {}) {
  const outcome = await lintProject({ cwd: root, rules: lintRules, settings });
  return outcome.results.flatMap((result) =>
    result.messages.map((message) => ({ ...message, file: path.relative(root, result.filePath).split(path.sep).join("/") })),
  );
}

describe("oidc/client-wiring writes a client's blueprint", () => {
  for (const scenario of scenarios) {
    const folder = path.join(fixtures, scenario.name);
    const before = readTree(path.join(folder, "before"));

    test(`${scenario.name}: reported where the blueprint goes, fixed as after/ holds it, and a second run changes nothing`, async () => {
      const root = writeRepo(before);
      const reported = (await messagesOf(root, rules, scenario.settings)).filter((message) => message.messageId === "clientNotDeclared" || message.messageId === "clientIncomplete");
      expect(reported.map((message) => `${message.file}:${message.line}:${message.column} ${message.messageId}`)).toEqual([scenario.reported]);

      const report = await lintAndFix({ cwd: root, rules, settings: scenario.settings });
      expect(report.refused).toEqual([]);
      expect(report.passes).toBe(1);
      const fixed = readTree(root);
      if (process.env.UPDATE_GOLDEN === "1") writeTree(path.join(folder, "after"), fixed);
      expect(fixed).toEqual(readTree(path.join(folder, "after")));
      const left = report.outcome.results.flatMap((result) => result.messages).filter((message) => message.messageId === "clientNotDeclared" || message.messageId === "clientIncomplete");
      expect(left).toEqual([]);

      const again = await lintAndFix({ cwd: root, rules, settings: scenario.settings });
      expect(again.changes.size).toBe(0);
      expect(again.passes).toBe(0);
      expect(readTree(root)).toEqual(fixed);
    });

    test(`${scenario.name}: a dry run writes nothing and reports the same files`, async () => {
      const root = writeRepo(before);
      const report = await lintAndFix({ cwd: root, rules, settings: scenario.settings, dryRun: true });
      expect(readTree(root)).toEqual(before);
      const after = readTree(path.join(folder, "after"));
      const changed = Object.fromEntries([...report.changes].map(([file, change]) => [path.relative(root, file).split(path.sep).join("/"), change.after]));
      expect(changed).toEqual(Object.fromEntries(Object.entries(after).filter(([file, text]) => before[file] !== text)));
    });

    test(`${scenario.name}: the written blueprint passes schema/blueprint and blueprint/keyof-defined`, async () => {
      const checks = { "schema/blueprint": schemaBlueprint as GitopsRule, "blueprint/keyof-defined": keyofDefined as GitopsRule };
      // By text, not position: lines inserted above examples/homelab's deliberate defects move them.
      const said = (message: { file: string; ruleId: string | null; message: string }) => `${message.file} ${message.ruleId} ${message.message}`;
      const known = (await messagesOf(writeRepo(before), checks)).map(said);
      const found = (await messagesOf(writeRepo(readTree(path.join(folder, "after"))), checks)).map(said);
      for (const message of known) if (found.includes(message)) found.splice(found.indexOf(message), 1);
      expect(found).toEqual([]);
    });
  }
});

describe("the messages", () => {
  test("a client declared in settings: named, with where its blueprint goes", async () => {
    const scenario = scenarios[0]!;
    const root = writeRepo(readTree(path.join(fixtures, scenario.name, "before")));
    const message = (await messagesOf(root, rules, scenario.settings)).find((candidate) => candidate.messageId === "clientNotDeclared");
    expect(message?.message).toBe(
      'OAuth2 client "zot" is declared in settings.oidc.clients, but no blueprint has an authentik_providers_oauth2.oauth2provider with client_id "zot": authentik does not know the client and refuses its logins. Add its blueprint as data key "zot.yaml" of ConfigMap "authentik-blueprints" (argocd/manifests/authentik/configmap-blueprint.yaml): the provider, the application and its policy bindings, written like the other clients.',
    );
    expect(message?.severity).toBe(2);
  });

  test("a stub: what it lacks", async () => {
    const root = writeRepo(readTree(path.join(fixtures, "stub", "before")));
    const message = (await messagesOf(root, rules)).find((candidate) => candidate.messageId === "clientIncomplete");
    expect(message?.message).toBe(
      'OAuth2 provider "zot" is a stub: it lacks "id", "identifiers", "client_type", "client_secret", "authorization_flow", "invalidation_flow", "signing_key", "property_mappings", "sub_mode" and an application and its policy bindings. authentik applies no provider without an authorization flow, and without a client_secret read with !Env no service can share its secret. Complete it as the other clients are written.',
    );
  });

  test("a kustomize generator: the new file and the generator are named", async () => {
    const scenario = scenarios[2]!;
    const root = writeRepo(readTree(path.join(fixtures, scenario.name, "before")));
    const message = (await messagesOf(root, rules, scenario.settings)).find((candidate) => candidate.messageId === "clientNotDeclared");
    expect(message?.message).toContain('Add its blueprint as authentik/blueprints/zot.yaml, listed in configMapGenerator "authentik-blueprints" (authentik/kustomization.yaml):');
  });

  test("settings that only speak of an existing client (no redirectUris) declare nothing", async () => {
    const root = writeRepo(readTree(path.join(fixtures, "homelab", "before")));
    const messages = await messagesOf(root, rules, clients({ zot: { consumer: false }, grafana: { consumer: false } }));
    expect(messages.filter((message) => message.messageId === "clientNotDeclared")).toEqual([]);
  });

  test("after the blueprint lands, blueprint/env-wired reports the next link: the worker's env var", async () => {
    const root = writeRepo(readTree(path.join(fixtures, "homelab", "after")));
    const messages = await messagesOf(root, { "blueprint/env-wired": envWired as GitopsRule });
    const zotSecret = readTree(root)["argocd/manifests/authentik/configmap-blueprint.yaml"]!.split("\n").findIndex((line) => line.includes("!Env AUTHENTIK_ZOT_CLIENT_SECRET")) + 1;
    expect(messages.some((message) => message.line === zotSecret && message.message.includes('"AUTHENTIK_ZOT_CLIENT_SECRET"'))).toBe(true);
  });
});
