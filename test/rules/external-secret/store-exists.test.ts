/**
 * external-secret/store-exists: each `secretStoreRef` names a store the repo defines (or settings
 * list), of the kind it says (SecretStore by default), serving the ExternalSecret's namespace.
 */
import rule from "../../../rules/external-secret/store-exists.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests } from "../../helpers/rule-tester.ts";
import { homelabFiles, lines, runProjectCases } from "./cases.ts";
import { externalSecret, providers, store } from "./fixtures.ts";

const ES = "apps/app/external-secret.yaml";
const STORE = "external-secrets/cluster-secret-store.yaml";

/** `secretStoreRef.name` of `externalSecret()`, `width` characters long. */
const atName = (width: number) => ({ line: 8, column: 11, endLine: 8, endColumn: 11 + width });
const atKind = (width: number) => ({ line: 9, column: 11, endLine: 9, endColumn: 11 + width });

const namespaced = (namespace: string): string =>
  lines("apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", `namespace: ${namespace}`, "resources:", "  - external-secret.yaml", "  - secret-store.yaml");

runRuleTests("external-secret/store-exists", rule as GitopsRule, {
  valid: [
    { name: "a ClusterSecretStore named with its kind", files: { [STORE]: store(), [ES]: externalSecret() } },
    {
      name: "a SecretStore in the same namespace, kind left to its default",
      files: {
        "apps/app/secret-store.yaml": store({ kind: "SecretStore", name: "vault", namespace: "apps", provider: providers.vault() }),
        [ES]: externalSecret({ namespace: "apps", storeName: "vault", storeKind: null }),
      },
    },
    {
      name: "a SecretStore and an ExternalSecret put in one namespace by their Kustomization",
      files: {
        "apps/app/kustomization.yaml": namespaced("apps"),
        "apps/app/secret-store.yaml": store({ kind: "SecretStore", name: "kubernetes", provider: providers.kubernetes() }),
        [ES]: externalSecret({ storeName: "kubernetes", storeKind: "SecretStore" }),
      },
    },
    {
      name: "a SecretStore of a kustomize Component is put in the namespace of the overlay that includes it",
      files: {
        "overlays/prod/kustomization.yaml": lines(
          "apiVersion: kustomize.config.k8s.io/v1beta1",
          "kind: Kustomization",
          "namespace: app-prod",
          "resources:",
          "  - ../../base",
          "components:",
          "  - ../../components/store",
        ),
        "base/kustomization.yaml": lines("resources:", "  - external-secret.yaml"),
        "base/external-secret.yaml": externalSecret({ storeName: "onepassword-sdk", storeKind: null }),
        "components/store/kustomization.yaml": lines("apiVersion: kustomize.config.k8s.io/v1alpha1", "kind: Component", "resources:", "  - secret-store.yaml"),
        "components/store/secret-store.yaml": store({ kind: "SecretStore", name: "onepassword-sdk", namespace: "default", provider: providers.sdk() }),
      },
    },
    {
      name: "an ExternalSecret whose namespace is unknown may use a SecretStore of any namespace",
      files: {
        "apps/app/secret-store.yaml": store({ kind: "SecretStore", name: "infisical", namespace: "apps", provider: providers.infisical() }),
        [ES]: externalSecret({ storeName: "infisical", storeKind: "SecretStore" }),
      },
    },
    {
      name: "stores of several providers, each named right",
      files: {
        [STORE]: store(),
        "external-secrets/sdk.yaml": store({ name: "onepassword-sdk", provider: providers.sdk() }),
        "external-secrets/vault.yaml": store({ name: "vault", provider: providers.vault() }),
        [ES]: externalSecret({ storeName: "onepassword-sdk" }),
        "apps/other/external-secret.yaml": externalSecret({ storeName: "vault", data: [{ key: "secret/data/app", property: "password" }] }),
      },
    },
    { name: "no store in the repo at all: the stores are managed elsewhere", files: { [ES]: externalSecret() } },
    {
      name: "stores written inside other documents: a chart's extraObjects values, a local chart's template, a List",
      files: {
        "external-secrets/vault.yaml": store({ name: "vault", provider: providers.vault() }),
        "external-secrets/helmrelease.yaml": lines(
          "apiVersion: helm.toolkit.fluxcd.io/v2",
          "kind: HelmRelease",
          "metadata:",
          "  name: external-secrets",
          "spec:",
          "  values:",
          "    extraObjects:",
          "      - apiVersion: external-secrets.io/v1",
          "        kind: ClusterSecretStore",
          "        metadata:",
          "          name: onepassword",
          "        spec:",
          "          provider:",
          "            onepasswordSDK:",
          "              vault: homelab",
        ),
        "charts/stores/Chart.yaml": lines("apiVersion: v2", "name: stores", "version: 0.1.0"),
        "charts/stores/templates/store.yaml": lines(
          "apiVersion: external-secrets.io/v1",
          "kind: ClusterSecretStore",
          "metadata:",
          "  labels:",
          '    {{- include "stores.labels" . | nindent 4 }}',
          "  name: bitwarden",
          "spec:",
          "  provider:",
          "    bitwardensecretsmanager:",
          "      organizationID: {{ .Values.organization }}",
        ),
        "external-secrets/list.yaml": lines(
          "apiVersion: v1",
          "kind: List",
          "items:",
          "  - apiVersion: external-secrets.io/v1",
          "    kind: SecretStore",
          "    metadata:",
          "      name: kubernetes",
          "    spec:",
          "      provider:",
          "        kubernetes:",
          "          remoteNamespace: default",
        ),
        [ES]: externalSecret(),
        "apps/bw/external-secret.yaml": externalSecret({ name: "bw", storeName: "bitwarden" }),
        "apps/kube/external-secret.yaml": externalSecret({ name: "kube", storeName: "kubernetes", storeKind: "SecretStore" }),
      },
    },
    {
      name: "a templated store name is not judged",
      files: { [STORE]: store(), [ES]: externalSecret({ storeName: "${SECRET_STORE}" }) },
    },
    {
      name: "a kind that is neither store kind is schema/external-secret's to report",
      files: { [STORE]: store(), [ES]: externalSecret({ storeKind: "ClusterSecretstore" }) },
    },
    {
      name: "an ExternalSecret without secretStoreRef (data items name their own sourceRef)",
      files: {
        [STORE]: store(),
        [ES]: lines(
          "apiVersion: external-secrets.io/v1",
          "kind: ExternalSecret",
          "metadata:",
          "  name: generated",
          "spec:",
          "  dataFrom:",
          "    - sourceRef:",
          "        generatorRef:",
          "          apiVersion: generators.external-secrets.io/v1alpha1",
          "          kind: Password",
          "          name: app-password",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a ClusterSecretStore referenced without kind",
      filename: ES,
      files: { [STORE]: store(), [ES]: externalSecret({ namespace: "apps", storeKind: null }) },
      errors: [
        {
          messageId: "clusterStoreWithoutKind",
          data: { name: "onepassword", namespace: 'namespace "apps"', file: STORE },
          ...atName("onepassword".length),
        },
      ],
    },
    {
      name: "a ClusterSecretStore referenced without kind, the namespace unknown",
      filename: ES,
      files: { [STORE]: store(), [ES]: externalSecret({ storeKind: null }) },
      errors: [
        {
          messageId: "clusterStoreWithoutKind",
          data: { name: "onepassword", namespace: "the ExternalSecret's namespace", file: STORE },
          ...atName("onepassword".length),
        },
      ],
    },
    {
      name: "kind: SecretStore for a ClusterSecretStore",
      filename: ES,
      files: { [STORE]: store(), [ES]: externalSecret({ storeKind: "SecretStore" }) },
      errors: [
        {
          messageId: "wrongKind",
          data: { kind: "SecretStore", name: "onepassword", actualKind: "ClusterSecretStore", file: STORE },
          ...atKind("SecretStore".length),
        },
      ],
    },
    {
      name: "kind: ClusterSecretStore for a SecretStore",
      filename: ES,
      files: {
        "apps/app/secret-store.yaml": store({ kind: "SecretStore", name: "vault", namespace: "apps", provider: providers.vault() }),
        [ES]: externalSecret({ namespace: "apps", storeName: "vault" }),
      },
      errors: [
        {
          messageId: "wrongKind",
          data: { kind: "ClusterSecretStore", name: "vault", actualKind: "SecretStore", file: "apps/app/secret-store.yaml" },
          ...atKind("ClusterSecretStore".length),
        },
      ],
    },
    {
      name: "a SecretStore of another namespace",
      filename: ES,
      files: {
        "monitoring/secret-store.yaml": store({ kind: "SecretStore", name: "vault", namespace: "monitoring", provider: providers.vault() }),
        [ES]: externalSecret({ namespace: "apps", storeName: "vault", storeKind: "SecretStore" }),
      },
      errors: [
        {
          messageId: "storeInOtherNamespace",
          data: { name: "vault", storeNamespace: "monitoring", namespace: "apps", file: "monitoring/secret-store.yaml" },
          ...atName("vault".length),
        },
      ],
    },
    {
      name: "a misspelt store name: did you mean",
      filename: ES,
      files: { [STORE]: store(), [ES]: externalSecret({ storeName: "onepasword" }) },
      errors: [
        {
          messageId: "unknownStoreDidYouMean",
          data: { kind: "ClusterSecretStore", name: "onepasword", suggestion: 'ClusterSecretStore "onepassword"', file: STORE },
          ...atName("onepasword".length),
        },
      ],
    },
    {
      name: "an unknown store: the message lists the stores",
      filename: ES,
      files: {
        [STORE]: store(),
        "external-secrets/vault.yaml": store({ name: "vault", provider: providers.vault() }),
        [ES]: externalSecret({ storeName: "bitwarden" }),
      },
      errors: [
        {
          messageId: "unknownStore",
          data: { kind: "ClusterSecretStore", name: "bitwarden", stores: 'ClusterSecretStore "onepassword", ClusterSecretStore "vault"' },
          ...atName("bitwarden".length),
        },
      ],
    },
  ],
});

runProjectCases("external-secret/store-exists", rule as GitopsRule, [
  {
    name: "a store listed in settings.externalSecrets.stores",
    files: { [ES]: externalSecret({ storeName: "shared-vault" }) },
    settings: { externalSecrets: { stores: [{ name: "shared-vault", kind: "ClusterSecretStore" }] } },
  },
  {
    name: "a store listed in settings without a kind matches either kind",
    files: { [STORE]: store(), [ES]: externalSecret({ storeName: "legacy", storeKind: null }) },
    settings: { externalSecrets: { stores: [{ name: "legacy" }] } },
  },
  {
    name: "settings list other stores: an unknown name is an error, with settings' stores as candidates",
    files: { [ES]: externalSecret({ storeName: "shared-vualt" }) },
    settings: { externalSecrets: { stores: [{ name: "shared-vault", kind: "ClusterSecretStore" }] } },
    errors: {
      [ES]: [
        {
          messageId: "unknownStoreDidYouMean",
          data: { kind: "ClusterSecretStore", name: "shared-vualt", suggestion: 'ClusterSecretStore "shared-vault"', file: "settings.externalSecrets.stores" },
          ...atName("shared-vualt".length),
        },
      ],
    },
  },
  {
    name: "a SecretStore listed in settings for another namespace does not serve this one",
    files: { [STORE]: store(), [ES]: externalSecret({ namespace: "apps", storeName: "team-store", storeKind: "SecretStore" }) },
    settings: { externalSecrets: { stores: [{ name: "team-store", kind: "SecretStore", namespace: "team" }] } },
    errors: {
      [ES]: [
        {
          messageId: "unknownStore",
          data: { kind: "SecretStore", name: "team-store", stores: 'ClusterSecretStore "onepassword", SecretStore "team-store"' },
          ...atName("team-store".length),
        },
      ],
    },
  },
]);
