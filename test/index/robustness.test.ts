/**
 * Documents of any shape reach the index: scalars, lists, nulls, half-written manifests, values
 * of the wrong type. Nothing throws; what cannot be read is left out.
 */
import { expect, test } from "bun:test";
import { rules } from "../../rules/index.ts";
import { lintProject } from "../../src/engine.ts";
import { writeRepo } from "../helpers/rule-tester.ts";
import { buildIndex, yaml } from "./build.ts";

test("odd documents and wrongly typed values never throw", () => {
  const files: Array<[string, string]> = [
    ["odd/scalars.yaml", "just a string\n---\n42\n---\n~\n---\n---\n[1, 2, 3]\n---\n- a\n- {b: c}\n"],
    ["odd/empty.yaml", ""],
    ["odd/comments.yaml", "# nothing here\n"],
    ["odd/broken.yaml", "kind: [unclosed\n"],
    ["odd/tagged.yaml", "!Env X\n---\n!Find [a, [b, c]]\n---\nkind: !Env K\napiVersion: v1\n"],
    [
      "odd/kubernetes.yaml",
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: no-spec }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: [not, a, map]
        spec: 5
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: 123, namespace: 456 }
        spec:
          template:
            spec:
              containers:
                - just a string
                - null
                - name: 7
                  image: 8
                  command: run
                  args: { not: a list }
                  env:
                    - a string
                    - 42
                    - name: 9
                      value: 10
                    - name: X
                      valueFrom: 5
                    - name: Y
                      valueFrom: { secretKeyRef: 5 }
                    - name: Z
                      valueFrom: { secretKeyRef: { name: 1, key: 2, optional: true } }
                  envFrom: [1, { secretRef: 5 }, { configMapRef: { name: 6 }, prefix: 7 }]
              volumes: [1, { name: v, configMap: 5, projected: { sources: 5 } }, { projected: { sources: [1, { configMap: 2 }] } }]
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        spec:
          template:
            spec:
              containers:
                env: { NOT: a list }
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: { name: 5 }
        spec:
          secretStoreRef: 5
          target: { name: 6, template: { data: [1], templateFrom: 5 } }
          data: [1, { secretKey: 2, remoteRef: 3 }, { remoteRef: { key: 4, property: 5 } }]
          dataFrom: 5
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        spec: { provider: 5 }
        ---
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        spec: { provider: { onepassword: { vaults: [a, b] } } }
        ---
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        spec: { provider: { onepasswordSDK: { vault: { not: a string } } } }
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        spec: { rules: [null, 1, { host: 2 }], tls: [{ hosts: 3 }, { hosts: [4, null] }] }
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        spec: { hostnames: { a: b } }
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: x }
        data: [a, b]
        ---
        apiVersion: v1
        kind: Secret
        data: 5
        ---
        apiVersion: bitnami.com/v1alpha1
        kind: SealedSecret
        spec: 5
        ---
        kind: 5
        apiVersion: 6
      `,
    ],
    ["odd/kustomization.yaml", "resources: [1, { a: b }, null]\nnamespace: 5\nconfigMapGenerator: [1, { name: 2, files: [3, { a: b }], literals: 4 }]\nsecretGenerator: 5\n"],
    ["odd/other/kustomization.yaml", "resources: 5\nnamespace: [x]\n"],
    ["odd/blueprint.yaml", "version: 1\nentries: 5\n---\nversion: 1\nentries: [1, null, { model: 2, id: 3, identifiers: 4, attrs: [5], conditions: 6 }]\n---\nversion: 1\nentries: { a: 5, b: [null], c: { d: [] } }\n"],
    [
      "odd/configmap.yaml",
      yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata: 5
        data:
          broken.yaml: |
            version: 1
            entries: [unclosed
          empty.yaml: ""
          5: |
            version: 1
            entries: []
      `,
    ],
    ["odd/playbooks/site.yml", "- hosts: 5\n  roles: 5\n  tasks: 5\n  pre_tasks: [1, null, { block: 5 }, { block: [1], rescue: { a: b } }]\n  vars: [1]\n- import_playbook: x.yml\n"],
    ["odd/playbooks/not-plays.yml", "- 1\n- [2]\n"],
    ["odd/roles/r/tasks/main.yml", "5\n"],
    ["odd/roles/r/tasks/other.yml", "- 1\n- { 2: 3 }\n- { action: 5 }\n- { local_action: { module: 6 } }\n- { action: { not_module: x } }\n"],
    ["odd/roles/r/handlers/main.yml", "{ a: b }\n"],
    ["odd/roles/r/meta/main.yml", "~\n"],
    ["odd/roles/r/defaults/main.yml", "- op://a\n- \"{{ lookup('onepassword') }}\"\n- op://v/i\n- op:///i/f\n- \"op://v/i/f?attribute=otp\"\n"],
    ["odd/roles/r/templates/x.j2", "{{ }} {{ a. }} {% if %}\n"],
    ["odd/anchors.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: &meta { name: anchored }\n---\napiVersion: v1\nkind: Secret\nmetadata: *meta\n"],
  ];
  const index = buildIndex(files);
  expect(index.files).toHaveLength(files.length);
  const statefulSet = index.workloads.find((workload) => workload.kind === "StatefulSet")!;
  expect(statefulSet.name?.value).toBe("123");
  expect(statefulSet.namespace).toBe("456");
  const container = statefulSet.containers[0]!;
  expect(container.name?.value).toBe("7");
  expect(container.env.map((env) => env.name?.value)).toEqual(["9", "X", "Y", "Z"]);
  expect(container.env[3]!.secretKeyRef?.optional).toBe(true);
  expect(index.envVars.has("9")).toBe(true);
  // Malformed op:// URIs are skipped; numbers are names as written.
  expect(index.onePassword.map((reference) => `${reference.vault}/${reference.item}/${reference.field}`)).toEqual(["v/i/f", "undefined/4/5"]);
});

test("a deeply nested document does not overflow the stack", () => {
  const depth = 5000;
  const nested = "[".repeat(depth) + "op://v/i/f" + "]".repeat(depth);
  const index = buildIndex([["ansible/group_vars/all.yml", `deep: ${nested}\n`]]);
  expect(index.files).toHaveLength(1);
});

test("anchors that alias each other a billion times over: every rule finishes, in every kind of file", async () => {
  // a is 10 strings, b ten times a, …, i ten times h: 10^9 strings once expanded.
  const names = "abcdefghi";
  const bomb = (indent: string): string =>
    [
      `${indent}a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]`,
      ...[...names.slice(1)].map((name, index) => `${indent}${name}: &${name} [${Array.from({ length: 10 }, () => `*${names[index]}`).join(", ")}]`),
    ].join("\n");
  const root = writeRepo({
    "apps/blueprints.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blueprints\ndata:\n  bomb.yaml: |\n    version: 1\n    context:\n${bomb("      ")}\n    entries: *i\n`,
    "apps/deployment.yaml": `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  labels:\n${bomb("    ")}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env: *i\n          envFrom: *i\n`,
    "apps/external-secret.yaml": `apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: app\nstatus:\n${bomb("  ")}\nspec:\n  secretStoreRef: { name: onepassword }\n  data: *i\n  dataFrom: *i\n`,
    "ansible/group_vars/all.yml": `---\n${bomb("")}\n`,
    "ansible/roles/app/tasks/main.yml": `---\n- name: Show\n  ansible.builtin.debug:\n    msg: hi\n  vars:\n${bomb("    ")}\n  loop: *i\n`,
  });
  const started = performance.now();
  const outcome = await lintProject({ cwd: root, rules });
  expect(outcome.results.flatMap((result) => result.messages).filter((message) => message.fatal)).toEqual([]);
  expect(performance.now() - started).toBeLessThan(4000);
});
