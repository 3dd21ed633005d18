/**
 * schema/kustomization: kustomization files against kustomize's own types. Each single mistake
 * gives exactly one message; Helm values and the resources a kustomization lists are not its
 * business.
 */
import { expect, test } from "bun:test";
import path from "node:path";
import rule from "../../../rules/schema/kustomization.ts";
import { lintProject } from "../../../src/engine.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests } from "../../helpers/rule-tester.ts";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

const kustomization = (...body: string[]): string => lines("apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", ...body);

test("examples/homelab gives no message", async () => {
  const outcome = await lintProject({ cwd: path.resolve(import.meta.dir, "../../../examples/homelab"), rules: { "schema/kustomization": rule as GitopsRule } });
  expect(outcome.results.flatMap((result) => result.messages)).toEqual([]);
});

runRuleTests("schema/kustomization", rule as GitopsRule, {
  valid: [
    {
      name: "a kustomization using most of kustomize's fields",
      files: {
        "apps/web/kustomization.yaml": kustomization(
          "metadata:",
          "  name: web",
          "namespace: web",
          "namePrefix: prod-",
          "nameSuffix: -v2",
          "resources:",
          "  - deployment.yaml",
          "  - ../base",
          "  - https://github.com/example/manifests//web?ref=v1.2.0",
          "components:",
          "  - ../components/monitoring",
          "crds:",
          "  - crds/widget.yaml",
          "commonAnnotations:",
          "  owner: platform",
          "labels:",
          "  - pairs:",
          "      app.kubernetes.io/part-of: web",
          "    includeSelectors: false",
          "    includeTemplates: true",
          "images:",
          "  - name: ghcr.io/example/web",
          '    newTag: "2.4"',
          "  - name: nginx",
          "    newName: ghcr.io/example/nginx",
          "    digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
          "replicas:",
          "  - name: web",
          "    count: 3",
          "patches:",
          "  - path: patches/resources.yaml",
          "  - target:",
          "      kind: Deployment",
          "      labelSelector: app.kubernetes.io/name=web",
          "    patch: |-",
          "      - op: replace",
          "        path: /spec/replicas",
          "        value: 2",
          "  - patch: |-",
          "      apiVersion: apps/v1",
          "      kind: Deployment",
          "      metadata:",
          "        name: old-web",
          "      spec: {}",
          "    options:",
          "      allowNameChange: true",
          "configMapGenerator:",
          "  - name: web-config",
          "    files:",
          "      - config/web.yaml",
          "      - nginx.conf=config/nginx.conf",
          "    literals:",
          "      - LOG_LEVEL=info",
          "  - name: web-env",
          "    behavior: merge",
          "    envs:",
          "      - web.env",
          "    options:",
          "      disableNameSuffixHash: true",
          "      labels:",
          "        reload: \"true\"",
          "secretGenerator:",
          "  - name: web-tls",
          "    type: kubernetes.io/tls",
          "    files:",
          "      - tls.crt",
          "      - tls.key",
          "generatorOptions:",
          "  immutable: true",
          "  annotations:",
          "    note: generated",
          "helmGlobals:",
          "  chartHome: charts",
          "helmCharts:",
          "  - name: redis",
          "    repo: oci://registry-1.docker.io/bitnamicharts",
          "    version: 20.6.0",
          "    releaseName: cache",
          "    namespace: web",
          "    includeCRDs: false",
          "    valuesInline:",
          "      architecture: standalone",
          "      auth:",
          "        enabled: false",
          "replacements:",
          "  - source:",
          "      kind: ConfigMap",
          "      name: web-config",
          "      fieldPath: data.host",
          "    targets:",
          "      - select:",
          "          kind: Ingress",
          "        fieldPaths:",
          "          - spec.rules.0.host",
          "  - path: replacements/domain.yaml",
          "sortOptions:",
          "  order: fifo",
          "buildMetadata: [originAnnotations, managedByLabel]",
          "openapi:",
          "  path: schemas/widget.json",
          "configurations:",
          "  - kustomizeconfig.yaml",
          "transformers:",
          "  - transformers/prefix.yaml",
          "generators:",
          "  - generators/secrets.yaml",
          "validators:",
          "  - validators/policy.yaml",
        ),
      },
    },
    {
      name: "deprecated fields kustomize still reads",
      files: {
        "kustomization.yaml": lines(
          "bases:",
          "  - ../base",
          "commonLabels:",
          "  app: web",
          "patchesStrategicMerge:",
          "  - patch.yaml",
          "patchesJson6902:",
          "  - target:",
          "      group: apps",
          "      version: v1",
          "      kind: Deployment",
          "      name: web",
          "    path: patch.json",
          "imageTags:",
          "  - name: web",
          "    newTag: v2",
          "vars:",
          "  - name: WEB_SERVICE",
          "    objref:",
          "      kind: Service",
          "      name: web",
          "      apiVersion: v1",
          "    fieldref:",
          "      fieldpath: metadata.name",
          "configMapGenerator:",
          "  - name: legacy",
          "    env: legacy.env",
        ),
      },
    },
    {
      name: "empty values are unset, as for kustomize",
      files: {
        "kustomization.yaml": kustomization("resources:", "namespace:", "images: []"),
      },
    },
    {
      name: "a kustomize Component, with its own apiVersion and kind",
      files: {
        "components/hardening/kustomization.yaml": lines(
          "apiVersion: kustomize.config.k8s.io/v1alpha1",
          "kind: Component",
          "resources:",
          "  - network-policy.yaml",
          "patches:",
          "  - path: security-context.yaml",
          "    target:",
          "      kind: Deployment",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a misspelt field in a kustomize Component",
      filename: "components/hardening/kustomization.yaml",
      files: {
        "components/hardening/kustomization.yaml": lines("apiVersion: kustomize.config.k8s.io/v1alpha1", "kind: Component", "patch:", "  - path: security-context.yaml"),
      },
      errors: [{ messageId: "unknownKeyDidYouMean", data: { at: "", key: "patch", suggestion: "patches" }, line: 3, column: 1, endLine: 3, endColumn: 6 }],
    },
    {
      name: "resource: for resources:",
      filename: "kustomization.yaml",
      files: {
        "kustomization.yaml": kustomization("namespace: web", "resource:", "  - deployment.yaml"),
      },
      errors: [
        {
          messageId: "unknownKeyDidYouMean",
          message:
            'unknown field "resource"; did you mean "resources"? kustomize reads kustomization files with unknown fields disallowed, so `kustomize build` fails, and with it the Argo CD or Flux sync. Rename it to "resources".',
          line: 4,
          column: 1,
          endLine: 4,
          endColumn: 9,
        },
      ],
    },
    {
      name: "resource: in a kustomization without apiVersion and kind",
      filename: "apps/web/kustomization.yaml",
      files: {
        "apps/web/kustomization.yaml": lines("namespace: web", "resource:", "  - deployment.yaml"),
      },
      errors: [{ messageId: "unknownKeyDidYouMean", data: { at: "", key: "resource", suggestion: "resources" }, line: 2, column: 1, endLine: 2, endColumn: 9 }],
    },
    {
      name: "a configMapGenerator behavior of merged",
      filename: "kustomization.yaml",
      files: {
        "kustomization.yaml": kustomization("resources:", "  - ../base", "configMapGenerator:", "  - name: web-env", "    behavior: merged", "    literals:", "      - LOG_LEVEL=debug"),
      },
      errors: [
        {
          messageId: "wrongValueDidYouMean",
          message:
            'configMapGenerator[0].behavior: "merged" is not one of "create", "replace", "merge"; did you mean "merge"? `kustomize build` fails on an unknown value, except for a generator\'s behavior, which it reads as unset ("create"): the generated object then collides with the one it was meant to merge into or replace.',
          line: 7,
          column: 15,
          endLine: 7,
          endColumn: 21,
        },
      ],
    },
    {
      name: "an image tag YAML reads as a number",
      filename: "kustomization.yaml",
      files: {
        "kustomization.yaml": kustomization("images:", "  - name: postgres", "    newTag: 17.2"),
      },
      errors: [
        {
          messageId: "wrongType",
          message:
            'images[0].newTag: must be a string, not the number 17.2: kustomize cannot decode the kustomization, so `kustomize build` fails. Write the value as that type, quoting a number meant as a string (newTag: "1.25").',
          line: 5,
          column: 13,
          endLine: 5,
          endColumn: 17,
        },
      ],
    },
    {
      name: "a patch target's selector in the wrong case",
      filename: "kustomization.yaml",
      files: {
        "kustomization.yaml": kustomization("patches:", "  - path: patch.yaml", "    target:", "      labelselector: app=web"),
      },
      errors: [{ messageId: "unknownKeyDidYouMean", data: { at: "patches[0].target: ", key: "labelselector", suggestion: "labelSelector" }, line: 6, column: 7, endLine: 6, endColumn: 20 }],
    },
    {
      name: "a field of another tool: unknown, with the known ones listed",
      filename: "kustomization.yaml",
      files: {
        "kustomization.yaml": kustomization("resources:", "  - deployment.yaml", "postBuild:", "  substitute:", "    domain: example.org"),
      },
      errors: [
        {
          messageId: "unknownKey",
          message:
            'unknown field "postBuild" (known here: "apiVersion", "bases", "buildMetadata", "commonAnnotations", "commonLabels", "components", "configMapGenerator", "configurations", "crds", "generatorOptions", "generators", "helmChartInflationGenerator", …): kustomize reads kustomization files with unknown fields disallowed, so `kustomize build` fails, and with it the Argo CD or Flux sync. Remove it or move it where it belongs.',
          line: 5,
          column: 1,
          endLine: 5,
          endColumn: 10,
        },
      ],
    },
    {
      name: "a wrong apiVersion",
      filename: "kustomization.yaml",
      files: {
        "kustomization.yaml": lines("apiVersion: kustomize.config.k8s.io/v1", "kind: Kustomization", "resources:", "  - deployment.yaml"),
      },
      errors: [
        {
          messageId: "wrongApiVersion",
          message:
            'apiVersion "kustomize.config.k8s.io/v1" is not the one kustomize reads for a Kustomization: it accepts only "kustomize.config.k8s.io/v1beta1" (a Component takes "kustomize.config.k8s.io/v1alpha1"), so `kustomize build` fails, and with it the Argo CD or Flux sync. Write apiVersion: kustomize.config.k8s.io/v1beta1.',
          line: 1,
          column: 13,
          endLine: 1,
          endColumn: 39,
        },
      ],
    },
    {
      name: "a Component with a Kustomization's apiVersion",
      filename: "components/hardening/kustomization.yaml",
      files: {
        "components/hardening/kustomization.yaml": lines("apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Component", "patches:", "  - path: security-context.yaml"),
        "components/hardening/security-context.yaml": lines("apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: app"),
      },
      errors: [
        {
          messageId: "wrongApiVersion",
          message:
            'apiVersion "kustomize.config.k8s.io/v1beta1" is not the one kustomize reads for a Component: it accepts only "kustomize.config.k8s.io/v1alpha1" (a Kustomization takes "kustomize.config.k8s.io/v1beta1"), so `kustomize build` fails, and with it the Argo CD or Flux sync. Write apiVersion: kustomize.config.k8s.io/v1alpha1.',
          line: 1,
          column: 13,
          endLine: 1,
          endColumn: 44,
        },
      ],
    },
  ],
});
