/**
 * ansible/op-reference: each 1Password reference in Ansible is well formed, reads a vault the
 * repo knows, is spelt as elsewhere in the repo, and (in a vault the cluster reads) names a field
 * some ExternalSecret reads too.
 */
import rule from "../../../rules/ansible/op-reference.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests } from "../../helpers/rule-tester.ts";
import { homelabFiles, lines, runProjectCases } from "../external-secret/cases.ts";
import { externalSecret, type Item, providers, store } from "../external-secret/fixtures.ts";

const STORE = "external-secrets/cluster-secret-store.yaml";
const AUTHENTIK = "apps/authentik/external-secret.yaml";
const FORGEJO = "apps/forgejo/external-secret.yaml";
const PLAYBOOK = "ansible/playbooks/indri.yml";
const DEFAULTS = "ansible/roles/zot/defaults/main.yml";

const connect = store();
const onConnect = (name: string, data: Item[]): string => externalSecret({ name, data });

/** A playbook reading each reference with `op read "…"`: reference `index` on line 4 + 2 × index, column 41. */
const playbook = (...references: string[]): string =>
  lines(
    "- hosts: indri",
    "  pre_tasks:",
    ...references.flatMap((reference, index) => [`    - name: Read secret ${index}`, `      ansible.builtin.command: op read "${reference}"`]),
  );

const atReference = (index: number, reference: string) => ({ line: 4 + 2 * index, column: 41, endLine: 4 + 2 * index, endColumn: 41 + reference.length });

/** The cluster reads Forgejo's client secret and database password from vault homelab. */
const cluster = (): Record<string, string> => ({
  [STORE]: connect,
  [AUTHENTIK]: onConnect("authentik", [{ key: "forgejo-oidc", property: "client-secret" }]),
  [FORGEJO]: onConnect("forgejo", [
    { key: "forgejo-oidc", property: "client-secret" },
    { key: "Forgejo Admin", property: "password" },
  ]),
});

const readByStore = { store: 'ClusterSecretStore "onepassword"', storeFile: STORE };

runRuleTests("ansible/op-reference", rule as GitopsRule, {
  valid: [
    {
      name: "references the cluster reads too: plain, quoted with spaces, with a section, with a query",
      files: {
        ...cluster(),
        [PLAYBOOK]: playbook(
          "op://homelab/forgejo-oidc/client-secret",
          "op://homelab/Forgejo Admin/password",
          "op://homelab/Forgejo Admin/login/password",
          "op://homelab/forgejo-oidc/client-secret?attribute=value",
        ),
      },
    },
    {
      name: "references built by Jinja or the shell, and op:// in prose",
      files: {
        ...cluster(),
        [PLAYBOOK]: lines(
          "- hosts: indri",
          "  vars:",
          "    a: \"{{ lookup('pipe', 'op read op://' ~ vault ~ '/forgejo-oidc/client-secret') }}\"",
          "    b: \"{{ lookup('pipe', 'op read op://homelab/' + item + '/password') }}\"",
          '    c: "op read op://{{ vault }}/forgejo/token"',
          '    d: "op read \\"op://$OP_VAULT/forgejo/token\\""',
          "    e: Secrets are read with op:// references",
        ),
      },
    },
    {
      name: "a string that is the whole reference keeps its spaces: an argv item, an env var's value",
      files: {
        ...cluster(),
        [PLAYBOOK]: lines(
          "- hosts: indri",
          "  tasks:",
          "    - name: Read with argv",
          "      ansible.builtin.command:",
          "        argv:",
          "          - op",
          "          - read",
          '          - "op://homelab/Forgejo Admin/password"',
          "    - name: Read through the environment",
          "      ansible.builtin.command: op run -- ./deploy.sh",
          "      environment:",
          "        FORGEJO_ADMIN: op://homelab/Forgejo Admin/login/password  ",
        ),
      },
    },
    {
      name: "lookups: without a vault nothing is compared; with one, the cluster reads the field",
      files: {
        ...cluster(),
        [DEFAULTS]: lines(
          "---",
          "zot_token: \"{{ lookup('community.general.onepassword', 'zot') }}\"",
          "forgejo_secret: \"{{ lookup('community.general.onepassword', 'forgejo-oidc', field='client-secret', vault='homelab') }}\"",
        ),
      },
    },
    {
      name: "no 1Password store in the repo: vaults and fields cannot be checked",
      files: {
        "external-secrets/vault.yaml": store({ name: "vault", provider: providers.vault() }),
        [PLAYBOOK]: playbook("op://Private/restic/password"),
      },
    },
    {
      name: "dataFrom.extract reads the whole item; dataFrom.find may read anything",
      files: {
        [STORE]: connect,
        [FORGEJO]: externalSecret({ name: "forgejo", data: [], spec: ["dataFrom:", "  - extract:", "      key: forgejo-runner"] }),
        "apps/other/external-secret.yaml": externalSecret({ name: "other", data: [], spec: ["dataFrom:", "  - find:", "      path: restic"] }),
        [PLAYBOOK]: playbook("op://homelab/forgejo-runner/token", "op://homelab/restic/password"),
      },
    },
    {
      name: "an item named by an id no setting maps is not judged",
      files: { ...cluster(), [PLAYBOOK]: playbook("op://homelab/k4m2x7q9w3e5r8t1y6u0i2o4pa/password") },
    },
    {
      name: "templates and Kubernetes manifests are not Ansible references",
      files: {
        ...cluster(),
        "ansible/roles/zot/templates/env.j2": "ZOT_PASSWORD={{ lookup('pipe', 'op read op://homelab/zot') }}\n",
        "apps/injected/deployment.yaml": lines(
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata:",
          "  name: injected",
          "spec:",
          "  template:",
          "    spec:",
          "      containers:",
          "        - name: app",
          "          env:",
          "            - name: DB_PASSWORD",
          "              value: op://homelab/db",
        ),
      },
    },
    {
      name: "the ExternalSecret's spelling is the odd one: onepassword-ref reports it, not this rule",
      filename: PLAYBOOK,
      files: {
        [STORE]: connect,
        [AUTHENTIK]: onConnect("authentik", [{ key: "forgejo-oidc", property: "client_secret" }]),
        "apps/grafana/external-secret.yaml": onConnect("grafana", [{ key: "grafana-oidc", property: "client-secret" }]),
        [PLAYBOOK]: playbook("op://homelab/forgejo-oidc/client-secret"),
      },
    },
  ],
  invalid: [
    {
      name: "in a group_vars file with no extension, which Ansible reads too",
      filename: "ansible/group_vars/zot/vars",
      files: {
        ...cluster(),
        "ansible/group_vars/zot/vars": lines("---", "zot_ci_password: \"{{ lookup('pipe', 'op read op://homelab/zot ci/password') }}\""),
        "ansible/group_vars/zot/vault": lines("$ANSIBLE_VAULT;1.1;AES256", "36336231"),
      },
      errors: [
        {
          messageId: "unquotedSpace",
          data: { reference: "op://homelab/zot", next: "ci/password" },
          line: 2,
          column: 46,
          endLine: 2,
          endColumn: 62,
        },
      ],
    },
    {
      name: "an unquoted reference with a space",
      filename: DEFAULTS,
      files: {
        ...cluster(),
        [DEFAULTS]: lines("---", "zot_ci_password: \"{{ lookup('pipe', 'op read op://homelab/zot ci/password') }}\""),
      },
      errors: [
        {
          messageId: "unquotedSpace",
          data: { reference: "op://homelab/zot", next: "ci/password" },
          line: 2,
          column: 46,
          endLine: 2,
          endColumn: 62,
        },
      ],
    },
    {
      name: "too few and too many segments, and an empty one",
      filename: PLAYBOOK,
      files: {
        ...cluster(),
        [PLAYBOOK]: playbook("op://homelab/forgejo-oidc", "op://homelab/forgejo/login/admin/password", "op://homelab//password"),
      },
      errors: [
        { messageId: "wrongSegmentCount", data: { reference: "op://homelab/forgejo-oidc", count: 2 }, ...atReference(0, "op://homelab/forgejo-oidc") },
        {
          messageId: "wrongSegmentCount",
          data: { reference: "op://homelab/forgejo/login/admin/password", count: 5 },
          ...atReference(1, "op://homelab/forgejo/login/admin/password"),
        },
        { messageId: "emptySegment", data: { reference: "op://homelab//password", part: "item name" }, ...atReference(2, "op://homelab//password") },
      ],
    },
    {
      name: "exact columns in an escaped double-quoted string and in a block scalar",
      filename: PLAYBOOK,
      files: {
        ...cluster(),
        [PLAYBOOK]: lines(
          "- hosts: indri",
          "  tasks:",
          "    - name: Escaped",
          '      ansible.builtin.shell: "op read \\"op://homelab/forgejo\\" > /tmp/token"',
          "    - name: Script",
          "      ansible.builtin.shell: |",
          "        set -e",
          "        op read 'op:///forgejo/token' > /tmp/token",
        ),
      },
      errors: [
        { messageId: "wrongSegmentCount", data: { reference: "op://homelab/forgejo", count: 2 }, line: 4, column: 41, endLine: 4, endColumn: 61 },
        { messageId: "emptySegment", data: { reference: "op:///forgejo/token", part: "vault name" }, line: 8, column: 18, endLine: 8, endColumn: 37 },
      ],
    },
    {
      name: "a string that is the whole reference is judged whole, at its exact columns",
      filename: PLAYBOOK,
      files: {
        ...cluster(),
        [PLAYBOOK]: lines(
          "- hosts: indri",
          "  tasks:",
          "    - name: Read with argv",
          "      ansible.builtin.command:",
          '        argv: [op, read, "op://homelab/Forgejo Admin"]',
        ),
      },
      errors: [
        { messageId: "wrongSegmentCount", data: { reference: "op://homelab/Forgejo Admin", count: 2 }, line: 5, column: 27, endLine: 5, endColumn: 53 },
      ],
    },
    {
      name: "a misspelt vault",
      filename: PLAYBOOK,
      files: { ...cluster(), [PLAYBOOK]: playbook("op://homelb/forgejo-oidc/client-secret") },
      errors: [
        {
          messageId: "unknownVault",
          data: { reference: '"op://homelb/forgejo-oidc/client-secret"', vault: "homelb", vaults: '"homelab"', suggestion: "homelab" },
          ...atReference(0, "op://homelb/forgejo-oidc/client-secret"),
        },
      ],
    },
    {
      name: "a vault no store reads: a warning",
      filename: PLAYBOOK,
      files: { ...cluster(), [PLAYBOOK]: playbook("op://Private/restic/password") },
      errors: [
        {
          messageId: "vaultOutsideCluster",
          data: { reference: '"op://Private/restic/password"', vault: "Private", vaults: '"homelab"', canonical: "op://Private/restic/password" },
          severity: 1,
          ...atReference(0, "op://Private/restic/password"),
        },
      ],
    },
    {
      name: "a field spelt differently than the cluster spells it",
      filename: PLAYBOOK,
      files: { ...cluster(), [PLAYBOOK]: playbook("op://homelab/forgejo-oidc/client_secret") },
      errors: [
        {
          messageId: "misspeltField",
          data: { reference: '"op://homelab/forgejo-oidc/client_secret"', written: "client_secret", item: "forgejo-oidc", other: "client-secret", otherFile: AUTHENTIK },
          ...atReference(0, "op://homelab/forgejo-oidc/client_secret"),
        },
      ],
    },
    {
      name: "a tie with one ExternalSecret: the ExternalSecret's spelling wins",
      filename: PLAYBOOK,
      files: {
        [STORE]: connect,
        [FORGEJO]: onConnect("forgejo", [{ key: "forgejo-oidc", property: "client-secret" }]),
        [PLAYBOOK]: playbook("op://homelab/Forgejo OIDC/client-secret"),
      },
      errors: [
        {
          messageId: "misspeltItem",
          data: { reference: '"op://homelab/Forgejo OIDC/client-secret"', written: "Forgejo OIDC", other: "forgejo-oidc", otherFile: FORGEJO },
          ...atReference(0, "op://homelab/Forgejo OIDC/client-secret"),
        },
      ],
    },
    {
      name: "a field in the cluster's vault that no ExternalSecret reads: a warning",
      filename: PLAYBOOK,
      files: { ...cluster(), [PLAYBOOK]: playbook("op://homelab/restic/password") },
      errors: [
        {
          messageId: "notReadInCluster",
          data: { reference: '"op://homelab/restic/password"', item: "restic", field: "password", vault: "homelab", ...readByStore, canonical: "op://homelab/restic/password" },
          severity: 1,
          ...atReference(0, "op://homelab/restic/password"),
        },
      ],
    },
    {
      name: "a lookup of a field no ExternalSecret reads: a warning on the string",
      filename: DEFAULTS,
      files: {
        ...cluster(),
        [DEFAULTS]: lines("---", "zot_password: \"{{ lookup('community.general.onepassword', 'zot', vault='homelab') }}\""),
      },
      errors: [
        {
          messageId: "notReadInCluster",
          data: { reference: 'the onepassword lookup of "zot"', item: "zot", field: "password", vault: "homelab", ...readByStore, canonical: "op://homelab/zot/password" },
          severity: 1,
          line: 2,
          column: 15,
          endLine: 2,
          endColumn: 86,
        },
      ],
    },
  ],
});

runProjectCases("ansible/op-reference", rule as GitopsRule, [
  {
    name: "references listed in settings, and vaults settings know",
    files: {
      ...cluster(),
      [PLAYBOOK]: playbook(
        "op://homelab/restic/password",
        "op://Private/backup/passphrase",
        "op://k4m2x7q9w3e5r8t1y6u0i2o4pa/zot/password",
        "op://homelab/Restic Offsite/password",
      ),
    },
    settings: {
      onepassword: {
        // A listed reference is read whole: a name may hold spaces without quotes.
        references: ["op://homelab/restic/password", "op://Private/backup/passphrase", "op://homelab/Restic Offsite/password"],
        vaults: { k4m2x7q9w3e5r8t1y6u0i2o4pa: "Infrastructure" },
      },
    },
  },
  {
    name: "a store's vault by an id settings do not map: a vault by title may be that one",
    files: { [STORE]: store({ provider: providers.connect(["k4m2x7q9w3e5r8t1y6u0i2o4pa"]) }), [PLAYBOOK]: playbook("op://homelab/restic/password") },
  },
  {
    name: "a vault by id mapped to a cluster vault's title",
    files: { ...cluster(), [PLAYBOOK]: playbook("op://k4m2x7q9w3e5r8t1y6u0i2o4pa/forgejo-oidc/client-secret") },
    settings: { onepassword: { vaults: { k4m2x7q9w3e5r8t1y6u0i2o4pa: "homelab" } } },
  },
  {
    name: "two playbooks, each spelling a field once: both are reported",
    files: {
      [STORE]: connect,
      [PLAYBOOK]: playbook("op://homelab/forgejo-runner/registration-token"),
      "ansible/playbooks/other.yml": playbook("op://homelab/forgejo-runner/registration_token"),
    },
    settings: { onepassword: { references: ["op://homelab/forgejo-runner/registration-token", "op://homelab/forgejo-runner/registration_token"] } },
    errors: {
      [PLAYBOOK]: [
        {
          messageId: "ambiguousField",
          data: {
            reference: '"op://homelab/forgejo-runner/registration-token"',
            written: "registration-token",
            item: "forgejo-runner",
            other: "registration_token",
            otherFile: "ansible/playbooks/other.yml",
          },
          ...atReference(0, "op://homelab/forgejo-runner/registration-token"),
        },
      ],
      "ansible/playbooks/other.yml": [
        {
          messageId: "ambiguousField",
          data: {
            reference: '"op://homelab/forgejo-runner/registration_token"',
            written: "registration_token",
            item: "forgejo-runner",
            other: "registration-token",
            otherFile: PLAYBOOK,
          },
          ...atReference(0, "op://homelab/forgejo-runner/registration_token"),
        },
      ],
    },
  },
  {
    name: "a store managed elsewhere, listed in settings with its vault",
    files: { [FORGEJO]: externalSecret({ storeName: "op", data: [{ key: "forgejo-oidc", property: "client-secret" }] }), [PLAYBOOK]: playbook("op://homelab/forgejo-oidc/client-secret", "op://homelab/restic/password") },
    settings: { externalSecrets: { stores: [{ name: "op", kind: "ClusterSecretStore", provider: "onepassword", vaults: ["homelab"] }] } },
    errors: {
      [PLAYBOOK]: [
        {
          messageId: "notReadInCluster",
          data: {
            reference: '"op://homelab/restic/password"',
            item: "restic",
            field: "password",
            vault: "homelab",
            store: 'ClusterSecretStore "op"',
            storeFile: "settings.externalSecrets.stores",
            canonical: "op://homelab/restic/password",
          },
          severity: 1,
          ...atReference(1, "op://homelab/restic/password"),
        },
      ],
    },
  },
]);
