/**
 * blueprint/no-literal-secrets: secret fields are read with `!Env` / `!File` (or filled in by a
 * template), never written out; a PEM private key is nowhere in a blueprint. The message, and
 * the code frame stylish prints under it, never show the value.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import rule, { notSecretFields, secretFields } from "../../../rules/blueprint/no-literal-secrets.ts";
import models from "../../../schemas/blueprint/models.json" with { type: "json" };
import { referencePath } from "../../../scripts/build-authentik-builtins.ts";
import { lintProject } from "../../../src/engine.ts";
import { format } from "../../../src/formatters/index.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { type InvalidCase, runRuleTests, writeRepo } from "../../helpers/rule-tester.ts";

const ID = "blueprint/no-literal-secrets";
const lines = (...text: string[]): string => `${text.join("\n")}\n`;
const indent = (spaces: number, text: string): string[] =>
  text
    .trimEnd()
    .split("\n")
    .map((line) => `${" ".repeat(spaces)}${line}`);

/** A blueprint with one entry of `model`: `identifiers` on lines 4-5, `attrs` from line 7. */
const entry = (model: string, ...attrs: string[]): string =>
  lines("version: 1", "entries:", `  - model: ${model}`, "    identifiers:", "      name: app", "    attrs:", ...attrs.map((line) => `      ${line}`));

const OAUTH2 = "authentik_providers_oauth2.oauth2provider";
const advice = "Read it with !Env NAME (an env var of the authentik worker, set from a Secret) or !File path (a mounted file) instead.";
const exposed = "everyone who can read the repo, and its history, can read it.";

/** A PEM private key body line: what must never reach a message or a frame. */
const PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
const pemKey = (indentBy: number): string[] =>
  ["-----BEGIN PRIVATE KEY-----", PEM_BODY, "MkCbu0jAK3DQmpqrS5QIRkDg47ST0RCzyvPNTyIsDr7E1A==", "-----END PRIVATE KEY-----"].map(
    (line) => `${" ".repeat(indentBy)}${line}`,
  );

type SecretCase = InvalidCase & {
  /** Values the output must never show. */
  secrets: string[];
  /** src/formatters/redact.ts does not mask this key's value in code frames yet. */
};

const invalid: SecretCase[] = [
  {
    name: "a literal client_secret",
    filename: "blueprints/grafana.yaml",
    files: { "blueprints/grafana.yaml": entry(OAUTH2, "client_id: grafana", "client_secret: hunter2-grafana") },
    secrets: ["hunter2-grafana"],
    errors: [
      {
        messageId: "literalSecret",
        message: `"client_secret" of ${OAUTH2} is the OAuth2 client secret, written here as a literal: ${exposed} ${advice}`,
        line: 8,
        column: 22,
        endLine: 8,
        endColumn: 37,
      },
    ],
  },
  {
    name: "a user's password, and an SMTP password written as a number",
    filename: "blueprints/users.yaml",
    files: {
      "blueprints/users.yaml": lines(
        entry("authentik_core.user", "username: alice", "password: correct-horse").trimEnd(),
        "  - model: authentik_stages_email.emailstage",
        "    identifiers:",
        "      name: email",
        "    attrs:",
        "      password: 12345678",
      ),
    },
    secrets: ["correct-horse", "12345678"],
    errors: [
      { messageId: "literalSecret", data: { where: '"password" of authentik_core.user', what: "the user's password" }, line: 8, column: 17, endLine: 8, endColumn: 30 },
      { messageId: "literalSecret", data: { where: '"password" of authentik_stages_email.emailstage', what: "the SMTP password" }, line: 13, column: 17, endLine: 13, endColumn: 25 },
    ],
  },
  {
    name: "a private key in key_data, as a block scalar: reported once, at its first line",
    filename: "blueprints/certificate.yaml",
    files: { "blueprints/certificate.yaml": entry("authentik_crypto.certificatekeypair", "certificate_data: !File /certs/tls.crt", "key_data: |", ...pemKey(2)) },
    secrets: [PEM_BODY],
    errors: [{ messageId: "literalSecret", data: { where: '"key_data" of authentik_crypto.certificatekeypair', what: "the private key" }, line: 8, column: 17 }],
  },
  {
    name: "a literal in identifiers",
    filename: "blueprints/grafana.yaml",
    files: {
      "blueprints/grafana.yaml": lines("version: 1", "entries:", `  - model: ${OAUTH2}`, "    identifiers:", "      name: grafana", "      client_secret: 'in-identifiers'"),
    },
    secrets: ["in-identifiers"],
    errors: [{ messageId: "literalSecret", line: 6, column: 22, endLine: 6, endColumn: 38 }],
  },
  {
    name: "secrets nested in an object field, found by their names",
    filename: "blueprints/outpost.yaml",
    files: {
      "blueprints/outpost.yaml": entry(
        "authentik_outposts.kubernetesserviceconnection",
        "kubeconfig:",
        "  users:",
        "    - name: admin",
        "      user:",
        "        token: kube-token-value",
      ),
    },
    secrets: ["kube-token-value"],
    errors: [
      {
        messageId: "literalSecret",
        data: { where: '"kubeconfig.users[0].user.token" of authentik_outposts.kubernetesserviceconnection', what: "a secret, by its name" },
        line: 11,
        column: 22,
        endLine: 11,
        endColumn: 38,
      },
    ],
  },
  {
    name: "a field of a misspelt model, and one newer than the schema, by their names",
    filename: "blueprints/app.yaml",
    files: {
      "blueprints/app.yaml": lines(
        entry("authentik_providers_oauth2.oauth2providr", "client_secret: typo-model-secret").trimEnd(),
        "  - model: authentik_core.application",
        "    identifiers:",
        "      slug: app",
        "    attrs:",
        "      webhook_token: newer-field-token",
      ),
    },
    secrets: ["typo-model-secret", "newer-field-token"],
    errors: [
      { messageId: "literalSecret", data: { where: '"client_secret" of authentik_providers_oauth2.oauth2providr', what: "a secret, by its name" }, line: 7, column: 22 },
      { messageId: "literalSecret", data: { where: '"webhook_token" of authentik_core.application', what: "a secret, by its name" }, line: 12, column: 22 },
    ],
  },
  {
    name: "through an anchor and a merge key: once, where the value is written",
    filename: "blueprints/grafana.yaml",
    files: {
      "blueprints/grafana.yaml": lines(
        "version: 1",
        "context:",
        "  oauth: &oauth",
        "    client_type: confidential",
        "    client_secret: merged-secret",
        "entries:",
        `  - model: ${OAUTH2}`,
        "    identifiers:",
        "      name: grafana",
        "    attrs:",
        "      <<: *oauth",
        `  - model: ${OAUTH2}`,
        "    identifiers:",
        "      name: forgejo",
        "    attrs: *oauth",
      ),
    },
    secrets: ["merged-secret"],
    errors: [{ messageId: "literalSecret", data: { where: `"client_secret" of ${OAUTH2}`, what: "the OAuth2 client secret" }, line: 5, column: 20, endLine: 5, endColumn: 33 }],
  },
  {
    name: "a secret in the blueprint's context, read by !Context",
    filename: "blueprints/bootstrap.yaml",
    files: {
      "blueprints/bootstrap.yaml": lines(
        "version: 1",
        "context:",
        "  admin_password: context-password",
        "entries:",
        "  - model: authentik_core.user",
        "    identifiers:",
        "      username: admin",
        "    attrs:",
        "      password: !Context admin_password",
      ),
    },
    secrets: ["context-password"],
    errors: [
      {
        messageId: "literalSecret",
        data: { where: "\"admin_password\" of the blueprint's context", what: "a secret, by its name" },
        line: 3,
        column: 19,
        endLine: 3,
        endColumn: 35,
      },
    ],
  },
  {
    name: "a PEM private key anywhere: an attribute, a quoted string, a tag's default",
    filename: "blueprints/groups.yaml",
    files: {
      "blueprints/groups.yaml": lines(
        "version: 1",
        "entries:",
        "  - model: authentik_core.group",
        "    identifiers:",
        "      name: ops",
        "    attrs:",
        "      attributes:",
        "        deploy_key: |",
        ...pemKey(10),
        `        other: "-----BEGIN EC PRIVATE KEY-----\\n${PEM_BODY}\\n-----END EC PRIVATE KEY-----"`,
        `        fallback: !Env [DEPLOY_KEY, "-----BEGIN OPENSSH PRIVATE KEY-----\\n${PEM_BODY}"]`,
      ),
    },
    secrets: [PEM_BODY],
    errors: [
      { messageId: "privateKey", line: 8, column: 21 },
      { messageId: "privateKey", line: 13, column: 16 },
      { messageId: "privateKey", line: 14, column: 37 },
    ],
  },
  {
    name: "in a blueprint kept in a ConfigMap: positions in the outer file",
    filename: "authentik/configmap.yaml",
    files: {
      "authentik/configmap.yaml": lines(
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: authentik-blueprints",
        "data:",
        "  grafana.yaml: |",
        ...indent(4, entry(OAUTH2, "client_id: grafana", "client_secret: configmap-secret")),
      ),
    },
    secrets: ["configmap-secret"],
    errors: [{ messageId: "literalSecret", line: 14, column: 26, endLine: 14, endColumn: 42 }],
  },
  {
    name: "an API token's key",
    filename: "blueprints/token.yaml",
    files: {
      "blueprints/token.yaml": lines(
        "version: 1",
        "entries:",
        "  - model: authentik_core.token",
        "    identifiers:",
        "      identifier: ci-token",
        "    attrs:",
        "      intent: api",
        "      key: short-token-value",
      ),
    },
    secrets: ["short-token-value"],
    errors: [{ messageId: "literalSecret", data: { where: '"key" of authentik_core.token', what: "the token itself" }, line: 8, column: 12, endLine: 8, endColumn: 29 }],
  },
  {
    name: "an SMS provider's auth token",
    filename: "blueprints/sms.yaml",
    files: { "blueprints/sms.yaml": entry("authentik_stages_authenticator_sms.authenticatorsmsstage", "provider: twilio", "account_sid: AC0001", "auth: 0f1e2d3c4b5a69788796a5b4c3d2e1f0") },
    secrets: ["0f1e2d3c4b5a69788796a5b4c3d2e1f0"],
    errors: [{ messageId: "literalSecret", line: 9, column: 13 }],
  },
];

runRuleTests(ID, rule as GitopsRule, {
  valid: [
    {
      name: "secrets read with !Env, !File and !Context, an !Env with a default, and secrets left out",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "context:",
          "  password: !Env [AUTHENTIK_BOOTSTRAP_PASSWORD, null]",
          "entries:",
          `  - model: ${OAUTH2}`,
          "    identifiers:",
          "      name: grafana",
          "    attrs:",
          "      client_secret: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET",
          `  - model: ${OAUTH2}`,
          "    identifiers:",
          "      name: forgejo",
          "    attrs:",
          "      client_secret: !Env [AUTHENTIK_FORGEJO_CLIENT_SECRET, changeme]",
          `  - model: ${OAUTH2}`,
          "    identifiers:",
          "      name: public-client",
          "    attrs:",
          "      client_type: public",
          "  - model: authentik_core.user",
          "    identifiers:",
          "      username: admin",
          "    attrs:",
          "      password: !Context password",
          "  - model: authentik_crypto.certificatekeypair",
          "    identifiers:",
          "      name: tls",
          "    attrs:",
          "      key_data: !File /certs/tls.key",
        ),
      },
    },
    {
      name: "templated values (Jinja, Helm, Flux), empty strings and nulls",
      files: {
        "blueprints/app.yaml": entry(
          OAUTH2,
          'client_secret: "{{ vault_grafana_client_secret }}"',
          "secret: ${GRAFANA_SECRET}",
          'attributes: {password: "", token: null, api_token: ~, bind_password: "{% raw %}{{ x }}{% endraw %}"}',
        ),
      },
    },
    {
      name: "fields that look like secrets and are not",
      files: {
        "blueprints/app.yaml": lines(
          entry(
            OAUTH2,
            "client_id: grafana",
            "access_token_validity: minutes=10",
            "refresh_token_validity: days=30",
            "include_claims_in_id_token: true",
            "signing_key: !Find [authentik_crypto.certificatekeypair, [name, authentik Self-signed Certificate]]",
          ).trimEnd(),
          "  - model: authentik_crypto.certificatekeypair",
          "    identifiers:",
          "      name: public",
          "    attrs:",
          "      certificate_data: |",
          "        -----BEGIN CERTIFICATE-----",
          "        MIIBszCCAVmgAwIBAgIUYzQ2ZTM5ZmQzNjA1NDFhYjhiYjU5ZmQwMA==",
          "        -----END CERTIFICATE-----",
          "  - model: authentik_sources_kerberos.kerberossource",
          "    identifiers:",
          "      slug: kerberos",
          "    attrs:",
          "      spnego_keytab: FILE:/etc/krb5.keytab",
          "      sync_ccache: FILE:/tmp/krb5cc_authentik",
          "      sync_users_password: true",
          "  - model: authentik_stages_captcha.captchastage",
          "    identifiers:",
          "      name: captcha",
          "    attrs:",
          "      public_key: 6LcSiteKeyAAAAAPublicPublicPublic",
          "      private_key: !Env CAPTCHA_SECRET",
          "  - model: authentik_providers_proxy.proxyprovider",
          "    identifiers:",
          "      name: proxy",
          "    attrs:",
          "      basic_auth_password_attribute: proxy_password",
          "  - model: authentik_policies_password.passwordpolicy",
          "    identifiers:",
          "      name: strong",
          "    attrs:",
          "      password_field: password",
          "  - model: authentik_sources_oauth.oauthsource",
          "    identifiers:",
          "      slug: github",
          "    attrs:",
          "      consumer_key: Iv1.0123456789abcdef",
          "      consumer_secret: !Env GITHUB_SECRET",
          "  - model: authentik_stages_authenticator_static.authenticatorstaticstage",
          "    identifiers:",
          "      name: static",
          "    attrs:",
          "      token_count: 6",
          "      token_length: 12",
          "  - model: authentik_core.group",
          "    identifiers:",
          "      name: ops",
          "    attrs:",
          "      attributes:",
          "        token_expires: 5",
          "        settings: {theme: dark}",
        ),
      },
    },
    {
      name: "the test keys captcha providers publish",
      files: {
        "blueprints/captcha.yaml": entry(
          "authentik_stages_captcha.captchastage",
          "public_key: 6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI",
          "private_key: 6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe",
        ),
        "blueprints/turnstile.yaml": entry("authentik_stages_captcha.captchastage", "public_key: 1x00000000000000000000AA", "private_key: 1x0000000000000000000000000000000AA"),
      },
    },
    {
      name: "blueprints in a ConfigMap data key and in a file packed by a configMapGenerator",
      files: {
        "authentik/configmap.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: authentik-blueprints",
          "data:",
          "  grafana.yaml: |",
          ...indent(4, entry(OAUTH2, "client_secret: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET")),
        ),
        "authentik/kustomization.yaml": lines(
          "apiVersion: kustomize.config.k8s.io/v1beta1",
          "kind: Kustomization",
          "configMapGenerator:",
          "  - name: authentik-blueprints",
          "    files:",
          "      - blueprints/forgejo.yaml",
        ),
        "authentik/blueprints/forgejo.yaml": entry(OAUTH2, "client_secret: !Env AUTHENTIK_FORGEJO_CLIENT_SECRET"),
      },
    },
    {
      name: "anchors and merge keys whose secrets are tags",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "context:",
          "  oauth: &oauth",
          "    client_type: confidential",
          "    client_secret: !Env AUTHENTIK_CLIENT_SECRET",
          "entries:",
          `  - model: ${OAUTH2}`,
          "    identifiers:",
          "      name: grafana",
          "    attrs:",
          "      <<: *oauth",
          "      client_id: grafana",
        ),
      },
    },
  ],
  invalid,
});

describe(`${ID}: repos that must get no false alarm`, () => {
  test.skipIf(!fs.existsSync(referencePath))("every file authentik ships in ../shared/reference/authentik", async () => {
    const outcome = await lintProject({ cwd: referencePath, rules: { [ID]: rule as GitopsRule } });
    expect(outcome.files.length).toBeGreaterThan(40);
    expect(outcome.results.flatMap((result) => result.messages)).toEqual([]);
  });

});

describe(`${ID}: the value is never shown`, () => {
  for (const secretCase of invalid) {
    test(`${secretCase.name}: neither the messages nor the stylish code frames`, async () => {
      const root = writeRepo(secretCase.files);
      const outcome = await lintProject({ cwd: root, rules: { [ID]: rule as GitopsRule } });
      const messages = outcome.results.flatMap((result) => result.messages);
      expect(messages.length).toBe(secretCase.errors.length);
      const output = format("stylish", outcome.results, { cwd: root, color: false });
      for (const secret of secretCase.secrets) {
        for (const message of messages) expect(message.message).not.toContain(secret);
        expect(output).not.toContain(secret);
      }
    });
  }
});

describe(`${ID}: the lists of secret fields`, () => {
  const schemaModels = models.models as Record<string, { attrs: { properties: Record<string, unknown> } }>;

  test("every field listed as a secret is a field of authentik's models", () => {
    for (const [model, fields] of Object.entries(secretFields)) {
      for (const name of Object.keys(fields)) expect({ model, name, known: name in (schemaModels[model]?.attrs.properties ?? {}) }).toEqual({ model, name, known: true });
    }
  });

  test("every field of authentik's models named like a secret is classified, as a secret or with why it is not", () => {
    const unclassified: string[] = [];
    for (const [model, schema] of Object.entries(schemaModels)) {
      for (const name of Object.keys(schema.attrs.properties)) {
        if (!/secret|passw|token|key|credential|keytab|ccache|^auth$|kubeconfig/iu.test(name)) continue;
        if (secretFields[model]?.[name] === undefined && notSecretFields[name] === undefined) unclassified.push(`${model}.${name}`);
      }
    }
    expect(unclassified).toEqual([]);
  });
});
