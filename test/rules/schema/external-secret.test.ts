/**
 * schema/external-secret: ExternalSecrets against External Secrets' CRD schema, per version.
 * Each mistake gives one message at the exact node: an unknown key at the key, a wrong value at
 * the value, a missing key at the mapping's first key, a wrong apiVersion at its value.
 */
import fs from "node:fs";
import path from "node:path";
import rule from "../../../rules/schema/external-secret.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests } from "../../helpers/rule-tester.ts";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

/** Every file of a folder, by path relative to it. */
function folder(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    files[path.relative(root, absolute).split(path.sep).join("/")] = fs.readFileSync(absolute, "utf8");
  }
  return files;
}

const homelab = folder(path.resolve(import.meta.dir, "../../../examples/homelab"));

/** Lines 1–5 of every case below. */
const header = (apiVersion = "external-secrets.io/v1"): string[] => [
  `apiVersion: ${apiVersion}`,
  "kind: ExternalSecret",
  "metadata:",
  "  name: miniflux-secrets",
  "spec:",
];

/** Lines 6–11: a store and a target. */
const storeAndTarget = [
  "  secretStoreRef:",
  "    kind: ClusterSecretStore",
  "    name: onepassword",
  "  target:",
  "    name: miniflux-secrets",
  "    creationPolicy: Owner",
];

const file = "argocd/manifests/miniflux/external-secret.yaml";

runRuleTests("schema/external-secret", rule as GitopsRule, {
  valid: [
    {
      name: "every file of examples/homelab",
      files: homelab,
    },
    {
      name: "v1 with a template, templateFrom, dataFrom (extract, find, rewrite, generator) and empty optional fields",
      files: {
        [file]: lines(
          ...header(),
          "  refreshInterval: 1h",
          "  refreshPolicy: Periodic",
          "  secretStoreRef:",
          "    kind: ClusterSecretStore",
          "    name: onepassword",
          "  target:",
          "    name: miniflux-secrets",
          "    creationPolicy: Merge",
          "    deletionPolicy: Retain",
          "    immutable: false",
          "    template:",
          "      type: Opaque",
          "      engineVersion: v2",
          "      mergePolicy: Merge",
          "      metadata:",
          "        labels:",
          "          app: miniflux",
          "        annotations:",
          "      data:",
          '        DATABASE_URL: "postgres://miniflux:{{ .db_password | urlquery }}@postgres/miniflux"',
          "      templateFrom:",
          "        - configMap:",
          "            name: miniflux-templates",
          "            items:",
          "              - key: config.yaml",
          "                templateAs: Values",
          "          target: Data",
          "        - literal: '{{ .db_password }}'",
          "  data:",
          "    - secretKey: db_password",
          "      remoteRef:",
          "        key: miniflux-db",
          "        property: password",
          "        conversionStrategy: Default",
          "        decodingStrategy: None",
          "        metadataPolicy: None",
          "        nullBytePolicy: Ignore",
          "        version:",
          "  dataFrom:",
          "    - extract:",
          "        key: miniflux-oidc",
          "      rewrite:",
          "        - regexp:",
          "            source: '^(.*)$'",
          "            target: 'oidc_$1'",
          "    - find:",
          "        name:",
          "          regexp: '^miniflux-'",
          "        tags:",
          "          app: miniflux",
          "    - sourceRef:",
          "        generatorRef:",
          "          apiVersion: generators.external-secrets.io/v1alpha1",
          "          kind: Password",
          "          name: miniflux-session-key",
        ),
      },
    },
    {
      name: "v1beta1, with its own templateFrom target values",
      files: {
        [file]: lines(
          ...header("external-secrets.io/v1beta1"),
          ...storeAndTarget,
          "    template:",
          "      templateFrom:",
          "        - target: Annotations",
          "          literal: 'checksum: {{ .password | sha256sum }}'",
          "  data:",
          "    - secretKey: password",
          "      remoteRef:",
          "        key: miniflux-db",
          "        property: password",
        ),
      },
    },
    {
      name: "an ExternalSecret of another project (kubernetes-external-secrets) is not ours to check",
      files: {
        [file]: lines(
          "apiVersion: kubernetes-client.io/v1",
          "kind: ExternalSecret",
          "metadata:",
          "  name: miniflux-secrets",
          "spec:",
          "  backendType: secretsManager",
          "  data:",
          "    - key: miniflux/db",
          "      name: password",
        ),
      },
    },
    {
      name: "template values given by aliases of anchored strings, and a data item merged from an anchor (<<)",
      files: {
        [file]: lines(
          ...header(),
          ...storeAndTarget,
          "    template:",
          "      data:",
          "        DATABASE_HOST: &host postgres-rw.databases.svc.cluster.local",
          "        INIT_POSTGRES_HOST: *host",
          "  data:",
          "    - &password",
          "      secretKey: password",
          "      remoteRef:",
          "        key: miniflux-db",
          "        property: password",
          "    - <<: *password",
          "      secretKey: admin-password",
        ),
      },
    },
    {
      name: "anchors that alias each other a billion times over are read up to a limit, not expanded",
      files: {
        [file]: lines(
          ...header(),
          ...storeAndTarget,
          "status:",
          '  a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]',
          ...["b", "c", "d", "e", "f", "g", "h", "i"].map(
            (name, index) => `  ${name}: &${name} [${Array.from({ length: 10 }, () => `*${"abcdefghi"[index]}`).join(", ")}]`,
          ),
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a template value Kubernetes reads as a boolean (YAML 1.1)",
      filename: file,
      files: { [file]: lines(...header(), ...storeAndTarget, "    template:", "      data:", "        DEBUG: yes") },
      errors: [
        {
          messageId: "notStringInYaml11",
          message:
            'spec.target.template.data.DEBUG: yes is read as the boolean true by Kubernetes (YAML 1.1), but the field must be a string: the API server rejects the ExternalSecret, so the operator never syncs it and the Secret is not created or updated. Quote it: "yes".',
          line: 14,
          column: 16,
          endLine: 14,
          endColumn: 19,
        },
      ],
    },
    {
      name: "a wrong type reached through an alias: at the alias, where the copy is used",
      filename: file,
      files: {
        [file]: lines(
          ...header(),
          ...storeAndTarget,
          "    template:",
          "      metadata:",
          "        labels: &labels",
          "          app: miniflux",
          "      data:",
          "        LABELS: *labels",
        ),
      },
      errors: [
        {
          messageId: "wrongType",
          message:
            "spec.target.template.data.LABELS: must be a string, not a mapping: the API server rejects the ExternalSecret, so the operator never syncs it and the Secret is not created or updated. Write the value as that type.",
          line: 17,
          column: 17,
          endLine: 17,
          endColumn: 24,
        },
      ],
    },
    {
      name: "a misspelt key in a mapping merged with <<: at the merge key's value",
      filename: file,
      files: {
        [file]: lines(
          ...header(),
          ...storeAndTarget,
          "  data:",
          "    - secretKey: password",
          "      remoteRef:",
          "        <<: &ref { key: miniflux-db, proprety: password }",
        ),
      },
      errors: [
        {
          messageId: "unknownKeyDidYouMean",
          data: { at: "spec.data[0].remoteRef: ", key: "proprety", suggestion: "property" },
          line: 15,
          column: 18,
          endLine: 15,
          endColumn: 58,
        },
      ],
    },
    {
      name: "a list that contains itself through an alias is read once around, not forever",
      filename: file,
      files: { [file]: lines(...header(), ...storeAndTarget, "  data: &items", "    - *items") },
      errors: [{ messageId: "wrongType", data: { at: "spec.data[0]: ", detail: "must be a mapping, not a list" }, line: 13, column: 7, endLine: 13, endColumn: 13 }],
    },
    {
      name: "a data item without secretKey: at the item's first key",
      filename: file,
      files: {
        [file]: lines(...header(), ...storeAndTarget, "  data:", "    - remoteRef:", "        key: miniflux-db", "        property: password"),
      },
      errors: [
        {
          messageId: "missingKey",
          message:
            'spec.data[0]: missing required key "secretKey": the API server rejects the ExternalSecret, so the operator never syncs it and the Secret never appears (a workload that reads it does not start). Add "secretKey".',
          line: 13,
          column: 7,
          endLine: 13,
          endColumn: 16,
        },
      ],
    },
    {
      name: "a remoteRef without key",
      filename: file,
      files: {
        [file]: lines(...header(), ...storeAndTarget, "  data:", "    - secretKey: password", "      remoteRef:", "        property: password"),
      },
      errors: [{ messageId: "missingKey", data: { at: "spec.data[0].remoteRef: ", detail: 'missing required key "key"', key: "key" }, line: 15, column: 9, endLine: 15, endColumn: 17 }],
    },
    {
      name: "a misspelt remoteRef.property: did you mean",
      filename: file,
      files: {
        [file]: lines(
          ...header(),
          ...storeAndTarget,
          "  data:",
          "    - secretKey: password",
          "      remoteRef:",
          "        key: miniflux-db",
          "        proprety: password",
        ),
      },
      errors: [
        {
          messageId: "unknownKeyDidYouMean",
          message:
            'spec.data[0].remoteRef: unknown key "proprety"; did you mean "property"? Under strict field validation (kubectl\'s default) the API server rejects the ExternalSecret, otherwise it drops the field and the operator syncs without it. Rename it to "property".',
          line: 16,
          column: 9,
          endLine: 16,
          endColumn: 17,
        },
      ],
    },
    {
      name: "secretStoreRef.kind in the wrong case: did you mean",
      filename: file,
      files: {
        [file]: lines(...header(), "  secretStoreRef:", "    kind: ClusterSecretstore", "    name: onepassword"),
      },
      errors: [
        {
          messageId: "wrongValueDidYouMean",
          message:
            'spec.secretStoreRef.kind: "ClusterSecretstore" is not one of "SecretStore", "ClusterSecretStore"; did you mean "ClusterSecretStore"? The API server rejects the ExternalSecret (values are case-sensitive), so the operator never syncs it and the Secret is not created or updated.',
          line: 7,
          column: 11,
          endLine: 7,
          endColumn: 29,
        },
      ],
    },
    {
      name: "an apiVersion External Secrets never served",
      filename: file,
      files: { [file]: lines(...header("external-secrets.io/v2"), ...storeAndTarget) },
      errors: [
        {
          messageId: "wrongApiVersion",
          message:
            'apiVersion "external-secrets.io/v2" is not served by External Secrets: the API server has no ExternalSecret there ("no matches for kind"), so the operator never syncs it, the Secret never appears and a workload that reads it does not start. Use "external-secrets.io/v1" ("external-secrets.io/v1beta1" is served only before External Secrets 0.17).',
          line: 1,
          column: 13,
          endLine: 1,
          endColumn: 35,
        },
      ],
    },
    {
      name: "a misspelt API group, which the index does not read as an ExternalSecret",
      filename: file,
      files: { [file]: lines(...header("externalsecrets.io/v1"), ...storeAndTarget) },
      errors: [{ messageId: "wrongApiVersion", data: { apiVersion: "externalsecrets.io/v1", kind: "ExternalSecret" }, line: 1, column: 13, endLine: 1, endColumn: 34 }],
    },
    {
      name: "template.mergePolicy in the wrong case",
      filename: file,
      files: {
        [file]: lines(...header(), ...storeAndTarget, "    template:", "      engineVersion: v2", "      mergePolicy: merge"),
      },
      errors: [
        {
          messageId: "wrongValueDidYouMean",
          data: {
            at: "spec.target.template.mergePolicy: ",
            key: "mergePolicy",
            detail: '"merge" is not one of "Replace", "Merge"',
            suggestion: "Merge",
          },
          line: 14,
          column: 20,
          endLine: 14,
          endColumn: 25,
        },
      ],
    },
    {
      name: "creationPolicy: Own (Owner is the value)",
      filename: file,
      files: {
        [file]: lines(...header(), "  target:", "    name: miniflux-secrets", "    creationPolicy: Own"),
      },
      errors: [{ messageId: "wrongValueDidYouMean", line: 8, column: 21, endLine: 8, endColumn: 24 }],
    },
    {
      name: "a dataFrom item in v1alpha1's shape: an unknown key with no close one lists the known keys",
      filename: file,
      files: {
        [file]: lines(...header(), ...storeAndTarget, "  dataFrom:", "    - key: miniflux-oidc"),
      },
      errors: [
        {
          messageId: "unknownKey",
          message:
            'spec.dataFrom[0]: unknown key "key" (known: "extract", "find", "rewrite", "sourceRef"): under strict field validation (kubectl\'s default) the API server rejects the ExternalSecret, otherwise it drops the field and the operator syncs without it. Remove or rename it.',
          line: 13,
          column: 7,
          endLine: 13,
          endColumn: 10,
        },
      ],
    },
    {
      name: "template.engineVersion v1, which External Secrets no longer has",
      filename: file,
      files: { [file]: lines(...header(), ...storeAndTarget, "    template:", "      engineVersion: v1") },
      errors: [
        {
          messageId: "wrongValueDidYouMean",
          data: { at: "spec.target.template.engineVersion: ", key: "engineVersion", detail: '"v1" is not "v2"', suggestion: "v2" },
          line: 13,
          column: 22,
          endLine: 13,
          endColumn: 24,
        },
      ],
    },
    {
      name: "a deletionPolicy with no close value: the allowed ones are listed",
      filename: file,
      files: { [file]: lines(...header(), "  target:", "    deletionPolicy: Keep") },
      errors: [
        {
          messageId: "wrongValue",
          message:
            'spec.target.deletionPolicy: "Keep" is not one of "Delete", "Merge", "Retain": the API server rejects the ExternalSecret, so the operator never syncs it and the Secret is not created or updated. Use one of the allowed values (they are case-sensitive).',
          line: 7,
          column: 21,
          endLine: 7,
          endColumn: 25,
        },
      ],
    },
    {
      name: "refreshInterval as a number of seconds",
      filename: file,
      files: { [file]: lines(...header(), "  refreshInterval: 3600", ...storeAndTarget) },
      errors: [
        {
          messageId: "wrongType",
          data: { at: "spec.refreshInterval: ", key: "refreshInterval", detail: "must be a string, not the integer 3600" },
          line: 6,
          column: 20,
          endLine: 6,
          endColumn: 24,
        },
      ],
    },
    {
      name: "a secretKey that is no Secret key",
      filename: file,
      files: {
        [file]: lines(...header(), ...storeAndTarget, "  data:", "    - secretKey: db password", "      remoteRef:", "        key: miniflux-db"),
      },
      errors: [
        {
          messageId: "invalid",
          data: { at: "spec.data[0].secretKey: ", key: "secretKey", detail: 'must match pattern "^[-._a-zA-Z0-9]+$"' },
          line: 13,
          column: 18,
          endLine: 13,
          endColumn: 29,
        },
      ],
    },
    {
      name: "an empty remoteRef: required, so null is not pruned away",
      filename: file,
      files: { [file]: lines(...header(), ...storeAndTarget, "  data:", "    - secretKey: password", "      remoteRef:") },
      errors: [{ messageId: "wrongType", data: { at: "spec.data[0].remoteRef: ", key: "remoteRef", detail: "must be a mapping, not null" }, line: 14, column: 17 }],
    },
    {
      name: "v1beta1 is checked against its own schema: nullBytePolicy is v1's, so the fix is the apiVersion",
      filename: file,
      files: {
        [file]: lines(
          ...header("external-secrets.io/v1beta1"),
          ...storeAndTarget,
          "  data:",
          "    - secretKey: password",
          "      remoteRef:",
          "        key: miniflux-db",
          "        nullBytePolicy: Fail",
        ),
      },
      errors: [
        {
          messageId: "onlyInV1",
          data: { at: "spec.data[0].remoteRef: ", key: "nullBytePolicy" },
          line: 16,
          column: 9,
          endLine: 16,
          endColumn: 23,
        },
      ],
    },
    {
      name: "a misspelt required key is one mistake: one message, not a missing key as well",
      filename: file,
      files: {
        [file]: lines(...header(), ...storeAndTarget, "  data:", "    - secretkey: password", "      remoteRef:", "        key: miniflux-db"),
      },
      errors: [{ messageId: "unknownKeyDidYouMean", data: { at: "spec.data[0]: ", key: "secretkey", suggestion: "secretKey" }, line: 13, column: 7, endLine: 13, endColumn: 16 }],
    },
    {
      name: "a misspelt metadata field",
      filename: file,
      files: {
        [file]: lines("apiVersion: external-secrets.io/v1", "kind: ExternalSecret", "metadata:", "  name: miniflux-secrets", "  namepsace: miniflux", "spec:", ...storeAndTarget),
      },
      errors: [{ messageId: "unknownKeyDidYouMean", data: { at: "metadata: ", key: "namepsace", suggestion: "namespace" }, line: 5, column: 3, endLine: 5, endColumn: 12 }],
    },
    {
      name: "one message per mistake, in document order, in every document of a file",
      filename: file,
      files: {
        [file]: lines(
          ...header(),
          "  target:",
          "    creationPolicy: Own",
          "---",
          ...header("external-secrets.io/v1alpha1"),
          "  target:",
          "    creationPolicy: Own",
        ),
      },
      errors: [
        { messageId: "wrongValueDidYouMean", line: 7, column: 21 },
        { messageId: "wrongApiVersion", line: 9, column: 13 },
      ],
    },
  ],
});
