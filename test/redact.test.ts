import { expect, test } from "bun:test";
import { redactSecrets } from "../src/formatters/redact.ts";

test.each([
  ["      client_secret: hunter2-very-secret", `      client_secret: ${"*".repeat(19)}`],
  ['  password: "p@ss w0rd"', '  password: "**** ****"'],
  ["  - api_token: abc123", "  - api_token: ******"],
  ["      client_secret: !Env [AUTHENTIK_X, fallback-secret]", "      client_secret: !Env [AUTHENTIK_X, ***************]"],
  ["  token: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9aB3", `  token: ${"*".repeat(39)}`],
  ["  data: MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7", "  data: ****************************************************"],
  // In a URL, the segment that is a token: a webhook's, a query parameter's.
  [
    "  url: https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/aB3dE5gH7jK9mN1pQ3sT5vX7",
    `  url: https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/${"*".repeat(24)}`,
  ],
  [
    "  - https://discord.com/api/webhooks/1234567890/Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa",
    `  - https://discord.com/api/webhooks/1234567890/${"*".repeat(36)}`,
  ],
  ["  - url: https://ci.example.org/hook?token=Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2", `  - url: https://ci.example.org/hook?token=${"*".repeat(24)}`],
  ["  dsn: postgres://authentik:pw1@db:5432/authentik", "  dsn: postgres://authentik:***@db:5432/authentik"],
  // A token segment is masked whole, a Flux variable beside it too.
  ["  - url: https://ci.example.org/hook/Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2${SUFFIX}", `  - url: https://ci.example.org/hook/${"*".repeat(33)}`],
])("masks %p", (line, expected) => {
  expect(redactSecrets(line)).toBe(expected);
  expect(redactSecrets(line).length).toBe(line.length);
});

test.each([
  "      client_secret: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET",
  '  client_secret: "{{ forgejo_oidc_client_secret }}"',
  "  - secretKey: grafana-client-secret",
  "        key: grafana-client-secret",
  "  password_file: /run/secrets/db",
  "  - name: AUTHENTIK_SECRET_KEY",
  "    secretStoreRef:",
  "  image: ghcr.io/goauthentik/server:2024.12.2",
  "  command: op read \"op://homelab/forgejo-oidc/client-secret\"",
  "      provider: !KeyOf miniflux-provder",
  // A redirect URI's path is words, however long together.
  "  - url: https://jellyfin.example.com/sso/OID/r/authentik2/MobileRedirect",
  "  - url: https://app.example.com/oauth2/idpresponse/OAuth2Callback1",
  // A Flux variable in a host is a name, not a value: the host with its port stays readable.
  "        - url: https://dns-secondary.lan.${EXTERNAL_DOMAIN}:53443/sso/callback",
])("keeps %p", (line) => {
  expect(redactSecrets(line)).toBe(line);
});

test("stylish code frames never print a secret's value", async () => {
  const { formatStylish } = await import("../src/formatters/stylish.ts");
  const source = "attrs:\n  client_secret: hunter2-very-secret\n";
  const output = formatStylish(
    [
      {
        filePath: "/repo/b.yaml",
        source,
        messages: [{ ruleId: "x/y", severity: 2, message: "literal secret", line: 2, column: 18, endLine: 2, endColumn: 37 }],
        errorCount: 1,
        warningCount: 0,
        fatalErrorCount: 0,
        fixableErrorCount: 0,
        fixableWarningCount: 0,
      },
    ],
    { cwd: "/repo", color: false },
  );
  expect(output).not.toContain("hunter2");
  expect(output).toContain(`client_secret: ${"*".repeat(19)}`);
  expect(output).toContain(`^${"~".repeat(18)}`);
});
