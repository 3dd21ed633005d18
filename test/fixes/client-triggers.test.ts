/**
 * oidc/client-wiring: a client is wanted when a single link names it. A worker env var
 * `AUTHENTIK_<ID>_CLIENT_SECRET` that no blueprint reads with `!Env`, or an ExternalSecret item
 * `<id>-client-secret` that no such env var takes, for a client no provider declares, is
 * `clientNotDeclared`, reported at the link and naming it. No link tells the redirect URI a
 * provider needs, so there is no fix unless settings give `redirectUris` (then the blueprint fix
 * of a declared client applies, reported where the blueprint goes). The repo is
 * test/fixes/stub-chain/before (examples/homelab with a zot stub, no config); only
 * oidc/client-wiring runs.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import clientWiring from "../../rules/oidc/client-wiring.ts";
import { lintProject } from "../../src/engine.ts";
import { lintAndFix } from "../../src/fix.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { writeRepo } from "../helpers/rule-tester.ts";

const rules = { "oidc/client-wiring": clientWiring as GitopsRule };
const base = path.join(import.meta.dir, "stub-chain/before");
const worker = "argocd/manifests/authentik/deployment-worker.yaml";
const externalSecret = "argocd/manifests/authentik/external-secret.yaml";
const blueprint = "argocd/manifests/authentik/configmap-blueprint.yaml";

function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    files[path.relative(root, absolute).split(path.sep).join("/")] = fs.readFileSync(absolute, "utf8");
  }
  return files;
}

const before = readTree(base);

const envVar = `            - name: AUTHENTIK_GRAFANA_CLIENT_SECRET
              valueFrom:
                secretKeyRef:
                  name: authentik-config
                  key: grafana-client-secret
`;
const withEnvVar = (files: Record<string, string>): Record<string, string> => ({
  ...files,
  [worker]: files[worker]!.replace(envVar, `${envVar}${envVar.replaceAll("GRAFANA", "HARBOR").replaceAll("grafana", "harbor")}`),
});
const item = `    - secretKey: grafana-client-secret
      remoteRef:
        key: grafana-oidc
        property: client-secret
`;
const withItem = (files: Record<string, string>): Record<string, string> => ({
  ...files,
  [externalSecret]: files[externalSecret]!.replace(item, `${item}${item.replaceAll("grafana", "harbor")}`),
});

async function harborMessages(files: Record<string, string>, settings: Record<string, unknown> = {}) {
  const root = writeRepo(files);
  const outcome = await lintProject({ cwd: root, rules, settings });
  return outcome.results.flatMap((result) =>
    result.messages
      .filter((message) => message.messageId === "clientNotDeclared")
      .map((message) => ({ ...message, file: path.relative(root, result.filePath).split(path.sep).join("/") })),
  );
}

describe("oidc/client-wiring: a client wanted by one link", () => {
  test("the repo as it is: every env var and item named like a client secret belongs to a provider", async () => {
    expect(await harborMessages(before)).toEqual([]);
  });

  test("a worker env var named like a client secret, for a client no provider declares: an error at the env var, without a fix", async () => {
    const messages = await harborMessages(withEnvVar(before));
    expect(messages.map((message) => `${message.file}:${message.line}:${message.column}`)).toEqual([`${worker}:44:21`]);
    const [message] = messages;
    expect(message!.severity).toBe(2);
    expect(message!.edits).toBeUndefined();
    expect(message!.fix).toBeUndefined();
    expect(message!.message).toBe(
      `OAuth2 client "harbor" is wanted by env var "AUTHENTIK_HARBOR_CLIENT_SECRET" of container "worker" (${worker}), but no blueprint has an authentik_providers_oauth2.oauth2provider with client_id "harbor": authentik does not know the client and refuses its logins. A provider needs a redirect URI, which no link tells: set settings.oidc.clients.harbor.redirectUris (the service's OIDC callback) and --fix writes its blueprint, or remove env var "AUTHENTIK_HARBOR_CLIENT_SECRET" of container "worker" (${worker}) if the client is gone.`,
    );
  });

  test("an ExternalSecret item named like a client secret: an error at the item, without a fix", async () => {
    const messages = await harborMessages(withItem(before));
    expect(messages.map((message) => `${message.file}:${message.line}:${message.column}`)).toEqual([`${externalSecret}:29:18`]);
    expect(messages[0]!.message).toContain('is wanted by item "harbor-client-secret" of ExternalSecret "authentik-config"');
    expect(messages[0]!.message).toContain("settings.oidc.clients.harbor.redirectUris");
    expect(messages[0]!.edits).toBeUndefined();
  });

  test("--fix writes nothing for it", async () => {
    const files = withItem(withEnvVar(before));
    const root = writeRepo(files);
    const report = await lintAndFix({ cwd: root, rules, settings: {} });
    expect(readTree(root)[blueprint]).toBe(readTree(path.join(import.meta.dir, "stub-chain/after"))[blueprint]);
    expect(readTree(root)[worker]).toBe(files[worker]);
    expect(readTree(root)[externalSecret]).toBe(files[externalSecret]);
    const left = report.outcome.results.flatMap((result) => result.messages.filter((message) => message.messageId === "clientNotDeclared"));
    expect(left.length).toBe(2);
  });

  test("settings giving redirectUris: one message, where the blueprint goes, with its fix", async () => {
    const settings = { oidc: { clients: { harbor: { redirectUris: ["https://harbor.ops.eblu.me/c/oidc/callback"] } } } };
    const messages = await harborMessages(withItem(withEnvVar(before)), settings);
    expect(messages.map((message) => `${message.file}:${message.line}:${message.column}`)).toEqual([`${blueprint}:10:1`]);
    expect(messages[0]!.message).toContain('OAuth2 client "harbor" is declared in settings.oidc.clients');
    expect(messages[0]!.edits).toBeDefined();
  });

  test("an env var a blueprint reads with !Env is no trigger, whatever the provider's client_id", async () => {
    const files = withEnvVar(before);
    files[blueprint] = files[blueprint]!.replace("client_secret: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET", "client_secret: !Env AUTHENTIK_HARBOR_CLIENT_SECRET");
    expect(files[blueprint]).toContain("!Env AUTHENTIK_HARBOR_CLIENT_SECRET");
    expect((await harborMessages(files)).filter((message) => message.message.includes('"harbor"'))).toEqual([]);
  });
});
