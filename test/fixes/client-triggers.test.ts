/**
 * oidc/client-wiring: a client is wanted when a single link names it. A worker env var
 * `AUTHENTIK_<ID>_CLIENT_SECRET` that no blueprint reads with `!Env`, or an ExternalSecret item
 * `<id>-client-secret` that no such env var takes, for a client no provider declares, is
 * `clientNotDeclared`, reported at the link and naming it. No link tells the redirect URI a
 * provider needs, so there is no fix unless settings give `redirectUris` (then the blueprint fix
 * of a declared client applies, reported where the blueprint goes). The repo is
 * test/fixes/stub-chain/before (examples/homelab with a zot stub, no config); only
 * oidc/client-wiring runs (with oidc/issuer-slug for the issuer URL cases). A role's OIDC
 * credentials template is a trigger too; several links of one client make one message.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import clientWiring from "../../rules/oidc/client-wiring.ts";
import issuerSlug from "../../rules/oidc/issuer-slug.ts";
import { lintProject } from "../../src/engine.ts";
import { lintAndFix } from "../../src/fix.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { writeRepo } from "../helpers/rule-tester.ts";

const rules = { "oidc/client-wiring": clientWiring as GitopsRule };
const bothRules = { ...rules, "oidc/issuer-slug": issuerSlug as GitopsRule };
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

const roleTemplate = "ansible/roles/harbor/templates/oidc-credentials.json.j2";
const roleDefaults = "ansible/roles/harbor/defaults/main.yml";
const withTemplate = (files: Record<string, string>, clientId = '"harbor"'): Record<string, string> => ({
  ...files,
  [roleTemplate]: `{"clientid": ${clientId}, "clientsecret": "{{ harbor_oidc_client_secret }}"}\n`,
  "ansible/roles/harbor/tasks/main.yml": [
    "---",
    "- name: Deploy the OIDC credentials",
    "  ansible.builtin.template:",
    "    src: oidc-credentials.json.j2",
    "    dest: /etc/harbor/oidc-credentials.json",
    '    mode: "0600"',
    "  when: harbor_oidc_client_secret is defined",
    "",
  ].join("\n"),
});
const issuerFile = "argocd/manifests/harbor/configmap.yaml";
const withIssuer = (files: Record<string, string>): Record<string, string> => ({
  ...files,
  [issuerFile]: ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: harbor-oidc", "  namespace: harbor", "data:", "  OIDC_ENDPOINT: https://auth.ops.eblu.me/application/o/harbor/", ""].join("\n"),
});
const harborSettings = { oidc: { clients: { harbor: { redirectUris: ["https://harbor.ops.eblu.me/c/oidc/callback"] } } } };

async function harborMessages(files: Record<string, string>, settings: Record<string, unknown> = {}, ids: readonly string[] = ["clientNotDeclared"]) {
  const root = writeRepo(files);
  const outcome = await lintProject({ cwd: root, rules: ids.length > 1 ? bothRules : rules, settings });
  return outcome.results.flatMap((result) =>
    result.messages
      .filter((message) => ids.includes(message.messageId ?? ""))
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
    // One message for the client, at its first link.
    expect(left.length).toBe(1);
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

  test("an env var and an ExternalSecret item of the same client: one message, at the env var, naming the item", async () => {
    const messages = await harborMessages(withItem(withEnvVar(before)));
    expect(messages.map((message) => `${message.file}:${message.line}:${message.column}`)).toEqual([`${worker}:44:21`]);
    expect(messages[0]!.message).toContain(
      `is wanted by env var "AUTHENTIK_HARBOR_CLIENT_SECRET" of container "worker" (${worker}) (and by item "harbor-client-secret" of ExternalSecret "authentik-config" (${externalSecret})), but no blueprint`,
    );
    expect(messages[0]!.message).toContain(`or remove env var "AUTHENTIK_HARBOR_CLIENT_SECRET" of container "worker" (${worker}) and item "harbor-client-secret"`);
    expect(messages[0]!.fix).toBeUndefined();
  });
});

describe("oidc/client-wiring: a role with an OIDC credentials template", () => {
  test("a literal client id no provider declares: an error at the id in the template, naming it, without a fix", async () => {
    const messages = await harborMessages(withTemplate(before));
    expect(messages.map((message) => `${message.file}:${message.line}:${message.column}`)).toEqual([`${roleTemplate}:1:15`]);
    expect(messages[0]!.message).toBe(
      `OAuth2 client "harbor" is wanted by template "oidc-credentials.json.j2" of Ansible role "harbor" (${roleTemplate}), but no blueprint has an authentik_providers_oauth2.oauth2provider with client_id "harbor": authentik does not know the client and refuses its logins. A provider needs a redirect URI, which no link tells: set settings.oidc.clients.harbor.redirectUris (the service's OIDC callback) and --fix writes its blueprint, or remove template "oidc-credentials.json.j2" of Ansible role "harbor" (${roleTemplate}) if the client is gone.`,
    );
    expect(messages[0]!.edits).toBeUndefined();
    expect(messages[0]!.fix).toBeUndefined();
  });

  test("a client id from the role defaults: named, reported at the template's expression", async () => {
    const files = withTemplate(before, '"{{ harbor_oidc_client_id }}"');
    files[roleDefaults] = "---\nharbor_oidc_client_id: harbor-registry\n";
    const messages = await harborMessages(files);
    expect(messages.map((message) => `${message.file}:${message.line}:${message.column}`)).toEqual([`${roleTemplate}:1:15`]);
    expect(messages[0]!.message).toContain('OAuth2 client "harbor-registry" is wanted by template "oidc-credentials.json.j2" of Ansible role "harbor"');
  });

  test("a client id a provider declares is no trigger", async () => {
    const files = withTemplate(before, '"grafana"');
    expect((await harborMessages(files)).filter((message) => message.file === roleTemplate)).toEqual([]);
  });

  test("another provider's credentials (a GitHub OAuth app) are no trigger", async () => {
    const files = withTemplate(before);
    files[roleTemplate] = "GITHUB_CLIENT_ID=Iv1.0123456789abcdef\nGITHUB_CLIENT_SECRET={{ github_client_secret }}\n";
    expect(await harborMessages(files)).toEqual([]);
  });

  test("with an env var of the same client: one message, at the env var, naming the template", async () => {
    const messages = await harborMessages(withTemplate(withEnvVar(before)));
    expect(messages.map((message) => `${message.file}:${message.line}:${message.column}`)).toEqual([`${worker}:44:21`]);
    expect(messages[0]!.message).toContain(`(and by template "oidc-credentials.json.j2" of Ansible role "harbor" (${roleTemplate}))`);
  });

  test("settings giving redirectUris: one message, where the blueprint goes, with its fix", async () => {
    const messages = await harborMessages(withTemplate(before), harborSettings);
    expect(messages.map((message) => `${message.file}:${message.line}:${message.column}`)).toEqual([`${blueprint}:10:1`]);
    expect(messages[0]!.edits).toBeDefined();
  });
});

describe("oidc/client-wiring and oidc/issuer-slug: an authentik issuer URL", () => {
  const ids = ["clientNotDeclared", "unknownSlug", "unknownSlugDidYouMean"];

  test("a slug no application declares: issuer-slug's message only", async () => {
    const messages = (await harborMessages(withIssuer(before), {}, ids)).filter((message) => message.message.includes('"harbor"'));
    expect(messages.map((message) => `${message.file}:${message.line}:${message.column} ${message.ruleId}`)).toEqual([`${issuerFile}:7:57 oidc/issuer-slug`]);
  });

  test("settings declaring the client: one clientNotDeclared where the blueprint goes, with its fix, and issuer-slug quiet", async () => {
    const messages = (await harborMessages(withIssuer(before), harborSettings, ids)).filter((message) => message.message.includes('"harbor"'));
    expect(messages.map((message) => `${message.file}:${message.line}:${message.column} ${message.messageId}`)).toEqual([`${blueprint}:10:1 clientNotDeclared`]);
    expect(messages[0]!.message).toContain('OAuth2 client "harbor" is declared in settings.oidc.clients');
    expect(messages[0]!.edits).toBeDefined();
  });

  test("--fix writes the blueprint, and then neither rule speaks of the URL", async () => {
    const root = writeRepo(withIssuer(before));
    const report = await lintAndFix({ cwd: root, rules: bothRules, settings: harborSettings });
    expect(readTree(root)[blueprint]).toMatch(/slug: "?harbor"?\n/u);
    const left = report.outcome.results.flatMap((result) => result.messages.filter((message) => ids.includes(message.messageId ?? "") && message.message.includes('"harbor"')));
    expect(left).toEqual([]);
  });
});
