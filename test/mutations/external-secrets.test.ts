/**
 * Mistakes in the ExternalSecrets and the ClusterSecretStore. The authentik-config ExternalSecret
 * is left alone where a mistake would change which keys it produces: blueprint/env-wired lists
 * those keys in the message of the homelab's deliberate defect, so that message would change too.
 */
import { runMutations } from "./harness.ts";

const manifests = "argocd/manifests";
const store = `${manifests}/external-secrets/cluster-secret-store.yaml`;

runMutations("mutations: ExternalSecrets", [
  {
    name: "a data item without secretKey",
    file: `${manifests}/miniflux/external-secret.yaml`,
    find: "    - secretKey: db_password\n      remoteRef:",
    replace: "    # secretKey forgotten\n    - remoteRef:",
    ruleId: "schema/external-secret",
    at: "26:7",
    messageId: "missingKey",
  },
  {
    name: "a data item without remoteRef.key",
    file: `${manifests}/immich/external-secret.yaml`,
    find: "        key: immich-db\n",
    replace: "        # key: immich-db\n",
    ruleId: "schema/external-secret",
    at: "49:9",
    messageId: "missingKey",
  },
  {
    name: "secretKey in the wrong case: secretkey",
    file: `${manifests}/immich/external-secret.yaml`,
    find: "    - secretKey: client_secret",
    replace: "    - secretkey: client_secret",
    ruleId: "schema/external-secret",
    at: "42:7",
    messageId: "unknownKeyDidYouMean",
  },
  {
    name: "an apiVersion External Secrets does not serve: v1alpha1",
    file: `${manifests}/miniflux/external-secret.yaml`,
    find: "apiVersion: external-secrets.io/v1",
    replace: "apiVersion: external-secrets.io/v1alpha1",
    ruleId: "schema/external-secret",
    at: "2:13",
    messageId: "wrongApiVersion",
  },
  {
    name: "a misspelt remoteRef key: proprety",
    file: `${manifests}/grafana/external-secret.yaml`,
    find: "        property: client-secret",
    replace: "        proprety: client-secret",
    ruleId: "schema/external-secret",
    at: "24:9",
    messageId: "unknownKeyDidYouMean",
  },
  {
    name: "secretStoreRef.kind in the wrong case: ClusterSecretstore",
    file: `${manifests}/immich/external-secret.yaml`,
    find: "    kind: ClusterSecretStore",
    replace: "    kind: ClusterSecretstore",
    ruleId: "schema/external-secret",
    at: "10:11",
    messageId: "wrongValueDidYouMean",
  },
  {
    name: "a wrong enum: creationPolicy: Own",
    file: `${manifests}/authentik/external-secret.yaml`,
    find: "    creationPolicy: Owner",
    replace: "    creationPolicy: Own",
    ruleId: "schema/external-secret",
    at: "14:21",
    messageId: "wrongValueDidYouMean",
  },
  {
    name: "a template engine that does not exist: engineVersion: v3",
    file: `${manifests}/grafana/external-secret.yaml`,
    find: "      engineVersion: v2",
    replace: "      engineVersion: v3",
    ruleId: "schema/external-secret",
    at: "16:22",
    messageId: "wrongValueDidYouMean",
  },
  {
    name: "a misspelt spec key: secretStoreref",
    file: `${manifests}/miniflux/external-secret.yaml`,
    find: "  secretStoreRef:",
    replace: "  secretStoreref:",
    ruleId: "schema/external-secret",
    at: "8:3",
    messageId: "unknownKeyDidYouMean",
  },
  {
    name: "a misspelt target key: templates",
    file: `${manifests}/grafana/external-secret.yaml`,
    find: "    template:",
    replace: "    templates:",
    ruleId: "schema/external-secret",
    at: "15:5",
    messageId: "unknownKeyDidYouMean",
  },
]);

runMutations("mutations: the ClusterSecretStore", [
  {
    name: "a vault's search order that is not a number: homelab: first",
    file: store,
    find: "        homelab: 1",
    replace: "        homelab: first",
    ruleId: "schema/secret-store",
    at: "13:18",
    messageId: "wrongType",
  },
  {
    name: "a misspelt provider: onepasword",
    file: store,
    find: "    onepassword:",
    replace: "    onepasword:",
    ruleId: "schema/secret-store",
    at: "10:5",
    messageId: "unknownKeyDidYouMean",
  },
  {
    name: "a misspelt required key of the 1Password Connect provider: conectHost",
    file: store,
    find: "      connectHost: http",
    replace: "      conectHost: http",
    ruleId: "schema/secret-store",
    at: "11:7",
    messageId: "unknownKeyDidYouMean",
  },
  {
    name: "a misspelt key of the Connect token reference: namepsace",
    file: store,
    find: "            namespace: external-secrets",
    replace: "            namepsace: external-secrets",
    ruleId: "schema/secret-store",
    at: "19:13",
    messageId: "unknownKeyDidYouMean",
  },
  {
    name: "an apiVersion External Secrets does not serve: v1alpha1",
    file: store,
    find: "apiVersion: external-secrets.io/v1",
    replace: "apiVersion: external-secrets.io/v1alpha1",
    ruleId: "schema/secret-store",
    at: "4:13",
    messageId: "wrongApiVersion",
  },
]);
