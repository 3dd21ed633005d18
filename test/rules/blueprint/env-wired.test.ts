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
