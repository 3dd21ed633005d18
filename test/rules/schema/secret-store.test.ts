/**
 * schema/secret-store: SecretStores and ClusterSecretStores against External Secrets' CRD
 * schema, per version; the 1Password Connect, 1Password SDK, Kubernetes and Vault providers in
 * full, every other provider as any mapping.
 */
import fs from "node:fs";
import path from "node:path";
import rule from "../../../rules/schema/secret-store.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests } from "../../helpers/rule-tester.ts";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

const homelabStore = fs.readFileSync(
  path.resolve(import.meta.dir, "../../../examples/homelab/argocd/manifests/external-secrets/cluster-secret-store.yaml"),
  "utf8",
);

/** Lines 1–6 of every case below. */
const header = (kind = "ClusterSecretStore", apiVersion = "external-secrets.io/v1"): string[] => [
  `apiVersion: ${apiVersion}`,
  `kind: ${kind}`,
  "metadata:",
  "  name: onepassword",
  "spec:",
  "  provider:",
];

/** 1Password Connect settings, lines 7–15 under `provider:`, with the vaults' lines replaceable. */
const connect = (vaults: string[] = ["        homelab: 1"]): string[] => [
  "    onepassword:",
  "      connectHost: http://onepassword-connect:8080",
  "      vaults:",
  ...vaults,
  "      auth:",
  "        secretRef:",
  "          connectTokenSecretRef:",
  "            name: onepassword-connect-token",
  "            key: token",
  "            namespace: external-secrets",
];

const file = "argocd/manifests/external-secrets/cluster-secret-store.yaml";

runRuleTests("schema/secret-store", rule as GitopsRule, {
  valid: [
    {
      name: "the homelab's ClusterSecretStore (1Password Connect)",
      files: { [file]: homelabStore },
    },
    {
      name: "1Password Connect with two vaults in search order, and store-wide settings",
      files: {
        [file]: lines(
          "apiVersion: external-secrets.io/v1",
          "kind: ClusterSecretStore",
          "metadata:",
          "  name: onepassword",
          "spec:",
          "  refreshInterval: 300",
          "  retrySettings:",
          "    maxRetries: 5",
          "    retryInterval: 10s",
          "  conditions:",
          "    - namespaces: [miniflux, grafana]",
          "    - namespaceSelector:",
          "        matchLabels:",
          "          secrets: onepassword",
          "  provider:",
          ...connect(["        homelab: 1", "        shared: 2"]),
        ),
      },
    },
    {
      name: "1Password SDK",
      files: {
        [file]: lines(
          ...header("SecretStore"),
          "    onepasswordSDK:",
          "      vault: homelab",
          "      integrationInfo:",
          "        name: homelab",
          "        version: v1.0.0",
          "      auth:",
          "        serviceAccountSecretRef:",
          "          name: onepassword-service-account",
          "          key: token",
        ),
      },
    },
    {
      name: "Kubernetes, with a service account",
      files: {
        [file]: lines(
          ...header("SecretStore"),
          "    kubernetes:",
          "      remoteNamespace: shared",
          "      server:",
          "        url: https://kubernetes.default.svc",
          "        caProvider:",
          "          type: ConfigMap",
          "          name: kube-root-ca.crt",
          "          key: ca.crt",
          "      auth:",
          "        serviceAccount:",
          "          name: external-secrets-reader",
        ),
      },
    },
    {
      name: "Vault, with Kubernetes auth",
      files: {
        [file]: lines(
          ...header(),
          "    vault:",
          "      server: https://vault.example.org",
          "      path: secret",
          "      version: v2",
          "      auth:",
          "        kubernetes:",
          "          mountPath: kubernetes",
          "          role: external-secrets",
          "          serviceAccountRef:",
          "            name: external-secrets",
          "            namespace: external-secrets",
        ),
      },
    },
    {
      name: "a provider not checked in full is accepted as any mapping",
      files: {
        [file]: lines(...header(), "    aws:", "      service: SecretsManager", "      region: eu-west-1", "      anything: goes"),
      },
    },
    {
      name: "v1beta1 1Password Connect",
      files: { [file]: lines(...header("SecretStore", "external-secrets.io/v1beta1"), ...connect()) },
    },
    {
      name: "the 1Password SDK provider under v1beta1, as External Secrets 0.14 to 0.16 served it, in a ClusterSecretStore with conditions",
      files: {
        [file]: lines(
          "apiVersion: external-secrets.io/v1beta1",
          "kind: ClusterSecretStore",
          "metadata:",
          "  name: onepassword-sdk",
          "spec:",
          "  conditions:",
          "    - namespaceSelector:",
          "        matchLabels:",
          "          onepassword: enabled",
          "  provider:",
          "    onepasswordSDK:",
          "      vault: homelab",
          "      integrationInfo:",
          "        name: homelab",
          "        version: v1",
          "      auth:",
          "        serviceAccountSecretRef:",
          "          name: onepassword-service-account",
          "          namespace: external-secrets",
          "          key: token",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a Secret key Kubernetes reads as a boolean (YAML 1.1)",
      filename: file,
      files: {
        [file]: lines(
          ...header(),
          "    onepassword:",
          "      connectHost: http://onepassword-connect:8080",
          "      vaults:",
          "        homelab: 1",
          "      auth:",
          "        secretRef:",
          "          connectTokenSecretRef:",
          "            name: onepassword-connect-token",
          "            key: yes",
          "            namespace: external-secrets",
        ),
      },
      errors: [
        {
          messageId: "notStringInYaml11",
          message:
            'spec.provider.onepassword.auth.secretRef.connectTokenSecretRef.key: yes is read as the boolean true by Kubernetes (YAML 1.1), but the field must be a string: the API server rejects the store, so every ExternalSecret that references it fails to sync. Quote it: "yes".',
          line: 15,
          column: 18,
          endLine: 15,
          endColumn: 21,
        },
      ],
    },
    {
      name: "a 1Password Connect vault whose order is not an integer",
      filename: file,
      files: { [file]: lines(...header(), ...connect(["        homelab: first"])) },
      errors: [
        {
          messageId: "wrongType",
          message:
            'spec.provider.onepassword.vaults.homelab: must be an integer, not the string "first": the API server rejects the store, so every ExternalSecret that references it fails to sync. Write the value as that type.',
          line: 10,
          column: 18,
          endLine: 10,
          endColumn: 23,
        },
      ],
    },
    {
      name: "a 1Password SDK store without its vault",
      filename: file,
      files: {
        [file]: lines(
          ...header("SecretStore"),
          "    onepasswordSDK:",
          "      auth:",
          "        serviceAccountSecretRef:",
          "          name: onepassword-service-account",
          "          key: token",
        ),
      },
      errors: [
        {
          messageId: "missingKey",
          message:
            'spec.provider.onepasswordSDK: missing required key "vault": the API server rejects the store, so every ExternalSecret that references it fails to sync and none of their Secrets appears. Add "vault".',
          line: 8,
          column: 7,
          endLine: 8,
          endColumn: 11,
        },
      ],
    },
    {
      name: "a misspelt provider: did you mean",
      filename: file,
      files: {
        [file]: lines(...header(), ...connect().map((line, index) => (index === 0 ? "    onepasword:" : line))),
      },
      errors: [
        {
          messageId: "unknownKeyDidYouMean",
          message:
            'spec.provider: unknown key "onepasword"; did you mean "onepassword"? Under strict field validation (kubectl\'s default) the API server rejects the store, otherwise it drops the field and the operator connects without it. Rename it to "onepassword".',
          line: 7,
          column: 5,
          endLine: 7,
          endColumn: 15,
        },
      ],
    },
    {
      name: "1Password Connect with the token's reference misspelt",
      filename: file,
      files: {
        [file]: lines(
          ...header(),
          "    onepassword:",
          "      connectHost: http://onepassword-connect:8080",
          "      vaults:",
          "        homelab: 1",
          "      auth:",
          "        secretRef:",
          "          conectTokenSecretRef:",
          "            name: onepassword-connect-token",
          "            key: token",
        ),
      },
      // The missing key and the misspelt one are one mistake, so one message.
      errors: [
        {
          messageId: "unknownKeyDidYouMean",
          data: { at: "spec.provider.onepassword.auth.secretRef: ", key: "conectTokenSecretRef", suggestion: "connectTokenSecretRef" },
          line: 13,
          column: 11,
          endLine: 13,
          endColumn: 31,
        },
      ],
    },
    {
      name: "an apiVersion External Secrets does not serve any more",
      filename: file,
      files: { [file]: lines(...header("ClusterSecretStore", "external-secrets.io/v1alpha1"), ...connect()) },
      errors: [
        {
          messageId: "wrongApiVersion",
          message:
            'apiVersion "external-secrets.io/v1alpha1" is not served by External Secrets: the API server has no ClusterSecretStore there ("no matches for kind"), so every ExternalSecret that references the store fails to sync and none of their Secrets appears. Use "external-secrets.io/v1" ("external-secrets.io/v1beta1" is served only before External Secrets 0.17).',
          line: 1,
          column: 13,
          endLine: 1,
          endColumn: 41,
        },
      ],
    },
    {
      name: "a misspelt API group",
      filename: file,
      files: { [file]: lines(...header("SecretStore", "external-secret.io/v1"), ...connect()) },
      errors: [{ messageId: "wrongApiVersion", data: { apiVersion: "external-secret.io/v1", kind: "SecretStore" }, line: 1, column: 13, endLine: 1, endColumn: 34 }],
    },
    {
      name: "the 1Password SDK provider's cache under v1beta1, which had the provider (0.14 to 0.16) but never its cache: the fix is the apiVersion",
      filename: file,
      files: {
        [file]: lines(
          ...header("SecretStore", "external-secrets.io/v1beta1"),
          "    onepasswordSDK:",
          "      vault: homelab",
          "      auth:",
          "        serviceAccountSecretRef:",
          "          name: onepassword-service-account",
          "          key: token",
          "      cache:",
          "        ttl: 5m",
        ),
      },
      errors: [
        {
          messageId: "onlyInV1",
          message:
            'spec.provider.onepasswordSDK: "cache" exists only in external-secrets.io/v1, not in v1beta1: under strict field validation (kubectl\'s default) the API server rejects the store, otherwise it drops the field and the operator connects without it. Change apiVersion to "external-secrets.io/v1" (External Secrets 0.17 and later serve only v1).',
          line: 13,
          column: 7,
          endLine: 13,
          endColumn: 12,
        },
      ],
    },
    {
      name: "Vault's Kubernetes auth with mountpath in the wrong case",
      filename: file,
      files: {
        [file]: lines(
          ...header(),
          "    vault:",
          "      server: https://vault.example.org",
          "      auth:",
          "        kubernetes:",
          "          mountpath: kubernetes",
          "          mountPath: kubernetes",
          "          role: external-secrets",
        ),
      },
      errors: [{ messageId: "unknownKeyDidYouMean", data: { at: "spec.provider.vault.auth.kubernetes: ", key: "mountpath", suggestion: "mountPath" }, line: 11, column: 11, endLine: 11, endColumn: 20 }],
    },
    {
      name: "a Kubernetes store's caProvider type in the wrong case",
      filename: file,
      files: {
        [file]: lines(
          ...header("SecretStore"),
          "    kubernetes:",
          "      server:",
          "        caProvider:",
          "          type: configmap",
          "          name: kube-root-ca.crt",
          "          key: ca.crt",
          "      auth:",
          "        serviceAccount:",
          "          name: external-secrets-reader",
        ),
      },
      errors: [
        {
          messageId: "wrongValueDidYouMean",
          data: { at: "spec.provider.kubernetes.server.caProvider.type: ", key: "type", detail: '"configmap" is not one of "Secret", "ConfigMap"', suggestion: "ConfigMap" },
          line: 10,
          column: 17,
          endLine: 10,
          endColumn: 26,
        },
      ],
    },
    {
      name: "under v1beta1, an unknown provider is still an unknown key, with the known ones listed",
      filename: file,
      files: { [file]: lines(...header("SecretStore", "external-secrets.io/v1beta1"), "    lastpass:", "      vault: homelab") },
      errors: [
        {
          messageId: "unknownKey",
          message:
            'spec.provider: unknown key "lastpass" (known: "akeyless", "alibaba", "aws", "azurekv", "beyondtrust", "bitwardensecretsmanager", "chef", "cloudrusm", "conjur", "delinea", "device42", "doppler", …): under strict field validation (kubectl\'s default) the API server rejects the store, otherwise it drops the field and the operator connects without it. Remove or rename it.',
          line: 7,
          column: 5,
          endLine: 7,
          endColumn: 13,
        },
      ],
    },
    {
      name: "two providers in one store",
      filename: file,
      files: {
        [file]: lines(...header(), ...connect(), "    aws:", "      service: SecretsManager"),
      },
      errors: [{ messageId: "invalid", data: { at: "spec.provider: ", key: "provider", detail: "must NOT have more than 1 properties" }, line: 7, column: 5 }],
    },
  ],
});
