/**
 * What each document is, decided by its content: `apiVersion`/`kind` for Kubernetes, `version`
 * and `entries` for a blueprint, a list of plays for a playbook, the role layout for roles.
 * A file's name alone never makes a document anything.
 */
import { describe, expect, test } from "bun:test";
import { buildIndex, yaml } from "./build.ts";

describe("blueprints", () => {
  test("a mapping with version and entries is a blueprint whatever the file is called", () => {
    const index = buildIndex([
      ["notes/whatever.yml", "version: 1\nentries:\n  - model: authentik_core.group\n    identifiers: { name: admins }\n"],
      ["argocd/kustomization.yaml", "version: 1\nentries: []\n"],
      ["blueprints/no-entries.yaml", "version: 1\nmetadata: { name: x }\n"],
      ["blueprints/no-version.yaml", "entries: []\n"],
      ["blueprints/list.yaml", "- version: 1\n  entries: []\n"],
    ]);
    expect(index.blueprints.map((blueprint) => blueprint.file.relPath)).toEqual(["notes/whatever.yml", "argocd/kustomization.yaml"]);
    expect(index.resources.map((resource) => resource.kind)).toEqual([]);
    expect(index.viewsOf(index.files[0]!).blueprints).toHaveLength(1);
    expect(index.viewsOf(index.files[2]!)).toEqual({ blueprints: [], resources: [], playbooks: [] });
  });

  test("a blueprint in a ConfigMap data key is one; other data values are not", () => {
    const index = buildIndex([
      [
        "argocd/manifests/authentik/configmap-blueprint.yaml",
        yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: authentik-blueprints
          data:
            grafana.yaml: |
              version: 1
              metadata:
                name: grafana
              entries:
                - model: authentik_core.application
                  id: grafana-app
            settings.yaml: |
              version: 1
              theme: dark
            looks-like-one.yaml: |
              - version: 1
                entries: []
            plain: "version: 1 entries: []"
        `,
      ],
    ]);
    expect(index.blueprints).toHaveLength(1);
    const [blueprint] = index.blueprints;
    expect(blueprint!.name?.value).toBe("grafana");
    expect(blueprint!.configMap).toEqual({ name: "authentik-blueprints", key: "grafana.yaml" });
    expect(index.resources.map((resource) => resource.kind)).toEqual(["ConfigMap"]);
    const views = index.viewsOf(index.files[0]!);
    expect(views.blueprints).toEqual([blueprint!]);
    expect(views.resources.map((resource) => resource.kind)).toEqual(["ConfigMap"]);
  });
});

describe("Kubernetes kinds", () => {
  test("every kind the rules read, from apiVersion and kind, in one multi-document file", () => {
    const index = buildIndex([
      [
        "argocd/all.yaml",
        yaml`
          apiVersion: external-secrets.io/v1
          kind: ExternalSecret
          metadata: { name: es-v1 }
          ---
          apiVersion: external-secrets.io/v1beta1
          kind: ExternalSecret
          metadata: { name: es-v1beta1 }
          ---
          apiVersion: external-secrets.io/v1
          kind: SecretStore
          metadata: { name: store }
          ---
          apiVersion: external-secrets.io/v1beta1
          kind: ClusterSecretStore
          metadata: { name: cluster-store }
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: { name: deployment }
          ---
          apiVersion: apps/v1
          kind: StatefulSet
          metadata: { name: statefulset }
          ---
          apiVersion: apps/v1
          kind: DaemonSet
          metadata: { name: daemonset }
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata: { name: configmap }
          ---
          apiVersion: v1
          kind: Secret
          metadata: { name: secret }
          ---
          apiVersion: bitnami.com/v1alpha1
          kind: SealedSecret
          metadata: { name: sealed }
          ---
          apiVersion: networking.k8s.io/v1
          kind: Ingress
          metadata: { name: ingress }
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: { name: route }
          ---
          apiVersion: v1
          kind: Service
          metadata: { name: service }
        `,
      ],
    ]);
    expect(index.resources.map((resource) => [resource.kind, resource.name?.value, resource.apiVersion])).toEqual([
      ["ExternalSecret", "es-v1", "external-secrets.io/v1"],
      ["ExternalSecret", "es-v1beta1", "external-secrets.io/v1beta1"],
      ["SecretStore", "store", "external-secrets.io/v1"],
      ["ClusterSecretStore", "cluster-store", "external-secrets.io/v1beta1"],
      ["Deployment", "deployment", "apps/v1"],
      ["StatefulSet", "statefulset", "apps/v1"],
      ["DaemonSet", "daemonset", "apps/v1"],
      ["ConfigMap", "configmap", "v1"],
      ["Secret", "secret", "v1"],
      ["SealedSecret", "sealed", "bitnami.com/v1alpha1"],
      ["Ingress", "ingress", "networking.k8s.io/v1"],
      ["HTTPRoute", "route", "gateway.networking.k8s.io/v1"],
    ]);
    expect(index.externalSecrets.map((secret) => secret.name?.value)).toEqual(["es-v1", "es-v1beta1"]);
    expect(index.secretStores.map((store) => store.name?.value)).toEqual(["store", "cluster-store"]);
    expect(index.workloads.map((workload) => workload.name?.value)).toEqual(["deployment", "statefulset", "daemonset"]);
    expect(index.ofKind("Ingress").map((ingress) => ingress.name?.value)).toEqual(["ingress"]);
    expect(index.viewsOf(index.files[0]!).resources).toHaveLength(12);
  });

  test("a kind under another API group is not the Kubernetes kind", () => {
    const index = buildIndex([
      [
        "manifests/lookalikes.yaml",
        yaml`
          apiVersion: example.com/v1
          kind: ExternalSecret
          metadata: { name: not-eso }
          ---
          apiVersion: example.com/v1
          kind: SecretStore
          metadata: { name: not-eso-store }
          ---
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata: { name: flux }
          spec: { path: ./apps }
          ---
          apiVersion: secrets.hashicorp.com/v1beta1
          kind: Secret
          metadata: { name: not-core }
        `,
      ],
      // Helm values: fluent-bit's chart has a top-level `kind: DaemonSet`, without apiVersion.
      ["charts/fluent-bit/values.yaml", "kind: DaemonSet\nimage:\n  repository: fluent/fluent-bit\n"],
    ]);
    expect(index.resources.map((resource) => resource.kind)).toEqual([]);
  });

  test("kustomize Kustomizations with and without apiVersion and kind", () => {
    const index = buildIndex([
      ["a/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml]\n"],
      ["b/kustomization.yaml", "resources:\n  - deployment.yaml\n"],
      ["c/kustomization.yml", "namespace: c\n"],
      ["d/Kustomization", "configMapGenerator:\n  - name: x\n    files: [x.yaml]\n"],
      ["e/kustomization.yaml", "kind: Kustomization\nresources: [x.yaml]\n"],
    ]);
    expect(index.ofKind("Kustomization").map((kustomization) => [kustomization.file.relPath, kustomization.directory])).toEqual([
      ["a/kustomization.yaml", "a"],
      ["b/kustomization.yaml", "b"],
      ["c/kustomization.yml", "c"],
      ["d/Kustomization", "d"],
      ["e/kustomization.yaml", "e"],
    ]);
  });

  test("a file named kustomization.yaml holding something else is not a Kustomization", () => {
    const index = buildIndex([
      ["a/kustomization.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: in-disguise }\nresources: [x]\n"],
      ["b/kustomization.yaml", "foo: bar\n"],
      ["c/kustomization.yaml", "resources:\n  limits: { cpu: 1 }\n"],
      ["d/kustomization.yaml", "- resources: [x.yaml]\n"],
      ["e/not-kustomization.yaml", "resources: [x.yaml]\nnamespace: e\n"],
    ]);
    expect(index.resources.map((resource) => [resource.kind, resource.file.relPath])).toEqual([["ConfigMap", "a/kustomization.yaml"]]);
  });
});

describe("Ansible", () => {
  test("playbooks by content: a list of plays, wherever it is", () => {
    const index = buildIndex([
      ["site.yml", "- hosts: all\n  roles: [common]\n"],
      ["ansible/playbooks/forgejo.yml", "- name: Forgejo\n  hosts: forgejo\n  tasks: []\n"],
      ["ansible/playbooks/all.yml", "- import_playbook: forgejo.yml\n"],
      // A task list included by playbooks is not a playbook, even in playbooks/.
      ["ansible/playbooks/tasks/op.yml", "- name: Read a secret\n  ansible.builtin.command: op read op://v/i/f\n"],
      ["ansible/group_vars/all.yml", "domain: example.com\n"],
    ]);
    expect(index.playbooks.map((playbook) => playbook.file.relPath)).toEqual(["site.yml", "ansible/playbooks/forgejo.yml", "ansible/playbooks/all.yml"]);
    expect(index.playbooks[0]!.plays.map((play) => play.hosts?.value)).toEqual(["all"]);
    expect(index.viewsOf(index.files[1]!).playbooks).toHaveLength(1);
    expect(index.resources.map((resource) => resource.kind)).toEqual([]);
  });

  test("roles by layout, under any parent folder", () => {
    const index = buildIndex([
      ["ansible/roles/forgejo/tasks/main.yml", "- name: Config\n  ansible.builtin.template: { src: app.ini.j2, dest: /etc/forgejo/app.ini }\n"],
      ["ansible/roles/forgejo/templates/app.ini.j2", "[oauth2]\nsecret = {{ forgejo_oidc_secret }}\n"],
      ["roles/caddy/defaults/main.yml", "caddy_sites: []\n"],
      // Not a role part: `files/` is not read, and `roles` without a part is not a role file.
      ["ansible/roles/forgejo/files/extra.yml", "a: 1\n"],
      ["ansible/roles/README.yml", "a: 1\n"],
    ]);
    expect([...index.roles.keys()]).toEqual(["ansible/roles/forgejo", "roles/caddy"]);
    const forgejo = index.roles.get("ansible/roles/forgejo")!;
    expect(forgejo.name).toBe("forgejo");
    expect(forgejo.tasks.map((task) => task.action?.value)).toEqual(["ansible.builtin.template"]);
    expect(forgejo.templates.map((file) => file.relPath)).toEqual(["ansible/roles/forgejo/templates/app.ini.j2"]);
    expect(index.roles.get("roles/caddy")!.defaults).toHaveLength(1);
  });
});
