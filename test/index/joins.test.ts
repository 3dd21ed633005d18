/**
 * The join maps rules look things up in: env vars, Secret producers, ConfigMaps and their
 * mounts, blueprint entries by model, 1Password item fields, hosts and namespaces.
 */
import { describe, expect, test } from "bun:test";
import { sameNamespace } from "../../src/index/index.ts";
import { buildIndex, yaml } from "./build.ts";

const authentik: Array<[string, string]> = [
  [
    "argocd/manifests/authentik/deployment-worker.yaml",
    yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: authentik-worker }
      spec:
        template:
          spec:
            initContainers:
              - name: wait
                env:
                  - name: AUTHENTIK_POSTGRESQL__HOST
                    value: postgres
            containers:
              - name: worker
                args: [worker]
                env:
                  - name: AUTHENTIK_POSTGRESQL__HOST
                    value: postgres
                  - name: GRAFANA_CLIENT_SECRET
                    valueFrom:
                      secretKeyRef: { name: authentik-config, key: grafana-client-secret }
            volumes:
              - name: blueprints
                configMap: { name: authentik-blueprints }
              - name: more
                projected:
                  sources:
                    - configMap: { name: generated-blueprints }
    `,
  ],
  [
    "argocd/manifests/authentik/deployment-server.yaml",
    yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: authentik-server }
      spec:
        template:
          spec:
            containers:
              - name: server
                env:
                  - name: AUTHENTIK_POSTGRESQL__HOST
                    value: postgres
            volumes:
              - name: blueprints
                configMap: { name: authentik-blueprints }
    `,
  ],
  [
    "argocd/manifests/authentik/external-secret.yaml",
    yaml`
      apiVersion: external-secrets.io/v1
      kind: ExternalSecret
      metadata: { name: authentik }
      spec:
        secretStoreRef: { name: onepassword, kind: ClusterSecretStore }
        target: { name: authentik-config }
        data:
          - secretKey: grafana-client-secret
            remoteRef: { key: grafana-oidc, property: client-secret }
          - secretKey: postgres-password
            remoteRef: { key: postgres }
          - secretKey: smtp
            remoteRef: { key: smtp/password }
    `,
  ],
  [
    "argocd/manifests/authentik/secrets.yaml",
    yaml`
      apiVersion: v1
      kind: Secret
      metadata: { name: authentik-config }
      stringData: { extra: x }
      ---
      apiVersion: bitnami.com/v1alpha1
      kind: SealedSecret
      metadata: { name: sealed-creds }
      spec: { encryptedData: { token: AgB } }
    `,
  ],
  [
    "argocd/manifests/authentik/configmap-blueprint.yaml",
    yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: authentik-blueprints }
      data:
        grafana.yaml: |
          version: 1
          entries:
            - model: authentik_providers_oauth2.oauth2provider
              id: grafana-provider
              identifiers: { name: grafana }
            - model: authentik_core.application
              identifiers: { slug: grafana }
    `,
  ],
  [
    "argocd/manifests/authentik/kustomization.yaml",
    yaml`
      resources: [deployment-worker.yaml, deployment-server.yaml, external-secret.yaml, secrets.yaml, configmap-blueprint.yaml]
      configMapGenerator:
        - name: generated-blueprints
          files: [blueprints/forgejo.yaml]
      secretGenerator:
        - name: generated-creds
          literals: [token=abc]
    `,
  ],
  [
    "argocd/manifests/authentik/blueprints/forgejo.yaml",
    yaml`
      version: 1
      entries:
        - model: authentik_providers_oauth2.oauth2provider
          identifiers: { name: forgejo }
    `,
  ],
  [
    "argocd/manifests/external-secrets/cluster-secret-store.yaml",
    yaml`
      apiVersion: external-secrets.io/v1
      kind: ClusterSecretStore
      metadata: { name: onepassword }
      spec:
        provider:
          onepassword:
            vaults: { homelab: 1 }
      ---
      apiVersion: external-secrets.io/v1
      kind: ClusterSecretStore
      metadata: { name: vault }
      spec:
        provider:
          vault: { server: https://vault.example.com }
    `,
  ],
  [
    "argocd/manifests/other/external-secret.yaml",
    yaml`
      apiVersion: external-secrets.io/v1
      kind: ExternalSecret
      metadata: { name: from-vault }
      spec:
        secretStoreRef: { name: vault, kind: ClusterSecretStore }
        data:
          - secretKey: token
            remoteRef: { key: secret/data/app, property: token }
    `,
  ],
  [
    "argocd/manifests/grafana/ingress.yaml",
    yaml`
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: { name: grafana }
      spec:
        tls: [{ hosts: [Grafana.Example.com] }]
        rules: [{ host: grafana.example.com }]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: { name: authentik }
      spec:
        hostnames: [Auth.Example.com]
    `,
  ],
];

describe("Kubernetes joins", () => {
  const index = buildIndex(authentik);

  test("envVars: every container's env entries by name, init containers included", () => {
    expect(
      index.envVars.get("AUTHENTIK_POSTGRESQL__HOST")?.map((binding) => [binding.workload.name?.value, binding.container.name?.value]),
    ).toEqual([
      ["authentik-worker", "worker"],
      ["authentik-worker", "wait"],
      ["authentik-server", "server"],
    ]);
    expect(index.envVars.get("GRAFANA_CLIENT_SECRET")?.[0]?.env.secretKeyRef?.key?.value).toBe("grafana-client-secret");
    expect([...index.envVars.keys()]).toEqual(["AUTHENTIK_POSTGRESQL__HOST", "GRAFANA_CLIENT_SECRET"]);
  });

  test("secretProducers: ExternalSecret by target name, Secret, SealedSecret, secretGenerator", () => {
    const producers = (name: string) =>
      index.secretProducers.get(name)?.map((producer) => [producer.kind, producer.resource.file.relPath]);
    expect(producers("authentik-config")).toEqual([
      ["ExternalSecret", "argocd/manifests/authentik/external-secret.yaml"],
      ["Secret", "argocd/manifests/authentik/secrets.yaml"],
    ]);
    expect(index.secretProducers.has("authentik")).toBe(false);
    expect(producers("sealed-creds")).toEqual([["SealedSecret", "argocd/manifests/authentik/secrets.yaml"]]);
    expect(producers("generated-creds")).toEqual([["SecretGenerator", "argocd/manifests/authentik/kustomization.yaml"]]);
    const generated = index.secretProducers.get("generated-creds")![0]!;
    expect(generated.kind === "SecretGenerator" && generated.generator.keys).toEqual(["token"]);
    expect(producers("from-vault")).toEqual([["ExternalSecret", "argocd/manifests/other/external-secret.yaml"]]);
  });

  test("configMaps by name; configMapMounts through volumes and projected sources", () => {
    expect(index.configMaps.get("authentik-blueprints")?.map((configMap) => configMap.file.relPath)).toEqual([
      "argocd/manifests/authentik/configmap-blueprint.yaml",
    ]);
    expect(
      index.configMapMounts.get("authentik-blueprints")?.map((mount) => [mount.workload.name?.value, mount.volume.name?.value]),
    ).toEqual([
      ["authentik-worker", "blueprints"],
      ["authentik-server", "blueprints"],
    ]);
    expect(
      index.configMapMounts.get("generated-blueprints")?.map((mount) => [mount.workload.name?.value, mount.volume.name?.value]),
    ).toEqual([["authentik-worker", "more"]]);
  });

  test("blueprints know the ConfigMap holding them, embedded or generated", () => {
    expect(index.blueprints.map((blueprint) => [blueprint.file.relPath, blueprint.configMap])).toEqual([
      ["argocd/manifests/authentik/configmap-blueprint.yaml", { name: "authentik-blueprints", key: "grafana.yaml" }],
      ["argocd/manifests/authentik/blueprints/forgejo.yaml", { name: "generated-blueprints", key: "forgejo.yaml" }],
    ]);
  });

  test("entriesByModel across blueprints", () => {
    expect(
      index.entriesByModel.get("authentik_providers_oauth2.oauth2provider")?.map(({ blueprint, entry }) => [blueprint.file.relPath, entry.index]),
    ).toEqual([
      ["argocd/manifests/authentik/configmap-blueprint.yaml", 0],
      ["argocd/manifests/authentik/blueprints/forgejo.yaml", 0],
    ]);
    expect(index.entriesByModel.get("authentik_core.application")).toHaveLength(1);
  });

  test("hosts of Ingresses and HTTPRoutes, as written", () => {
    const hosts = [...index.ofKind("Ingress"), ...index.ofKind("HTTPRoute")].map((resource) => [
      resource.kind,
      resource.file.relPath,
      resource.hosts.map((host) => host.value),
    ]);
    expect(hosts).toEqual([
      ["Ingress", "argocd/manifests/grafana/ingress.yaml", ["grafana.example.com", "Grafana.Example.com"]],
      ["HTTPRoute", "argocd/manifests/grafana/ingress.yaml", ["Auth.Example.com"]],
    ]);
  });

  test("ExternalSecret remoteRefs are 1Password fields, unless their store is another provider", () => {
    const fields = index.onePassword.map((reference) => [`${reference.item}/${reference.field}`, reference.via, reference.vault, reference.file.relPath]);
    expect(fields).toEqual([
      ["grafana-oidc/client-secret", "external-secret", undefined, "argocd/manifests/authentik/external-secret.yaml"],
      // Without `property`, the 1Password Connect provider reads the field labelled `password`.
      ["postgres/password", "external-secret", undefined, "argocd/manifests/authentik/external-secret.yaml"],
      // `item/field` in `key` (the 1Password SDK provider's form).
      ["smtp/password", "external-secret", undefined, "argocd/manifests/authentik/external-secret.yaml"],
    ]);
  });
});

describe("1Password references in Ansible", () => {
  const index = buildIndex([
    [
      "ansible/playbooks/forgejo.yml",
      yaml`
        - hosts: forgejo
          pre_tasks:
            - name: Read the OIDC secret
              ansible.builtin.command: op read "op://homelab/forgejo-oidc/client-secret"
              register: forgejo_oidc_secret
              delegate_to: localhost
            - name: Spaces in quoted names, and a section
              ansible.builtin.shell: op read 'op://Home Lab/Forgejo Admin/login/one time password?attribute=otp' | tr -d '\n'
          vars:
            grafana_secret: "{{ lookup('community.general.onepassword', 'grafana-oidc') }}"
            grafana_id: "{{ lookup('community.general.onepassword', 'grafana-oidc', field='client_id', vault='homelab') }}"
            short: '{{ query("onepassword", "smtp", field="user") }}'
            unquoted: "{{ lookup('pipe', 'op read op://homelab/postgres/password') }}"
      `,
    ],
    ["ansible/roles/forgejo/defaults/main.yml", 'forgejo_token: "{{ lookup(\'community.general.onepassword\', \'forgejo\', field=\'token\', section=\'api\') }}"\n'],
    ["ansible/group_vars/all.yml", "smtp_password: \"{{ lookup('community.general.onepassword', 'smtp', vault='homelab') }}\"\n"],
  ]);

  test("op read URIs, the onepassword lookup (field defaults to password) and its options", () => {
    const references = index.onePassword.map((reference) => [reference.vault, reference.item, reference.section, reference.field, reference.via, reference.file.relPath]);
    expect(references).toEqual([
      ["homelab", "forgejo-oidc", undefined, "client-secret", "op-uri", "ansible/playbooks/forgejo.yml"],
      ["Home Lab", "Forgejo Admin", "login", "one time password", "op-uri", "ansible/playbooks/forgejo.yml"],
      [undefined, "grafana-oidc", undefined, "password", "lookup", "ansible/playbooks/forgejo.yml"],
      ["homelab", "grafana-oidc", undefined, "client_id", "lookup", "ansible/playbooks/forgejo.yml"],
      [undefined, "smtp", undefined, "user", "lookup", "ansible/playbooks/forgejo.yml"],
      ["homelab", "postgres", undefined, "password", "op-uri", "ansible/playbooks/forgejo.yml"],
      [undefined, "forgejo", "api", "token", "lookup", "ansible/roles/forgejo/defaults/main.yml"],
      ["homelab", "smtp", undefined, "password", "lookup", "ansible/group_vars/all.yml"],
    ]);
  });

  test("a reference keeps the scalar it was found in", () => {
    const first = index.onePassword.find((reference) => reference.item === "forgejo-oidc" && reference.field === "client-secret");
    expect(first!.node.range?.[0]).toBe(index.files[0]!.text.indexOf("op read"));
  });
});

describe("namespaces", () => {
  test("a Kustomization's namespace reaches the files it lists, through nested kustomizations that set none", () => {
    const index = buildIndex([
      ["apps/authentik/kustomization.yaml", "namespace: authentik\nresources: [deployment.yaml, blueprints, ../shared/store.yaml]\n"],
      ["apps/authentik/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: worker }\n"],
      ["apps/authentik/blueprints/kustomization.yaml", "resources: [configmap.yaml]\nsecretGenerator: [{ name: generated, literals: [a=b] }]\n"],
      ["apps/authentik/blueprints/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: blueprints }\n"],
      ["apps/shared/store.yaml", "apiVersion: external-secrets.io/v1\nkind: ClusterSecretStore\nmetadata: { name: onepassword }\n"],
      ["apps/authentik/unlisted.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: unlisted }\n"],
      ["apps/authentik/own.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: own, namespace: elsewhere }\n"],
    ]);
    expect(index.resources.map((resource) => [resource.kind, resource.name?.value ?? resource.file.relPath, resource.namespace])).toEqual([
      ["Kustomization", "apps/authentik/kustomization.yaml", "authentik"],
      ["Deployment", "worker", "authentik"],
      ["Kustomization", "apps/authentik/blueprints/kustomization.yaml", "authentik"],
      ["ConfigMap", "blueprints", "authentik"],
      // Cluster-scoped: kustomize gives it no namespace.
      ["ClusterSecretStore", "onepassword", undefined],
      ["ConfigMap", "unlisted", undefined],
      ["ConfigMap", "own", "elsewhere"],
    ]);
    expect(index.secretProducers.get("generated")?.map((producer) => producer.namespace)).toEqual(["authentik"]);
  });

  test("a blueprint's ConfigMap namespace, embedded or generated", () => {
    const index = buildIndex([
      ["apps/authentik/kustomization.yaml", "namespace: authentik\nresources: [configmap.yaml, generated]\n"],
      ["apps/authentik/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: embedded }\ndata:\n  a.yaml: |\n    version: 1\n    entries: []\n"],
      ["apps/authentik/generated/kustomization.yaml", "configMapGenerator: [{ name: generated, files: [b.yaml] }]\n"],
      ["apps/authentik/generated/b.yaml", "version: 1\nentries: []\n"],
      ["elsewhere/c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: own, namespace: other }\ndata:\n  c.yaml: |\n    version: 1\n    entries: []\n"],
    ]);
    expect(index.blueprints.map((blueprint) => blueprint.configMap)).toEqual([
      { name: "embedded", key: "a.yaml", namespace: "authentik" },
      { name: "generated", key: "b.yaml", namespace: "authentik" },
      { name: "own", key: "c.yaml", namespace: "other" },
    ]);
  });

  test("kustomize's namespace overrides metadata.namespace, and an overlay's overrides its base's", () => {
    const index = buildIndex([
      ["overlays/prod/kustomization.yaml", "namespace: prod\nresources: [../../base]\n"],
      ["base/kustomization.yaml", "namespace: base\nresources: [deployment.yaml, secret.yaml]\n"],
      ["base/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\n"],
      ["base/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: { name: creds, namespace: default }\n"],
      ["plain/kustomization.yaml", "resources: [secret.yaml]\n"],
      ["plain/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: { name: kept, namespace: mine }\n"],
    ]);
    expect(index.resources.flatMap((resource) => (resource.kind === "Kustomization" ? [] : [[resource.name?.value, resource.namespace]]))).toEqual([
      ["app", "prod"],
      ["creds", "prod"],
      ["kept", "mine"],
    ]);
  });

  test("a base built into two namespaces has no single namespace", () => {
    const index = buildIndex([
      ["overlays/prod/kustomization.yaml", "namespace: prod\nresources: [../../base]\n"],
      ["overlays/dev/kustomization.yaml", "namespace: dev\nresources: [../../base]\n"],
      ["base/kustomization.yaml", "resources: [deployment.yaml]\n"],
      ["base/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app, namespace: default }\n"],
    ]);
    expect(index.workloads.map((workload) => workload.namespace)).toEqual([undefined]);
  });

  test("cyclic kustomizations end", () => {
    const index = buildIndex([
      ["a/kustomization.yaml", "namespace: a\nresources: [../b, x.yaml]\n"],
      ["b/kustomization.yaml", "resources: [../a]\n"],
      ["a/x.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n"],
    ]);
    expect(index.configMaps.get("x")?.[0]?.namespace).toBe("a");
  });

  test("sameNamespace: equal, or either unknown", () => {
    expect(sameNamespace("a", "a")).toBe(true);
    expect(sameNamespace("a", undefined)).toBe(true);
    expect(sameNamespace(undefined, "b")).toBe(true);
    expect(sameNamespace("a", "b")).toBe(false);
  });
});
