/**
 * The index is built once per run in time linear in the repo. These tests build it for
 * generated repos of 200 and 2,000 small files and check what it holds; they make no timing
 * assertion (shared machines drift): linearity is kept by construction, since every join is a
 * map filled in one pass and the per-kind lists are built once in the constructor.
 */
import { expect, test } from "bun:test";
import { buildIndex, yaml } from "./build.ts";

/** One service: five files in its own folder, plus a playbook every fifth service. */
function service(index: number): Array<[string, string]> {
  const name = `svc${index}`;
  const directory = `argocd/manifests/${name}`;
  return [
    [`${directory}/kustomization.yaml`, `namespace: ${name}\nresources: [deployment.yaml, external-secret.yaml, ingress.yaml, configmap.yaml]\n`],
    [
      `${directory}/deployment.yaml`,
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: ${name} }
        spec:
          template:
            spec:
              containers:
                - name: app
                  env:
                    - name: ${name.toUpperCase()}_SECRET
                      valueFrom: { secretKeyRef: { name: ${name}-secret, key: client-secret } }
              volumes:
                - name: config
                  configMap: { name: ${name}-config }
      `,
    ],
    [
      `${directory}/external-secret.yaml`,
      yaml`
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: { name: ${name}-secret }
        spec:
          secretStoreRef: { name: onepassword, kind: ClusterSecretStore }
          data:
            - secretKey: client-secret
              remoteRef: { key: ${name}-oidc, property: client-secret }
      `,
    ],
    [
      `${directory}/ingress.yaml`,
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: ${name} }\nspec:\n  rules: [{ host: ${name}.example.com }]\n`,
    ],
    [
      `${directory}/configmap.yaml`,
      yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: ${name}-config }
        data:
          blueprint.yaml: |
            version: 1
            entries:
              - model: authentik_providers_oauth2.oauth2provider
                id: ${name}-provider
                attrs: { client_secret: !Env ${name.toUpperCase()}_SECRET }
      `,
    ],
    ...(index % 5 === 0
      ? [[`ansible/playbooks/${name}.yml`, `- hosts: ${name}\n  pre_tasks:\n    - ansible.builtin.command: op read "op://homelab/${name}-oidc/client-secret"\n`] as [string, string]]
      : []),
  ];
}

function repo(fileCount: number): Array<[string, string]> {
  const files: Array<[string, string]> = [];
  for (let index = 0; files.length < fileCount; index++) files.push(...service(index));
  return files.slice(0, fileCount);
}

for (const fileCount of [200, 2000]) {
  test(`builds the index for ${fileCount} files`, () => {
    const files = repo(fileCount);
    const services = Math.floor(fileCount / 5.2);
    const index = buildIndex(files);
    expect(index.files).toHaveLength(fileCount);
    expect(index.workloads.length).toBeGreaterThanOrEqual(services);
    expect(index.externalSecrets.length).toBeGreaterThanOrEqual(services);
    expect(index.blueprints.length).toBeGreaterThanOrEqual(services - 1);
    expect(index.ofKind("Ingress").length).toBeGreaterThanOrEqual(services - 1);
    expect(index.secretProducers.get("svc7-secret")?.[0]?.namespace).toBe("svc7");
    expect(index.configMapMounts.get("svc7-config")?.[0]?.workload.namespace).toBe("svc7");
    expect(index.onePassword.filter((reference) => reference.item === "svc5-oidc" && reference.field === "client-secret").map((reference) => reference.via)).toEqual([
      "op-uri",
      "external-secret",
    ]);
    // The per-kind lists are built once: the same array on every call.
    expect(index.externalSecrets).toBe(index.externalSecrets);
    expect(index.workloads).toBe(index.workloads);
    expect(index.ofKind("Ingress")).toBe(index.ofKind("Ingress"));
  });
}

test("a long chain of nested kustomizations resolves in one pass", () => {
  const depth = 1000;
  const files: Array<[string, string]> = [];
  for (let level = 0; level < depth; level++) {
    const directory = Array.from({ length: level + 1 }, (_, index) => `d${index}`).join("/");
    const next = `d${level + 1}`;
    files.push([`${directory}/kustomization.yaml`, `${level === 0 ? "namespace: top\n" : ""}resources: [${next}, cm.yaml]\n`]);
    files.push([`${directory}/cm.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: cm${level} }\n`]);
  }
  const index = buildIndex(files);
  expect(index.configMaps.get(`cm${depth - 1}`)?.[0]?.namespace).toBe("top");
});

test("a string with thousands of op:// references is read in one pass", () => {
  const count = 5000;
  const command = Array.from({ length: count }, (_, index) => `op read "op://homelab/item${index}/password"`).join(" && ");
  const index = buildIndex([["ansible/playbooks/many.yml", `- hosts: all\n  pre_tasks:\n    - ansible.builtin.shell: ${JSON.stringify(command)}\n`]]);
  expect(index.onePassword).toHaveLength(count);
  expect(index.onePassword[count - 1]!.item).toBe(`item${count - 1}`);
});
