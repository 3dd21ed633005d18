/**
 * oidc/application-provider: an application's `provider` refers to a provider entry, and every
 * provider has an application (or an outpost) somewhere in the repo.
 */
import fs from "node:fs";
import path from "node:path";
import fg from "fast-glob";
import rule from "../../../rules/oidc/application-provider.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests, type ValidCase } from "../../helpers/rule-tester.ts";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;
const indent = (spaces: number, text: string): string[] => text.trimEnd().split("\n").map((line) => `${" ".repeat(spaces)}${line}`);

/** Every YAML and template file of a directory, by path relative to it. */
function filesOf(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const relative of fg.sync(["**/*.yaml", "**/*.yml", "**/*.j2"], { cwd: root, dot: false })) {
    files[relative] = fs.readFileSync(path.join(root, relative), "utf8");
  }
  return files;
}

const homelab = path.resolve(import.meta.dir, "../../../examples/homelab");
// ../shared/reference/authentik: the blueprints authentik ships (see its README).
const reference = path.resolve(import.meta.dir, "../../../../shared/reference/authentik");

/** A provider with id `grafana-provider` (model at line 3, column 12). */
const provider = (id = "grafana-provider", name = "Grafana"): string[] => [
  "  - model: authentik_providers_oauth2.oauth2provider",
  `    id: ${id}`,
  "    identifiers:",
  `      name: ${name}`,
  "    attrs:",
  "      client_type: confidential",
];

const application = (slug: string, providerValue: string): string[] => [
  "  - model: authentik_core.application",
  "    identifiers:",
  `      slug: ${slug}`,
  "    attrs:",
  `      name: ${slug}`,
  `      provider: ${providerValue}`,
];

const blueprint = (...entries: string[][]): string => lines("version: 1", "entries:", ...entries.flat());

const grafana = blueprint(provider(), application("grafana", "!KeyOf grafana-provider"));

/** Any application at all, so that the repo is one that declares its applications. */
const otherApplication = blueprint(provider("wiki-provider", "Wiki"), application("wiki", "!KeyOf wiki-provider"));

const valid: ValidCase[] = [
  { name: "!KeyOf a provider defined before it", files: { "blueprints/grafana.yaml": grafana } },
  {
    name: "!Find of a provider that another blueprint declares, by its name",
    files: {
      "blueprints/providers.yaml": blueprint(provider()),
      "blueprints/applications.yaml": blueprint(
        application("grafana", "!Find [authentik_providers_oauth2.oauth2provider, [name, Grafana]]"),
      ),
    },
  },
  {
    name: "!Find by a field the provider does not state, or by a value only authentik knows",
    files: {
      "blueprints/providers.yaml": blueprint(provider(), provider("wiki-provider", "Wiki")),
      "blueprints/applications.yaml": blueprint(
        application("grafana", "!Find [authentik_providers_oauth2.oauth2provider, [pk, 7]]"),
        application("wiki", "!Find [authentik_providers_oauth2.oauth2provider, [name, !Context wiki_name]]"),
      ),
    },
  },
  {
    name: "model names in any case, as Django resolves them",
    files: {
      "blueprints/grafana.yaml": blueprint(
        ["  - model: authentik_providers_oauth2.OAuth2Provider", "    id: grafana-provider"],
        ["  - model: authentik_core.Application", "    attrs:", "      provider: !KeyOf grafana-provider"],
      ),
    },
  },
  {
    name: "backchannel providers and providers served by an outpost are used",
    files: {
      "blueprints/apps.yaml": blueprint(
        provider(),
        ["  - model: authentik_providers_scim.scimprovider", "    id: scim", "    identifiers:", "      name: SCIM"],
        ["  - model: authentik_providers_ldap.ldapprovider", "    id: ldap", "    identifiers:", "      name: LDAP"],
        [...application("grafana", "!KeyOf grafana-provider"), "      backchannel_providers:", "        - !KeyOf scim"],
        ["  - model: authentik_outposts.outpost", "    identifiers:", "      name: ldap", "    attrs:", "      providers: [!KeyOf ldap]"],
      ),
    },
  },
  {
    name: "an outpost in another blueprint finds its provider with !Find",
    files: {
      "blueprints/ldap.yaml": blueprint(["  - model: authentik_providers_ldap.ldapprovider", "    identifiers:", "      name: LDAP"]),
      "blueprints/outposts.yaml": blueprint([
        "  - model: authentik_outposts.outpost",
        "    identifiers:",
        "      name: ldap",
        "    attrs:",
        "      providers:",
        "        - !Find [authentik_providers_ldap.ldapprovider, [name, LDAP]]",
      ]),
      "blueprints/other.yaml": otherApplication,
    },
  },
  {
    name: "both branches of !If",
    files: {
      "blueprints/grafana.yaml": blueprint(
        provider(),
        provider("grafana-staging", "Grafana staging"),
        application("grafana", "!If [!Context staging, !KeyOf grafana-staging, !KeyOf grafana-provider]"),
      ),
    },
  },
  {
    name: "a literal pk or a !Context cannot be followed: silent, and no provider of that blueprint is judged unused",
    files: {
      "blueprints/a.yaml": blueprint(provider(), application("grafana", "12")),
      "blueprints/b.yaml": blueprint(provider("wiki-provider", "Wiki"), application("wiki", "!Context wiki_provider")),
    },
  },
  {
    name: "a !KeyOf that resolves to nothing is blueprint/keyof-defined's: the provider it was meant for is not reported again",
    files: { "blueprints/miniflux.yaml": blueprint(provider("miniflux-provider", "Miniflux"), application("miniflux", "!KeyOf miniflux-provder")) },
  },
  {
    name: "a !Find of a provider that matches none is blueprint/find-resolves': the providers of its blueprint are not reported again",
    files: {
      "blueprints/grafana.yaml": blueprint(provider(), application("grafana", "!Find [authentik_providers_oauth2.oauth2provider, [name, Grafna]]")),
    },
  },
  {
    name: "an application whose model is misspelt (schema/blueprint's) still uses its provider",
    files: {
      "blueprints/grafana.yaml": blueprint(provider(), [
        "  - model: authentik_core.aplication",
        "    attrs:",
        "      provider: !KeyOf grafana-provider",
      ]),
      "blueprints/other.yaml": otherApplication,
    },
  },
  {
    name: "an application without a provider (a link) is fine",
    files: { "blueprints/links.yaml": blueprint(["  - model: authentik_core.application", "    identifiers:", "      slug: docs", "    attrs:", "      meta_launch_url: https://docs.example.com"]) },
  },
  {
    name: "a repo that declares no application makes them elsewhere: its providers are not judged",
    files: { "blueprints/providers.yaml": blueprint(provider(), provider("wiki-provider", "Wiki")) },
  },
  {
    name: "a provider being removed (state: absent) needs no application",
    files: { "blueprints/a.yaml": blueprint([...provider(), "    state: absent"]), "blueprints/other.yaml": otherApplication },
  },
  {
    name: "a Jinja-rendered blueprint (a role template) that finds the provider by name",
    files: {
      "blueprints/providers.yaml": blueprint(provider()),
      "ansible/roles/authentik/templates/applications.yaml.j2": lines(
        "version: 1",
        "entries:",
        "{% for app in authentik_apps %}",
        "  - model: authentik_core.application",
        "    identifiers:",
        "      slug: {{ app.slug }}",
        "    attrs:",
        "      provider: !Find [authentik_providers_oauth2.oauth2provider, [name, Grafana]]",
        "{% endfor %}",
      ),
    },
  },
  {
    name: "a blueprint in an ExternalSecret's template (rendered before authentik reads it) that finds the provider by name",
    files: {
      "blueprints/providers.yaml": blueprint(provider()),
      "blueprints/other.yaml": otherApplication,
      "authentik/blueprint-grafana.yaml": lines(
        "apiVersion: external-secrets.io/v1",
        "kind: ExternalSecret",
        "metadata:",
        "  name: authentik-blueprint-grafana",
        "spec:",
        "  secretStoreRef:",
        "    kind: ClusterSecretStore",
        "    name: onepassword",
        "  target:",
        "    template:",
        "      data:",
        "        grafana.yaml: |",
        "          version: 1",
        "          entries:",
        "            - model: authentik_core.application",
        "              identifiers:",
        "                slug: grafana",
        "              attrs:",
        '                meta_description: "{{ .DESCRIPTION }}"',
        "                provider: !Find [authentik_providers_oauth2.oauth2provider, [name, Grafana]]",
        "  dataFrom:",
        "    - extract:",
        "        key: grafana",
      ),
    },
  },
  {
    name: "entries as a mapping of lists, in a ConfigMap",
    files: {
      "authentik/configmap.yaml": lines(
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: blueprints",
        "data:",
        "  grafana.yaml: |",
        ...indent(
          4,
          lines(
            "version: 1",
            "entries:",
            "  providers:",
            ...indent(2, provider().join("\n")),
            "  applications:",
            ...indent(2, application("grafana", "!KeyOf grafana-provider").join("\n")),
          ),
        ),
      ),
    },
  },
  {
    name: "a !KeyOf of its own entry or of a later one is blueprint/keyof-defined's",
    files: {
      "blueprints/grafana.yaml": blueprint(
        ["  - model: authentik_core.application", "    id: grafana-app", "    attrs:", "      provider: !KeyOf grafana-app"],
        application("wiki", "!KeyOf admins"),
        ["  - model: authentik_core.group", "    id: admins"],
      ),
    },
  },
];

if (fs.existsSync(reference)) valid.push({ name: "the blueprints authentik ships (../shared/reference/authentik)", files: filesOf(reference) });

runRuleTests("oidc/application-provider", rule as GitopsRule, {
  valid,
  invalid: [
    {
      name: "!KeyOf an entry that is not a provider",
      filename: "blueprints/grafana.yaml",
      files: {
        "blueprints/grafana.yaml": blueprint(
          ["  - model: authentik_core.group", "    id: admins", "    identifiers:", "      name: admins"],
          provider(),
          application("grafana", "!KeyOf admins"),
        ),
      },
      errors: [
        {
          messageId: "notProvider",
          message:
            'provider: !KeyOf "admins" refers to the authentik_core.group entry at line 4, which is not a provider: authentik rejects an application whose provider is not one (or links whichever provider has the same number). Refer to a provider entry instead (provider ids of this blueprint: "grafana-provider").',
          severity: 2,
          line: 18,
          column: 17,
          endLine: 18,
          endColumn: 30,
        },
      ],
    },
    {
      name: "!KeyOf another application, in a blueprint without providers, embedded in a ConfigMap",
      filename: "authentik/configmap.yaml",
      files: {
        "authentik/configmap.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: blueprints",
          "data:",
          "  apps.yaml: |-",
          ...indent(
            4,
            blueprint(
              ["  - model: authentik_core.application", "    id: wiki", "    identifiers:", "      slug: wiki"],
              application("grafana", "!KeyOf wiki"),
            ),
          ),
        ),
      },
      errors: [
        {
          messageId: "notProvider",
          data: { id: "wiki", model: "authentik_core.application", line: 10, available: "no entry of this blueprint is a provider" },
          line: 18,
          column: 21,
          endLine: 18,
          endColumn: 32,
        },
      ],
    },
    {
      name: "!Find of a model that is not a provider",
      filename: "blueprints/grafana.yaml",
      files: {
        "blueprints/grafana.yaml": blueprint(provider(), application("grafana", "!Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]")),
      },
      errors: [{ messageId: "findNotProvider", severity: 2, line: 14, column: 24, endLine: 14, endColumn: 44 }],
    },
    {
      name: "a provider no application refers to is a warning",
      filename: "blueprints/grafana.yaml",
      files: { "blueprints/grafana.yaml": blueprint(provider(), application("wiki", "")), "blueprints/other.yaml": otherApplication },
      errors: [
        {
          messageId: "unusedProvider",
          message:
            'authentik_providers_oauth2.oauth2provider "Grafana" is the provider of no application in the repo: authentik serves no login through a provider without an application. Add an authentik_core.application whose provider is !KeyOf grafana-provider, or remove the provider if its application is made outside blueprints.',
          severity: 1,
          line: 3,
          column: 12,
          endLine: 3,
          endColumn: 53,
        },
      ],
    },
    {
      name: "a provider without id that no !Find matches: the warning is on its own blueprint",
      filename: "blueprints/providers.yaml",
      files: {
        "blueprints/providers.yaml": blueprint(["  - model: authentik_providers_proxy.proxyprovider", "    identifiers:", "      name: Wiki"]),
        "blueprints/applications.yaml": blueprint(application("wiki", "!Find [authentik_providers_proxy.proxyprovider, [name, Wikki]]")),
      },
      errors: [
        {
          messageId: "unusedProvider",
          data: { model: "authentik_providers_proxy.proxyprovider", name: '"Wiki"', reference: "a !Find of this provider" },
          severity: 1,
          line: 3,
          column: 12,
          endLine: 3,
          endColumn: 51,
        },
      ],
    },
    {
      name: "a policy binding is not an application",
      filename: "blueprints/grafana.yaml",
      files: {
        "blueprints/grafana.yaml": blueprint(provider(), [
          "  - model: authentik_policies.policybinding",
          "    identifiers:",
          "      target: !KeyOf grafana-provider",
          "      order: 0",
        ]),
        "blueprints/other.yaml": otherApplication,
      },
      errors: [{ messageId: "unusedProvider", data: { model: "authentik_providers_oauth2.oauth2provider", name: '"Grafana"', reference: "!KeyOf grafana-provider" }, line: 3, column: 12 }],
    },
    {
      name: "one mistake, one message: a wrong !KeyOf is reported, not also the provider it was meant for",
      filename: "blueprints/grafana.yaml",
      files: {
        "blueprints/grafana.yaml": blueprint(
          provider(),
          ["  - model: authentik_core.group", "    id: admins"],
          application("grafana", "!KeyOf admins"),
        ),
      },
      errors: [{ messageId: "notProvider", line: 16, column: 17, endLine: 16, endColumn: 30 }],
    },
  ],
});
