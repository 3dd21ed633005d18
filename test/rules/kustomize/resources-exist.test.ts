/**
 * kustomize/resources-exist: every path a kustomization names is there. The repos are written to
 * disk, so existence is checked for real.
 */
import { expect, test } from "bun:test";
import path from "node:path";
import rule from "../../../rules/kustomize/resources-exist.ts";
import { lintProject } from "../../../src/engine.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests, writeRepo } from "../../helpers/rule-tester.ts";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

const deployment = lines("apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: grafana");

runRuleTests("kustomize/resources-exist", rule as GitopsRule, {
  valid: [
    {
      name: "files, directories with a kustomization under each of its names, components, patches and generators",
      files: {
        "apps/grafana/kustomization.yaml": lines(
          "apiVersion: kustomize.config.k8s.io/v1beta1",
          "kind: Kustomization",
          "resources:",
          "  - deployment.yaml",
          "  - ./service.yaml",
          "  - ../../base/monitoring",
          "  - ../../base/storage/",
          "bases:",
          "  - ../../base/legacy",
          "components:",
          "  - ../../components/oidc",
          "patches:",
          "  - path: patches/replicas.yaml",
          "  - patch: |-",
          "      - op: replace",
          "        path: /spec/replicas",
          "        value: 2",
          "    target:",
          "      kind: Deployment",
          "patchesJson6902:",
          "  - target:",
          "      kind: Deployment",
          "      name: grafana",
          "    path: patches/json.yaml",
          "patchesStrategicMerge:",
          "  - patches/resources.yaml",
          "  - |-",
          "    apiVersion: apps/v1",
          "    kind: Deployment",
          "    metadata:",
          "      name: grafana",
          "configMapGenerator:",
          "  - name: grafana-dashboards",
          "    files:",
          "      - dashboards/node.json",
          "      - cluster.json=dashboards/cluster.json",
          "      - \"logs.json=dashboards/logs.json\"",
          "secretGenerator:",
          "  - name: grafana-env",
          "    envs:",
          "      - grafana.env",
          "  - name: grafana-admin",
          "    env: admin.env",
        ),
        "apps/grafana/deployment.yaml": deployment,
        "apps/grafana/service.yaml": lines("apiVersion: v1", "kind: Service", "metadata:", "  name: grafana"),
        "apps/grafana/patches/replicas.yaml": deployment,
        "apps/grafana/patches/json.yaml": "- op: remove\n  path: /spec/template\n",
        "apps/grafana/patches/resources.yaml": deployment,
        "apps/grafana/dashboards/node.json": "{}\n",
        "apps/grafana/dashboards/cluster.json": "{}\n",
        "apps/grafana/dashboards/logs.json": "{}\n",
        "apps/grafana/grafana.env": "GF_LOG_LEVEL=info\n",
        "apps/grafana/admin.env": "GF_ADMIN_USER=admin\n",
        "base/monitoring/kustomization.yaml": lines("resources:", "  - namespace.yaml"),
        "base/monitoring/namespace.yaml": lines("apiVersion: v1", "kind: Namespace", "metadata:", "  name: monitoring"),
        "base/storage/kustomization.yml": lines("resources: []"),
        "base/legacy/Kustomization": lines("resources: []"),
        "components/oidc/kustomization.yaml": lines("apiVersion: kustomize.config.k8s.io/v1alpha1", "kind: Component"),
      },
    },
    {
      name: "remote targets, absolute paths, paths leaving the repo and substitutions are not judged",
      files: {
        "kustomization.yaml": lines(
          "resources:",
          "  - https://github.com/external-secrets/external-secrets/releases/download/v0.10.0/external-secrets.yaml",
          "  - github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v3.3.1",
          "  - git@github.com:example/manifests.git//base",
          "  - ssh://git@example.com/manifests.git",
          "  - /srv/manifests/base",
          "  - ../outside-the-repo",
          "  - overlays/${CLUSTER}",
          "  - deployment.yaml",
        ),
        "deployment.yaml": deployment,
      },
    },
    {
      name: "files in the folder that the kustomization leaves out are no concern of it",
      files: {
        "apps/miniflux/kustomization.yaml": lines("resources:", "  - deployment.yaml"),
        "apps/miniflux/deployment.yaml": deployment,
        "apps/miniflux/ingress.yaml": lines("apiVersion: networking.k8s.io/v1", "kind: Ingress", "metadata:", "  name: miniflux"),
        "apps/miniflux/notes.md": "kept out on purpose\n",
      },
    },
    {
      name: "a file .gitignore keeps out of git may be generated before the build",
      files: {
        ".gitignore": "*.env\nrendered/\n",
        "apps/app/kustomization.yaml": lines(
          "resources:",
          "  - rendered/chart.yaml",
          "secretGenerator:",
          "  - name: app",
          "    envs:",
          "      - secrets.env",
        ),
      },
    },
    {
      name: "a Flux Kustomization is not kustomize's",
      files: {
        "clusters/home/apps.yaml": lines(
          "apiVersion: kustomize.toolkit.fluxcd.io/v1",
          "kind: Kustomization",
          "metadata:",
          "  name: apps",
          "spec:",
          "  path: ./apps/missing",
          "  resources:",
          "    - nothing.yaml",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a kustomize Component's own paths are checked too",
      filename: "components/hardening/kustomization.yaml",
      files: {
        "components/hardening/kustomization.yaml": lines("apiVersion: kustomize.config.k8s.io/v1alpha1", "kind: Component", "patches:", "  - path: security-contxt.yaml"),
        "components/hardening/security-context.yaml": deployment,
      },
      errors: [
        {
          messageId: "missingDidYouMean",
          message:
            'patches path "security-contxt.yaml" does not exist (nothing at components/hardening/security-contxt.yaml); did you mean "security-context.yaml"? `kustomize build` fails, and with it the Argo CD or Flux sync.',
          line: 4,
          column: 11,
          endLine: 4,
          endColumn: 31,
        },
      ],
    },
    {
      name: "a misspelt resource: did you mean a sibling",
      filename: "apps/grafana/kustomization.yaml",
      files: {
        "apps/grafana/kustomization.yaml": lines("resources:", "  - deployment.yml", "  - service.yaml"),
        "apps/grafana/deployment.yaml": deployment,
        "apps/grafana/service.yaml": lines("apiVersion: v1", "kind: Service", "metadata:", "  name: grafana"),
      },
      errors: [
        {
          messageId: "missingDidYouMean",
          message:
            'resources entry "deployment.yml" does not exist (nothing at apps/grafana/deployment.yml); did you mean "deployment.yaml"? `kustomize build` fails, and with it the Argo CD or Flux sync.',
          line: 2,
          column: 5,
          endLine: 2,
          endColumn: 19,
        },
      ],
    },
    {
      name: "a resource nowhere near a file: what the folder holds",
      filename: "apps/grafana/kustomization.yaml",
      files: {
        "apps/grafana/kustomization.yaml": lines("resources:", "  - deployment.yaml", "  - external-secret.yaml"),
        "apps/grafana/deployment.yaml": deployment,
        "apps/grafana/dashboards/node.json": "{}\n",
      },
      errors: [
        {
          messageId: "missing",
          message:
            'resources entry "external-secret.yaml" does not exist (nothing at apps/grafana/external-secret.yaml; apps/grafana/ holds "dashboards/", "deployment.yaml", "kustomization.yaml"): `kustomize build` fails, and with it the Argo CD or Flux sync. Correct the path, or add what it names.',
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 25,
        },
      ],
    },
    {
      name: "a misspelt directory in the middle of a path, in bases and components",
      filename: "overlays/prod/kustomization.yaml",
      files: {
        "overlays/prod/kustomization.yaml": lines("bases:", "  - ../../bse/app", "components:", "  - ../../components/backup"),
        "base/app/kustomization.yaml": lines("resources: []"),
        "components/tls/kustomization.yaml": lines("kind: Component", "apiVersion: kustomize.config.k8s.io/v1alpha1"),
      },
      errors: [
        {
          messageId: "missingDidYouMean",
          data: { field: "bases entry", path: "../../bse/app", resolved: "bse/app", suggestion: "../../base/app" },
          line: 2,
          column: 5,
          endLine: 2,
          endColumn: 18,
        },
        {
          messageId: "missing",
          data: {
            field: "components entry",
            path: "../../components/backup",
            resolved: "components/backup",
            available: 'components/ holds "tls/"',
          },
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 28,
        },
      ],
    },
    {
      name: "a directory without a kustomization",
      filename: "overlays/prod/kustomization.yaml",
      files: {
        "overlays/prod/kustomization.yaml": lines("resources:", "  - ../../base"),
        "base/deployment.yaml": deployment,
      },
      errors: [
        {
          messageId: "noKustomization",
          message:
            'resources entry "../../base" is a directory without a kustomization (base/ holds no kustomization.yaml, kustomization.yml or Kustomization): `kustomize build` fails, and with it the Argo CD or Flux sync. Add a kustomization there, or list its files one by one.',
          line: 2,
          column: 5,
          endLine: 2,
          endColumn: 15,
        },
      ],
    },
    {
      name: "patch files that are not there",
      filename: "kustomization.yaml",
      files: {
        "kustomization.yaml": lines(
          "resources:",
          "  - deployment.yaml",
          "patches:",
          "  - path: patches/replica.yaml",
          "patchesJson6902:",
          "  - target: {kind: Deployment, name: grafana}",
          "    path: json-patch.yaml",
          "patchesStrategicMerge:",
          "  - patches/limits.yaml",
        ),
        "deployment.yaml": deployment,
        "patches/replicas.yaml": deployment,
        "patches/resources.yaml": deployment,
      },
      errors: [
        { messageId: "missingDidYouMean", data: { field: "patches path", path: "patches/replica.yaml", resolved: "patches/replica.yaml", suggestion: "patches/replicas.yaml" }, line: 4, column: 11, endLine: 4, endColumn: 31 },
        {
          messageId: "missing",
          data: {
            field: "patchesJson6902 path",
            path: "json-patch.yaml",
            resolved: "json-patch.yaml",
            available: `the repo's root holds "deployment.yaml", "kustomization.yaml", "patches/"`,
          },
          line: 7,
          column: 11,
          endLine: 7,
          endColumn: 26,
        },
        {
          messageId: "missing",
          data: {
            field: "patchesStrategicMerge entry",
            path: "patches/limits.yaml",
            resolved: "patches/limits.yaml",
            available: `patches/ holds "replicas.yaml", "resources.yaml"`,
          },
          line: 9,
          column: 5,
          endLine: 9,
          endColumn: 24,
        },
      ],
    },
    {
      name: "generator files and envs: reported at the path of key=path",
      filename: "apps/authentik/kustomization.yaml",
      files: {
        "apps/authentik/kustomization.yaml": lines(
          "configMapGenerator:",
          "  - name: blueprints",
          "    files:",
          "      - grafana.yaml=blueprints/grafan.yaml",
          "      - 'forgejo.yaml=blueprints/forgejo.yml'",
          "secretGenerator:",
          "  - name: authentik-env",
          "    envs:",
          "      - authentik.env",
        ),
        "apps/authentik/blueprints/grafana.yaml": "version: 1\nentries: []\n",
        "apps/authentik/blueprints/forgejo.yaml": "version: 1\nentries: []\n",
      },
      errors: [
        {
          messageId: "missingDidYouMean",
          message:
            'configMapGenerator "blueprints" file "blueprints/grafan.yaml" does not exist (nothing at apps/authentik/blueprints/grafan.yaml); did you mean "blueprints/grafana.yaml"? `kustomize build` fails, and with it the Argo CD or Flux sync.',
          line: 4,
          column: 22,
          endLine: 4,
          endColumn: 44,
        },
        { messageId: "missingDidYouMean", line: 5, column: 23, endLine: 5, endColumn: 45 },
        {
          messageId: "missing",
          data: {
            field: 'secretGenerator "authentik-env" envs file',
            path: "authentik.env",
            resolved: "apps/authentik/authentik.env",
            available: 'apps/authentik/ holds "blueprints/", "kustomization.yaml"',
          },
          line: 9,
          column: 9,
          endLine: 9,
          endColumn: 22,
        },
      ],
    },
  ],
});

test("linting one kustomization alone judges nothing it names: the rest of the repo was not walked", async () => {
  const root = writeRepo({
    "apps/grafana/kustomization.yaml": lines("resources:", "  - deployment.yaml", "  - missing.yaml"),
    "apps/grafana/deployment.yaml": deployment,
  });
  const outcome = await lintProject({
    cwd: root,
    paths: [path.join(root, "apps/grafana/kustomization.yaml")],
    rules: { "kustomize/resources-exist": rule as GitopsRule },
  });
  expect(outcome.results.flatMap((result) => result.messages)).toEqual([]);
});
