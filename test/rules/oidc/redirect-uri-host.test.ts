/**
 * oidc/redirect-uri-host: strict redirect URIs are absolute https URLs on a host where the
 * provider's application is served; regex ones compile and pin their host.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import rule from "../../../rules/oidc/redirect-uri-host.ts";
import { lintProject } from "../../../src/engine.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests, writeRepo } from "../../helpers/rule-tester.ts";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

interface Redirect {
  url: string;
  mode?: string;
}

/**
 * A blueprint with a Grafana provider and, unless `launch` is null, its application. The first
 * redirect's `url:` value starts at line 11, column 16; each further one two lines below.
 */
function blueprint(redirects: Array<string | Redirect>, launch: string | null = "https://grafana.example.com"): string {
  return lines(
    "version: 1",
    "entries:",
    "  - model: authentik_providers_oauth2.oauth2provider",
    "    id: grafana-provider",
    "    identifiers:",
    "      name: Grafana",
    "    attrs:",
    "      name: Grafana",
    "      redirect_uris:",
    ...redirects.flatMap((redirect) => {
      const { url, mode = "strict" } = typeof redirect === "string" ? { url: redirect } : redirect;
      return [`        - matching_mode: ${mode}`, `          url: ${url}`];
    }),
    ...(launch === null
      ? []
      : [
          "  - model: authentik_core.application",
          "    identifiers:",
          "      slug: grafana",
          "    attrs:",
          "      name: Grafana",
          "      provider: !KeyOf grafana-provider",
          `      meta_launch_url: ${launch}`,
        ]),
  );
}

function ingress(name: string, hosts: string[], service = name, extra: string[] = []): string {
  return lines(
    "apiVersion: networking.k8s.io/v1",
    "kind: Ingress",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    ...extra,
    "  rules:",
    ...hosts.flatMap((host) => [
      `    - host: ${host}`,
      "      http:",
      "        paths:",
      `          - { path: /, pathType: Prefix, backend: { service: { name: ${service}, port: { number: 80 } } } }`,
    ]),
  );
}

/** Every text file of a directory, by path relative to it. */
function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    files[path.relative(root, absolute).split(path.sep).join("/")] = fs.readFileSync(absolute, "utf8");
  }
  return files;
}

const homelab = readTree(path.resolve(import.meta.dir, "../../../examples/homelab"));
const file = "authentik/blueprints/grafana.yaml";
const grafanaIngress = ingress("grafana", ["grafana.example.com"]);
const nearestNone = "none";

runRuleTests("oidc/redirect-uri-host", rule as GitopsRule, {
  valid: [
    { name: "the launch URL's host, with another port and path", files: { [file]: blueprint(["https://grafana.example.com:3000/login/generic_oauth"], "https://Grafana.example.com/d/home") } },
    {
      name: "another host of the same Ingress",
      files: { [file]: blueprint(["https://dash.example.com/login"]), "apps/grafana/ingress.yaml": ingress("grafana", ["grafana.example.com", "dash.example.com"]) },
    },
    {
      name: "a host of another Ingress to the same Service",
      files: {
        [file]: blueprint(["https://grafana.lan.example.com/login"]),
        "apps/grafana/ingress.yaml": grafanaIngress,
        "apps/grafana/ingress-lan.yaml": ingress("grafana-lan", ["grafana.lan.example.com"], "grafana"),
      },
    },
    {
      name: "a Tailscale Ingress short name, on any tailnet",
      files: {
        [file]: blueprint(["https://grafana.tail1234.ts.net/login/generic_oauth"]),
        "apps/grafana/ingress.yaml": grafanaIngress,
        "apps/grafana/tailscale.yaml": lines(
          "apiVersion: networking.k8s.io/v1",
          "kind: Ingress",
          "metadata: { name: grafana-tailscale }",
          "spec:",
          "  ingressClassName: tailscale",
          "  defaultBackend: { service: { name: grafana, port: { number: 80 } } }",
          "  tls: [{ hosts: [grafana] }]",
        ),
      },
    },
    {
      name: "an HTTPRoute's hostnames",
      files: {
        [file]: blueprint(["https://grafana.example.com/login"], null),
        "apps/grafana/route.yaml": lines(
          "apiVersion: gateway.networking.k8s.io/v1",
          "kind: HTTPRoute",
          "metadata: { name: grafana }",
          "spec:",
          "  hostnames: [grafana.example.com]",
        ),
      },
    },
    {
      name: "a Traefik IngressRoute with Host(`a`) || Host(`b`)",
      files: {
        [file]: blueprint(["https://dash.example.com/login"]),
        "apps/grafana/ingressroute.yaml": lines(
          "apiVersion: traefik.io/v1alpha1",
          "kind: IngressRoute",
          "metadata: { name: grafana }",
          "spec:",
          "  routes:",
          "    - match: Host(`grafana.example.com`) || Host(`dash.example.com`)",
          "      services: [{ name: grafana, port: 80 }]",
        ),
      },
    },
    {
      name: "a cert-manager Certificate naming both hosts",
      files: {
        [file]: blueprint(["https://dash.example.com/login"]),
        "apps/grafana/ingress.yaml": grafanaIngress,
        "apps/grafana/dash.yaml": ingress("dash", ["dash.example.com"], "dash"),
        "apps/grafana/certificate.yaml": lines(
          "apiVersion: cert-manager.io/v1",
          "kind: Certificate",
          "metadata: { name: grafana }",
          "spec:",
          "  secretName: grafana-tls",
          "  dnsNames: [grafana.example.com, dash.example.com]",
        ),
      },
    },
    {
      name: "chart values: ingress.hosts[].host in a HelmRelease",
      files: {
        [file]: blueprint(["https://dash.example.com/login"]),
        "apps/grafana/helmrelease.yaml": lines(
          "apiVersion: helm.toolkit.fluxcd.io/v2",
          "kind: HelmRelease",
          "metadata: { name: grafana }",
          "spec:",
          "  values:",
          "    ingress:",
          "      enabled: true",
          "      hosts: [{ host: grafana.example.com }, { host: dash.example.com }]",
        ),
      },
    },
    {
      name: "chart values: ingress.hosts as strings, route.*.hostnames",
      files: {
        [file]: blueprint(["https://dash.example.com/login", "https://grafana.lan.example.com/login"]),
        "apps/grafana/values.yaml": lines(
          "ingress:",
          "  hosts: [grafana.example.com, dash.example.com]",
          "route:",
          "  main:",
          "    hostnames: [grafana.example.com, grafana.lan.example.com]",
        ),
      },
    },
    {
      name: "a Caddy site in role defaults with {{ domain }} from group_vars, its backend the same service",
      files: {
        [file]: blueprint(["https://forgejo.tail1234.ts.net/user/oauth2/authentik/callback"], "https://git.ops.example.com"),
        "ansible/inventory/group_vars/all.yml": "domain: ops.example.com\n",
        "ansible/roles/caddy/defaults/main.yml": lines(
          "caddy_sites:",
          '  - host: "git.{{ domain }}"',
          "    backend: forgejo.tail1234.ts.net:3000",
        ),
      },
    },
    {
      name: "Caddy sites in the inventory",
      files: {
        [file]: blueprint(["https://forgejo.example.com/user/oauth2/authentik/callback"], "https://git.example.com"),
        "ansible/inventory/group_vars/proxies.yml": lines(
          "caddy_sites:",
          "  - { host: git.example.com, backend: 'localhost:3000' }",
          "  - { host: forgejo.example.com, backend: 'localhost:3000' }",
        ),
      },
    },
    {
      name: "a *_external_url role variable, for a provider without an application",
      files: {
        [file]: blueprint(["https://git.example.com/user/oauth2/authentik/callback"], null),
        "ansible/roles/forgejo/defaults/main.yml": "forgejo_external_url: https://git.example.com\n",
      },
    },
    {
      name: "Flux ${VAR} in the launch URL, the redirect URI and the Ingress",
      files: {
        [file]: blueprint(["https://grafana.${SECRET_DOMAIN}/login", "https://dash.example.com/login"], "https://grafana.${SECRET_DOMAIN}"),
        "apps/grafana/ingress.yaml": ingress("grafana", ["grafana.${SECRET_DOMAIN}", "dash.example.com"]),
      },
    },
    {
      name: "Flux ${VAR/./-}: the parts around the variable agree",
      files: {
        [file]: blueprint(["https://grafana-prod-eu.example.com/login"], null),
        "apps/grafana/ingress.yaml": ingress("grafana", ["grafana-${CLUSTER/./-}.example.com"]),
      },
    },
    {
      name: "loopback redirects over http, and a native app's own scheme",
      files: {
        [file]: blueprint([
          "http://localhost:8085/callback",
          "http://127.0.0.1:8000/auth/callback",
          "http://[::1]:3000/cb",
          "http://cli.localhost/cb",
          "app.immich:///oauth-callback",
        ]),
      },
    },
    {
      name: "regex: anchored or not (authentik runs re.fullmatch), Python's named groups and \\A",
      files: {
        [file]: blueprint([
          { mode: "regex", url: "'^https://grafana\\.example\\.com/login/.*$'" },
          { mode: "regex", url: "'https://grafana\\.example\\.com(:443)?/login/(?P<rest>.*)'" },
          { mode: "regex", url: "'\\Ahttps://grafana\\.example\\.com/(?P=x)?.*\\Z'" },
          { mode: "regex", url: "'https://(grafana|dash)\\.example\\.com/.*'" },
        ]),
      },
    },
    {
      name: "Jinja in a URL or its host: unverifiable",
      files: { [file]: blueprint(['"https://{{ grafana_host }}/login"', '"{{ grafana_url }}/login"', '"http://{{ grafana_host }}/login"']) },
    },
    {
      name: "values authentik computes (!Format, !Env) and modes schema/blueprint reports",
      files: {
        [file]: blueprint([
          "!Format ['https://%s/login', !Env GRAFANA_HOST]",
          { mode: "exact", url: "grafana.example.com/login" },
        ]),
      },
    },
    {
      name: "the string form with a template expression holding spaces: one URL, its host a variable",
      files: {
        [file]: lines(
          "version: 1",
          "entries:",
          "  - model: authentik_providers_oauth2.oauth2provider",
          "    attrs:",
          "      name: Wiki",
          "      redirect_uris: |",
          '        https://wiki.{{ env "BASE_DOMAIN" }}/oauth/callback',
          "        https://wiki.{% if staging %}staging.{% endif %}example.org/oauth/callback",
        ),
        "apps/grafana/ingress.yaml": grafanaIngress,
      },
    },
    {
      name: "the string form of authentik < 2024.8, and its wildcards",
      files: {
        [file]: lines(
          "version: 1",
          "entries:",
          "  - model: authentik_providers_oauth2.oauth2provider",
          "    id: grafana-provider",
          "    attrs:",
          "      name: Grafana",
          '      redirect_uris: "https://grafana.example.com/login\\nhttps://grafana\\\\.example\\\\.com/.*\\n*"',
          "  - model: authentik_core.application",
          "    attrs:",
          "      name: Grafana",
          "      provider: !KeyOf grafana-provider",
          "      meta_launch_url: https://grafana.example.com",
        ),
      },
    },
    {
      name: "an application in another blueprint that finds the provider by name",
      files: {
        [file]: blueprint(["https://grafana.example.com/login"], null),
        "authentik/blueprints/apps.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_core.application",
          "    attrs:",
          "      name: Grafana",
          "      provider: !Find [authentik_providers_oauth2.oauth2provider, [name, Grafana]]",
          "      meta_launch_url: https://grafana.example.com",
        ),
      },
    },
    {
      name: "a launch URL that names no host (blank://blank) and a redirect host the repo serves",
      files: { [file]: blueprint(["https://grafana.example.com/login"], "blank://blank"), "apps/grafana/ingress.yaml": grafanaIngress },
    },
    {
      name: "a redirect host only named by a variable: a link the graph cannot judge",
      files: {
        [file]: blueprint(["https://grafana-beta.example.com/login"]),
        "apps/grafana/ingress.yaml": grafanaIngress,
        "ansible/roles/grafana/defaults/main.yml": "grafana_beta_url: https://grafana-beta.example.com\n",
      },
    },
    {
      name: "a repo that declares no host at all (authentik's configuration alone)",
      files: { [file]: blueprint(["https://grafana.example.org/login", "https://feeds.example.org/login"]) },
    },
    {
      name: "an external-dns hostname annotation on the Service behind the Ingress",
      files: {
        [file]: blueprint(["https://dash.example.com/login"]),
        "apps/grafana/ingress.yaml": grafanaIngress,
        "apps/grafana/service.yaml": lines(
          "apiVersion: v1",
          "kind: Service",
          "metadata:",
          "  name: grafana",
          "  annotations: { external-dns.alpha.kubernetes.io/hostname: dash.example.com }",
        ),
      },
    },
    {
      name: "a provider being removed",
      files: { [file]: blueprint(["http://grafana.example.com/login"], null).replace("    id: grafana-provider\n", "    id: grafana-provider\n    state: absent\n") },
    },
  ],
  invalid: [
    {
      name: "a relative URL",
      filename: file,
      files: { [file]: blueprint(["/login/generic_oauth"]) },
      errors: [{ messageId: "notAbsolute", data: { url: "/login/generic_oauth", example: "grafana.example.com" }, severity: 2, line: 11, column: 16, endLine: 11, endColumn: 36 }],
    },
    {
      name: "a URL without a scheme (host:port is no scheme)",
      filename: file,
      files: { [file]: blueprint(["grafana.example.com:3000/login"]) },
      errors: [{ messageId: "notAbsolute", line: 11, column: 16, endLine: 11, endColumn: 46 }],
    },
    {
      name: "http on a host that is not loopback, at the scheme",
      filename: file,
      files: { [file]: blueprint(["http://grafana.example.com/login"]) },
      errors: [{ messageId: "notHttps", data: { url: "http://grafana.example.com/login", host: "grafana.example.com" }, severity: 2, line: 11, column: 16, endLine: 11, endColumn: 20 }],
    },
    {
      name: "another application's host, at the host",
      filename: file,
      files: {
        [file]: blueprint(["https://feeds.example.com/login/generic_oauth"]),
        "authentik/blueprints/miniflux.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_core.application",
          "    attrs:",
          "      name: Miniflux",
          "      meta_launch_url: https://feeds.example.com",
        ),
      },
      errors: [
        {
          messageId: "hostOfOtherApplication",
          data: {
            host: "feeds.example.com",
            other: "Miniflux",
            otherFile: "authentik/blueprints/miniflux.yaml",
            application: "Grafana",
            expected: "grafana.example.com",
            nearest: nearestNone,
          },
          severity: 2,
          line: 11,
          column: 24,
          endLine: 11,
          endColumn: 41,
        },
      ],
    },
    {
      name: "a host another service serves: a warning, with where it is served and the nearest hosts",
      filename: file,
      files: {
        [file]: blueprint(["https://feeds.example.com/login"]),
        "apps/grafana/ingress.yaml": grafanaIngress,
        "apps/miniflux/ingress.yaml": ingress("miniflux", ["feeds.example.com"]),
      },
      errors: [
        {
          messageId: "hostNotConnected",
          data: {
            host: "feeds.example.com",
            servedBy: 'Ingress "miniflux"',
            file: "apps/miniflux/ingress.yaml",
            expected: "grafana.example.com",
            application: "Grafana",
            nearest: '"grafana.example.com" (Ingress "grafana", apps/grafana/ingress.yaml)',
          },
          severity: 1,
          line: 11,
          column: 24,
          endLine: 11,
          endColumn: 41,
        },
      ],
    },
    {
      name: "a misspelt host, known nowhere: a warning listing the nearest known hosts",
      filename: file,
      files: {
        [file]: blueprint(["https://grafana.exmaple.com/login"]),
        "apps/grafana/ingress.yaml": grafanaIngress,
        "apps/miniflux/ingress.yaml": ingress("miniflux", ["feeds.example.com"]),
      },
      errors: [
        {
          messageId: "unknownHost",
          data: {
            host: "grafana.exmaple.com",
            expected: "grafana.example.com",
            application: "Grafana",
            nearest: '"grafana.example.com" (Ingress "grafana", apps/grafana/ingress.yaml); "feeds.example.com" (Ingress "miniflux", apps/miniflux/ingress.yaml)',
          },
          severity: 1,
          line: 11,
          column: 24,
          endLine: 11,
          endColumn: 43,
        },
      ],
    },
    {
      name: "a SaaS host and no application: a warning at most",
      filename: file,
      files: { [file]: blueprint(["https://login.tailscale.com/a/oauth_response"], null), "apps/grafana/ingress.yaml": grafanaIngress },
      errors: [
        {
          messageId: "unknownHostNoLaunchUrl",
          data: { host: "login.tailscale.com", nearest: '"grafana.example.com" (Ingress "grafana", apps/grafana/ingress.yaml)' },
          severity: 1,
          line: 11,
          column: 24,
          endLine: 11,
          endColumn: 43,
        },
      ],
    },
    {
      name: "a quoted URL: the host is found inside the quotes",
      filename: file,
      files: { [file]: blueprint(['"https://grafana.exmaple.com/login"']), "apps/grafana/ingress.yaml": grafanaIngress },
      errors: [{ messageId: "unknownHost", line: 11, column: 25, endLine: 11, endColumn: 44 }],
    },
    {
      name: "regex: does not compile",
      filename: file,
      files: { [file]: blueprint([{ mode: "regex", url: "'https://grafana\\.example\\.com/(login'" }]) },
      errors: [{ messageId: "regexInvalid", data: { pattern: "https://grafana\\.example\\.com/(login", reason: "missing )" }, line: 11, column: 16, endLine: 11, endColumn: 54 }],
    },
    {
      name: "regex: an escape Python rejects",
      filename: file,
      files: { [file]: blueprint([{ mode: "regex", url: "'https://grafana\\.example\\.com/\\q'" }]) },
      errors: [{ messageId: "regexInvalid", data: { pattern: "https://grafana\\.example\\.com/\\q", reason: "bad escape \\q" }, line: 11, column: 16 }],
    },
    {
      name: "regex: a host left open",
      filename: file,
      files: { [file]: blueprint([{ mode: "regex", url: "'https://.*\\.example\\.com/.*'" }, { mode: "regex", url: "'.*'" }]) },
      errors: [
        { messageId: "regexHostOpen", data: { pattern: "https://.*\\.example\\.com/.*", example: "grafana\\.example\\.com" }, severity: 1, line: 11, column: 16 },
        { messageId: "regexHostOpen", severity: 1, line: 13, column: 16 },
      ],
    },
    {
      name: "regex: an unescaped dot in the host",
      filename: file,
      files: { [file]: blueprint([{ mode: "regex", url: "https://grafana.example.com/.*" }]) },
      errors: [
        {
          messageId: "regexUnescapedDot",
          data: { pattern: "https://grafana.example.com/.*", host: "grafana.example.com", lookalike: "grafanaxexample.com" },
          severity: 1,
          line: 11,
          column: 24,
          endLine: 11,
          endColumn: 43,
        },
      ],
    },
    {
      name: "regex: a literal host is checked like a strict one",
      filename: file,
      files: { [file]: blueprint([{ mode: "regex", url: "'https://grafana\\.exmaple\\.com/.*'" }]), "apps/grafana/ingress.yaml": grafanaIngress },
      errors: [{ messageId: "unknownHost", line: 11, column: 25, endLine: 11, endColumn: 46 }],
    },
    {
      name: "the string form of authentik < 2024.8: each URL is strict",
      filename: file,
      files: {
        [file]: lines(
          "version: 1",
          "entries:",
          "  - model: authentik_providers_oauth2.oauth2provider",
          "    attrs:",
          "      name: Grafana",
          "      redirect_uris: https://grafana.example.com/login http://grafana.example.com/login",
        ),
        "apps/grafana/ingress.yaml": grafanaIngress,
      },
      errors: [{ messageId: "notHttps", line: 6, column: 56, endLine: 6, endColumn: 60 }],
    },
    {
      name: "the string form as a block: reported at the whole value",
      filename: file,
      files: {
        [file]: lines(
          "version: 1",
          "entries:",
          "  - model: authentik_providers_oauth2.oauth2provider",
          "    attrs:",
          "      name: Grafana",
          "      redirect_uris: |",
          "        https://grafana.example.com/login",
          "        /login",
        ),
        "apps/grafana/ingress.yaml": grafanaIngress,
      },
      errors: [{ messageId: "notAbsolute", line: 6, column: 22 }],
    },
    {
      name: "the string form as a literal block: at the host, on its own line",
      filename: file,
      files: {
        [file]: lines(
          "version: 1",
          "entries:",
          "  - model: authentik_providers_oauth2.oauth2provider",
          "    attrs:",
          "      name: Grafana",
          "      redirect_uris: |",
          "        https://grafana.example.com/login",
          "        https://grafana.exmaple.com/login",
        ),
        "apps/grafana/ingress.yaml": grafanaIngress,
      },
      errors: [{ messageId: "unknownHostNoLaunchUrl", severity: 1, line: 8, column: 17, endLine: 8, endColumn: 36 }],
    },
    {
      name: "the string form as a literal block, in a blueprint in a ConfigMap: at the host in the outer file",
      filename: "authentik/configmap.yaml",
      files: {
        "authentik/configmap.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata: { name: authentik-blueprints }",
          "data:",
          "  grafana.yaml: |",
          "    version: 1",
          "    entries:",
          "      - model: authentik_providers_oauth2.oauth2provider",
          "        attrs:",
          "          name: Grafana",
          "          redirect_uris: |  # one URL a line",
          "            https://grafana.exmaple.com/login",
        ),
        "apps/grafana/ingress.yaml": grafanaIngress,
      },
      errors: [{ messageId: "unknownHostNoLaunchUrl", severity: 1, line: 12, column: 21, endLine: 12, endColumn: 40 }],
    },
    {
      name: "a blueprint in a ConfigMap: positions in the outer file",
      filename: "authentik/configmap.yaml",
      files: {
        "authentik/configmap.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata: { name: authentik-blueprints }",
          "data:",
          "  grafana.yaml: |",
          ...blueprint(["https://grafana.exmaple.com/login"], null)
            .trimEnd()
            .split("\n")
            .map((line) => `    ${line}`),
        ),
        "apps/grafana/ingress.yaml": grafanaIngress,
      },
      errors: [{ messageId: "unknownHostNoLaunchUrl", line: 16, column: 28, endLine: 16, endColumn: 47 }],
    },
  ],
});

describe("oidc/redirect-uri-host fixes", () => {
  test("another application's host in a literal block: placed at the host, with no fix (the block's indentation shifts it)", async () => {
    const root = writeRepo({
      [file]: lines(
        "version: 1",
        "entries:",
        "  - model: authentik_providers_oauth2.oauth2provider",
        "    id: grafana",
        "    attrs:",
        "      name: Grafana",
        "      redirect_uris: |",
        "        https://feeds.example.com/login/generic_oauth",
        "  - model: authentik_core.application",
        "    attrs:",
        "      name: Grafana",
        "      provider: !KeyOf grafana",
        "      meta_launch_url: https://grafana.example.com",
      ),
      "authentik/blueprints/miniflux.yaml": lines(
        "version: 1",
        "entries:",
        "  - model: authentik_core.application",
        "    attrs:",
        "      name: Miniflux",
        "      meta_launch_url: https://feeds.example.com",
      ),
    });
    const outcome = await lintProject({ cwd: root, rules: { "oidc/redirect-uri-host": rule as GitopsRule } });
    const messages = outcome.results.flatMap((result) => result.messages);
    expect(messages.map((message) => `${message.line}:${message.column}-${message.endLine}:${message.endColumn} ${message.messageId} ${message.fix === undefined ? "no fix" : "fix"}`)).toEqual([
      "8:17-8:34 hostOfOtherApplication no fix",
    ]);
  });
});

describe("oidc/redirect-uri-host settings", () => {
  test("settings.hosts: hosts served outside the repo, a DNS * allowed", async () => {
    const root = writeRepo({
      [file]: blueprint(["https://login.tailscale.com/a/oauth_response", "https://grafana.cloud.example.net/login"], null),
      "apps/grafana/ingress.yaml": grafanaIngress,
    });
    const lint = async (settings: Record<string, unknown>) => {
      const outcome = await lintProject({ cwd: root, rules: { "oidc/redirect-uri-host": rule as GitopsRule }, settings });
      return outcome.results.flatMap((result) => result.messages.map((message) => `${message.line}:${message.column} ${message.messageId}`));
    };
    expect(await lint({})).toEqual(["11:24 unknownHostNoLaunchUrl", "13:24 unknownHostNoLaunchUrl"]);
    expect(await lint({ hosts: ["login.tailscale.com", "*.cloud.example.net"] })).toEqual([]);
  });
});
