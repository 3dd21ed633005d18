/**
 * oidc/client-wiring: each confidential OAuth2 client's secret reaches authentik and the service
 * from the same 1Password field, with the same client id. The fixture is a small repo with two
 * clients wired completely: Grafana, whose consumer is an ExternalSecret with a template, and
 * Forgejo, whose consumer is an Ansible role template filled by a playbook's `op read`.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import { generateRepo } from "../../../bench/generate.ts";
import opReference from "../../../rules/ansible/op-reference.ts";
import envWired from "../../../rules/blueprint/env-wired.ts";
import onePasswordRef from "../../../rules/external-secret/onepassword-ref.ts";
import rule from "../../../rules/oidc/client-wiring.ts";
import { lintProject } from "../../../src/engine.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import type { LintMessage } from "../../../src/types.ts";
import { runRuleTests, writeRepo } from "../../helpers/rule-tester.ts";

const ID = "oidc/client-wiring";
const lines = (...text: string[]): string => `${text.join("\n")}\n`;

const BLUEPRINTS = "authentik/configmap-blueprint.yaml";
const WORKER = "authentik/deployment-worker.yaml";
const AUTHENTIK_SECRET = "authentik/external-secret.yaml";
const STORE = "external-secrets/cluster-secret-store.yaml";
const GRAFANA_SECRET = "grafana/external-secret.yaml";
const DEFAULTS = "ansible/roles/forgejo/defaults/main.yml";
const TASKS = "ansible/roles/forgejo/tasks/main.yml";
const TEMPLATE = "ansible/roles/forgejo/templates/oidc-credentials.env.j2";
const PLAYBOOK = "ansible/playbooks/forge.yml";

interface ProviderOptions {
  clientId?: string;
  /** The `client_secret:` value, or null to leave it out. */
  secret?: string | null;
  extra?: string[];
}

const provider = (name: string, { clientId = name.toLowerCase(), secret = `!Env AUTHENTIK_${name.toUpperCase()}_CLIENT_SECRET`, extra = [] }: ProviderOptions = {}): string[] => [
  "    version: 1",
  "    entries:",
  "      - model: authentik_providers_oauth2.oauth2provider",
  `        id: ${name.toLowerCase()}-provider`,
  "        identifiers:",
  `          name: ${name}`,
  "        attrs:",
  `          client_id: ${clientId}`,
  ...(secret === null ? [] : [`          client_secret: ${secret}`]),
  ...extra.map((line) => `          ${line}`),
];

/** The blueprint ConfigMap: Grafana's `client_id` value on line 14, column 22; Forgejo's on line 24. */
const blueprints = (grafana: ProviderOptions = {}, forgejo: ProviderOptions = {}): string =>
  lines(
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: authentik-blueprints",
    "data:",
    "  grafana.yaml: |",
    ...provider("Grafana", grafana),
    "  forgejo.yaml: |",
    ...provider("Forgejo", forgejo),
  );

const secretEnv = (name: string, key: string): string[] => [
  `            - name: ${name}`,
  "              valueFrom:",
  "                secretKeyRef:",
  "                  name: authentik-config",
  `                  key: ${key}`,
];

const worker = (env = [...secretEnv("AUTHENTIK_GRAFANA_CLIENT_SECRET", "grafana-client-secret"), ...secretEnv("AUTHENTIK_FORGEJO_CLIENT_SECRET", "forgejo-client-secret")]): string =>
  lines(
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
    "          env:",
    ...env,
    "      volumes:",
    "        - name: blueprints",
    "          configMap:",
    "            name: authentik-blueprints",
  );

const remoteItem = (secretKey: string, key: string, property: string | null): string[] => [
  `    - secretKey: ${secretKey}`,
  "      remoteRef:",
  `        key: ${key}`,
  ...(property === null ? [] : [`        property: ${property}`]),
];

interface ExternalSecretOptions {
  name: string;
  store?: string;
  storeKind?: string;
  /** Lines under `spec.target.template.data`. */
  template?: string[];
  data?: string[];
  spec?: string[];
}

function externalSecret({ name, store = "onepassword", storeKind = "ClusterSecretStore", template, data = [], spec = [] }: ExternalSecretOptions): string {
  return lines(
    "apiVersion: external-secrets.io/v1",
    "kind: ExternalSecret",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    "  secretStoreRef:",
    `    kind: ${storeKind}`,
    `    name: ${store}`,
    ...(template ? ["  target:", "    template:", "      data:", ...template.map((line) => `        ${line}`)] : []),
    ...(data.length > 0 ? ["  data:", ...data] : []),
    ...spec.map((line) => `  ${line}`),
  );
}

const authentikSecret = (data = [...remoteItem("grafana-client-secret", "grafana-oidc", "client-secret"), ...remoteItem("forgejo-client-secret", "forgejo-oidc", "client-secret")]): string =>
  externalSecret({ name: "authentik-config", data });

const store = (provider = ["onepassword:", "  connectHost: http://onepassword-connect:8080", "  vaults:", "    homelab: 1"]): string =>
  lines(
    "apiVersion: external-secrets.io/v1",
    "kind: ClusterSecretStore",
    "metadata:",
    "  name: onepassword",
    "spec:",
    "  provider:",
    ...provider.map((line) => `    ${line}`),
  );

/** Grafana's ExternalSecret: the client id value on line 12, column 42; `property:` value on line 18, column 19. */
const grafanaSecret = ({ clientId = "grafana", key = "grafana-oidc", property = "client-secret" as string | null } = {}): string =>
  externalSecret({
    name: "grafana-oauth",
    template: [`GF_AUTH_GENERIC_OAUTH_CLIENT_ID: ${clientId}`, 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: "{{ .client_secret }}"'],
    data: remoteItem("client_secret", key, property),
  });

const defaults = (clientId = "forgejo"): string => lines("---", `forgejo_oidc_client_id: ${clientId}`);

const templateTask = (src = "oidc-credentials.env.j2"): string[] => [
  "- name: Write the OIDC client credentials",
  "  ansible.builtin.template:",
  `    src: ${src}`,
  "    dest: /etc/forgejo/oidc-credentials.env",
  '    mode: "0600"',
  "  when: forgejo_oidc_client_secret is defined",
];

const tasks = (task = templateTask()): string =>
  lines("---", "- name: Install Forgejo", "  ansible.builtin.package:", "    name: forgejo", ...task);

/** The credentials template: the secret variable on line 3, columns 31-57. */
const template = (secret = "forgejo_oidc_client_secret", clientId = "{{ forgejo_oidc_client_id }}"): string =>
  lines("# Managed by Ansible.", `FORGEJO_OIDC_CLIENT_ID=${clientId}`, `FORGEJO_OIDC_CLIENT_SECRET={{ ${secret} }}`);

/** The playbook: its `op://` reference on line 6, columns 41-80. */
const playbook = ({ reference = "op://homelab/forgejo-oidc/client-secret", fact = "forgejo_oidc_client_secret" } = {}): string =>
  lines(
    "---",
    "- name: Configure the forge",
    "  hosts: forge",
    "  pre_tasks:",
    "    - name: Read the Forgejo OIDC client secret from 1Password",
    `      ansible.builtin.command: op read "${reference}"`,
    "      register: forgejo_oidc_client_secret_op",
    "      delegate_to: localhost",
    "      changed_when: false",
    "      no_log: true",
    "    - name: Keep it for the forgejo role",
    "      ansible.builtin.set_fact:",
    `        ${fact}: "{{ forgejo_oidc_client_secret_op.stdout }}"`,
    "      no_log: true",
    "  roles:",
    "    - forgejo",
  );

/** An ExternalSecret reading Forgejo's database password: a field the cluster reads, but not a client secret. */
const FORGEJO_DB_SECRET = "forgejo/external-secret.yaml";
const forgejoDatabaseSecret = externalSecret({ name: "forgejo-db", data: remoteItem("password", "forgejo-db", "password") });

/** Both clients, wired completely. */
const complete = (): Record<string, string> => ({
  [BLUEPRINTS]: blueprints(),
  [WORKER]: worker(),
  [AUTHENTIK_SECRET]: authentikSecret(),
  [STORE]: store(),
  [GRAFANA_SECRET]: grafanaSecret(),
  [DEFAULTS]: defaults(),
  [TASKS]: tasks(),
  [TEMPLATE]: template(),
  [PLAYBOOK]: playbook(),
});

/** Grafana alone: its consumer removed leaves the provider without one. */
const withoutGrafanaConsumer = (): Record<string, string> => {
  const files = complete();
  delete files[GRAFANA_SECRET];
  return files;
};

const homelab = path.resolve(import.meta.dir, "../../../examples/homelab");

function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    files[path.relative(root, absolute).split(path.sep).join("/")] = fs.readFileSync(absolute, "utf8");
  }
  return files;
}

/** Lints a repo with the given rules and settings; every message, by file, sorted. */
async function lint(files: Record<string, string>, settings?: Record<string, unknown>, rules: Record<string, GitopsRule> = { [ID]: rule as GitopsRule }) {
  const root = writeRepo(files);
  const outcome = await lintProject({ cwd: root, rules, settings });
  return outcome.results.flatMap((result) =>
    result.messages.map((message: LintMessage) => ({
      file: path.relative(root, result.filePath).split(path.sep).join("/"),
      ruleId: message.ruleId,
      messageId: message.messageId,
      severity: message.severity,
      at: `${message.line}:${message.column}-${message.endLine}:${message.endColumn}`,
      message: message.message,
    })),
  );
}

const GRAFANA_CLIENT_ID = { line: 14, column: 22, endLine: 14, endColumn: 29 };

runRuleTests(ID, rule as GitopsRule, {
  valid: [
    { name: "two clients wired completely", files: complete() },
    {
      name: "an !Env with a default on a complete chain",
      files: { ...complete(), [BLUEPRINTS]: blueprints({ secret: "!Env [AUTHENTIK_GRAFANA_CLIENT_SECRET, changeme]" }) },
    },
    {
      name: "a literal client_secret is blueprint/no-literal-secrets' to report",
      files: { ...withoutGrafanaConsumer(), [BLUEPRINTS]: blueprints({ secret: "hunter2" }) },
    },
    {
      name: "client_secret left out on purpose: no chain to check",
      files: { ...withoutGrafanaConsumer(), [BLUEPRINTS]: blueprints({ secret: null }) },
    },
    {
      name: "a public client has no secret",
      files: { ...withoutGrafanaConsumer(), [BLUEPRINTS]: blueprints({ extra: ["client_type: public"] }) },
    },
    {
      name: "a state: absent provider is being removed",
      files: {
        ...withoutGrafanaConsumer(),
        [BLUEPRINTS]: blueprints().replace("      - model: authentik_providers_oauth2.oauth2provider\n        id: grafana-provider", "      - model: authentik_providers_oauth2.oauth2provider\n        state: absent\n        id: grafana-provider"),
      },
    },
    {
      name: "the worker lacks the env var: blueprint/env-wired reports it, not this rule",
      files: { ...withoutGrafanaConsumer(), [WORKER]: worker(secretEnv("AUTHENTIK_FORGEJO_CLIENT_SECRET", "forgejo-client-secret")) },
    },
    {
      name: "the Secret key is misspelt: blueprint/env-wired reports it, not this rule",
      files: {
        ...withoutGrafanaConsumer(),
        [AUTHENTIK_SECRET]: authentikSecret([...remoteItem("grafana-client-secert", "grafana-oidc", "client-secret"), ...remoteItem("forgejo-client-secret", "forgejo-oidc", "client-secret")]),
      },
    },
    {
      name: "authentik's secrets come from dataFrom: the item cannot be followed",
      files: { ...withoutGrafanaConsumer(), [AUTHENTIK_SECRET]: externalSecret({ name: "authentik-config", spec: ["dataFrom:", "  - extract:", "      key: authentik"] }) },
    },
    {
      name: "authentik's Secret is made by the 1Password operator from a Deployment's annotations: the item cannot be followed",
      files: {
        ...withoutGrafanaConsumer(),
        [AUTHENTIK_SECRET]: lines(
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata:",
          "  name: authentik-secrets",
          "  annotations:",
          '    operator.1password.io/item-path: "vaults/homelab/items/authentik"',
          "    operator.1password.io/item-name: authentik-config",
          "spec:",
          "  template:",
          "    spec:",
          "      containers:",
          "        - name: pause",
          "          image: registry.k8s.io/pause:3.10",
        ),
      },
    },
    {
      name: "a store of another provider: the 1Password rules do not apply",
      files: {
        ...withoutGrafanaConsumer(),
        [STORE]: store(["vault:", "  server: https://vault.example.net", "  path: secret"]),
      },
    },
    {
      name: "a store outside the repo: the link cannot be followed",
      files: { ...withoutGrafanaConsumer(), [STORE]: lines("# the store is made by the platform team") },
    },
    {
      name: "no authentik worker in the repo (Helm values): nothing to follow",
      files: { ...withoutGrafanaConsumer(), [WORKER]: lines("# authentik is installed from its Helm chart") },
    },
    {
      name: "the worker takes the whole Secret through envFrom",
      files: {
        ...complete(),
        [WORKER]: worker().replace(/          env:\n[\s\S]*?      volumes:/u, "          envFrom:\n            - secretRef:\n                name: authentik-config\n      volumes:"),
        [AUTHENTIK_SECRET]: authentikSecret([
          ...remoteItem("AUTHENTIK_GRAFANA_CLIENT_SECRET", "grafana-oidc", "client-secret"),
          ...remoteItem("AUTHENTIK_FORGEJO_CLIENT_SECRET", "forgejo-oidc", "client-secret"),
        ]),
      },
    },
    {
      name: "authentik's Secret key is written by a template from a data item",
      files: {
        ...complete(),
        [AUTHENTIK_SECRET]: externalSecret({
          name: "authentik-config",
          template: ['grafana-client-secret: "{{ .grafana }}"', 'forgejo-client-secret: "{{ .forgejo }}"'],
          data: [...remoteItem("grafana", "grafana-oidc", "client-secret"), ...remoteItem("forgejo", "forgejo-oidc", "client-secret")],
        }),
      },
    },
    {
      name: "the 1Password SDK provider reads key as item/field",
      files: {
        ...complete(),
        [STORE]: store(["onepasswordSDK:", "  vault: homelab", "  auth:", "    serviceAccountSecretRef:", "      name: op-token", "      key: token"]),
        [GRAFANA_SECRET]: grafanaSecret({ key: "grafana-oidc/client-secret", property: null }),
      },
    },
    {
      name: "the service reads the Secret authentik reads",
      files: {
        ...withoutGrafanaConsumer(),
        "grafana/deployment.yaml": lines(
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata:",
          "  name: grafana",
          "spec:",
          "  template:",
          "    spec:",
          "      containers:",
          "        - name: grafana",
          "          image: grafana/grafana:11.4.0",
          "          env:",
          ...secretEnv("GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET", "grafana-client-secret"),
        ),
      },
    },
    {
      name: "the service's ExternalSecret reads the whole item through dataFrom.extract",
      files: {
        ...withoutGrafanaConsumer(),
        [GRAFANA_SECRET]: externalSecret({ name: "grafana-oauth", spec: ["dataFrom:", "  - extract:", "      key: grafana-oidc"] }),
      },
    },
    {
      name: "the client id is the service's, written as a plain value of another key",
      files: { ...complete(), [GRAFANA_SECRET]: grafanaSecret().replace("GF_AUTH_GENERIC_OAUTH_CLIENT_ID: grafana", "GF_AUTH_GENERIC_OAUTH_NAME: authentik") },
    },
    {
      name: "a client id read from 1Password too is not compared",
      files: {
        ...complete(),
        [GRAFANA_SECRET]: externalSecret({
          name: "grafana-oauth",
          template: ['GF_AUTH_GENERIC_OAUTH_CLIENT_ID: "{{ .client_id }}"', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: "{{ .client_secret }}"'],
          data: [...remoteItem("client_id", "grafana-oidc", "client-id"), ...remoteItem("client_secret", "grafana-oidc", "client-secret")],
        }),
      },
    },
    {
      name: "a JSON config file in a template, as Immich reads it",
      files: {
        ...complete(),
        [GRAFANA_SECRET]: externalSecret({
          name: "grafana-oauth",
          template: ["config.json: |", "  {", '    "oauth": {', '      "clientId": "grafana",', '      "clientSecret": "{{ .client_secret }}"', "    }", "  }"],
          data: remoteItem("client_secret", "grafana-oidc", "client-secret"),
        }),
      },
    },
    {
      name: "another client's id in the same template is not this one's",
      files: {
        ...complete(),
        [TEMPLATE]: lines(
          "GITHUB_CLIENT_ID=Iv1.0123456789abcdef",
          "GITHUB_CLIENT_SECRET={{ github_client_secret }}",
          "FORGEJO_OIDC_CLIENT_ID={{ forgejo_oidc_client_id }}",
          "FORGEJO_OIDC_CLIENT_SECRET={{ forgejo_oidc_client_secret }}",
        ),
        [DEFAULTS]: lines("---", "forgejo_oidc_client_id: forgejo", "github_client_secret: \"{{ vault_github_client_secret }}\""),
      },
    },
    {
      name: "the template reads the secret through a role default",
      files: {
        ...complete(),
        [DEFAULTS]: lines("---", "forgejo_oidc_client_id: forgejo", 'forgejo_client_secret: "{{ forgejo_oidc_client_secret }}"'),
        [TEMPLATE]: template("forgejo_client_secret"),
      },
    },
    {
      name: "the playbook reads the field with the community.general.onepassword lookup",
      files: {
        ...complete(),
        [PLAYBOOK]: lines(
          "---",
          "- name: Configure the forge",
          "  hosts: forge",
          "  vars:",
          "    forgejo_oidc_client_secret: \"{{ lookup('community.general.onepassword', 'forgejo-oidc', field='client-secret', vault='homelab') }}\"",
          "  roles:",
          "    - role: forgejo",
        ),
      },
    },
    {
      name: "group_vars read the field; the template sets its own variable with {% set %}",
      files: {
        ...complete(),
        [PLAYBOOK]: lines("---", "- name: Configure the forge", "  hosts: forge", "  roles:", "    - forgejo"),
        "ansible/inventory/group_vars/forge.yml": lines("---", "forgejo_secret: \"{{ lookup('onepassword', 'forgejo-oidc', field='client-secret') }}\""),
        [TEMPLATE]: lines(
          "{% set secret = forgejo_secret | trim %}",
          "FORGEJO_OIDC_CLIENT_ID={{ forgejo_oidc_client_id }}",
          "FORGEJO_OIDC_CLIENT_SECRET={{ secret }}",
        ),
      },
    },
    {
      name: "the template is deployed by a loop over templated names",
      files: {
        ...complete(),
        [TASKS]: tasks(["- name: Write the configuration", "  ansible.builtin.template:", '    src: "{{ item }}.j2"', "    dest: /etc/forgejo/{{ item }}", "  loop: [app.ini, oidc-credentials.env]"]),
      },
    },
    {
      name: "a template no playbook fills, whose variables live in an Ansible Vault",
      files: {
        ...complete(),
        [TEMPLATE]: template("vault_forgejo_oidc_client_secret"),
        "ansible/inventory/group_vars/forge/vault.yml": lines("$ANSIBLE_VAULT;1.1;AES256", "6332643832306136"),
      },
    },
    {
      name: "the blueprint is a file packed by a configMapGenerator",
      files: {
        ...complete(),
        [BLUEPRINTS]: lines("# moved to blueprints/"),
        "authentik/blueprints/grafana.yaml": provider("Grafana").map((line) => line.slice(4)).join("\n") + "\n",
        "authentik/blueprints/forgejo.yaml": provider("Forgejo").map((line) => line.slice(4)).join("\n") + "\n",
        "authentik/kustomization.yaml": lines(
          "apiVersion: kustomize.config.k8s.io/v1beta1",
          "kind: Kustomization",
          "resources:",
          "  - deployment-worker.yaml",
          "  - external-secret.yaml",
          "configMapGenerator:",
          "  - name: authentik-blueprints",
          "    files:",
          "      - blueprints/grafana.yaml",
          "      - blueprints/forgejo.yaml",
        ),
      },
    },
    {
      name: "a client id written with !Context is not compared",
      files: { ...complete(), [BLUEPRINTS]: blueprints({ clientId: "!Context grafana_client_id" }), [GRAFANA_SECRET]: grafanaSecret({ clientId: "grafana-prod" }) },
    },
    {
      name: "a 1Password item named by id: only field names are compared",
      files: { ...complete(), [GRAFANA_SECRET]: grafanaSecret({ key: "abcdefghijklmnopqrstuvwxyz" }) },
    },
    {
      name: "client_secret merged in through an anchor is not followed (nor doubted)",
      files: {
        ...withoutGrafanaConsumer(),
        [BLUEPRINTS]: blueprints({ secret: null, extra: ["<<: *grafana-secret"] }).replace(
          "  grafana.yaml: |\n    version: 1\n",
          "  grafana.yaml: |\n    version: 1\n    context:\n      secret: &grafana-secret\n        client_secret: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET\n",
        ),
      },
    },
    {
      name: "a Jinja-rendered blueprint is not read as one",
      files: {
        ...withoutGrafanaConsumer(),
        [BLUEPRINTS]: blueprints({ secret: null }),
        "ansible/roles/authentik/templates/grafana.yaml.j2": provider("Grafana", { clientId: "{{ grafana_client_id }}" }).join("\n"),
      },
    },
    {
      name: "two authentik instances with the same client id, each with its own item and consumer",
      files: Object.fromEntries(
        (["prod", "staging"] as const).flatMap((namespace) => {
          const item = namespace === "prod" ? "grafana-oidc" : "grafana-oidc-staging";
          return Object.entries({
            "kustomization.yaml": lines(
              "apiVersion: kustomize.config.k8s.io/v1beta1",
              "kind: Kustomization",
              `namespace: ${namespace}`,
              "resources:",
              ...[BLUEPRINTS, WORKER, AUTHENTIK_SECRET, GRAFANA_SECRET].map((file) => `  - ${file}`),
            ),
            [BLUEPRINTS]: blueprints().replace(/  forgejo\.yaml[\s\S]*$/u, ""),
            [WORKER]: worker(secretEnv("AUTHENTIK_GRAFANA_CLIENT_SECRET", "grafana-client-secret")),
            [AUTHENTIK_SECRET]: authentikSecret(remoteItem("grafana-client-secret", item, "client-secret")),
            [GRAFANA_SECRET]: grafanaSecret({ key: item }),
          }).map(([file, text]) => [`${namespace}/${file}`, text]);
        }).concat([[STORE, store()]]),
      ),
    },
  ],
  invalid: [
    {
      name: "no service receives the field",
      files: withoutGrafanaConsumer(),
      filename: BLUEPRINTS,
      errors: [
        {
          messageId: "noConsumer",
          severity: 1,
          data: { clientId: "grafana", expected: 'vault "homelab" item "grafana-oidc" field "client-secret"', externalSecret: AUTHENTIK_SECRET },
          ...GRAFANA_CLIENT_ID,
        },
      ],
    },
    {
      name: "the consumer writes another client id",
      files: { ...complete(), [GRAFANA_SECRET]: grafanaSecret({ clientId: "grafan" }) },
      filename: GRAFANA_SECRET,
      errors: [
        {
          messageId: "clientIdMismatch",
          data: { written: "grafan", clientId: "grafana", blueprint: BLUEPRINTS, consumer: 'ExternalSecret "grafana-oauth"' },
          line: 12,
          column: 42,
          endLine: 12,
          endColumn: 48,
        },
      ],
    },
    {
      name: "a client id in a JSON file of the template",
      files: {
        ...complete(),
        [GRAFANA_SECRET]: externalSecret({
          name: "grafana-oauth",
          template: ["config.json: |", "  {", '    "clientId": "grafana-dev",', '    "clientSecret": "{{ .client_secret }}"', "  }"],
          data: remoteItem("client_secret", "grafana-oidc", "client-secret"),
        }),
      },
      filename: GRAFANA_SECRET,
      errors: [{ messageId: "clientIdMismatch", line: 14, column: 26, endLine: 14, endColumn: 37 }],
    },
    {
      name: "an unmapped item id and another field: reported, with the item unverifiable",
      files: { ...complete(), [GRAFANA_SECRET]: grafanaSecret({ key: "abcdefghijklmnopqrstuvwxyz", property: "password" }) },
      filename: GRAFANA_SECRET,
      errors: [
        {
          messageId: "fieldMismatch",
          data: {
            consumer: 'ExternalSecret "grafana-oauth"',
            found: 'vault "homelab" item "abcdefghijklmnopqrstuvwxyz" field "password"',
            clientId: "grafana",
            expected: 'vault "homelab" item "grafana-oidc" field "client-secret"',
            externalSecret: AUTHENTIK_SECRET,
            blueprint: BLUEPRINTS,
            note: ' ("abcdefghijklmnopqrstuvwxyz" is named by an id that settings.onepassword does not map to a title, so only field names were compared: the item is unverifiable.)',
          },
          line: 18,
          column: 19,
          endLine: 18,
          endColumn: 27,
        },
      ],
    },
  ],
});

/**
 * Each link of the chain broken in turn, linted with blueprint/env-wired as well: exactly one
 * message each time, from the rule that owns the link, where the link is.
 */
interface Link {
  name: string;
  change: (files: Record<string, string>) => void;
  expected: { file: string; ruleId: string; messageId: string; at: string };
}

const links: Link[] = [
  {
    name: "authentik: the worker's env var",
    change: (files) => {
      files[WORKER] = worker(secretEnv("AUTHENTIK_GRAFANA_CLIENT_SECRET", "grafana-client-secret"));
    },
    expected: { file: BLUEPRINTS, ruleId: "blueprint/env-wired", messageId: "noEnvVar", at: "25:26-25:62" },
  },
  {
    name: "authentik: the Secret key",
    change: (files) => {
      files[AUTHENTIK_SECRET] = authentikSecret([...remoteItem("grafana-client-secret", "grafana-oidc", "client-secret"), ...remoteItem("forgejo-secret", "forgejo-oidc", "client-secret")]);
    },
    expected: { file: BLUEPRINTS, ruleId: "blueprint/env-wired", messageId: "keyNotProduced", at: "25:26-25:62" },
  },
  {
    name: "Ansible: the task deploying the template",
    change: (files) => {
      files[TASKS] = tasks([]);
    },
    expected: { file: TEMPLATE, ruleId: ID, messageId: "templateNotDeployed", at: "1:1-1:22" },
  },
  {
    name: "Ansible: the template task names another file",
    change: (files) => {
      files[TASKS] = tasks(templateTask("credentials.env.j2"));
    },
    expected: { file: TEMPLATE, ruleId: ID, messageId: "templateNotDeployed", at: "1:1-1:22" },
  },
  {
    name: "Ansible: the variable the template reads",
    change: (files) => {
      files[TEMPLATE] = template("forgejo_oidc_clientsecret");
    },
    expected: { file: TEMPLATE, ruleId: ID, messageId: "variableMismatch", at: "3:31-3:56" },
  },
  {
    name: "Ansible: the variable the playbook sets",
    change: (files) => {
      files[PLAYBOOK] = playbook({ fact: "forgejo_oidc_secret" });
    },
    expected: { file: TEMPLATE, ruleId: ID, messageId: "variableMismatch", at: "3:31-3:57" },
  },
  {
    name: "Ansible: the client id in the role defaults",
    change: (files) => {
      files[DEFAULTS] = defaults("forgejoo");
    },
    expected: { file: DEFAULTS, ruleId: ID, messageId: "clientIdMismatch", at: "2:25-2:33" },
  },
  {
    name: "Ansible: the client id written in the template",
    change: (files) => {
      files[TEMPLATE] = template(undefined, "forgejo-dev");
    },
    expected: { file: TEMPLATE, ruleId: ID, messageId: "clientIdMismatch", at: "2:24-2:35" },
  },
  {
    name: "Ansible: another field, one the cluster reads for something else",
    change: (files) => {
      files[PLAYBOOK] = playbook({ reference: "op://homelab/forgejo-db/password" });
      files[FORGEJO_DB_SECRET] = forgejoDatabaseSecret;
    },
    expected: { file: PLAYBOOK, ruleId: ID, messageId: "fieldMismatch", at: "6:41-6:73" },
  },
  {
    name: "Ansible: the field misspelt is ansible/op-reference's",
    change: (files) => {
      files[PLAYBOOK] = playbook({ reference: "op://homelab/forgejo-oidc/client-secert" });
    },
    expected: { file: PLAYBOOK, ruleId: "ansible/op-reference", messageId: "misspeltField", at: "6:41-6:80" },
  },
  {
    name: "Ansible: a field no ExternalSecret reads is ansible/op-reference's",
    change: (files) => {
      files[PLAYBOOK] = playbook({ reference: "op://homelab/forgejo/client-secret" });
    },
    expected: { file: PLAYBOOK, ruleId: "ansible/op-reference", messageId: "notReadInCluster", at: "6:41-6:75" },
  },
  {
    name: "Ansible: a vault no store reads is ansible/op-reference's",
    change: (files) => {
      files[PLAYBOOK] = playbook({ reference: "op://private/forgejo-oidc/client-secret" });
    },
    expected: { file: PLAYBOOK, ruleId: "ansible/op-reference", messageId: "vaultOutsideCluster", at: "6:41-6:80" },
  },
  {
    name: "ExternalSecret: the client id its template writes",
    change: (files) => {
      files[GRAFANA_SECRET] = grafanaSecret({ clientId: "grafana-dev" });
    },
    expected: { file: GRAFANA_SECRET, ruleId: ID, messageId: "clientIdMismatch", at: "12:42-12:53" },
  },
  {
    name: "ExternalSecret: another field of the item",
    change: (files) => {
      files[GRAFANA_SECRET] = grafanaSecret({ property: "password" });
    },
    expected: { file: GRAFANA_SECRET, ruleId: ID, messageId: "fieldMismatch", at: "18:19-18:27" },
  },
  {
    name: "ExternalSecret: another item",
    change: (files) => {
      files[GRAFANA_SECRET] = grafanaSecret({ key: "grafana" });
    },
    expected: { file: GRAFANA_SECRET, ruleId: ID, messageId: "fieldMismatch", at: "17:14-17:21" },
  },
  {
    name: "ExternalSecret: the field misspelt is external-secret/onepassword-ref's",
    change: (files) => {
      files[GRAFANA_SECRET] = grafanaSecret({ property: "client-secert" });
    },
    expected: { file: GRAFANA_SECRET, ruleId: "external-secret/onepassword-ref", messageId: "misspeltField", at: "18:19-18:32" },
  },
  {
    name: "authentik's own field misspelt is external-secret/onepassword-ref's",
    change: (files) => {
      files[AUTHENTIK_SECRET] = authentikSecret([...remoteItem("grafana-client-secret", "grafana-oidc", "client-secert"), ...remoteItem("forgejo-client-secret", "forgejo-oidc", "client-secret")]);
    },
    expected: { file: AUTHENTIK_SECRET, ruleId: "external-secret/onepassword-ref", messageId: "misspeltField", at: "13:19-13:32" },
  },
  {
    name: "the consumer itself",
    change: (files) => {
      delete files[GRAFANA_SECRET];
    },
    expected: { file: BLUEPRINTS, ruleId: ID, messageId: "noConsumer", at: "14:22-14:29" },
  },
];

/** This rule and those owning the links next to its own. */
const chainRules: Record<string, GitopsRule> = {
  [ID]: rule as GitopsRule,
  "blueprint/env-wired": envWired as GitopsRule,
  "external-secret/onepassword-ref": onePasswordRef as GitopsRule,
  "ansible/op-reference": opReference as GitopsRule,
};

describe(`${ID}: each link of a chain broken in turn`, () => {
  test("the complete chain gives no message", async () => {
    expect(await lint(complete(), undefined, chainRules)).toEqual([]);
  });
  for (const link of links) {
    test(link.name, async () => {
      const files = complete();
      link.change(files);
      const messages = await lint(files, undefined, chainRules);
      expect(messages.map(({ file, ruleId, messageId, at }) => ({ file, ruleId, messageId, at }))).toEqual([link.expected]);
    });
  }
});

describe(`${ID}: messages`, () => {
  test("a playbook reading another field names both, and where authentik reads it", async () => {
    const files: Record<string, string> = { ...complete(), [FORGEJO_DB_SECRET]: forgejoDatabaseSecret, [PLAYBOOK]: playbook({ reference: "op://homelab/forgejo-db/password" }) };
    const [message] = await lint(files);
    expect(message?.message).toBe(
      `this reference (read by ${TEMPLATE} through "forgejo_oidc_client_secret") reads 1Password vault "homelab" item "forgejo-db" field "password" as the client secret of OAuth2 client "forgejo", but authentik reads vault "homelab" item "forgejo-oidc" field "client-secret" (${AUTHENTIK_SECRET}, for the provider in ${BLUEPRINTS}): the service and authentik would hold different secrets. Read the same field.`,
    );
  });

  test("a template no task deploys names the role's task files", async () => {
    const files = complete();
    files[TASKS] = tasks([]);
    const [message] = await lint(files);
    expect(message?.message).toBe(
      `template "oidc-credentials.env.j2" writes the credentials of OAuth2 client "forgejo" (${BLUEPRINTS}), but no task of role "forgejo" deploys it (${TASKS}): the service never receives them. Add an ansible.builtin.template task with src: oidc-credentials.env.j2 to the role.`,
    );
  });

  test("a variable the playbook does not set names the one it does", async () => {
    const files = complete();
    files[TEMPLATE] = template("forgejo_oidc_clientsecret");
    const [message] = await lint(files);
    expect(message?.message).toBe(
      `"forgejo_oidc_clientsecret" is defined nowhere, but ${PLAYBOOK} reads the client secret of OAuth2 client "forgejo" (${BLUEPRINTS}) from 1Password into "forgejo_oidc_client_secret": this template would fail or be skipped. Write "forgejo_oidc_client_secret" here, or have the playbook set "forgejo_oidc_clientsecret".`,
    );
  });

  test("a client id from role defaults is reported there, naming the template", async () => {
    const files = complete();
    files[DEFAULTS] = defaults("forgejoo");
    const [message] = await lint(files);
    expect(message?.message).toBe(
      `client id "forgejoo" does not match client_id "forgejo" of the OAuth2 provider (${BLUEPRINTS}) whose client secret ${TEMPLATE} through "forgejo_oidc_client_id" receives: authentik rejects the login. Write "forgejo".`,
    );
  });
});

describe(`${ID}: settings`, () => {
  test("settings.oidc.clients.<id>.consumer: false silences the missing consumer", async () => {
    expect(await lint(withoutGrafanaConsumer(), { oidc: { clients: { grafana: { consumer: false } } } })).toEqual([]);
  });

  test("settings.onepassword.items maps an item id to its title", async () => {
    const files = { ...complete(), [GRAFANA_SECRET]: grafanaSecret({ key: "abcdefghijklmnopqrstuvwxyz", property: "password" }) };
    const settings = { onepassword: { items: { abcdefghijklmnopqrstuvwxyz: "grafana-oidc" } } };
    const messages = await lint(files, settings);
    // Mapped, the item is verified: the same item, another field, and no note.
    expect(messages.map(({ messageId, at }) => ({ messageId, at }))).toEqual([{ messageId: "fieldMismatch", at: "18:19-18:27" }]);
    expect(messages[0]?.message.endsWith("Read the same field.")).toBe(true);
  });

  test("settings.onepassword.items: a mapped id of another item is a different item, reported at the item", async () => {
    const files = { ...complete(), [GRAFANA_SECRET]: grafanaSecret({ key: "abcdefghijklmnopqrstuvwxyz" }) };
    const messages = await lint(files, { onepassword: { items: { abcdefghijklmnopqrstuvwxyz: "grafana-old" } } });
    expect(messages.map(({ messageId, at }) => ({ messageId, at }))).toEqual([{ messageId: "fieldMismatch", at: "17:14-17:40" }]);
  });

  test("settings.onepassword.vaults maps a vault id in an op:// reference", async () => {
    const files = { ...complete(), [PLAYBOOK]: playbook({ reference: "op://zyxwvutsrqponmlkjihgfedcba/forgejo-oidc/client-secret" }) };
    expect(await lint(files, { onepassword: { vaults: { zyxwvutsrqponmlkjihgfedcba: "homelab" } } })).toEqual([]);
    expect(await lint(files, { onepassword: { vaults: { zyxwvutsrqponmlkjihgfedcba: "private" } } })).toMatchObject([{ messageId: "fieldMismatch", at: "6:41-6:99" }]);
  });
});

describe(`${ID}: generated repos`, () => {
  test("bench/generate.ts output, every service wired, gives no message", async () => {
    const root = writeRepo({});
    generateRepo(root, 20);
    const outcome = await lintProject({ cwd: root, rules: { [ID]: rule as GitopsRule } });
    expect(outcome.results.flatMap((result) => result.messages)).toEqual([]);
  });
});

describe(`${ID}: authentik installed by its Helm chart`, () => {
  const HELM_RELEASE = "authentik/helmrelease.yaml";
  /** The chart's worker env in a Flux HelmRelease's values, in place of the worker Deployment. */
  const helmRelease = (env = [...secretEnv("AUTHENTIK_GRAFANA_CLIENT_SECRET", "grafana-client-secret"), ...secretEnv("AUTHENTIK_FORGEJO_CLIENT_SECRET", "forgejo-client-secret")], spec: string[] = []): string =>
    lines(
      "apiVersion: helm.toolkit.fluxcd.io/v2",
      "kind: HelmRelease",
      "metadata:",
      "  name: authentik",
      "spec:",
      "  chart:",
      "    spec:",
      "      chart: authentik",
      ...spec.map((line) => `  ${line}`),
      "  values:",
      "    blueprints:",
      "      configMaps: [authentik-blueprints]",
      "    worker:",
      "      env:",
      ...env.map((line) => line.slice(6)),
    );
  const chartInstalled = (files: Record<string, string>): Record<string, string> => {
    const { [WORKER]: _worker, ...rest } = files;
    return { ...rest, [HELM_RELEASE]: helmRelease() };
  };

  test("the complete chain through the chart's worker gives no message", async () => {
    expect(await lint(chartInstalled(complete()), undefined, chainRules)).toEqual([]);
  });

  test("the chain is followed through the chart values: a client no service receives is reported, the values file involved", async () => {
    const root = writeRepo(chartInstalled(withoutGrafanaConsumer()));
    const outcome = await lintProject({ cwd: root, rules: chainRules });
    const messages = outcome.results.flatMap((result) =>
      result.messages.map((message) => ({
        file: path.relative(root, result.filePath),
        messageId: message.messageId,
        at: `${message.line}:${message.column}`,
        related: (message.relatedFiles ?? []).map((file) => path.relative(root, file)).sort(),
      })),
    );
    expect(messages).toEqual([{ file: BLUEPRINTS, messageId: "noConsumer", at: "14:22", related: [AUTHENTIK_SECRET, HELM_RELEASE] }]);
  });

  test("a broken link in the chart values is blueprint/env-wired's alone", async () => {
    const files = { ...chartInstalled(complete()), [HELM_RELEASE]: helmRelease(secretEnv("AUTHENTIK_FORGEJO_CLIENT_SECRET", "forgejo-client-secret")) };
    const messages = await lint(files, undefined, chainRules);
    expect(messages.map(({ file, ruleId, messageId, at }) => ({ file, ruleId, messageId, at }))).toEqual([
      { file: BLUEPRINTS, ruleId: "blueprint/env-wired", messageId: "noChartEnvVar", at: "15:26-15:62" },
    ]);
  });

  test("values the repo cannot read: a warning from blueprint/env-wired, nothing from this rule", async () => {
    const files = {
      ...chartInstalled(withoutGrafanaConsumer()),
      [HELM_RELEASE]: helmRelease(secretEnv("AUTHENTIK_FORGEJO_CLIENT_SECRET", "forgejo-client-secret"), ["valuesFrom:", "  - kind: Secret", "    name: authentik-values"]),
    };
    const messages = await lint(files, undefined, chainRules);
    expect(messages.map(({ file, ruleId, messageId, severity, at }) => ({ file, ruleId, messageId, severity, at }))).toEqual([
      { file: BLUEPRINTS, ruleId: "blueprint/env-wired", messageId: "chartValuesUnverifiable", severity: 1, at: "15:26-15:62" },
    ]);
  });
});
