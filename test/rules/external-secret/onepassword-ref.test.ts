/**
 * external-secret/onepassword-ref: on a 1Password store, each remoteRef is read the way its
 * provider reads it, and each item and field is spelt as elsewhere in the repo.
 */
import rule from "../../../rules/external-secret/onepassword-ref.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests } from "../../helpers/rule-tester.ts";
import { homelabFiles, lines, runProjectCases } from "./cases.ts";
import { externalSecret, type Item, providers, store } from "./fixtures.ts";

const STORE = "external-secrets/cluster-secret-store.yaml";
const SDK_STORE = "external-secrets/sdk-store.yaml";
const AUTHENTIK = "apps/authentik/external-secret.yaml";
const FORGEJO = "apps/forgejo/external-secret.yaml";
const GRAFANA = "apps/grafana/external-secret.yaml";
const PLAYBOOK = "ansible/playbooks/indri.yml";

/** The `key` and `property` values of item `index` of `externalSecret()` (every earlier item with a property). */
const keyAt = (index: number, value: string) => ({ line: 15 + 4 * index, column: 14, endLine: 15 + 4 * index, endColumn: 14 + value.length });
const propertyAt = (index: number, value: string) => ({ line: 16 + 4 * index, column: 19, endLine: 16 + 4 * index, endColumn: 19 + value.length });

const connect = store();
const sdk = store({ name: "onepassword-sdk", provider: providers.sdk() });

const onConnect = (name: string, data: Item[]): string => externalSecret({ name, data });
const onSdk = (name: string, data: Item[]): string => externalSecret({ name, storeName: "onepassword-sdk", data });

/** A playbook reading each reference with `op read "…"`. */
const playbook = (...references: string[]): string =>
  lines(
    "- hosts: indri",
    "  pre_tasks:",
    ...references.flatMap((reference, index) => [`    - name: Read secret ${index}`, `      ansible.builtin.command: op read "${reference}"`]),
  );

/** Forgejo's client secret read by authentik and by Forgejo, both spelt `client-secret`. */
const wired = (): Record<string, string> => ({
  [STORE]: connect,
  [AUTHENTIK]: onConnect("authentik", [
    { key: "forgejo-oidc", property: "client-secret" },
    { key: "grafana-oidc", property: "client-secret" },
  ]),
  [FORGEJO]: onConnect("forgejo", [{ key: "forgejo-oidc", property: "client-secret" }]),
});

runRuleTests("external-secret/onepassword-ref", rule as GitopsRule, {
  valid: [
    { name: "one item and field, spelt the same in every ExternalSecret and playbook", files: { ...wired(), [PLAYBOOK]: playbook("op://homelab/forgejo-oidc/client-secret") } },
    {
      name: "Connect without property reads the field labelled password; a title with a slash and its own property",
      files: { [STORE]: connect, [FORGEJO]: onConnect("forgejo", [{ key: "forgejo-db" }, { key: "aws/prod", property: "access-key" }]) },
    },
    {
      name: "the SDK's item/field and item/section/field, a leading slash, and a property equal to the field",
      files: {
        [SDK_STORE]: sdk,
        [FORGEJO]: onSdk("forgejo", [
          { key: "forgejo-oidc/client-secret" },
          { key: "forgejo-admin/login/password" },
          { key: "/forgejo-db/password" },
          { key: "forgejo-smtp/password", property: "password" },
          { key: "forgejo-totp/one-time password?attribute=otp" },
        ]),
      },
    },
    {
      name: "other providers are not 1Password: their keys and properties are not compared",
      files: {
        ...wired(),
        "external-secrets/vault.yaml": store({ name: "vault", provider: providers.vault() }),
        "external-secrets/kubernetes.yaml": store({ name: "kubernetes", provider: providers.kubernetes() }),
        "external-secrets/infisical.yaml": store({ name: "infisical", provider: providers.infisical() }),
        "apps/a/external-secret.yaml": externalSecret({ storeName: "vault", data: [{ key: "forgejo-oidc", property: "client_secret" }] }),
        "apps/b/external-secret.yaml": externalSecret({ storeName: "kubernetes", data: [{ key: "forgejo-oidc" }] }),
        "apps/c/external-secret.yaml": externalSecret({ storeName: "infisical", data: [{ key: "forgejo-oidc/client_secret" }] }),
      },
    },
    {
      name: "dataFrom extract and find, and data items with a sourceRef",
      files: {
        ...wired(),
        [GRAFANA]: externalSecret({
          name: "grafana",
          data: [{ key: "grafana", extra: ["sourceRef:", "  storeRef:", "    name: vault", "    kind: ClusterSecretStore"] }],
          spec: ["dataFrom:", "  - extract:", "      key: grafana-oidc", "  - find:", "      path: grafana", "      name:", "        regexp: ^client"],
        }),
      },
    },
    {
      name: "names equal but for case are the same name (1Password's references ignore case)",
      files: { ...wired(), [GRAFANA]: onConnect("grafana", [{ key: "Grafana-OIDC", property: "Client-Secret" }]) },
    },
    {
      name: "names that differ in a number, a short word, or are short are different names",
      files: {
        [STORE]: connect,
        "apps/a/external-secret.yaml": onConnect("a", [
          { key: "postgres-1", property: "password" },
          { key: "immich-db", property: "password" },
          { key: "redis", property: "host" },
          { key: "minio", property: "api-key" },
        ]),
        "apps/b/external-secret.yaml": onConnect("b", [
          { key: "postgres-2", property: "password" },
          { key: "immich-ml", property: "password" },
          { key: "redis", property: "port" },
          { key: "minio", property: "app-key" },
        ]),
        "apps/c/external-secret.yaml": onConnect("c", [
          { key: "postgres-2", property: "password" },
          { key: "immich-ml", property: "password" },
          { key: "redis", property: "port" },
          { key: "minio", property: "app-key" },
        ]),
      },
    },
    {
      name: "two spellings in one file only are two fields, not a misspelling",
      files: { [STORE]: connect, [FORGEJO]: onConnect("forgejo", [{ key: "forgejo", property: "admin-token" }, { key: "forgejo", property: "admin_token" }]) },
    },
    {
      name: "the same names in vaults no store shares are different items",
      files: {
        "external-secrets/prod.yaml": store({ name: "prod", provider: providers.sdk("prod") }),
        "external-secrets/staging.yaml": store({ name: "staging", provider: providers.sdk("staging") }),
        "apps/a/external-secret.yaml": externalSecret({ storeName: "prod", data: [{ key: "forgejo-oidc/client-secret" }] }),
        "apps/b/external-secret.yaml": externalSecret({ storeName: "prod", data: [{ key: "forgejo-oidc/client-secret" }] }),
        "apps/c/external-secret.yaml": externalSecret({ storeName: "staging", data: [{ key: "forgejo-oidc/client_secret" }] }),
      },
    },
    {
      name: "a SOPS-encrypted Secret next to the ExternalSecrets",
      files: {
        ...wired(),
        "apps/forgejo/secret.sops.yaml": lines(
          "apiVersion: v1",
          "kind: Secret",
          "metadata:",
          "  name: forgejo-admin",
          "stringData:",
          "  password: ENC[AES256_GCM,data:8bXk,iv:Zm9v,tag:YmFy,type:str]",
          "sops:",
          "  age:",
          "    - recipient: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs0a0h9y",
          "  version: 3.9.1",
        ),
      },
    },
    {
      name: "an ExternalSecret whose store is unknown is store-exists' to report",
      files: { ...wired(), [GRAFANA]: externalSecret({ name: "grafana", storeName: "onepasword", data: [{ key: "forgejo-oidc", property: "client_secret" }] }) },
    },
    {
      name: "a templated key is not judged",
      files: { [SDK_STORE]: sdk, [FORGEJO]: onSdk("forgejo", [{ key: "${ITEM}" }]) },
    },
    {
      name: "a tie between an ExternalSecret and a playbook: the playbook's is the odd one (ansible/op-reference reports it)",
      filename: FORGEJO,
      files: {
        [STORE]: connect,
        [FORGEJO]: onConnect("forgejo", [{ key: "forgejo-oidc", property: "client-secret" }]),
        [PLAYBOOK]: playbook("op://homelab/forgejo-oidc/client_secret"),
      },
    },
  ],
  invalid: [
    {
      name: "a field spelt differently in one ExternalSecret",
      filename: GRAFANA,
      files: { ...wired(), [GRAFANA]: onConnect("grafana", [{ key: "forgejo-oidc", property: "client_secret" }]) },
      errors: [
        {
          messageId: "misspeltField",
          data: { written: "client_secret", item: "forgejo-oidc", other: "client-secret", otherFile: AUTHENTIK },
          ...propertyAt(0, "client_secret"),
        },
      ],
    },
    {
      name: "an item spelt by its title in one ExternalSecret, by its slug elsewhere",
      filename: GRAFANA,
      files: { ...wired(), [GRAFANA]: onConnect("grafana", [{ key: '"Forgejo OIDC"', property: "client-secret" }]) },
      errors: [
        {
          messageId: "misspeltItem",
          data: { written: "Forgejo OIDC", other: "forgejo-oidc", otherFile: AUTHENTIK },
          ...keyAt(0, '"Forgejo OIDC"'),
        },
      ],
    },
    {
      name: "a misspelt item, one letter off",
      filename: GRAFANA,
      files: { ...wired(), [GRAFANA]: onConnect("grafana", [{ key: "forgejo-odic", property: "client-secret" }]) },
      errors: [{ messageId: "misspeltItem", data: { written: "forgejo-odic", other: "forgejo-oidc", otherFile: AUTHENTIK }, ...keyAt(0, "forgejo-odic") }],
    },
    {
      name: "an ExternalSecret's field against a playbook and another ExternalSecret",
      filename: GRAFANA,
      files: {
        [STORE]: connect,
        [AUTHENTIK]: onConnect("authentik", [{ key: "forgejo-oidc", property: "client-secret" }]),
        [PLAYBOOK]: playbook("op://homelab/forgejo-oidc/client-secret"),
        [GRAFANA]: onConnect("grafana", [{ key: "forgejo-oidc", property: "clientsecret" }]),
      },
      errors: [
        {
          messageId: "misspeltField",
          data: { written: "clientsecret", item: "forgejo-oidc", other: "client-secret", otherFile: AUTHENTIK },
          ...propertyAt(0, "clientsecret"),
        },
      ],
    },
    {
      name: "SDK: a key without a field, its property ignored",
      filename: FORGEJO,
      files: { [SDK_STORE]: sdk, [FORGEJO]: onSdk("forgejo", [{ key: "forgejo-oidc", property: "client-secret" }]) },
      errors: [
        {
          messageId: "sdkKeyWithoutField",
          data: { key: "forgejo-oidc", store: 'ClusterSecretStore "onepassword-sdk"', file: SDK_STORE, suggestion: "forgejo-oidc/client-secret" },
          ...keyAt(0, "forgejo-oidc"),
        },
      ],
    },
    {
      name: "SDK: dataFrom.find is not implemented by the provider; extract is, and a find with its own sourceRef reads elsewhere",
      filename: FORGEJO,
      files: {
        [SDK_STORE]: sdk,
        [FORGEJO]: externalSecret({
          name: "forgejo",
          storeName: "onepassword-sdk",
          data: [],
          spec: [
            "dataFrom:",
            "  - extract:",
            "      key: forgejo-admin",
            "  - find:",
            "      tags:",
            "        app: forgejo",
            "  - find:",
            "      name:",
            "        regexp: ^forgejo",
            "    sourceRef:",
            "      storeRef:",
            "        name: vault",
            "        kind: ClusterSecretStore",
          ],
        }),
      },
      errors: [
        {
          messageId: "sdkFindUnsupported",
          data: { store: 'ClusterSecretStore "onepassword-sdk"', file: SDK_STORE },
          line: 15,
          column: 7,
          endLine: 15,
          endColumn: 11,
        },
      ],
    },
    {
      name: "SDK: a key without a field or property",
      filename: FORGEJO,
      files: { [SDK_STORE]: sdk, [FORGEJO]: onSdk("forgejo", [{ key: "forgejo-oidc" }]) },
      errors: [
        {
          messageId: "sdkKeyWithoutField",
          data: { key: "forgejo-oidc", store: 'ClusterSecretStore "onepassword-sdk"', file: SDK_STORE, suggestion: "forgejo-oidc/<field>" },
          ...keyAt(0, "forgejo-oidc"),
        },
      ],
    },
    {
      name: "SDK: a property that says another field than the key",
      filename: FORGEJO,
      files: { [SDK_STORE]: sdk, [FORGEJO]: onSdk("forgejo", [{ key: "forgejo-oidc/client-id", property: "client-secret" }]) },
      errors: [
        {
          messageId: "sdkPropertyIgnored",
          data: { property: "client-secret", field: "client-id", store: 'ClusterSecretStore "onepassword-sdk"', file: SDK_STORE, suggestion: "forgejo-oidc/client-secret" },
          ...propertyAt(0, "client-secret"),
        },
      ],
    },
    {
      name: "SDK: the vault in the key, written as a path and as a whole reference",
      filename: FORGEJO,
      files: {
        [SDK_STORE]: sdk,
        [FORGEJO]: onSdk("forgejo", [
          { key: "homelab/forgejo-oidc/client-secret", property: "client-secret" },
          { key: "op://homelab/forgejo-db/password", property: "password" },
        ]),
      },
      errors: [
        {
          messageId: "sdkVaultInKey",
          data: { key: "homelab/forgejo-oidc/client-secret", vault: "homelab", store: 'ClusterSecretStore "onepassword-sdk"', file: SDK_STORE, suggestion: "forgejo-oidc/client-secret" },
          ...keyAt(0, "homelab/forgejo-oidc/client-secret"),
        },
        {
          messageId: "sdkVaultInKey",
          data: { key: "op://homelab/forgejo-db/password", vault: "homelab", store: 'ClusterSecretStore "onepassword-sdk"', file: SDK_STORE, suggestion: "forgejo-db/password" },
          ...keyAt(1, "op://homelab/forgejo-db/password"),
        },
      ],
    },
    {
      name: "SDK: an empty segment, and too many",
      filename: FORGEJO,
      files: { [SDK_STORE]: sdk, [FORGEJO]: onSdk("forgejo", [{ key: "forgejo-oidc//client-secret", property: "client-secret" }, { key: "a/b/c/d", property: "d" }]) },
      errors: [
        {
          messageId: "sdkMalformedKey",
          data: { key: "forgejo-oidc//client-secret", store: 'ClusterSecretStore "onepassword-sdk"', file: SDK_STORE },
          ...keyAt(0, "forgejo-oidc//client-secret"),
        },
        { messageId: "sdkMalformedKey", data: { key: "a/b/c/d", store: 'ClusterSecretStore "onepassword-sdk"', file: SDK_STORE }, ...keyAt(1, "a/b/c/d") },
      ],
    },
    {
      name: "Connect: item/field in key, without property or with property repeating the field",
      filename: FORGEJO,
      files: {
        [STORE]: connect,
        [FORGEJO]: onConnect("forgejo", [{ key: "forgejo-db/password", property: "password" }, { key: "forgejo-oidc/client-secret" }]),
      },
      errors: [
        {
          messageId: "connectSlashKey",
          data: { key: "forgejo-db/password", item: "forgejo-db", field: "password", store: 'ClusterSecretStore "onepassword"', file: STORE },
          ...keyAt(0, "forgejo-db/password"),
        },
        {
          messageId: "connectSlashKey",
          data: { key: "forgejo-oidc/client-secret", item: "forgejo-oidc", field: "client-secret", store: 'ClusterSecretStore "onepassword"', file: STORE },
          ...keyAt(1, "forgejo-oidc/client-secret"),
        },
      ],
    },
  ],
});

const FORGEJO_ID = "k4m2x7q9w3e5r8t1y6u0i2o4pa";

runProjectCases("external-secret/onepassword-ref", rule as GitopsRule, [
  {
    name: "items by id, mapped to titles in settings, are compared by title",
    files: {
      [STORE]: connect,
      [AUTHENTIK]: onConnect("authentik", [{ key: FORGEJO_ID, property: "client-secret" }]),
      [FORGEJO]: onConnect("forgejo", [{ key: "forgejo-oidc", property: "client-secret" }]),
      [GRAFANA]: onConnect("grafana", [{ key: '"Forgejo OIDC"', property: "client-secret" }]),
    },
    settings: { onepassword: { items: { [FORGEJO_ID]: "forgejo-oidc" } } },
    errors: {
      [GRAFANA]: [{ messageId: "misspeltItem", data: { written: "Forgejo OIDC", other: "forgejo-oidc", otherFile: AUTHENTIK }, ...keyAt(0, '"Forgejo OIDC"') }],
    },
  },
  {
    name: "an item by an id settings do not map is never called misspelt",
    files: {
      [STORE]: connect,
      [AUTHENTIK]: onConnect("authentik", [{ key: FORGEJO_ID, property: "client-secret" }]),
      [FORGEJO]: onConnect("forgejo", [{ key: FORGEJO_ID, property: "client-secret" }]),
      [GRAFANA]: onConnect("grafana", [{ key: "forgejo-oidc", property: "client_secret" }]),
    },
  },
  {
    name: "the same id: its fields are still compared",
    files: {
      [STORE]: connect,
      [AUTHENTIK]: onConnect("authentik", [{ key: FORGEJO_ID, property: "client-secret" }]),
      [FORGEJO]: onConnect("forgejo", [{ key: FORGEJO_ID, property: "client-secret" }]),
      [GRAFANA]: onConnect("grafana", [{ key: FORGEJO_ID, property: "client_secret" }]),
    },
    errors: {
      [GRAFANA]: [
        { messageId: "misspeltField", data: { written: "client_secret", item: FORGEJO_ID, other: "client-secret", otherFile: AUTHENTIK }, ...propertyAt(0, "client_secret") },
      ],
    },
  },
  {
    name: "two spellings, each in one file and equally common: both are reported",
    files: {
      [STORE]: connect,
      [AUTHENTIK]: onConnect("authentik", [{ key: "forgejo-oidc", property: "client-secret" }]),
      [FORGEJO]: onConnect("forgejo", [{ key: "forgejo-odic", property: "client-secret" }]),
    },
    errors: {
      [AUTHENTIK]: [{ messageId: "ambiguousItem", data: { written: "forgejo-oidc", other: "forgejo-odic", otherFile: FORGEJO }, ...keyAt(0, "forgejo-oidc") }],
      [FORGEJO]: [{ messageId: "ambiguousItem", data: { written: "forgejo-odic", other: "forgejo-oidc", otherFile: AUTHENTIK }, ...keyAt(0, "forgejo-odic") }],
    },
  },
  {
    name: "a 1Password SDK store managed elsewhere, listed in settings with its provider",
    files: { [FORGEJO]: externalSecret({ storeName: "op-sdk", data: [{ key: "forgejo-oidc" }] }) },
    settings: { externalSecrets: { stores: [{ name: "op-sdk", kind: "ClusterSecretStore", provider: "onepasswordSDK", vault: "homelab" }] } },
    errors: {
      [FORGEJO]: [
        {
          messageId: "sdkKeyWithoutField",
          data: { key: "forgejo-oidc", store: 'ClusterSecretStore "op-sdk"', file: "settings.externalSecrets.stores", suggestion: "forgejo-oidc/<field>" },
          ...keyAt(0, "forgejo-oidc"),
        },
      ],
    },
  },
]);
