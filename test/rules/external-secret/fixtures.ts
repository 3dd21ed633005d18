/**
 * Small External Secrets documents for the rule tests, with fixed line layouts so that cases can
 * state exact positions.
 */
import { lines } from "./cases.ts";

const indent = (spaces: number, text: string[]): string[] => text.map((line) => `${" ".repeat(spaces)}${line}`);

/** Provider blocks (the lines under `spec.provider:`), one per provider the cases use. */
export const providers = {
  connect: (vaults: string[] = ["homelab"]) => [
    "onepassword:",
    "  connectHost: http://onepassword-connect:8080",
    "  vaults:",
    ...vaults.map((vault, order) => `    ${vault}: ${order + 1}`),
    "  auth:",
    "    secretRef:",
    "      connectTokenSecretRef:",
    "        name: onepassword-connect-token",
    "        key: token",
    "        namespace: external-secrets",
  ],
  sdk: (vault = "homelab") => [
    "onepasswordSDK:",
    `  vault: ${vault}`,
    "  auth:",
    "    serviceAccountSecretRef:",
    "      name: onepassword-service-account",
    "      key: token",
  ],
  vault: () => [
    "vault:",
    "  server: https://vault.example.com",
    "  path: secret",
    "  version: v2",
    "  auth:",
    "    kubernetes:",
    "      mountPath: kubernetes",
    "      role: external-secrets",
  ],
  kubernetes: () => [
    "kubernetes:",
    "  remoteNamespace: shared",
    "  server:",
    "    caProvider:",
    "      type: ConfigMap",
    "      name: kube-root-ca.crt",
    "      key: ca.crt",
    "  auth:",
    "    serviceAccount:",
    "      name: external-secrets",
  ],
  infisical: () => [
    "infisical:",
    "  auth:",
    "    universalAuthCredentials:",
    "      clientId:",
    "        name: infisical-credentials",
    "        key: clientId",
    "      clientSecret:",
    "        name: infisical-credentials",
    "        key: clientSecret",
    "  secretsScope:",
    "    projectSlug: homelab",
    "    environmentSlug: prod",
  ],
};

export interface StoreOptions {
  kind?: "SecretStore" | "ClusterSecretStore";
  name?: string;
  namespace?: string;
  provider?: string[];
}

export function store({ kind = "ClusterSecretStore", name = "onepassword", namespace, provider = providers.connect() }: StoreOptions = {}): string {
  return lines(
    "apiVersion: external-secrets.io/v1",
    `kind: ${kind}`,
    "metadata:",
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    "spec:",
    "  provider:",
    ...indent(4, provider),
  );
}

/** A `data` item: `key` and, unless undefined, `property`. */
export interface Item {
  secretKey?: string;
  key: string;
  property?: string;
  /** Extra lines of the item (e.g. `sourceRef`). */
  extra?: string[];
}

export interface ExternalSecretOptions {
  name?: string;
  /** Line 5: `namespace:` when given, else a label. */
  namespace?: string;
  storeName?: string;
  /** Line 9; left out when null. */
  storeKind?: string | null;
  data?: Item[];
  /** Extra `spec` lines after `data` (e.g. `dataFrom`). */
  spec?: string[];
}

/**
 * An ExternalSecret: `secretStoreRef.name` on line 8 (value at column 11), its `kind` on line 9,
 * `data` from line 13, each item's `key` on its third line (column 14) and `property` on its
 * fourth (column 19).
 */
export function externalSecret({
  name = "app",
  namespace,
  storeName = "onepassword",
  storeKind = "ClusterSecretStore",
  data = [{ key: "app", property: "password" }],
  spec = [],
}: ExternalSecretOptions = {}): string {
  return lines(
    "apiVersion: external-secrets.io/v1",
    "kind: ExternalSecret",
    "metadata:",
    `  name: ${name}`,
    namespace ? `  namespace: ${namespace}` : `  labels: { app: ${name} }`,
    "spec:",
    "  secretStoreRef:",
    `    name: ${storeName}`,
    ...(storeKind === null ? [] : [`    kind: ${storeKind}`]),
    "  target:",
    `    name: ${name}`,
    ...(data.length > 0 ? ["  data:"] : []),
    ...data.flatMap((item, position) => [
      `    - secretKey: ${item.secretKey ?? `key-${position}`}`,
      "      remoteRef:",
      `        key: ${item.key}`,
      ...(item.property === undefined ? [] : [`        property: ${item.property}`]),
      ...indent(6, item.extra ?? []),
    ]),
    ...indent(2, spec),
  );
}
