/**
 * Blueprints kept in Secrets, end to end on test/projects/secret-blueprints (whose exact stylish
 * output projects.test.ts pins): the base64 `data:` blueprint satisfies the links into it, is
 * never reported in, and nothing decoded from it reaches any output.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import rule from "../rules/blueprint/env-wired.ts";
import type { GitopsRule } from "../src/rule.ts";
import { runCli } from "./helpers/cli.ts";
import { lintWith } from "./helpers/rule-tester.ts";

const folder = path.join(import.meta.dir, "projects", "secret-blueprints");
const sealedFile = "repo/argocd/manifests/authentik/secret-blueprint-data.yaml";

/** Strings that are only in the decoded blueprint: a literal client secret, a redirect URI, a provider's link. */
const decodedOnly = ["decoded-literal-secret-9c1e", "vault.example.org", "vault-provider"];

test("the fixture's decoded-only strings are not written in any file as text", () => {
  const files = fs.readdirSync(path.join(folder, "repo"), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  for (const entry of files) {
    const text = fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8");
    for (const value of decodedOnly) expect(text).not.toContain(value);
  }
  const sealed = fs.readFileSync(path.join(folder, sealedFile), "utf8");
  const encoded = /vault\.yaml: (\S+)/u.exec(sealed)![1]!;
  for (const value of decodedOnly) expect(Buffer.from(encoded, "base64").toString("utf8")).toContain(value);
});

test.each(["stylish", "json", "sarif"])("%s: no decoded value appears, and nothing is reported in the base64 blueprint", async (format) => {
  const { code, stdout } = await runCli(["repo", "--no-color", "--format", format], { cwd: folder });
  expect(code).toBe(1);
  for (const value of decodedOnly) expect(stdout).not.toContain(value);
  if (format === "json") {
    const results = JSON.parse(stdout) as Array<{ filePath: string; messages: unknown[] }>;
    expect(results.find((result) => result.filePath.endsWith("secret-blueprint-data.yaml"))?.messages).toEqual([]);
  } else {
    expect(stdout).not.toContain("secret-blueprint-data.yaml");
  }
});

test("json: the links into the base64 blueprint resolve, those into nothing do not", async () => {
  const { stdout } = await runCli(["repo", "--format", "json"], { cwd: folder });
  const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number; column: number }> }>;
  const found = results.flatMap((result) =>
    result.messages.map((message) => `${path.relative(folder, result.filePath)}:${message.line}:${message.column} ${message.ruleId}`),
  );
  expect(found).toEqual([
    "repo/argocd/manifests/apps/oidc-config.yaml:9:61 oidc/issuer-slug",
    "repo/argocd/manifests/authentik/secret-blueprint.yaml:20:26 blueprint/env-wired",
    "repo/argocd/manifests/authentik/secret-blueprint.yaml:33:13 blueprint/unique-ids",
    "repo/argocd/manifests/authentik/secret-blueprint.yaml:39:16 schema/blueprint",
    "repo/argocd/manifests/authentik/secret-blueprint.yaml:47:19 blueprint/find-resolves",
  ]);
});

describe("authentik installed by its Helm chart", () => {
  const helmRelease = (name: string, values: string[]): string =>
    [
      "apiVersion: helm.toolkit.fluxcd.io/v2",
      "kind: HelmRelease",
      "metadata:",
      `  name: ${name}`,
      "  namespace: authentik",
      "spec:",
      "  chart:",
      "    spec:",
      "      chart: authentik",
      "  values:",
      ...values.map((line) => `    ${line}`),
      "",
    ].join("\n");
  const secretEnv = (name: string): string[] => [
    "worker:",
    "  env:",
    `    - name: ${name}`,
    "      valueFrom:",
    "        secretKeyRef:",
    "          name: authentik-config",
    "          key: app-secret",
  ];
  const files = (listedBy: "authentik" | "authentik-other"): Record<string, string> => ({
    "authentik/secret-blueprint.yaml": [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: authentik-blueprints",
      "  namespace: authentik",
      "stringData:",
      "  app.yaml: |",
      "    version: 1",
      "    entries:",
      "      - model: authentik_core.group",
      "        identifiers:",
      "          name: app",
      "        attrs:",
      "          attributes:",
      "            secret: !Env AUTHENTIK_APP_SECRET",
      "",
    ].join("\n"),
    "authentik/external-secret.yaml": [
      "apiVersion: external-secrets.io/v1",
      "kind: ExternalSecret",
      "metadata:",
      "  name: authentik-config",
      "  namespace: authentik",
      "spec:",
      "  secretStoreRef:",
      "    kind: ClusterSecretStore",
      "    name: onepassword",
      "  data:",
      "    - secretKey: app-secret",
      "      remoteRef:",
      "        key: authentik",
      "        property: app-secret",
      "",
    ].join("\n"),
    // Only one install loads the blueprint: the one whose values list the Secret in blueprints.secrets.
    "authentik/helmrelease.yaml": helmRelease("authentik", [...secretEnv("AUTHENTIK_OTHER"), ...listing("authentik", listedBy)]),
    "authentik/helmrelease-other.yaml": helmRelease("authentik-other", [...secretEnv("AUTHENTIK_APP_SECRET"), ...listing("authentik-other", listedBy)]),
  });
  const envWired = rule as GitopsRule;
  const listing = (install: string, listedBy: string): string[] => (install === listedBy ? ["blueprints:", "  secrets:", "    - authentik-blueprints"] : []);

  test("blueprints.secrets: env-wired follows !Env to the install that mounts the Secret, which lacks it", async () => {
    const messages = await lintWith("blueprint/env-wired", envWired, files("authentik"));
    expect(messages.get("authentik/secret-blueprint.yaml")?.map((message) => [message.line, message.column, message.messageId, message.message])).toEqual([
      [
        15,
        21,
        "noChartEnvVar",
        'no env var "AUTHENTIK_APP_SECRET" on the authentik worker that HelmRelease "authentik" installs with the authentik chart (values: authentik/helmrelease.yaml:12): the worker that applies this blueprint reads !Env from its own environment, so the value would be empty. Add "AUTHENTIK_APP_SECRET" to worker.env (or global.env) of those values with valueFrom.secretKeyRef.',
      ],
    ]);
  });

  test("blueprints.secrets: the install that mounts the Secret sets the env var, the other one is not judged", async () => {
    const messages = await lintWith("blueprint/env-wired", envWired, files("authentik-other"));
    expect(messages.get("authentik/secret-blueprint.yaml")).toEqual([]);
  });
});
