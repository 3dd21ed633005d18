/**
 * blueprint/env-wired: each `!Env X` of a blueprint the authentik worker loads is set on the
 * worker container from a Secret key that something in the repo produces. Each case is a small
 * authentik directory: the blueprint ConfigMap, the worker (and sometimes the server), and what
 * makes the Secret.
 */
import { expect, test } from "bun:test";
import rule from "../../../rules/blueprint/env-wired.ts";
import { lintProject } from "../../../src/engine.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests, writeRepo } from "../../helpers/rule-tester.ts";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;
const indent = (spaces: number, text: string[]): string[] => text.map((line) => `${" ".repeat(spaces)}${line}`);

const BLUEPRINTS = "authentik/configmap-blueprint.yaml";
const WORKER = "authentik/deployment-worker.yaml";
const SERVER = "authentik/deployment-server.yaml";
const EXTERNAL_SECRET = "authentik/external-secret.yaml";

/** The blueprint lines, with the `!Env` at line 6 (standalone) or 12 (in the ConfigMap). */
const blueprint = (env: string): string[] => [
  "version: 1",
  "entries:",
  "  - model: authentik_providers_oauth2.oauth2provider",
  "    id: provider",
  "    attrs:",
  `      client_secret: ${env}`,
];

/** The ConfigMap `authentik-blueprints` holding one blueprint; its `!Env` is on line 12, column 26. */
const blueprintConfigMap = (env = "!Env AUTHENTIK_APP_SECRET"): string =>
  lines(
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: authentik-blueprints",
    "data:",
    "  app.yaml: |",
    ...indent(4, blueprint(env)),
  );

/** An env var read from a Secret key. */
const secretEnv = (name: string, secret: string, key: string): string[] => [
  `- name: ${name}`,
  "  valueFrom:",
  "    secretKeyRef:",
  `      name: ${secret}`,
  `      key: ${key}`,
];

interface DeploymentOptions {
  name?: string;
  args?: string;
  image?: string;
  namespace?: string;
  /** Lines of the container's `env:` list. */
  env?: string[];
  /** Lines of the container's `envFrom:` list. */
  envFrom?: string[];
  /** The ConfigMap it mounts, if any. */
  mounts?: string;
}

function deployment({
  name = "authentik-worker",
  args = "[worker]",
  image = "ghcr.io/goauthentik/server:2025.2.1",
  namespace,
  env = [],
  envFrom = [],
  mounts = "authentik-blueprints",
}: DeploymentOptions): string {
  return lines(
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    `        - name: ${name.replace(/^authentik-/u, "")}`,
    `          image: ${image}`,
    ...(args ? [`          args: ${args}`] : []),
    ...(env.length > 0 ? ["          env:", ...indent(12, env)] : []),
    ...(envFrom.length > 0 ? ["          envFrom:", ...indent(12, envFrom)] : []),
    ...(mounts ? ["      volumes:", "        - name: blueprints", "          configMap:", `            name: ${mounts}`] : []),
  );
}

/** The worker with `AUTHENTIK_APP_SECRET` from Secret `authentik-config` key `app-secret`. */
const wiredWorker = (options: DeploymentOptions = {}): string =>
  deployment({ env: secretEnv("AUTHENTIK_APP_SECRET", "authentik-config", "app-secret"), ...options });

interface ExternalSecretOptions {
  name?: string;
  namespace?: string;
  /** `spec.target` lines after `name:` (e.g. a template). */
  target?: string[];
  targetName?: string;
  /** The `data[].secretKey`s. */
  keys?: string[];
  /** Extra `spec` lines (e.g. `dataFrom`). */
  spec?: string[];
}

function externalSecret({
  name = "authentik-config",
  namespace,
  targetName,
  target = [],
  keys = ["app-secret"],
  spec = [],
}: ExternalSecretOptions = {}): string {
  return lines(
    "apiVersion: external-secrets.io/v1",
    "kind: ExternalSecret",
    "metadata:",
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    "spec:",
    "  secretStoreRef:",
    "    kind: ClusterSecretStore",
    "    name: onepassword",
    ...(targetName || target.length > 0 ? ["  target:", ...(targetName ? [`    name: ${targetName}`] : []), ...indent(4, target)] : []),
    ...(keys.length > 0
      ? ["  data:", ...keys.flatMap((key) => [`    - secretKey: ${key}`, "      remoteRef:", "        key: authentik", `        property: ${key}`])]
      : []),
    ...indent(2, spec),
  );
}

/** The complete chain: blueprint ConfigMap, worker mounting it, ExternalSecret producing the key. */
const complete = (): Record<string, string> => ({
  [BLUEPRINTS]: blueprintConfigMap(),
  [WORKER]: wiredWorker(),
  [EXTERNAL_SECRET]: externalSecret(),
});

/** Where the `!Env AUTHENTIK_APP_SECRET` of `blueprintConfigMap()` is. */
const atEnv = { line: 12, column: 26, endLine: 12, endColumn: 51 };
/** Where `!Env [AUTHENTIK_APP_SECRET, changeme]` is. */
const atEnvWithDefault = { line: 12, column: 26, endLine: 12, endColumn: 63 };

const noEnvVar = { name: "AUTHENTIK_APP_SECRET", container: "worker", file: WORKER };
const readsAppSecret = { name: "AUTHENTIK_APP_SECRET", secret: "authentik-config", key: "app-secret" };
const byExternalSecret = { producer: 'ExternalSecret "authentik-config"', file: EXTERNAL_SECRET };

/** A standalone blueprint file: its `!Env` is on line 6, column 22. */
const STANDALONE = "authentik/blueprints/app.yaml";
const atStandaloneEnv = { line: 6, column: 22, endLine: 6, endColumn: 47 };

const kustomizationWithGenerator = lines(
  "apiVersion: kustomize.config.k8s.io/v1beta1",
  "kind: Kustomization",
  "resources:",
  "  - deployment-worker.yaml",
  "  - external-secret.yaml",
  "configMapGenerator:",
  "  - name: authentik-blueprints",
  "    files:",
  "      - blueprints/app.yaml",
);

/** Two authentik instances, each in a directory whose Kustomization sets its namespace. */
function twoInstances(stagingWorker: string): Record<string, string> {
  const instance = (namespace: string, worker: string): Record<string, string> => ({
    [`${namespace}/kustomization.yaml`]: lines(
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      `namespace: ${namespace}`,
      "resources:",
      "  - configmap-blueprint.yaml",
      "  - deployment-worker.yaml",
      "  - external-secret.yaml",
    ),
    [`${namespace}/configmap-blueprint.yaml`]: blueprintConfigMap(),
    [`${namespace}/deployment-worker.yaml`]: worker,
    [`${namespace}/external-secret.yaml`]: externalSecret(),
  });
  return { ...instance("prod", wiredWorker()), ...instance("staging", stagingWorker) };
}

/** The Secret the 1Password operator makes from a Deployment's annotations. */
const OP_DEPLOYMENT = "authentik/deployment-onepassword.yaml";

interface AnnotatedOptions {
  kind?: string;
  namespace?: string;
  /** Where the annotations sit: the Deployment's metadata, or its pod template's. */
  on?: "metadata" | "template";
  /** The annotations' lines, by default `item-path` and `item-name: authentik-config`. */
  annotations?: string[];
}

/** A workload with the 1Password operator's `operator.1password.io/` annotations. */
function annotatedWorkload({
  kind = "Deployment",
  namespace,
  on = "metadata",
  annotations = ['operator.1password.io/item-path: "vaults/homelab/items/authentik"', "operator.1password.io/item-name: authentik-config"],
}: AnnotatedOptions = {}): string {
  return lines(
    "apiVersion: apps/v1",
    `kind: ${kind}`,
    "metadata:",
    "  name: app",
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    ...(on === "metadata" ? ["  annotations:", ...indent(4, annotations)] : []),
    "spec:",
    "  template:",
    ...(on === "template" ? ["    metadata:", "      annotations:", ...indent(8, annotations)] : []),
    "    spec:",
    "      containers:",
    "        - name: app",
    "          image: ghcr.io/example/app:1.0.0",
  );
}

/** The chain with Secret `authentik-config` made only by the operator from an annotated workload. */
const byAnnotations = (options: AnnotatedOptions = {}): Record<string, string> => ({
  ...complete(),
  [EXTERNAL_SECRET]: externalSecret({ name: "something-else" }),
  [OP_DEPLOYMENT]: annotatedWorkload(options),
});
const byAnnotatedDeployment = { producer: 'Deployment "app"', file: OP_DEPLOYMENT };

runRuleTests("blueprint/env-wired", rule as GitopsRule, {
  valid: [
    { name: "a complete chain", files: complete() },
    {
      name: "an !Env with a default on a complete chain",
      files: { ...complete(), [BLUEPRINTS]: blueprintConfigMap("!Env [AUTHENTIK_APP_SECRET, changeme]") },
    },
    {
      name: "the key is produced only through target.template.data",
      files: {
        ...complete(),
        [EXTERNAL_SECRET]: externalSecret({
          keys: ["raw-secret"],
          target: ["template:", "  data:", '    app-secret: "{{ .raw-secret }}"'],
        }),
      },
    },
    {
      name: "template with mergePolicy Merge: data keys reach the Secret too",
      files: {
        ...complete(),
        [EXTERNAL_SECRET]: externalSecret({
          keys: ["app-secret"],
          target: ["template:", "  mergePolicy: Merge", "  data:", '    other: "{{ .app-secret }}"'],
        }),
      },
    },
    {
      name: "a template without data passes the data keys through",
      files: {
        ...complete(),
        [EXTERNAL_SECRET]: externalSecret({ keys: ["app-secret"], target: ["template:", "  type: Opaque"] }),
      },
    },
    {
      name: "the Secret is the ExternalSecret's target.name",
      files: {
        ...complete(),
        [EXTERNAL_SECRET]: externalSecret({ name: "authentik-config-es", targetName: "authentik-config" }),
      },
    },
    {
      name: "envFrom secretRef whose ExternalSecret produces the key",
      files: {
        ...complete(),
        [WORKER]: deployment({ envFrom: ["- secretRef:", "    name: authentik-config"] }),
        [EXTERNAL_SECRET]: externalSecret({ keys: ["AUTHENTIK_APP_SECRET"] }),
      },
    },
    {
      name: "envFrom with a prefix",
      files: {
        ...complete(),
        [WORKER]: deployment({ envFrom: ["- prefix: AUTHENTIK_", "  secretRef:", "    name: authentik-config"] }),
        [EXTERNAL_SECRET]: externalSecret({ keys: ["APP_SECRET"] }),
      },
    },
    {
      name: "envFrom a ConfigMap that holds the name (not a secret, but set)",
      files: {
        ...complete(),
        [WORKER]: deployment({ envFrom: ["- configMapRef:", "    name: authentik-env"] }),
        "authentik/configmap-env.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: authentik-env",
          "data:",
          "  AUTHENTIK_APP_SECRET: not-secret",
        ),
      },
    },
    {
      name: "a plain value on the worker",
      files: { ...complete(), [WORKER]: deployment({ env: ["- name: AUTHENTIK_APP_SECRET", "  value: not-secret"] }) },
    },
    {
      name: "a plain Secret produces the key",
      files: {
        [BLUEPRINTS]: blueprintConfigMap(),
        [WORKER]: wiredWorker(),
        "authentik/secret.yaml": lines(
          "apiVersion: v1",
          "kind: Secret",
          "metadata:",
          "  name: authentik-config",
          "stringData:",
          "  app-secret: hunter2",
        ),
        // Another ExternalSecret, so that "nothing in the repo makes Secrets" does not apply.
        "other/external-secret.yaml": externalSecret({ name: "other", keys: ["password"] }),
      },
    },
    {
      name: "a SealedSecret produces the key",
      files: {
        [BLUEPRINTS]: blueprintConfigMap(),
        [WORKER]: wiredWorker(),
        "authentik/sealed-secret.yaml": lines(
          "apiVersion: bitnami.com/v1alpha1",
          "kind: SealedSecret",
          "metadata:",
          "  name: authentik-config",
          "spec:",
          "  encryptedData:",
          "    app-secret: AgBy3i4OJSWK+PiTySYZZA==",
        ),
        "other/external-secret.yaml": externalSecret({ name: "other", keys: ["password"] }),
      },
    },
    {
      name: "a kustomize secretGenerator produces the key",
      files: {
        [BLUEPRINTS]: blueprintConfigMap(),
        [WORKER]: wiredWorker(),
        "authentik/kustomization.yaml": lines(
          "apiVersion: kustomize.config.k8s.io/v1beta1",
          "kind: Kustomization",
          "secretGenerator:",
          "  - name: authentik-config",
          "    literals:",
          "      - app-secret=hunter2",
        ),
        "other/external-secret.yaml": externalSecret({ name: "other", keys: ["password"] }),
      },
    },
    {
      name: "the worker found by `args: [worker]` for a standalone blueprint file",
      files: {
        [STANDALONE]: lines(...blueprint("!Env AUTHENTIK_APP_SECRET")),
        [WORKER]: wiredWorker({ mounts: "" }),
        [EXTERNAL_SECRET]: externalSecret(),
      },
    },
    {
      name: "a standalone blueprint in a kustomize configMapGenerator, mounted by the worker",
      files: {
        [STANDALONE]: lines(...blueprint("!Env AUTHENTIK_APP_SECRET")),
        "authentik/kustomization.yaml": kustomizationWithGenerator,
        [WORKER]: wiredWorker(),
        [EXTERNAL_SECRET]: externalSecret(),
      },
    },
    {
      name: "the server mounting the ConfigMap too is not the worker",
      files: {
        ...complete(),
        [SERVER]: deployment({ name: "authentik-server", args: "[server]" }),
      },
    },
    {
      name: "no worker in the repo: nothing to check",
      files: { [BLUEPRINTS]: blueprintConfigMap(), [EXTERNAL_SECRET]: externalSecret({ keys: [] }) },
    },
    {
      name: "namespaces: the producer in the worker's namespace, set by a Kustomization",
      files: {
        ...complete(),
        "authentik/kustomization.yaml": lines(
          "apiVersion: kustomize.config.k8s.io/v1beta1",
          "kind: Kustomization",
          "namespace: authentik",
          "resources:",
          "  - configmap-blueprint.yaml",
          "  - deployment-worker.yaml",
          "  - external-secret.yaml",
        ),
      },
    },
    {
      name: "two authentik instances in two namespaces, each worker wired",
      files: twoInstances(wiredWorker()),
    },
    {
      name: "namespaces: a generated blueprint's namespace is its Kustomization's",
      files: {
        [STANDALONE]: lines(...blueprint("!Env AUTHENTIK_APP_SECRET")),
        "authentik/kustomization.yaml": kustomizationWithGenerator.replace("kind: Kustomization\n", "kind: Kustomization\nnamespace: authentik\n"),
        [WORKER]: wiredWorker(),
        [EXTERNAL_SECRET]: externalSecret(),
        "staging/deployment-worker.yaml": deployment({ namespace: "staging" }),
      },
    },
    {
      name: "an optional secretKeyRef",
      files: {
        ...complete(),
        [WORKER]: deployment({ env: [...secretEnv("AUTHENTIK_APP_SECRET", "authentik-config", "other-key"), "      optional: true"] }),
      },
    },
  ],
  invalid: [
    {
      name: "no env var on the worker",
      filename: BLUEPRINTS,
      files: { ...complete(), [WORKER]: deployment({ env: secretEnv("AUTHENTIK_OTHER", "authentik-config", "app-secret") }) },
      errors: [
        {
          messageId: "noEnvVar",
          message:
            'no env var "AUTHENTIK_APP_SECRET" on container "worker" (authentik/deployment-worker.yaml): the authentik worker that applies this blueprint reads !Env from its own environment, so the value would be empty. Add "AUTHENTIK_APP_SECRET" to that container\'s env with valueFrom.secretKeyRef.',
          severity: 2,
          ...atEnv,
        },
      ],
    },
    {
      name: "the env var reads a Secret no ExternalSecret produces",
      filename: BLUEPRINTS,
      files: { ...complete(), [EXTERNAL_SECRET]: externalSecret({ name: "something-else" }) },
      errors: [{ messageId: "noProducer", data: { ...readsAppSecret, file: WORKER }, severity: 2, ...atEnv }],
    },
    {
      name: "the ExternalSecret lacks the key: its keys are listed",
      filename: BLUEPRINTS,
      files: { ...complete(), [EXTERNAL_SECRET]: externalSecret({ keys: ["app-secert", "secret-key"] }) },
      errors: [
        {
          messageId: "missingKey",
          message:
            'env var "AUTHENTIK_APP_SECRET" reads Secret "authentik-config" key "app-secret", but ExternalSecret "authentik-config" (authentik/external-secret.yaml) has no key "app-secret" (its keys: "app-secert", "secret-key"): the worker cannot start without it. Add the key there, or correct the key name.',
          severity: 2,
          ...atEnv,
        },
      ],
    },
    {
      name: "template with the default merge policy: a data key is only the template's input",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [EXTERNAL_SECRET]: externalSecret({
          keys: ["app-secret"],
          target: ["template:", "  data:", '    config.json: "{\\"secret\\": \\"{{ .app-secret }}\\"}"'],
        }),
      },
      errors: [{ messageId: "keyNotProduced", data: { ...readsAppSecret, ...byExternalSecret, keys: '"config.json"' }, severity: 2, ...atEnv }],
    },
    {
      name: "template with an explicit mergePolicy Replace",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [EXTERNAL_SECRET]: externalSecret({
          keys: ["app-secret"],
          target: ["template:", "  mergePolicy: Replace", "  data:", '    other: "{{ .app-secret }}"'],
        }),
      },
      errors: [{ messageId: "keyNotProduced", data: { ...readsAppSecret, ...byExternalSecret, keys: '"other"' }, severity: 2, ...atEnv }],
    },
    {
      name: "dataFrom: the keys cannot be listed, a warning",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [EXTERNAL_SECRET]: externalSecret({ keys: [], spec: ["dataFrom:", "  - extract:", "      key: authentik"] }),
      },
      errors: [
        { messageId: "secretUnverifiable", data: { ...readsAppSecret, ...byExternalSecret, through: "dataFrom" }, severity: 1, ...atEnv },
      ],
    },
    {
      name: "templateFrom with the default merge policy: data keys do not reach the Secret, unverifiable",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [EXTERNAL_SECRET]: externalSecret({
          keys: ["app-secret"],
          target: ["template:", "  templateFrom:", "    - configMap:", "        name: authentik-template", "        items:", "          - key: config"],
        }),
      },
      errors: [
        {
          messageId: "secretUnverifiable",
          data: { ...readsAppSecret, ...byExternalSecret, through: "target.template.templateFrom" },
          severity: 1,
          ...atEnv,
        },
      ],
    },
    {
      name: "envFrom with a prefix the name does not carry",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [WORKER]: deployment({ envFrom: ["- prefix: OTHER_", "  secretRef:", "    name: authentik-config"] }),
        [EXTERNAL_SECRET]: externalSecret({ keys: ["AUTHENTIK_APP_SECRET"] }),
      },
      errors: [{ messageId: "noEnvVar", data: noEnvVar, ...atEnv }],
    },
    {
      name: "envFrom a Secret nothing in the repo produces",
      filename: BLUEPRINTS,
      files: { ...complete(), [WORKER]: deployment({ envFrom: ["- secretRef:", "    name: made-by-hand"] }) },
      errors: [
        {
          messageId: "envFromUnverifiable",
          data: { name: "AUTHENTIK_APP_SECRET", source: 'Secret "made-by-hand"', container: "worker", file: WORKER },
          severity: 1,
          ...atEnv,
        },
      ],
    },
    {
      name: "envFrom a ConfigMap that is not in the repo",
      filename: BLUEPRINTS,
      files: { ...complete(), [WORKER]: deployment({ envFrom: ["- configMapRef:", "    name: authentik-env"] }) },
      errors: [
        {
          messageId: "envFromUnverifiable",
          data: { name: "AUTHENTIK_APP_SECRET", source: 'ConfigMap "authentik-env"', container: "worker", file: WORKER },
          severity: 1,
          ...atEnv,
        },
      ],
    },
    {
      name: "envFrom a ConfigMap of the repo that lacks the name",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [WORKER]: deployment({ envFrom: ["- configMapRef:", "    name: authentik-env"] }),
        "authentik/configmap-env.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: authentik-env",
          "data:",
          '  AUTHENTIK_LOG_LEVEL: "info"',
        ),
      },
      errors: [{ messageId: "noEnvVar", data: noEnvVar, ...atEnv }],
    },
    {
      name: "!Env with a default, no env var: a warning",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [BLUEPRINTS]: blueprintConfigMap("!Env [AUTHENTIK_APP_SECRET, changeme]"),
        [WORKER]: deployment({}),
      },
      errors: [{ messageId: "noEnvVarWithDefault", data: noEnvVar, severity: 1, ...atEnvWithDefault }],
    },
    {
      name: "!Env with a default, no producer: a warning",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [BLUEPRINTS]: blueprintConfigMap("!Env [AUTHENTIK_APP_SECRET, changeme]"),
        [EXTERNAL_SECRET]: externalSecret({ name: "something-else" }),
      },
      errors: [{ messageId: "noProducerWithDefault", data: { ...readsAppSecret, file: WORKER }, severity: 1, ...atEnvWithDefault }],
    },
    {
      name: "!Env with a default, missing key: a warning",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [BLUEPRINTS]: blueprintConfigMap("!Env [AUTHENTIK_APP_SECRET, changeme]"),
        [EXTERNAL_SECRET]: externalSecret({ keys: ["secret-key"] }),
      },
      errors: [
        {
          messageId: "missingKeyWithDefault",
          data: { ...readsAppSecret, ...byExternalSecret, keys: '"secret-key"' },
          severity: 1,
          ...atEnvWithDefault,
        },
      ],
    },
    {
      name: "the env var reads the ExternalSecret's own name, but its target.name differs",
      filename: BLUEPRINTS,
      files: { ...complete(), [EXTERNAL_SECRET]: externalSecret({ targetName: "authentik-secrets" }) },
      errors: [{ messageId: "noProducer", data: { ...readsAppSecret, file: WORKER }, ...atEnv }],
    },
    {
      name: "the worker found by `args: [worker]` for a standalone blueprint file",
      filename: STANDALONE,
      files: {
        [STANDALONE]: lines(...blueprint("!Env AUTHENTIK_APP_SECRET")),
        [WORKER]: deployment({ mounts: "" }),
        [EXTERNAL_SECRET]: externalSecret(),
      },
      errors: [{ messageId: "noEnvVar", data: noEnvVar, ...atStandaloneEnv }],
    },
    {
      name: "the worker found by its mount rather than by its command",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        // Runs the worker without saying so; it mounts the blueprints, so it is the one.
        [WORKER]: deployment({ args: "", image: "registry.example/identity:1" }),
        // Runs `worker` but does not mount the blueprints.
        "other/deployment.yaml": wiredWorker({ name: "authentik-spare", mounts: "" }),
      },
      errors: [{ messageId: "noEnvVar", data: { ...noEnvVar, container: "worker" }, ...atEnv }],
    },
    {
      name: "a standalone blueprint in a kustomize configMapGenerator, mounted by the worker",
      filename: STANDALONE,
      files: {
        [STANDALONE]: lines(...blueprint("!Env AUTHENTIK_APP_SECRET")),
        "authentik/kustomization.yaml": kustomizationWithGenerator,
        [WORKER]: deployment({ args: "", image: "registry.example/identity:1" }),
        "other/deployment.yaml": wiredWorker({ name: "authentik-spare", mounts: "" }),
        [EXTERNAL_SECRET]: externalSecret(),
      },
      errors: [{ messageId: "noEnvVar", data: noEnvVar, ...atStandaloneEnv }],
    },
    {
      name: "the server mounting the ConfigMap is not the worker",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [WORKER]: deployment({}),
        [SERVER]: wiredWorker({ name: "authentik-server", args: "[server]" }),
      },
      errors: [{ messageId: "noEnvVar", data: noEnvVar, ...atEnv }],
    },
    {
      name: "only the server mounts the ConfigMap: the worker is still found by its command",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [WORKER]: deployment({ mounts: "" }),
        [SERVER]: wiredWorker({ name: "authentik-server", args: "[server]" }),
      },
      errors: [{ messageId: "noEnvVar", data: noEnvVar, ...atEnv }],
    },
    {
      name: "no ExternalSecret in the repo at all: the Secret may be made elsewhere, a warning",
      filename: BLUEPRINTS,
      files: { [BLUEPRINTS]: blueprintConfigMap(), [WORKER]: wiredWorker() },
      errors: [{ messageId: "secretOutsideRepo", data: { ...readsAppSecret, file: WORKER }, severity: 1, ...atEnv }],
    },
    {
      name: "namespaces: a producer in another namespace does not count",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [WORKER]: wiredWorker({ namespace: "authentik" }),
        [EXTERNAL_SECRET]: externalSecret({ namespace: "monitoring" }),
      },
      errors: [{ messageId: "noProducer", data: { ...readsAppSecret, file: WORKER }, ...atEnv }],
    },
    {
      name: "namespaces: another namespace given by a Kustomization does not count either",
      filename: BLUEPRINTS,
      files: {
        [BLUEPRINTS]: blueprintConfigMap(),
        [WORKER]: wiredWorker({ namespace: "authentik" }),
        "monitoring/external-secret.yaml": externalSecret(),
        "monitoring/kustomization.yaml": lines(
          "apiVersion: kustomize.config.k8s.io/v1beta1",
          "kind: Kustomization",
          "namespace: monitoring",
          "resources:",
          "  - external-secret.yaml",
        ),
      },
      errors: [{ messageId: "noProducer", data: { ...readsAppSecret, file: WORKER }, ...atEnv }],
    },
    {
      name: "namespaces: only the worker of the blueprint's own instance is checked",
      filename: "staging/configmap-blueprint.yaml",
      files: twoInstances(deployment({})),
      errors: [{ messageId: "noEnvVar", data: { ...noEnvVar, file: "staging/deployment-worker.yaml" }, ...atEnv }],
    },
    {
      name: "each !Env is checked, wherever it is nested",
      filename: BLUEPRINTS,
      files: {
        ...complete(),
        [BLUEPRINTS]: blueprintConfigMap('!Format ["%s", !Env AUTHENTIK_MISSING]'),
      },
      errors: [
        {
          messageId: "noEnvVar",
          data: { ...noEnvVar, name: "AUTHENTIK_MISSING" },
          line: 12,
          column: 41,
          endLine: 12,
          endColumn: 63,
        },
      ],
    },
    {
      name: "a Secret the 1Password operator makes from a Deployment's annotations: its keys cannot be listed, a warning",
      filename: BLUEPRINTS,
      files: byAnnotations(),
      errors: [
        {
          messageId: "secretUnverifiable",
          message:
            'env var "AUTHENTIK_APP_SECRET" reads Secret "authentik-config" key "app-secret", which Deployment "app" (authentik/deployment-onepassword.yaml) may produce through metadata.annotations["operator.1password.io/item-path"]: its keys cannot be listed, so this link is unverifiable.',
          severity: 1,
          ...atEnv,
        },
      ],
    },
    {
      name: "the 1Password operator's annotations on the pod template (none on the Deployment): a warning",
      filename: BLUEPRINTS,
      files: byAnnotations({ on: "template" }),
      errors: [
        {
          messageId: "secretUnverifiable",
          data: { ...readsAppSecret, ...byAnnotatedDeployment, through: 'spec.template.metadata.annotations["operator.1password.io/item-path"]' },
          severity: 1,
          ...atEnv,
        },
      ],
    },
    {
      name: "the annotated Deployment and the worker in the same namespace: a warning",
      filename: BLUEPRINTS,
      files: {
        ...byAnnotations({ namespace: "authentik" }),
        [WORKER]: wiredWorker({ namespace: "authentik" }),
      },
      errors: [
        {
          messageId: "secretUnverifiable",
          data: { ...readsAppSecret, ...byAnnotatedDeployment, through: 'metadata.annotations["operator.1password.io/item-path"]' },
          severity: 1,
          ...atEnv,
        },
      ],
    },
    {
      name: "the annotated Deployment in another namespace: its Secret is not the worker's",
      filename: BLUEPRINTS,
      files: {
        ...byAnnotations({ namespace: "apps" }),
        [WORKER]: wiredWorker({ namespace: "authentik" }),
      },
      errors: [{ messageId: "noProducer", data: { ...readsAppSecret, file: WORKER }, severity: 2, ...atEnv }],
    },
    {
      name: "the operator annotations without item-path: no Secret is made",
      filename: BLUEPRINTS,
      files: byAnnotations({ annotations: ["operator.1password.io/item-name: authentik-config"] }),
      errors: [{ messageId: "noProducer", data: { ...readsAppSecret, file: WORKER }, severity: 2, ...atEnv }],
    },
    {
      name: "an operator annotation on the Deployment hides the pod template's, as the operator reads them",
      filename: BLUEPRINTS,
      files: {
        ...byAnnotations({ on: "template" }),
        [OP_DEPLOYMENT]: annotatedWorkload({ on: "template" }).replace(
          "  name: app\n",
          '  name: app\n  annotations:\n    operator.1password.io/item-path: "vaults/homelab/items/other"\n',
        ),
      },
      errors: [{ messageId: "noProducer", data: { ...readsAppSecret, file: WORKER }, severity: 2, ...atEnv }],
    },
    {
      name: "a StatefulSet's operator annotations: the operator only watches Deployments",
      filename: BLUEPRINTS,
      files: byAnnotations({ kind: "StatefulSet" }),
      errors: [{ messageId: "noProducer", data: { ...readsAppSecret, file: WORKER }, severity: 2, ...atEnv }],
    },
  ],
});

test("an env var added by a kustomize patch of the worker counts", async () => {
  const root = writeRepo({
    "base/blueprints.yaml": [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: authentik-blueprints",
      "data:",
      "  app.yaml: |",
      "    version: 1",
      "    entries:",
      "      - model: authentik_providers_oauth2.oauth2provider",
      "        identifiers:",
      "          name: app",
      "        attrs:",
      "          client_secret: !Env AUTHENTIK_APP_SECRET",
      "",
    ].join("\n"),
    "base/worker.yaml": [
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
      "      volumes:",
      "        - name: blueprints",
      "          configMap:",
      "            name: authentik-blueprints",
      "",
    ].join("\n"),
    "overlays/prod/worker-env.yaml": [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: authentik-worker",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: worker",
      "          env:",
      "            - name: AUTHENTIK_APP_SECRET",
      "              valueFrom:",
      "                secretKeyRef:",
      "                  name: authentik-config",
      "                  key: app-secret",
      "",
    ].join("\n"),
    "overlays/prod/external-secret.yaml": [
      "apiVersion: external-secrets.io/v1",
      "kind: ExternalSecret",
      "metadata:",
      "  name: authentik-config",
      "spec:",
      "  secretStoreRef:",
      "    kind: ClusterSecretStore",
      "    name: onepassword",
      "  data:",
      "    - secretKey: app-secret",
      "      remoteRef:",
      "        key: app",
      "        property: secret",
      "",
    ].join("\n"),
  });
  const outcome = await lintProject({ cwd: root, rules: { "blueprint/env-wired": rule as GitopsRule } });
  expect(outcome.results.flatMap((result) => result.messages)).toEqual([]);
});

// ── authentik installed by its Helm chart ─────────────────────────────────────────────────────
// No worker Deployment in the repo: the worker's env is `global.env` + `worker.env` of the chart
// values, plus an `AUTHENTIK_*` var for each `authentik.*` value, wherever the values are written.

const HELM_RELEASE = "authentik/helmrelease.yaml";
const APPLICATION = "argocd/authentik.yaml";
const VALUES = "authentik/values.yaml";
const KUSTOMIZATION = "authentik/kustomization.yaml";
const UMBRELLA = "platform/Chart.yaml";
const UMBRELLA_VALUES = "platform/values.yaml";

/** `worker.env` with the given entries (default: `AUTHENTIK_APP_SECRET` from `authentik-config` key `app-secret`). */
const workerValues = (env = secretEnv("AUTHENTIK_APP_SECRET", "authentik-config", "app-secret")): string[] => ["worker:", "  env:", ...indent(4, env)];
const otherEnv = secretEnv("AUTHENTIK_OTHER", "authentik-config", "app-secret");

/** A Flux HelmRelease of the chart: `values:` on line 9, so `worker.env` on line 11. */
const helmRelease = (values: string[] = workerValues(), spec: string[] = []): string =>
  lines(
    "apiVersion: helm.toolkit.fluxcd.io/v2",
    "kind: HelmRelease",
    "metadata:",
    "  name: authentik",
    "spec:",
    "  chart:",
    "    spec:",
    "      chart: authentik",
    ...indent(2, spec),
    ...(values.length > 0 ? ["  values:", ...indent(4, values)] : []),
  );

/** A Flux HelmRelease naming the chart through `spec.chartRef`: `values:` on line 9, as in helmRelease. */
const helmReleaseByRef = (values: string[] = workerValues()): string =>
  lines(
    "apiVersion: helm.toolkit.fluxcd.io/v2",
    "kind: HelmRelease",
    "metadata:",
    "  name: authentik",
    "spec:",
    "  chartRef:",
    "    kind: OCIRepository",
    "    name: authentik",
    "  values:",
    ...indent(4, values),
  );

/** A Flux OCIRepository named `authentik` holding the chart at `url`. */
const ociRepository = (url = "oci://ghcr.io/goauthentik/helm-charts/authentik"): string =>
  lines("apiVersion: source.toolkit.fluxcd.io/v1", "kind: OCIRepository", "metadata:", "  name: authentik", "spec:", "  ref:", "    tag: 2025.10.1", `  url: ${url}`);

/** An Argo CD Application of the chart; `helm:` on line 10, its first key on line 11. */
const application = (helm: string[], extraSources: string[] = []): string =>
  lines(
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata:",
    "  name: authentik",
    "spec:",
    "  sources:",
    "    - repoURL: https://charts.goauthentik.io",
    "      chart: authentik",
    "      targetRevision: 2025.2.1",
    "      helm:",
    ...indent(8, helm),
    ...indent(4, extraSources),
  );

/** `helm.values` as a YAML string: `worker.env` on line 13. */
const valuesString = (values = workerValues()): string[] => ["values: |", ...indent(2, values)];
/** `helm.valuesObject`: `worker.env` on line 13. */
const valuesObject = (values = workerValues()): string[] => ["valuesObject:", ...indent(2, values)];

/** kustomize `helmCharts:` with `valuesInline` (`worker.env` on line 10). */
const kustomizeChart = (values = workerValues(), extra: string[] = []): string =>
  lines(
    "apiVersion: kustomize.config.k8s.io/v1beta1",
    "kind: Kustomization",
    "helmCharts:",
    "  - name: authentik",
    "    repo: https://charts.goauthentik.io",
    "    version: 2025.2.1",
    "    releaseName: authentik",
    ...indent(4, extra),
    ...(values.length > 0 ? ["    valuesInline:", ...indent(6, values)] : []),
  );

const umbrellaChart = lines(
  "apiVersion: v2",
  "name: platform",
  "version: 1.0.0",
  "dependencies:",
  "  - name: authentik",
  "    version: 2025.2.1",
  "    repository: https://charts.goauthentik.io",
);
/** The umbrella chart's values: the subchart's under `authentik:`, `worker.env` on line 3. */
const umbrellaValues = (values = workerValues()): string => lines("authentik:", ...indent(2, values));

const chartInstalls: Array<{ how: string; files: (values?: string[]) => Record<string, string>; envAt: string; install: string }> = [
  { how: "a Flux HelmRelease's values", files: (values) => ({ [HELM_RELEASE]: helmRelease(values) }), envAt: `${HELM_RELEASE}:11`, install: 'HelmRelease "authentik"' },
  {
    how: "a Flux HelmRelease's values, the chart named by spec.chartRef (an OCIRepository)",
    files: (values) => ({ [HELM_RELEASE]: helmReleaseByRef(values), "authentik/ocirepository.yaml": ociRepository() }),
    envAt: `${HELM_RELEASE}:11`,
    install: 'HelmRelease "authentik"',
  },
  { how: "an Argo CD Application's helm.values string", files: (values) => ({ [APPLICATION]: application(valuesString(values)) }), envAt: `${APPLICATION}:13`, install: 'Application "authentik"' },
  { how: "an Argo CD Application's helm.valuesObject", files: (values) => ({ [APPLICATION]: application(valuesObject(values)) }), envAt: `${APPLICATION}:13`, install: 'Application "authentik"' },
  {
    how: "an Argo CD values file of the repo, through a $values ref source",
    files: (values) => ({
      [APPLICATION]: application(["valueFiles:", "  - $values/authentik/values.yaml"], ["- repoURL: https://git.example.org/homelab.git", "  ref: values"]),
      [VALUES]: lines(...(values ?? workerValues())),
    }),
    envAt: `${VALUES}:2`,
    install: 'Application "authentik"',
  },
  { how: "kustomize helmCharts valuesInline", files: (values) => ({ [KUSTOMIZATION]: kustomizeChart(values) }), envAt: `${KUSTOMIZATION}:10`, install: 'kustomize helmCharts "authentik"' },
  {
    how: "kustomize helmCharts valuesFile",
    files: (values) => ({ [KUSTOMIZATION]: kustomizeChart([], ["valuesFile: values.yaml"]), [VALUES]: lines(...(values ?? workerValues())) }),
    envAt: `${VALUES}:2`,
    install: 'kustomize helmCharts "authentik"',
  },
  {
    how: "an umbrella chart's values.yaml",
    files: (values) => ({ [UMBRELLA]: umbrellaChart, [UMBRELLA_VALUES]: umbrellaValues(values) }),
    envAt: `${UMBRELLA_VALUES}:3`,
    install: `chart "platform" (${UMBRELLA} dependency "authentik")`,
  },
];

/** The blueprint ConfigMap and its ExternalSecret, with authentik installed as `install` says. */
const chartRepo = (install: Record<string, string>): Record<string, string> => ({
  [BLUEPRINTS]: blueprintConfigMap(),
  [EXTERNAL_SECRET]: externalSecret(),
  ...install,
});

runRuleTests("blueprint/env-wired", rule as GitopsRule, {
  valid: [
    ...chartInstalls.map(({ how, files }) => ({ name: `chart: the env var set in ${how}`, files: chartRepo(files()) })),
    {
      name: "chart: the env var set in global.env",
      files: chartRepo({ [HELM_RELEASE]: helmRelease(["global:", "  env:", ...indent(4, secretEnv("AUTHENTIK_APP_SECRET", "authentik-config", "app-secret"))]) }),
    },
    {
      name: "chart: a valuesFrom ConfigMap that a kustomize configMapGenerator makes from a values file: the env var set there",
      files: chartRepo({
        [HELM_RELEASE]: helmRelease([], ["valuesFrom:", "  - kind: ConfigMap", "    name: authentik-values"]),
        [KUSTOMIZATION]: lines("resources:", "  - helmrelease.yaml", "configMapGenerator:", "  - name: authentik-values", "    files:", "      - values.yaml"),
        [VALUES]: lines(...workerValues()),
      }),
    },
    {
      name: "chart: a valuesFrom Secret that a kustomize secretGenerator makes from a values file (key=path): the env var set there",
      files: chartRepo({
        [HELM_RELEASE]: helmRelease([], ["valuesFrom:", "  - kind: Secret", "    name: authentik-values"]),
        [KUSTOMIZATION]: lines("secretGenerator:", "  - name: authentik-values", "    files:", "      - values.yaml=worker-values.yaml"),
        "authentik/worker-values.yaml": lines(...workerValues()),
      }),
    },
    {
      name: "chart: a valuesFrom ConfigMap of the repo whose valuesKey holds the values as text: the env var set there",
      files: chartRepo({
        [HELM_RELEASE]: helmRelease([], ["valuesFrom:", "  - kind: ConfigMap", "    name: authentik-values", "    valuesKey: worker.yaml"]),
        "authentik/configmap-values.yaml": lines("apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: authentik-values", "data:", "  worker.yaml: |", ...indent(4, workerValues())),
      }),
    },
    {
      name: "chart: of two generated ConfigMaps of the valuesFrom name, the one in the HelmRelease's namespace is read",
      files: chartRepo({
        [HELM_RELEASE]: helmRelease([], ["valuesFrom:", "  - kind: ConfigMap", "    name: authentik-values"]).replace("  name: authentik\n", "  name: authentik\n  namespace: auth\n"),
        [KUSTOMIZATION]: lines("namespace: auth", "configMapGenerator:", "  - name: authentik-values", "    files:", "      - values.yaml"),
        [VALUES]: lines(...workerValues()),
        "staging/kustomization.yaml": lines("namespace: staging", "configMapGenerator:", "  - name: authentik-values", "    files:", "      - values.yaml"),
        "staging/values.yaml": lines(...workerValues(otherEnv)),
      }),
    },
    {
      name: "chart: an authentik.* value is the env var AUTHENTIK_* (nested keys joined by __)",
      files: {
        ...chartRepo({ [HELM_RELEASE]: helmRelease(["authentik:", "  app_secret: from-values", "  postgresql:", "    password: hunter2"]) }),
        [BLUEPRINTS]: blueprintConfigMap("!Format [\"%s%s\", !Env AUTHENTIK_APP_SECRET, !Env AUTHENTIK_POSTGRESQL__PASSWORD]"),
      },
    },
    {
      name: "chart: an Argo CD helm.parameters authentik.* value is the env var",
      files: chartRepo({ [APPLICATION]: application(["parameters:", "  - name: authentik.app_secret", "    value: from-parameters"]) }),
    },
    {
      name: "chart: an umbrella chart's own global.env reaches the subchart's worker",
      files: chartRepo({
        [UMBRELLA]: umbrellaChart,
        [UMBRELLA_VALUES]: lines("global:", "  env:", ...indent(4, secretEnv("AUTHENTIK_APP_SECRET", "authentik-config", "app-secret")), "authentik:", "  worker:", "    env:", ...indent(6, otherEnv)),
      }),
    },
    {
      name: "chart: a chart default (authentik.log_level) is set without values",
      files: { ...chartRepo({ [HELM_RELEASE]: helmRelease([]) }), [BLUEPRINTS]: blueprintConfigMap("!Env AUTHENTIK_LOG_LEVEL") },
    },
    {
      name: "chart: worker.envFrom a Secret that produces the key",
      files: {
        ...chartRepo({ [HELM_RELEASE]: helmRelease(["worker:", "  envFrom:", "    - secretRef:", "        name: authentik-config"]) }),
        [EXTERNAL_SECRET]: externalSecret({ keys: ["AUTHENTIK_APP_SECRET"] }),
      },
    },
    {
      name: "chart: valuesFrom cannot be read, but spec.values sets the env var",
      files: chartRepo({ [HELM_RELEASE]: helmRelease(workerValues(), ["valuesFrom:", "  - kind: ConfigMap", "    name: authentik-values"]) }),
    },
    {
      name: "chart: a valuesFrom targetPath under authentik. sets that env var, even over an empty spec.values key",
      files: chartRepo({
        [HELM_RELEASE]: helmRelease(["authentik:", '  app_secret: ""'], ["valuesFrom:", "  - kind: Secret", "    name: authentik-values", "    valuesKey: app-secret", "    targetPath: authentik.app_secret"]),
      }),
    },
    {
      name: "chart: a repo for two clusters: each blueprint is loaded by the authentik of its own cluster",
      files: Object.fromEntries(
        (["main", "utility"] as const).flatMap((cluster) => {
          const env = `!Env AUTHENTIK_${cluster.toUpperCase()}_SECRET`;
          return [
            [`clusters/${cluster}/authentik/helmrelease.yaml`, helmRelease(["global:", "  env:", ...indent(4, secretEnv(`AUTHENTIK_${cluster.toUpperCase()}_SECRET`, "authentik-config", "app-secret"))])],
            [`clusters/${cluster}/authentik/configmap-blueprint.yaml`, blueprintConfigMap(env)],
            [`clusters/${cluster}/authentik/external-secret.yaml`, externalSecret()],
          ];
        }),
      ),
    },
    {
      name: "a repo for two clusters: each blueprint is loaded by the worker Deployment of its own cluster",
      files: Object.fromEntries(
        (["main", "utility"] as const).flatMap((cluster) => [
          [`clusters/${cluster}/authentik/deployment-worker.yaml`, deployment({ env: secretEnv(`AUTHENTIK_${cluster.toUpperCase()}_SECRET`, "authentik-config", "app-secret") })],
          [`clusters/${cluster}/authentik/configmap-blueprint.yaml`, blueprintConfigMap(`!Env AUTHENTIK_${cluster.toUpperCase()}_SECRET`)],
          [`clusters/${cluster}/authentik/external-secret.yaml`, externalSecret()],
        ]),
      ),
    },
    {
      name: "chart: a blueprint shared by two overlays is loaded by both, each setting the env var",
      files: {
        "base/configmap-blueprint.yaml": blueprintConfigMap(),
        "base/external-secret.yaml": externalSecret(),
        "overlays/prod/helmrelease.yaml": helmRelease(workerValues()),
        "overlays/staging/helmrelease.yaml": helmRelease(workerValues()).replace("name: authentik\n", "name: authentik-staging\n"),
      },
    },
    {
      name: "chart: a HelmRelease whose chartRef is an OCIRepository of another chart installs no authentik",
      files: chartRepo({ [HELM_RELEASE]: helmReleaseByRef(workerValues(otherEnv)), "authentik/ocirepository.yaml": ociRepository("oci://ghcr.io/bjw-s-labs/helm/app-template") }),
    },
    {
      name: "chart: the worker that lists the ConfigMap in blueprints.configMaps is the one checked",
      files: {
        ...chartRepo({
          [HELM_RELEASE]: helmRelease([...workerValues(), "blueprints:", "  configMaps:", "    - authentik-blueprints"]),
          // Another instance of the chart, which does not load these blueprints.
          "staging/helmrelease.yaml": helmRelease(workerValues(otherEnv)).replace("name: authentik\n", "name: authentik-staging\n"),
        }),
      },
    },
    {
      name: "chart: a chart installed into another namespace does not apply a namespaced blueprint",
      files: {
        ...chartRepo({ [HELM_RELEASE]: helmRelease(workerValues(otherEnv), ["targetNamespace: staging"]) }),
        [BLUEPRINTS]: blueprintConfigMap().replace("  name: authentik-blueprints\n", "  name: authentik-blueprints\n  namespace: authentik\n"),
      },
    },
    {
      name: "chart: a worker Deployment in the repo is checked as before, the chart values are not",
      files: { ...complete(), [HELM_RELEASE]: helmRelease(workerValues(otherEnv)) },
    },
  ],
  invalid: [
    ...chartInstalls.map(({ how, files, envAt, install }) => ({
      name: `chart: no env var in ${how}`,
      filename: BLUEPRINTS,
      files: chartRepo(files(workerValues(otherEnv))),
      errors: [{ messageId: "noChartEnvVar", data: { name: "AUTHENTIK_APP_SECRET", install, file: envAt }, severity: 2 as const, ...atEnv }],
    })),
    {
      name: "chart: no env var, the exact message",
      filename: BLUEPRINTS,
      files: chartRepo({ [HELM_RELEASE]: helmRelease(workerValues(otherEnv)) }),
      errors: [
        {
          messageId: "noChartEnvVar",
          message:
            'no env var "AUTHENTIK_APP_SECRET" on the authentik worker that HelmRelease "authentik" installs with the authentik chart (values: authentik/helmrelease.yaml:11): the worker that applies this blueprint reads !Env from its own environment, so the value would be empty. Add "AUTHENTIK_APP_SECRET" to worker.env (or global.env) of those values with valueFrom.secretKeyRef.',
          severity: 2,
          ...atEnv,
        },
      ],
    },
    {
      name: "chart: no env var, with a default: a warning",
      filename: BLUEPRINTS,
      files: { ...chartRepo({ [HELM_RELEASE]: helmRelease(workerValues(otherEnv)) }), [BLUEPRINTS]: blueprintConfigMap("!Env [AUTHENTIK_APP_SECRET, changeme]") },
      errors: [
        {
          messageId: "noChartEnvVarWithDefault",
          data: { name: "AUTHENTIK_APP_SECRET", install: 'HelmRelease "authentik"', file: `${HELM_RELEASE}:11` },
          severity: 1,
          ...atEnvWithDefault,
        },
      ],
    },
    {
      name: "chart: no values at all: the worker has only the chart's defaults",
      filename: BLUEPRINTS,
      files: chartRepo({ [HELM_RELEASE]: helmRelease([]) }),
      errors: [{ messageId: "noChartEnvVar", data: { name: "AUTHENTIK_APP_SECRET", install: 'HelmRelease "authentik"', file: `${HELM_RELEASE}:6` }, severity: 2, ...atEnv }],
    },
    {
      name: "chart: the env var's Secret key is misspelt: the values line is named",
      filename: BLUEPRINTS,
      files: chartRepo({ [HELM_RELEASE]: helmRelease(workerValues(secretEnv("AUTHENTIK_APP_SECRET", "authentik-config", "app-secert"))) }),
      errors: [
        { messageId: "missingKey", data: { name: "AUTHENTIK_APP_SECRET", secret: "authentik-config", key: "app-secert", ...byExternalSecret, keys: '"app-secret"' }, severity: 2, ...atEnv },
      ],
    },
    {
      name: "chart: the env var reads a Secret nothing produces: the values line is named",
      filename: BLUEPRINTS,
      files: chartRepo({ [HELM_RELEASE]: helmRelease(workerValues(secretEnv("AUTHENTIK_APP_SECRET", "authentik-oidc", "app-secret"))) }),
      errors: [
        { messageId: "noProducer", data: { name: "AUTHENTIK_APP_SECRET", secret: "authentik-oidc", key: "app-secret", file: `${HELM_RELEASE}:12` }, severity: 2, ...atEnv },
      ],
    },
    {
      name: "chart: a blueprint shared by two overlays is loaded by both: the one without the env var is named",
      filename: "base/configmap-blueprint.yaml",
      files: {
        "base/configmap-blueprint.yaml": blueprintConfigMap(),
        "base/external-secret.yaml": externalSecret(),
        "overlays/prod/helmrelease.yaml": helmRelease(workerValues()),
        "overlays/staging/helmrelease.yaml": helmRelease(workerValues(otherEnv)).replace("name: authentik\n", "name: authentik-staging\n"),
      },
      errors: [
        { messageId: "noChartEnvVar", data: { name: "AUTHENTIK_APP_SECRET", install: 'HelmRelease "authentik-staging"', file: "overlays/staging/helmrelease.yaml:11" }, severity: 2, ...atEnv },
      ],
    },
    {
      name: "chart: a repo for two clusters: a blueprint is checked against its own cluster's values only",
      filename: "clusters/main/authentik/configmap-blueprint.yaml",
      files: {
        ...Object.fromEntries(
          (["main", "utility"] as const).flatMap((cluster) => [
            [`clusters/${cluster}/authentik/configmap-blueprint.yaml`, blueprintConfigMap()],
            [`clusters/${cluster}/authentik/external-secret.yaml`, externalSecret()],
          ]),
        ),
        "clusters/main/authentik/helmrelease.yaml": helmRelease(workerValues(otherEnv)),
        "clusters/utility/authentik/helmrelease.yaml": helmRelease(workerValues()),
      },
      errors: [
        { messageId: "noChartEnvVar", data: { name: "AUTHENTIK_APP_SECRET", install: 'HelmRelease "authentik"', file: "clusters/main/authentik/helmrelease.yaml:11" }, severity: 2, ...atEnv },
      ],
    },
    {
      name: "chart: valuesFrom may set what spec.values does not: one warning for the blueprint",
      filename: BLUEPRINTS,
      files: {
        ...chartRepo({ [HELM_RELEASE]: helmRelease(workerValues(otherEnv), ["valuesFrom:", "  - kind: ConfigMap", "    name: authentik-values"]) }),
        [BLUEPRINTS]: blueprintConfigMap('!Format ["%s%s", !Env AUTHENTIK_APP_SECRET, !Env AUTHENTIK_SIGNING_KEY]'),
      },
      errors: [
        {
          messageId: "chartValuesUnverifiable",
          message:
            '!Env "AUTHENTIK_APP_SECRET", "AUTHENTIK_SIGNING_KEY" of this blueprint: not in the worker env that the authentik chart values of HelmRelease "authentik" give (values: authentik/helmrelease.yaml:14), but spec.valuesFrom ConfigMap "authentik-values" may set them and cannot be read in this repo: the link to the worker env is unverifiable.',
          severity: 1,
          line: 12,
          column: 43,
          endLine: 12,
          endColumn: 68,
        },
      ],
    },
    {
      name: "chart: a valuesFrom ConfigMap made by a configMapGenerator is read: the env var missing there is an error at its env list",
      filename: BLUEPRINTS,
      files: chartRepo({
        [HELM_RELEASE]: helmRelease([], ["valuesFrom:", "  - kind: ConfigMap", "    name: authentik-values"]),
        [KUSTOMIZATION]: lines("configMapGenerator:", "  - name: authentik-values", "    files:", "      - values.yaml"),
        [VALUES]: lines(...workerValues(otherEnv)),
      }),
      errors: [{ messageId: "noChartEnvVar", data: { name: "AUTHENTIK_APP_SECRET", install: 'HelmRelease "authentik"', file: `${VALUES}:2` }, severity: 2, ...atEnv }],
    },
    {
      name: "chart: two ConfigMaps of the valuesFrom name in the repo, neither in the HelmRelease's namespace told: unverifiable",
      filename: BLUEPRINTS,
      files: chartRepo({
        [HELM_RELEASE]: helmRelease(workerValues(otherEnv), ["valuesFrom:", "  - kind: ConfigMap", "    name: authentik-values"]),
        [KUSTOMIZATION]: lines("configMapGenerator:", "  - name: authentik-values", "    files:", "      - values.yaml"),
        [VALUES]: lines(...workerValues()),
        "staging/kustomization.yaml": lines("configMapGenerator:", "  - name: authentik-values", "    files:", "      - values.yaml"),
        "staging/values.yaml": lines(...workerValues(otherEnv)),
      }),
      errors: [
        {
          messageId: "chartValuesUnverifiable",
          message:
            '!Env "AUTHENTIK_APP_SECRET" of this blueprint: not in the worker env that the authentik chart values of HelmRelease "authentik" give (values: authentik/helmrelease.yaml:14), but spec.valuesFrom ConfigMap "authentik-values" may set them and cannot be read in this repo: the link to the worker env is unverifiable.',
          severity: 1,
          ...atEnv,
        },
      ],
    },
    {
      name: "chart: a valuesFrom Secret that a secretGenerator makes from a SOPS-encrypted file: unverifiable, its env names are ciphertext here",
      filename: BLUEPRINTS,
      files: chartRepo({
        [HELM_RELEASE]: helmRelease(workerValues(otherEnv), ["valuesFrom:", "  - kind: Secret", "    name: authentik-values"]),
        [KUSTOMIZATION]: lines("secretGenerator:", "  - name: authentik-values", "    files:", "      - values.yaml=values.sops.yaml"),
        "authentik/values.sops.yaml": lines(
          "worker:",
          "  env:",
          "    - name: ENC[AES256_GCM,data:bm90LWEtbmFtZQ==,type:str]",
          "      value: ENC[AES256_GCM,data:bm90LWEtdmFsdWU=,type:str]",
          "sops:",
          "  version: 3.9.0",
        ),
      }),
      errors: [
        {
          messageId: "chartValuesUnverifiable",
          message:
            '!Env "AUTHENTIK_APP_SECRET" of this blueprint: not in the worker env that the authentik chart values of HelmRelease "authentik" give (values: authentik/helmrelease.yaml:14), but spec.valuesFrom Secret "authentik-values" may set them and cannot be read in this repo: the link to the worker env is unverifiable.',
          severity: 1,
          ...atEnv,
        },
      ],
    },
    {
      name: "chart: valuesFrom entries whose targetPath is outside the worker env cannot set it: an error, not a warning",
      filename: BLUEPRINTS,
      files: chartRepo({
        [HELM_RELEASE]: helmRelease(workerValues(otherEnv), [
          "valuesFrom:",
          "  - kind: Secret",
          "    name: authentik-values",
          "    valuesKey: db-password",
          "    targetPath: postgresql.auth.password",
          "  - kind: Secret",
          "    name: authentik-values",
          "    valuesKey: smtp-password",
          "    targetPath: server.env[0].value",
        ]),
      }),
      errors: [{ messageId: "noChartEnvVar", data: { name: "AUTHENTIK_APP_SECRET", install: 'HelmRelease "authentik"', file: `${HELM_RELEASE}:20` }, severity: 2, ...atEnv }],
    },
    {
      name: "chart: valuesFrom entries that may set the worker env are named once each, with their targetPath",
      filename: BLUEPRINTS,
      files: chartRepo({
        [HELM_RELEASE]: helmRelease(workerValues(otherEnv), [
          "valuesFrom:",
          "  - kind: Secret",
          "    name: authentik-values",
          "  - kind: Secret",
          "    name: authentik-values",
          "  - kind: Secret",
          "    name: authentik-values",
          "    valuesKey: app-secret",
          "    targetPath: worker.env[1].value",
        ]),
      }),
      errors: [
        {
          messageId: "chartValuesUnverifiable",
          message:
            '!Env "AUTHENTIK_APP_SECRET" of this blueprint: not in the worker env that the authentik chart values of HelmRelease "authentik" give (values: authentik/helmrelease.yaml:20), but spec.valuesFrom Secret "authentik-values", spec.valuesFrom Secret "authentik-values" (targetPath worker.env[1].value) may set them and cannot be read in this repo: the link to the worker env is unverifiable.',
          severity: 1,
          ...atEnv,
        },
      ],
    },
    {
      name: "chart: envFrom a Secret nothing in the repo produces: the chart's container is named \"worker\"",
      filename: BLUEPRINTS,
      files: chartRepo({ [HELM_RELEASE]: helmRelease(["global:", "  envFrom:", "    - secretRef:", "        name: made-by-hand"]) }),
      errors: [
        {
          messageId: "envFromUnverifiable",
          message:
            '!Env "AUTHENTIK_APP_SECRET" may come from envFrom Secret "made-by-hand" on container "worker" (authentik/helmrelease.yaml:12), whose keys cannot be listed in this repo: this link is unverifiable.',
          severity: 1,
          ...atEnv,
        },
      ],
    },
    {
      name: "chart: worker.name renames the chart's container",
      filename: BLUEPRINTS,
      files: chartRepo({ [HELM_RELEASE]: helmRelease(["worker:", "  name: tasks", "  envFrom:", "    - secretRef:", "        name: made-by-hand"]) }),
      errors: [
        {
          messageId: "envFromUnverifiable",
          data: { name: "AUTHENTIK_APP_SECRET", source: 'Secret "made-by-hand"', container: "tasks", file: `${HELM_RELEASE}:13` },
          severity: 1,
          ...atEnv,
        },
      ],
    },
    {
      name: "chart: an Argo CD values file inside the chart package cannot be read: a warning",
      filename: BLUEPRINTS,
      files: chartRepo({ [APPLICATION]: application(["valueFiles:", "  - values-prod.yaml"]) }),
      errors: [
        {
          messageId: "chartValuesUnverifiable",
          data: {
            names: '"AUTHENTIK_APP_SECRET"',
            install: 'Application "authentik"',
            file: `${APPLICATION}:7`,
            through: 'values file "values-prod.yaml" (not in this repo)',
          },
          severity: 1,
          ...atEnv,
        },
      ],
    },
    {
      name: "chart: worker.env written as a template cannot be read: a warning",
      filename: BLUEPRINTS,
      files: chartRepo({ [HELM_RELEASE]: helmRelease(["worker:", '  env: "${AUTHENTIK_WORKER_ENV}"']) }),
      errors: [
        {
          messageId: "chartValuesUnverifiable",
          data: {
            names: '"AUTHENTIK_APP_SECRET"',
            install: 'HelmRelease "authentik"',
            file: `${HELM_RELEASE}:11`,
            through: `worker.env (not a list: ${HELM_RELEASE}:11)`,
          },
          severity: 1,
          ...atEnv,
        },
      ],
    },
  ],
});

test("chart: the values file is one of the message's involved files; no fix is offered for the env var", async () => {
  const root = writeRepo(chartRepo({ [APPLICATION]: application(["valueFiles:", "  - $values/authentik/values.yaml"], ["- repoURL: https://git.example.org/homelab.git", "  ref: values"]), [VALUES]: lines(...workerValues(otherEnv)) }));
  const outcome = await lintProject({ cwd: root, rules: { "blueprint/env-wired": rule as GitopsRule } });
  const messages = outcome.results.flatMap((result) => result.messages);
  expect(messages.map((message) => ({ messageId: message.messageId, related: (message.relatedFiles ?? []).map((file) => file.slice(root.length + 1)).sort(), fix: message.fix, suggestions: message.suggestions }))).toEqual([
    { messageId: "noChartEnvVar", related: [APPLICATION, VALUES], fix: undefined, suggestions: undefined },
  ]);
});
