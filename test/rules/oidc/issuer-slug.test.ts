/**
 * oidc/issuer-slug: an authentik URL `…/application/o/<slug>/` in role variables, templates or
 * manifests names an application slug that a blueprint of the repo declares.
 */
import fs from "node:fs";
import path from "node:path";
import fg from "fast-glob";
import rule from "../../../rules/oidc/issuer-slug.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { describe, expect, test } from "bun:test";
import { lintProject } from "../../../src/engine.ts";
import { runRuleTests, writeRepo, type ValidCase } from "../../helpers/rule-tester.ts";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

/** Every YAML and template file of a directory, by path relative to it. */
function filesOf(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const relative of fg.sync(["**/*.yaml", "**/*.yml", "**/*.j2"], { cwd: root })) {
    files[relative] = fs.readFileSync(path.join(root, relative), "utf8");
  }
  return files;
}

const homelab = path.resolve(import.meta.dir, "../../../examples/homelab");
// ../shared/reference/authentik: the blueprints authentik ships (see its README).
const reference = path.resolve(import.meta.dir, "../../../../shared/reference/authentik");

const APPS = "blueprints/apps.yaml";

/** Applications grafana (slug at line 5), forgejo (line 8) and immich (line 11). */
const apps = lines(
  "version: 1",
  "entries:",
  "  - model: authentik_core.application",
  "    identifiers:",
  "      slug: grafana",
  "  - model: authentik_core.application",
  "    identifiers:",
  "      slug: forgejo",
  "  - model: authentik_core.application",
  "    attrs:",
  "      slug: immich",
);

/**
 * A blueprint kept in an ExternalSecret's template, which fills in its client credentials: the
 * application's slug is at line 24.
 */
const templatedBlueprint = (slug: string): string =>
  lines(
    "apiVersion: external-secrets.io/v1",
    "kind: ExternalSecret",
    "metadata:",
    `  name: authentik-blueprint-${slug}`,
    "spec:",
    "  secretStoreRef:",
    "    kind: ClusterSecretStore",
    "    name: onepassword-connect",
    "  target:",
    "    template:",
    "      data:",
    `        ${slug}.yaml: |`,
    "          version: 1",
    "          entries:",
    "            - model: authentik_providers_oauth2.oauth2provider",
    `              id: provider-${slug}`,
    "              identifiers:",
    `                name: ${slug}`,
    "              attrs:",
    '                client_id: "{{ .OAUTH_CLIENT_ID }}"',
    '                client_secret: "{{ .OAUTH_CLIENT_SECRET }}"',
    "            - model: authentik_core.application",
    "              identifiers:",
    `                slug: ${slug}`,
    "              attrs:",
    `                provider: !KeyOf provider-${slug}`,
    "  dataFrom:",
    "    - extract:",
    `        key: ${slug}`,
  );

/** A Deployment whose env var is on line 12, its value starting at column 22. */
const deployment = (value: string): string =>
  lines(
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: grafana",
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    "        - name: grafana",
    "          env:",
    "            - name: OIDC_URL",
    `              value: ${value}`,
  );

/** A ConfigMap with one data key on line 6, its value starting at column 16. */
const configMap = (value: string): string =>
  lines("apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: app", "data:", `  OIDC_ISSUER: ${value}`);

const authentikIngress = lines(
  "apiVersion: networking.k8s.io/v1",
  "kind: Ingress",
  "metadata:",
  "  name: authentik",
  "spec:",
  "  rules:",
  "    - host: auth.example.com",
  "      http:",
  "        paths:",
  "          - path: /",
  "            pathType: Prefix",
  "            backend:",
  "              service:",
  "                name: authentik-server",
  "                port:",
  "                  name: http",
);

/** An HTTPRoute to authentik's server Service, its hostnames from line 9. */
const authentikRoute = (...hostnames: string[]): string =>
  lines(
    "apiVersion: gateway.networking.k8s.io/v1",
    "kind: HTTPRoute",
    "metadata:",
    "  name: sso",
    "spec:",
    "  parentRefs:",
    "    - name: gateway",
    "  hostnames:",
    ...hostnames.map((host) => `    - ${host}`),
    "  rules:",
    "    - backendRefs:",
    "        - name: authentik-server",
    "          port: 80",
  );

/** The authentik chart's values, its server's Ingress host on line 5. */
const authentikValues = (host: string): string =>
  lines("server:", "  ingress:", "    enabled: true", "    hosts:", `      - ${host}`, "authentik:", "  error_reporting:", "    enabled: false");

/** An Ingress of another name routing to another authentik-named Service: a second install. */
const stagingIngress = lines(
  "apiVersion: networking.k8s.io/v1",
  "kind: Ingress",
  "metadata:",
  "  name: sso-staging",
  "spec:",
  "  rules:",
  "    - host: auth.staging.example.com",
  "      http:",
  "        paths:",
  "          - path: /",
  "            pathType: Prefix",
  "            backend:",
  "              service:",
  "                name: authentik-staging-server",
  "                port:",
  "                  name: http",
);

const valid: ValidCase[] = [
  {
    name: "issuer, discovery, JWKS and end-session URLs of declared applications",
    files: {
      [APPS]: apps,
      "k8s/grafana.yaml": deployment("https://auth.example.com/application/o/grafana/end-session/"),
      "k8s/config.yaml": configMap('"https://auth.example.com/application/o/immich/"'),
      "ansible/roles/forgejo/defaults/main.yml": lines(
        "---",
        'forgejo_oidc_discovery_url: "{{ authentik_url }}/application/o/forgejo/.well-known/openid-configuration"',
        "forgejo_jwks: '{{ authentik_url }}/application/o/forgejo/jwks/'",
      ),
    },
  },
  {
    name: "authentik's global endpoints name no application",
    files: {
      [APPS]: apps,
      "k8s/grafana.yaml": lines(
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: grafana",
        "data:",
        "  grafana.ini: |",
        "    auth_url = https://auth.example.com/application/o/authorize/",
        "    token_url = https://auth.example.com/application/o/token/",
        "    api_url = https://auth.example.com/application/o/userinfo/",
        "    revoke = https://auth.example.com/application/o/revoke/",
        "    introspect = https://auth.example.com/application/o/introspect/",
        "    device = https://auth.example.com/application/o/device/",
      ),
    },
  },
  {
    name: "a slug built with a variable is unverifiable",
    files: {
      [APPS]: apps,
      "ansible/inventory/group_vars/all.yml": lines(
        "---",
        'oidc_issuer: "{{ authentik_url }}/application/o/{{ app_slug }}/"',
        'staging_issuer: "{{ authentik_url }}/application/o/grafana-{{ env }}/"',
      ),
      "k8s/config.yaml": configMap("https://auth.${SECRET_DOMAIN}/application/o/${APP_SLUG}/"),
    },
  },
  {
    name: "a host that the repo says is not authentik's",
    files: { [APPS]: apps, "k8s/ingress.yaml": authentikIngress, "k8s/config.yaml": configMap("https://sso.partner.org/application/o/partner-portal/") },
  },
  {
    name: "a repo whose blueprints declare no application has nothing to compare with",
    files: { "k8s/config.yaml": configMap("https://auth.example.com/application/o/grafana/") },
  },
  {
    name: "a templated slug in a blueprint, and a slug declared by a Jinja-rendered blueprint",
    files: {
      [APPS]: lines("version: 1", "entries:", "  - model: authentik_core.application", "    identifiers:", '      slug: "{{ app }}-web"'),
      "ansible/roles/authentik/templates/wiki.yaml.j2": lines(
        "version: 1",
        "entries:",
        "  - model: authentik_core.application",
        "    identifiers:",
        "      slug: wiki",
        "      name: {{ wiki_name }}",
      ),
      "k8s/photos.yaml": configMap("https://auth.example.com/application/o/photos-web/"),
      "k8s/wiki.yaml": deployment("https://auth.example.com/application/o/wiki/"),
    },
  },
  {
    name: "a blueprint that does not parse is read as text for its slugs",
    filename: "k8s/wiki.yaml",
    files: {
      [APPS]: apps,
      "blueprints/wiki.yaml": lines(
        "version: 1",
        "entries:",
        "{% if wiki_enabled %}",
        "  - model: authentik_core.application",
        "    identifiers:",
        "      slug: wiki",
        "{% endif %}",
      ),
      "k8s/wiki.yaml": deployment("https://auth.example.com/application/o/wiki/"),
    },
  },
  {
    name: "a blueprint whose entries are misspelt: its applications are unknown",
    files: {
      [APPS]: apps,
      "blueprints/wiki.yaml": lines(
        "# yaml-language-server: $schema=https://goauthentik.io/blueprints/schema.json",
        "version: 1",
        "entrys:",
        "  - model: authentik_core.application",
        "    identifiers:",
        "      slug: wiki",
      ),
      "k8s/wiki.yaml": deployment("https://auth.example.com/application/o/wiki/"),
    },
  },
  {
    name: "an application whose model is misspelt still declares its slug",
    files: {
      [APPS]: apps,
      "blueprints/wiki.yaml": lines("version: 1", "entries:", "  - model: authentik_core.aplication", "    identifiers:", "      slug: wiki"),
      "k8s/wiki.yaml": deployment("https://auth.example.com/application/o/wiki/"),
    },
  },
  {
    name: "a slug declared by a blueprint that an ExternalSecret's template renders",
    files: {
      [APPS]: apps,
      "authentik/blueprints/mealie.yaml": templatedBlueprint("mealie"),
      "k8s/mealie.yaml": deployment("https://auth.example.com/application/o/mealie/.well-known/openid-configuration"),
    },
  },
  {
    name: "URLs inside blueprints (a source federating with another authentik) are not this rule's",
    files: {
      "authentik/configmap.yaml": lines(
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: blueprints",
        "data:",
        "  apps.yaml: |",
        "    version: 1",
        "    entries:",
        "      - model: authentik_core.application",
        "        identifiers:",
        "          slug: grafana",
        "      - model: authentik_sources_oauth.oauthsource",
        "        identifiers:",
        "          slug: partner",
        "        attrs:",
        "          oidc_well_known_url: https://sso.partner.org/application/o/partner-portal/.well-known/openid-configuration",
      ),
    },
  },
  {
    name: "a Jinja comment is not output",
    files: {
      [APPS]: apps,
      "ansible/roles/forgejo/templates/app.ini.j2": lines(
        "[oauth2_client]",
        "{# the old issuer, /application/o/old-forge/, is gone #}",
        "OPENID_CONNECT_DISCOVERY_URL = {{ authentik_url }}/application/o/forgejo/.well-known/openid-configuration",
      ),
    },
  },
];

valid.push(
  {
    name: "on the host authentik's Ingress serves",
    files: { [APPS]: apps, "k8s/ingress.yaml": authentikIngress, "k8s/config.yaml": configMap("https://auth.example.com/application/o/grafana/") },
  },
  {
    name: "on a host an HTTPRoute to authentik's server Service serves",
    files: { [APPS]: apps, "k8s/route.yaml": authentikRoute("sso.example.com"), "k8s/config.yaml": configMap("https://sso.example.com/application/o/grafana/") },
  },
  {
    name: "on the host the authentik chart's server.ingress values serve",
    files: { [APPS]: apps, "argocd/authentik/values.yaml": authentikValues("auth.example.com"), "k8s/config.yaml": configMap("https://auth.example.com/application/o/grafana/") },
  },
  {
    name: "on a host a Traefik IngressRoute to authentik's server Service serves",
    files: {
      [APPS]: apps,
      "k8s/ingressroute.yaml": lines(
        "apiVersion: traefik.io/v1alpha1",
        "kind: IngressRoute",
        "metadata:",
        "  name: sso",
        "spec:",
        "  routes:",
        "    - match: Host(`login.example.com`)",
        "      kind: Rule",
        "      services:",
        "        - name: authentik-server",
        "          port: 80",
      ),
      "k8s/config.yaml": configMap("https://login.example.com/application/o/grafana/"),
    },
  },
  {
    name: "an in-cluster Service name: servers fetch discovery past the Ingress",
    files: {
      [APPS]: apps,
      "k8s/ingress.yaml": authentikIngress,
      "k8s/config.yaml": configMap("http://authentik-server.authentik.svc.cluster.local/application/o/grafana/.well-known/openid-configuration"),
      "k8s/grafana.yaml": deployment("http://authentik-server:9000/application/o/grafana/jwks/"),
    },
  },
  {
    name: "authentik's host is templated: any literal host may be it",
    files: {
      [APPS]: apps,
      "k8s/ingress.yaml": authentikIngress.replace("host: auth.example.com", "host: auth.${SECRET_DOMAIN}"),
      "k8s/config.yaml": configMap("https://idm.example.org/application/o/grafana/"),
    },
  },
  {
    name: "two routes serve authentik: a URL on either host is fine",
    files: {
      [APPS]: apps,
      "k8s/ingress.yaml": authentikIngress,
      "k8s/route.yaml": authentikRoute("sso.example.net"),
      "k8s/config.yaml": configMap("https://sso.example.net/application/o/grafana/"),
      "k8s/grafana.yaml": deployment("https://auth.example.com/application/o/grafana/end-session/"),
    },
  },
  {
    name: "two authentik installs: a URL may be for either, or for one outside the repo",
    files: { [APPS]: apps, "k8s/ingress.yaml": authentikIngress, "k8s/staging.yaml": stagingIngress, "k8s/config.yaml": configMap("https://idm.example.org/application/o/grafana/") },
  },
  {
    name: "no route serves authentik: its host is unknown",
    files: { [APPS]: apps, "k8s/config.yaml": configMap("https://idm.example.org/application/o/grafana/") },
  },
);

if (fs.existsSync(reference)) valid.push({ name: "the blueprints authentik ships (../shared/reference/authentik)", files: filesOf(reference) });

const didYouMean = (slug: string, suggestion: string, line: number) => ({ slug, suggestion, file: `${APPS}:${line}` });

runRuleTests("oidc/issuer-slug", rule as GitopsRule, {
  valid,
  invalid: [
    {
      name: "a Deployment env value: the slug's own columns",
      filename: "k8s/grafana.yaml",
      files: { [APPS]: apps, "k8s/grafana.yaml": deployment("https://auth.example.com/application/o/grafna/end-session/") },
      errors: [
        {
          messageId: "unknownSlugDidYouMean",
          message:
            'authentik URL names application slug "grafna", which no blueprint declares: did you mean "grafana" (blueprints/apps.yaml:5)? authentik answers 404 under /application/o/ for a slug it does not know, so discovery and login fail. Correct the slug.',
          severity: 2,
          line: 12,
          column: 61,
          endLine: 12,
          endColumn: 67,
        },
      ],
    },
    {
      name: "a slug close to one declared by a blueprint in an ExternalSecret's template",
      filename: "k8s/mealie.yaml",
      files: {
        "authentik/blueprints/mealie.yaml": templatedBlueprint("mealie"),
        "k8s/mealie.yaml": deployment("https://auth.example.com/application/o/meali/"),
      },
      errors: [
        {
          messageId: "unknownSlugDidYouMean",
          message:
            'authentik URL names application slug "meali", which no blueprint declares: did you mean "mealie" (authentik/blueprints/mealie.yaml:24)? authentik answers 404 under /application/o/ for a slug it does not know, so discovery and login fail. Correct the slug.',
          severity: 2,
          line: 12,
          column: 61,
          endLine: 12,
          endColumn: 66,
        },
      ],
    },
    {
      name: "the provider's name written for the slug",
      filename: "k8s/grafana.yaml",
      files: {
        [APPS]: lines(
          "version: 1",
          "entries:",
          "  - model: authentik_providers_oauth2.oauth2provider",
          "    identifiers:",
          "      name: documents-provider",
          "  - model: authentik_core.application",
          "    identifiers:",
          "      slug: docs",
          "    attrs:",
          "      name: Docs",
          "      provider: !Find [authentik_providers_oauth2.oauth2provider, [name, documents-provider]]",
        ),
        "k8s/grafana.yaml": deployment("https://auth.example.com/application/o/documents-provider/end-session/"),
      },
      errors: [
        {
          messageId: "unknownSlugIsName",
          message:
            'authentik URL names application slug "documents-provider", which no blueprint declares: "documents-provider" is the name of provider "documents-provider", which an application uses, and that application\'s slug is "docs" (blueprints/apps.yaml:8). authentik serves each application under its slug, not its name, and answers 404 under /application/o/ for a slug it does not know, so discovery, token checks and logout fail. Use "docs".',
          severity: 2,
          line: 12,
          column: 61,
          endLine: 12,
          endColumn: 79,
        },
      ],
    },
    {
      name: "the application's name (any case) written for the slug, its provider named by !KeyOf",
      filename: "k8s/grafana.yaml",
      files: {
        [APPS]: lines(
          "version: 1",
          "entries:",
          "  - model: authentik_providers_oauth2.oauth2provider",
          "    id: wiki",
          "    identifiers:",
          "      name: wiki",
          "  - model: authentik_core.application",
          "    identifiers:",
          "      slug: kb",
          "    attrs:",
          "      name: Team-Wiki",
          "      provider: !KeyOf wiki",
        ),
        "k8s/grafana.yaml": deployment("https://auth.example.com/application/o/team-wiki/"),
      },
      errors: [
        {
          messageId: "unknownSlugIsName",
          data: { slug: "team-wiki", what: 'the name of application "Team-Wiki"', suggestion: "kb", file: `${APPS}:9` },
          line: 12,
          column: 61,
          endLine: 12,
          endColumn: 70,
        },
      ],
    },
    {
      name: "a name two applications share says nothing about the slug: no suggestion from it",
      filename: "k8s/grafana.yaml",
      files: {
        [APPS]: lines(
          "version: 1",
          "entries:",
          "  - model: authentik_core.application",
          "    identifiers:",
          "      slug: wiki-a",
          "    attrs:",
          "      name: Handbook",
          "      provider: !Find [authentik_providers_oauth2.oauth2provider, [name, a]]",
          "  - model: authentik_core.application",
          "    identifiers:",
          "      slug: wiki-b",
          "    attrs:",
          "      name: Handbook",
          "      provider: !Find [authentik_providers_oauth2.oauth2provider, [name, b]]",
        ),
        "k8s/grafana.yaml": deployment("https://auth.example.com/application/o/handbook/"),
      },
      errors: [{ messageId: "unknownSlug", data: { slug: "handbook", available: 'declared slugs: "wiki-a", "wiki-b"' }, severity: 1, line: 12, column: 61, endLine: 12, endColumn: 69 }],
    },
    {
      name: "group_vars, double-quoted, after a Jinja variable for the host",
      filename: "ansible/inventory/group_vars/all.yml",
      files: {
        [APPS]: apps,
        "ansible/inventory/group_vars/all.yml": lines(
          "---",
          'forgejo_oidc_discovery_url: "{{ authentik_url }}/application/o/forgejoo/.well-known/openid-configuration"',
        ),
      },
      errors: [{ messageId: "unknownSlugDidYouMean", data: didYouMean("forgejoo", "forgejo", 8), line: 2, column: 64, endLine: 2, endColumn: 72 }],
    },
    {
      name: "an ExternalSecret template: a JSON file in a literal block",
      filename: "k8s/external-secret.yaml",
      files: {
        [APPS]: apps,
        "k8s/external-secret.yaml": lines(
          "apiVersion: external-secrets.io/v1",
          "kind: ExternalSecret",
          "metadata:",
          "  name: immich-secrets",
          "spec:",
          "  secretStoreRef:",
          "    kind: ClusterSecretStore",
          "    name: onepassword",
          "  target:",
          "    template:",
          "      data:",
          "        immich.json: |",
          "          {",
          '            "oauth": {',
          '              "issuerUrl": "https://auth.example.com/application/o/imich/",',
          '              "clientId": "immich"',
          "            }",
          "          }",
          "  data:",
          "    - secretKey: client_secret",
          "      remoteRef:",
          "        key: immich-oidc",
          "        property: client-secret",
        ),
      },
      errors: [{ messageId: "unknownSlugDidYouMean", data: didYouMean("imich", "immich", 11), line: 15, column: 68, endLine: 15, endColumn: 73 }],
    },
    {
      name: "the same wrong slug twice in a ConfigMap's INI file: each at its own place",
      filename: "k8s/grafana.yaml",
      files: {
        [APPS]: apps,
        "k8s/grafana.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: grafana",
          "data:",
          "  grafana.ini: |",
          "    [auth.generic_oauth]",
          "    auth_url = https://auth.example.com/application/o/authorize/",
          "    jwk_set_url = https://auth.example.com/application/o/grafna/jwks/",
          "    signout_redirect_url = https://auth.example.com/application/o/grafna/end-session/",
        ),
      },
      errors: [
        { messageId: "unknownSlugDidYouMean", data: didYouMean("grafna", "grafana", 5), line: 9, column: 58, endLine: 9, endColumn: 64 },
        { messageId: "unknownSlugDidYouMean", data: didYouMean("grafna", "grafana", 5), line: 10, column: 67, endLine: 10, endColumn: 73 },
      ],
    },
    {
      name: "an escape inside the URL: the whole scalar",
      filename: "k8s/config.yaml",
      files: { [APPS]: apps, "k8s/config.yaml": configMap('"https://auth.example.com/application\\/o/grafna/"') },
      errors: [{ messageId: "unknownSlugDidYouMean", data: didYouMean("grafna", "grafana", 5), line: 6, column: 16, endLine: 6, endColumn: 65 }],
    },
    {
      name: "a role template: the exact offset, past a Jinja variable",
      filename: "ansible/roles/forgejo/templates/app.ini.j2",
      files: {
        [APPS]: apps,
        "ansible/roles/forgejo/templates/app.ini.j2": lines(
          "[oauth2_client]",
          "{# the old issuer, /application/o/old-forge/, is gone #}",
          "OPENID_CONNECT_DISCOVERY_URL = {{ authentik_url }}/application/o/forgjo/.well-known/openid-configuration",
        ),
      },
      errors: [{ messageId: "unknownSlugDidYouMean", data: didYouMean("forgjo", "forgejo", 8), line: 3, column: 66, endLine: 3, endColumn: 72 }],
    },
    {
      name: "a slug far from every declared one is a warning",
      filename: "k8s/photos.yaml",
      files: { [APPS]: apps, "k8s/photos.yaml": deployment("https://auth.example.com/application/o/photos/") },
      errors: [
        {
          messageId: "unknownSlug",
          message:
            'authentik URL names application slug "photos", which no blueprint in the repo declares (declared slugs: "grafana", "forgejo", "immich"): if the application is made outside blueprints this link is unverifiable; otherwise correct the slug or declare the application.',
          severity: 1,
          line: 12,
          column: 61,
          endLine: 12,
          endColumn: 67,
        },
      ],
    },
    {
      name: "slugs are case-sensitive",
      filename: "k8s/config.yaml",
      files: { [APPS]: apps, "k8s/config.yaml": configMap("https://auth.example.com/application/o/Grafana") },
      errors: [{ messageId: "unknownSlugDidYouMean", data: didYouMean("Grafana", "grafana", 5), line: 6, column: 55, endLine: 6, endColumn: 62 }],
    },
    {
      name: "a host with a Flux variable may be authentik's, whatever the repo's Ingress says",
      filename: "k8s/config.yaml",
      files: { [APPS]: apps, "k8s/ingress.yaml": authentikIngress, "k8s/config.yaml": configMap("https://auth.${SECRET_DOMAIN}/application/o/grafna/") },
      errors: [{ messageId: "unknownSlugDidYouMean", data: didYouMean("grafna", "grafana", 5), line: 6, column: 60, endLine: 6, endColumn: 66 }],
    },
    {
      name: "on authentik's own host, as its Ingress declares it",
      filename: "k8s/config.yaml",
      files: { [APPS]: apps, "k8s/ingress.yaml": authentikIngress, "k8s/config.yaml": configMap("https://auth.example.com/application/o/grafna/") },
      errors: [{ messageId: "unknownSlugDidYouMean", data: didYouMean("grafna", "grafana", 5), line: 6, column: 55, endLine: 6, endColumn: 61 }],
    },
    {
      name: "a declared slug on a host that does not serve authentik: the host's own columns",
      filename: "k8s/config.yaml",
      files: { [APPS]: apps, "k8s/ingress.yaml": authentikIngress, "k8s/config.yaml": configMap("https://idm.example.org/application/o/grafana/") },
      errors: [
        {
          messageId: "hostNotServed",
          message:
            'authentik URL host "idm.example.org" is not one the repo serves authentik at: Ingress "authentik" (k8s/ingress.yaml:7) serves authentik at "auth.example.com". On another host the login fails (no DNS name, a certificate for another name, or another site\'s 404). Use one of those hosts, route this one to authentik, or list it in settings.hosts if something outside the repo serves authentik there.',
          severity: 2,
          line: 6,
          column: 24,
          endLine: 6,
          endColumn: 39,
        },
      ],
    },
    {
      name: "a host close to authentik's: did you mean, even for a slug no blueprint declares",
      filename: "k8s/grafana.yaml",
      files: { [APPS]: apps, "k8s/ingress.yaml": authentikIngress, "k8s/grafana.yaml": deployment("https://auht.example.com/application/o/photos/") },
      errors: [
        {
          messageId: "hostNotServedDidYouMean",
          message:
            'authentik URL host "auht.example.com" is not one the repo serves authentik at: did you mean "auth.example.com"? Ingress "authentik" (k8s/ingress.yaml:7) serves authentik at "auth.example.com". On another host the login fails (no DNS name, a certificate for another name, or another site\'s 404). Correct the host.',
          severity: 2,
          line: 12,
          column: 30,
          endLine: 12,
          endColumn: 46,
        },
      ],
    },
    {
      name: "the chart values and an HTTPRoute both serve authentik: the message lists their hosts",
      filename: "k8s/config.yaml",
      files: {
        [APPS]: apps,
        "argocd/authentik/values.yaml": authentikValues("auth.example.com"),
        "k8s/route.yaml": authentikRoute("sso.example.com"),
        "k8s/config.yaml": configMap("https://idm.example.org/application/o/immich/"),
      },
      errors: [
        {
          messageId: "hostNotServed",
          message:
            'authentik URL host "idm.example.org" is not one the repo serves authentik at: HTTPRoute "sso" (k8s/route.yaml:9) serves authentik at "sso.example.com", "auth.example.com". On another host the login fails (no DNS name, a certificate for another name, or another site\'s 404). Use one of those hosts, route this one to authentik, or list it in settings.hosts if something outside the repo serves authentik there.',
          line: 6,
          column: 24,
          endLine: 6,
          endColumn: 39,
        },
      ],
    },
    {
      name: "a role template: the host's offset",
      filename: "ansible/roles/forgejo/templates/app.ini.j2",
      files: {
        [APPS]: apps,
        "k8s/ingress.yaml": authentikIngress,
        "ansible/roles/forgejo/templates/app.ini.j2": lines("[oauth2]", "{# login #}", "OPENID_CONNECT_DISCOVERY_URL = https://idm.example.org/application/o/forgejo/.well-known/openid-configuration"),
      },
      errors: [{ messageId: "hostNotServed", line: 3, column: 40, endLine: 3, endColumn: 55 }],
    },
  ],
});

describe("oidc/issuer-slug settings.hosts", () => {
  test("a host listed in settings.hosts is served outside the repo, and may serve authentik", async () => {
    const root = writeRepo({ [APPS]: apps, "k8s/ingress.yaml": authentikIngress, "k8s/config.yaml": configMap("https://idm.example.org/application/o/grafana/") });
    const rules = { "oidc/issuer-slug": rule as GitopsRule };
    const without = await lintProject({ cwd: root, rules });
    expect(without.results.flatMap((result) => result.messages.map((message) => message.messageId))).toEqual(["hostNotServed"]);
    const withSettings = await lintProject({ cwd: root, rules, settings: { hosts: ["*.example.org"] } });
    expect(withSettings.results.flatMap((result) => result.messages)).toEqual([]);
  });
});
