/**
 * Typed views of Kubernetes documents: every field the rules join on, with its default where
 * the API defines one.
 */
import { describe, expect, test } from "bun:test";
import { isMap, isScalar } from "yaml";
import { text } from "../../src/index/read.ts";
import { buildIndex, values, yaml } from "./build.ts";

describe("ExternalSecret", () => {
  const index = buildIndex([
    [
      "argocd/manifests/authentik/external-secret.yaml",
      yaml`
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata:
          name: authentik
          namespace: authentik
        spec:
          secretStoreRef:
            name: onepassword
            kind: ClusterSecretStore
          target:
            name: authentik-config
            template:
              mergePolicy: Merge
              data:
                grafana-client-secret: "{{ .secret }}"
                config.ini: |
                  [oidc]
              templateFrom:
                - configMap:
                    name: authentik-template
                    items: [{ key: extra }]
          data:
            - secretKey: secret
              remoteRef:
                key: grafana-oidc
                property: client-secret
            - secretKey: password
              remoteRef: { key: postgres }
            - just a string
          dataFrom:
            - extract: { key: smtp }
            - find: { name: { regexp: "^AUTHENTIK_" } }
        ---
        apiVersion: external-secrets.io/v1beta1
        kind: ExternalSecret
        metadata:
          name: plain
        spec:
          secretStoreRef:
            name: local
          data:
            - secretKey: token
              remoteRef: { key: api/token }
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata:
          name: bare
      `,
    ],
  ]);
  const [full, plain, bare] = index.externalSecrets;

  test("target name, store ref, data items, dataFrom, template keys, templateFrom and merge policy", () => {
    expect(full!.name?.value).toBe("authentik");
    expect(full!.namespace).toBe("authentik");
    expect(full!.targetName?.value).toBe("authentik-config");
    expect(full!.storeRef?.name?.value).toBe("onepassword");
    expect(full!.storeRef?.kind).toBe("ClusterSecretStore");
    expect(full!.data.map((item) => [item.secretKey?.value, item.remoteKey?.value, item.property?.value])).toEqual([
      ["secret", "grafana-oidc", "client-secret"],
      ["password", "postgres", undefined],
    ]);
    expect(full!.dataFrom).toHaveLength(2);
    expect(full!.dataFrom.every((node) => isMap(node))).toBe(true);
    expect(values(full!.templateKeys)).toEqual(["grafana-client-secret", "config.ini"]);
    expect(full!.templateFrom).toBe(true);
    expect(full!.mergePolicy).toBe("Merge");
  });

  test("defaults: target name is the ExternalSecret's name, store kind SecretStore, merge policy Replace", () => {
    expect(plain!.targetName?.value).toBe("plain");
    expect(plain!.targetName?.node).toBe(plain!.name!.node);
    expect(plain!.storeRef).toEqual({ name: plain!.storeRef!.name, kind: "SecretStore" });
    expect(plain!.storeRef?.name?.value).toBe("local");
    expect(plain!.templateKeys).toEqual([]);
    expect(plain!.templateFrom).toBe(false);
    expect(plain!.mergePolicy).toBe("Replace");
    expect(plain!.dataFrom).toEqual([]);
    expect(bare!.storeRef).toBeUndefined();
    expect(bare!.data).toEqual([]);
    expect(bare!.targetName?.value).toBe("bare");
  });

  test("values keep their nodes for positions", () => {
    const item = full!.data[0]!;
    expect(isScalar(item.remoteKey?.node)).toBe(true);
    expect(item.remoteKey!.node.range?.[0]).toBe(index.files[0]!.text.indexOf("grafana-oidc"));
  });
});

describe("SecretStore and ClusterSecretStore", () => {
  const index = buildIndex([
    [
      "argocd/manifests/external-secrets/stores.yaml",
      yaml`
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata: { name: onepassword }
        spec:
          provider:
            onepassword:
              connectHost: http://onepassword-connect.external-secrets:8080
              vaults:
                homelab: 1
                shared: 2
              auth:
                secretRef:
                  connectTokenSecretRef: { name: onepassword-connect-token, key: token, namespace: external-secrets }
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: { name: onepassword-sdk, namespace: apps }
        spec:
          provider:
            onepasswordSDK:
              vault: staging
              auth:
                serviceAccountSecretRef: { name: op-token, key: token }
        ---
        apiVersion: external-secrets.io/v1beta1
        kind: SecretStore
        metadata: { name: vault }
        spec:
          provider:
            vault:
              server: https://vault.example.com
        ---
        apiVersion: external-secrets.io/v1beta1
        kind: ClusterSecretStore
        metadata: { name: empty }
      `,
    ],
  ]);

  test("provider and 1Password vaults (Connect: vaults keys; SDK: vault)", () => {
    expect(index.secretStores.map((store) => [store.kind, store.name?.value, store.provider, values(store.vaults)])).toEqual([
      ["ClusterSecretStore", "onepassword", "onepassword", ["homelab", "shared"]],
      ["SecretStore", "onepassword-sdk", "onepasswordSDK", ["staging"]],
      ["SecretStore", "vault", "vault", []],
      ["ClusterSecretStore", "empty", undefined, []],
    ]);
  });
});

describe("workloads", () => {
  const index = buildIndex([
    [
      "argocd/manifests/authentik/deployment-worker.yaml",
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: authentik-worker
          namespace: authentik
        spec:
          template:
            spec:
              initContainers:
                - name: migrate
                  image: ghcr.io/goauthentik/server:2025.2
                  args: [migrate]
                  envFrom:
                    - secretRef: { name: authentik-config }
              containers:
                - name: worker
                  image: ghcr.io/goauthentik/server:2025.2
                  command: [dumb-init, --]
                  args: [worker]
                  env:
                    - name: AUTHENTIK_LOG_LEVEL
                      value: info
                    - name: AUTHENTIK_GRAFANA_SECRET
                      valueFrom:
                        secretKeyRef: { name: authentik-config, key: grafana-client-secret }
                    - name: MAYBE
                      valueFrom:
                        secretKeyRef: { name: optional-secret, key: k, optional: true }
                    - name: POD_IP
                      valueFrom:
                        fieldRef: { fieldPath: status.podIP }
                    - name: FROM_CONFIGMAP
                      valueFrom:
                        configMapKeyRef: { name: settings, key: level }
                    - name: EMPTY
                  envFrom:
                    - secretRef: { name: authentik-env }
                    - configMapRef: { name: authentik-settings }
                      prefix: AUTHENTIK_
              volumes:
                - name: blueprints
                  configMap: { name: authentik-blueprints }
                - name: projected
                  projected:
                    sources:
                      - configMap: { name: extra-blueprints }
                      - secret: { name: certs }
                      - configMap: { name: more-blueprints }
                - name: tls
                  secret: { secretName: authentik-tls }
                - name: scratch
                  emptyDir: {}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: postgres }
        spec:
          template:
            spec:
              containers:
                - name: postgres
                  image: postgres:16
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: agent }
        spec:
          template:
            spec:
              containers: [{ name: agent }]
      `,
    ],
  ]);
  const [worker, postgres, agent] = index.workloads;

  test("containers and initContainers with image, command and args", () => {
    expect(worker!.kind).toBe("Deployment");
    expect(worker!.containers.map((container) => [container.name?.value, container.init, container.image, container.command, container.args])).toEqual([
      ["worker", false, "ghcr.io/goauthentik/server:2025.2", ["dumb-init", "--"], ["worker"]],
      ["migrate", true, "ghcr.io/goauthentik/server:2025.2", [], ["migrate"]],
    ]);
    expect(postgres!.kind).toBe("StatefulSet");
    expect(postgres!.containers.map((container) => container.image)).toEqual(["postgres:16"]);
    expect(agent!.kind).toBe("DaemonSet");
    expect(agent!.containers.map((container) => [container.name?.value, container.image])).toEqual([["agent", undefined]]);
  });

  test("env: value, secretKeyRef (with optional), other valueFrom sources", () => {
    const env = worker!.containers[0]!.env;
    expect(
      env.map((variable) => [
        variable.name?.value,
        text(variable.value),
        variable.secretKeyRef?.name?.value,
        variable.secretKeyRef?.key?.value,
        variable.secretKeyRef?.optional,
        variable.otherSource,
      ]),
    ).toEqual([
      ["AUTHENTIK_LOG_LEVEL", "info", undefined, undefined, undefined, false],
      ["AUTHENTIK_GRAFANA_SECRET", undefined, "authentik-config", "grafana-client-secret", false, false],
      ["MAYBE", undefined, "optional-secret", "k", true, false],
      ["POD_IP", undefined, undefined, undefined, undefined, true],
      ["FROM_CONFIGMAP", undefined, undefined, undefined, undefined, true],
      ["EMPTY", undefined, undefined, undefined, undefined, false],
    ]);
  });

  test("envFrom: secretRef, configMapRef and prefix", () => {
    expect(worker!.containers[0]!.envFrom.map((source) => [source.secretRef?.value, source.configMapRef?.value, source.prefix])).toEqual([
      ["authentik-env", undefined, ""],
      [undefined, "authentik-settings", "AUTHENTIK_"],
    ]);
    expect(worker!.containers[1]!.envFrom.map((source) => source.secretRef?.value)).toEqual(["authentik-config"]);
  });

  test("volumes: ConfigMaps and Secrets, directly and through projected sources", () => {
    expect(worker!.volumes.map((volume) => [volume.name?.value, values(volume.configMaps), values(volume.secrets)])).toEqual([
      ["blueprints", ["authentik-blueprints"], []],
      ["projected", ["extra-blueprints", "more-blueprints"], ["certs"]],
      ["tls", [], ["authentik-tls"]],
      ["scratch", [], []],
    ]);
  });
});

describe("ConfigMap, Secret, SealedSecret keys", () => {
  test("keys from data and binaryData, data and stringData, encryptedData", () => {
    const index = buildIndex([
      [
        "manifests/keys.yaml",
        yaml`
          apiVersion: v1
          kind: ConfigMap
          metadata: { name: settings }
          data: { level: info }
          binaryData: { logo.png: aGVsbG8= }
          ---
          apiVersion: v1
          kind: Secret
          metadata: { name: creds }
          data: { user: YWRtaW4= }
          stringData: { password: hunter2 }
          ---
          apiVersion: bitnami.com/v1alpha1
          kind: SealedSecret
          metadata: { name: sealed }
          spec:
            encryptedData: { token: AgBy8hCi }
        `,
      ],
    ]);
    expect(index.resources.map((resource) => [resource.kind, "keys" in resource ? values(resource.keys) : []])).toEqual([
      ["ConfigMap", ["level", "logo.png"]],
      ["Secret", ["user", "password"]],
      ["SealedSecret", ["token"]],
    ]);
  });
});

describe("hosts", () => {
  test("Ingress hosts from rules and tls; HTTPRoute hostnames", () => {
    const index = buildIndex([
      [
        "manifests/grafana/ingress.yaml",
        yaml`
          apiVersion: networking.k8s.io/v1
          kind: Ingress
          metadata: { name: grafana }
          spec:
            tls:
              - hosts: [Grafana.Example.com, grafana-alt.example.com]
                secretName: grafana-tls
            rules:
              - host: grafana.example.com
                http: { paths: [] }
              - http: { paths: [] }
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: { name: authentik }
          spec:
            hostnames: [auth.example.com, "*.apps.example.com"]
        `,
      ],
    ]);
    const [ingress, route] = index.resources;
    expect(ingress!.kind).toBe("Ingress");
    expect(ingress?.kind === "Ingress" && values(ingress.hosts)).toEqual(["grafana.example.com", "Grafana.Example.com", "grafana-alt.example.com"]);
    expect(route?.kind === "HTTPRoute" && values(route.hosts)).toEqual(["auth.example.com", "*.apps.example.com"]);
  });
});

describe("Kustomization", () => {
  test("resources, generators (files with key=path, literals, envs), namespace", () => {
    const index = buildIndex([
      [
        "argocd/manifests/authentik/kustomization.yaml",
        yaml`
          apiVersion: kustomize.config.k8s.io/v1beta1
          kind: Kustomization
          namespace: authentik
          resources:
            - deployment-worker.yaml
            - ../common
            - https://github.com/example/manifests//base?ref=v1
          configMapGenerator:
            - name: authentik-blueprints
              files:
                - blueprints/grafana.yaml
                - forgejo.yaml=blueprints/forgejo-oidc.yaml
            - name: settings
              literals:
                - LOG_LEVEL=debug
                - EMPTY=
              envs:
                - settings.env
          secretGenerator:
            - name: generated
              literals: [password=hunter2]
            - name: from-env
              env: secrets.env
        `,
      ],
    ]);
    const [kustomization] = index.ofKind("Kustomization");
    expect(kustomization!.directory).toBe("argocd/manifests/authentik");
    expect(kustomization!.targetNamespace).toBe("authentik");
    expect(values(kustomization!.resources)).toEqual(["deployment-worker.yaml", "../common", "https://github.com/example/manifests//base?ref=v1"]);
    expect(kustomization!.configMapGenerators.map((generator) => [generator.name?.value, generator.keys, generator.files, generator.open])).toEqual([
      [
        "authentik-blueprints",
        ["grafana.yaml", "forgejo.yaml"],
        ["argocd/manifests/authentik/blueprints/grafana.yaml", "argocd/manifests/authentik/blueprints/forgejo-oidc.yaml"],
        false,
      ],
      ["settings", ["LOG_LEVEL", "EMPTY"], [], true],
    ]);
    expect(kustomization!.secretGenerators.map((generator) => [generator.name?.value, generator.keys, generator.open])).toEqual([
      ["generated", ["password"], false],
      ["from-env", [], true],
    ]);
  });

  test("deprecated bases are resources too", () => {
    const index = buildIndex([["overlays/prod/kustomization.yaml", "bases: [../../base]\nresources: [extra.yaml]\n"]]);
    expect(values(index.ofKind("Kustomization")[0]!.resources)).toEqual(["extra.yaml", "../../base"]);
  });
});
