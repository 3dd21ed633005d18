/**
 * Kubernetes documents → typed views. Only the fields the rules join on are read.
 */
import { isMap, type Node, type YAMLMap } from "yaml";
import type { ParsedFile } from "../parse/index.ts";
import type { YamlDocument } from "../parse/yaml.ts";
import type {
  ConfigMap,
  Container,
  EnvFrom,
  EnvVar,
  ExternalSecret,
  ExternalSecretData,
  Generator,
  HTTPRoute,
  Ingress,
  KubernetesResource,
  KubernetesSecret,
  Kustomization,
  OnePasswordItem,
  SecretStore,
  Volume,
  Workload,
} from "./model.ts";
import { field, items, keysOf, mapField, maps, named, namedField, path, strings, text } from "./read.ts";

interface Base {
  file: ParsedFile;
  document: YamlDocument;
  node: YAMLMap;
  apiVersion: string;
  name?: ExternalSecret["name"];
  namespace?: string;
}

/**
 * The API groups each kind is read from. A kind alone says little: Helm values files have a
 * top-level `kind: DaemonSet` (fluent-bit's chart), and CRDs reuse names such as `Secret` or
 * `Kustomization` (Flux's `kustomize.toolkit.fluxcd.io`, which is not kustomize's).
 */
const apiGroups: Record<KubernetesResource["kind"], readonly string[]> = {
  ExternalSecret: ["external-secrets.io/"],
  SecretStore: ["external-secrets.io/"],
  ClusterSecretStore: ["external-secrets.io/"],
  Deployment: ["apps/", "extensions/"],
  StatefulSet: ["apps/"],
  DaemonSet: ["apps/", "extensions/"],
  ConfigMap: ["v1"],
  Secret: ["v1"],
  SealedSecret: ["bitnami.com/"],
  OnePasswordItem: ["onepassword.com/"],
  Ingress: ["networking.k8s.io/", "extensions/"],
  HTTPRoute: ["gateway.networking.k8s.io/"],
  // kustomize reads its own files without apiVersion.
  Kustomization: ["kustomize.config.k8s.io/", ""],
};

function inGroup(kind: KubernetesResource["kind"], apiVersion: string): boolean {
  return apiGroups[kind].some((group) => (group.endsWith("/") ? apiVersion.startsWith(group) : apiVersion === group));
}

function isReadKind(kind: string): kind is KubernetesResource["kind"] {
  return Object.hasOwn(apiGroups, kind);
}

/** The typed view of a Kubernetes document, or undefined for kinds no rule reads. */
export function readKubernetes(file: ParsedFile, document: YamlDocument, node: YAMLMap, kind: string): KubernetesResource | undefined {
  const metadata = field(node, "metadata");
  const base: Base = {
    file,
    document,
    node,
    apiVersion: text(field(node, "apiVersion")) ?? "",
    name: namedField(metadata, "name"),
    namespace: text(field(metadata, "namespace")),
  };
  // A kustomize Component is a kustomization that others include with `components:`; it holds
  // the same fields, and the rules read it as one.
  if (kind === "Component" && base.apiVersion.startsWith("kustomize.config.k8s.io/")) return readKustomization(base);
  if (!isReadKind(kind) || !inGroup(kind, base.apiVersion)) return undefined;
  switch (kind) {
    case "ExternalSecret":
      return readExternalSecret(base);
    case "SecretStore":
    case "ClusterSecretStore":
      return readSecretStore(base, kind);
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
      return readWorkload(base, kind);
    case "ConfigMap":
      return { ...base, kind, keys: [...keysOf(field(node, "data")), ...keysOf(field(node, "binaryData"))] } satisfies ConfigMap;
    case "Secret":
      return { ...base, kind, keys: [...keysOf(field(node, "data")), ...keysOf(field(node, "stringData"))] } satisfies KubernetesSecret;
    case "SealedSecret":
      return { ...base, kind, keys: keysOf(path(node, "spec", "encryptedData")) } satisfies KubernetesSecret;
    case "OnePasswordItem":
      return { ...base, kind } satisfies OnePasswordItem;
    case "Ingress":
      return { ...base, kind, hosts: ingressHosts(node) } satisfies Ingress;
    case "HTTPRoute":
      return { ...base, kind, hosts: items(path(node, "spec", "hostnames")).flatMap((item) => optional(named(item))) } satisfies HTTPRoute;
    case "Kustomization":
      return readKustomization(base);
  }
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

function readExternalSecret(base: Base): ExternalSecret {
  const spec = field(base.node, "spec");
  const target = field(spec, "target");
  const template = field(target, "template");
  const storeRef = field(spec, "secretStoreRef");
  const data = maps(field(spec, "data")).map(
    (item): ExternalSecretData => ({
      node: item,
      secretKey: namedField(item, "secretKey"),
      remoteKey: namedField(field(item, "remoteRef"), "key"),
      property: namedField(field(item, "remoteRef"), "property"),
    }),
  );
  return {
    ...base,
    kind: "ExternalSecret",
    targetName: namedField(target, "name") ?? base.name,
    storeRef: storeRef ? { name: namedField(storeRef, "name"), kind: text(field(storeRef, "kind")) ?? "SecretStore" } : undefined,
    data,
    dataFrom: items(field(spec, "dataFrom")) as Node[],
    templateKeys: keysOf(field(template, "data")),
    templateFrom: items(field(template, "templateFrom")).length > 0,
    mergePolicy: text(field(template, "mergePolicy")) ?? "Replace",
  };
}

function readSecretStore(base: Base, kind: SecretStore["kind"]): SecretStore {
  const provider = mapField(field(base.node, "spec"), "provider");
  const providerName = provider ? keysOf(provider)[0]?.value : undefined;
  const settings = providerName ? field(provider, providerName) : undefined;
  const vaults =
    providerName === "onepassword"
      ? keysOf(field(settings, "vaults"))
      : providerName === "onepasswordSDK"
        ? optional(namedField(settings, "vault"))
        : [];
  return { ...base, kind, provider: providerName, vaults };
}

/** A container's fields; also the env and envFrom of chart values (src/index/helm.ts), which have the container's shape. */
export function readContainer(node: YAMLMap, init: boolean): Container {
  const env = maps(field(node, "env")).map((item): EnvVar => {
    const valueFrom = field(item, "valueFrom");
    const secretKeyRef = mapField(valueFrom, "secretKeyRef");
    return {
      node: item,
      name: namedField(item, "name"),
      value: field(item, "value"),
      secretKeyRef: secretKeyRef
        ? {
            node: secretKeyRef,
            name: namedField(secretKeyRef, "name"),
            key: namedField(secretKeyRef, "key"),
            optional: text(field(secretKeyRef, "optional")) === "true",
          }
        : undefined,
      otherSource: isMap(valueFrom) && !secretKeyRef,
    };
  });
  const envFrom = maps(field(node, "envFrom")).map(
    (item): EnvFrom => ({
      node: item,
      secretRef: namedField(field(item, "secretRef"), "name"),
      configMapRef: namedField(field(item, "configMapRef"), "name"),
      prefix: text(field(item, "prefix")) ?? "",
    }),
  );
  return {
    node,
    name: namedField(node, "name"),
    image: text(field(node, "image")),
    command: strings(field(node, "command")),
    args: strings(field(node, "args")),
    env,
    envFrom,
    init,
  };
}

function readVolume(node: YAMLMap): Volume {
  const projected = maps(path(node, "projected", "sources"));
  return {
    node,
    name: namedField(node, "name"),
    configMaps: [
      ...optional(namedField(field(node, "configMap"), "name")),
      ...projected.flatMap((source) => optional(namedField(field(source, "configMap"), "name"))),
    ],
    secrets: [
      ...optional(namedField(field(node, "secret"), "secretName")),
      ...projected.flatMap((source) => optional(namedField(field(source, "secret"), "name"))),
    ],
  };
}

function readWorkload(base: Base, kind: Workload["kind"]): Workload {
  const pod = path(base.node, "spec", "template", "spec");
  return {
    ...base,
    kind,
    containers: [
      ...maps(field(pod, "containers")).map((node) => readContainer(node, false)),
      ...maps(field(pod, "initContainers")).map((node) => readContainer(node, true)),
    ],
    volumes: maps(field(pod, "volumes")).map(readVolume),
    onePasswordItem: kind === "Deployment" ? readOnePasswordAnnotations(base.node) : undefined,
  };
}

const onePasswordAnnotation = "operator.1password.io/";
/** Annotations the operator reads but that do not ask for a Secret (pkg/onepassword/annotations.go). */
const onePasswordRestartAnnotations = new Set(["operator.1password.io/last-restarted", "operator.1password.io/auto-restart"]);

/**
 * The 1Password operator's annotations on a Deployment: those of metadata.annotations if it has
 * any `operator.1password.io/` one, else the pod template's. A Secret is made only when both
 * `item-name` and `item-path` are set.
 */
function readOnePasswordAnnotations(node: YAMLMap): Workload["onePasswordItem"] {
  const own = (annotations: Node | undefined): boolean =>
    keysOf(annotations).some((key) => key.value.startsWith(onePasswordAnnotation) && !onePasswordRestartAnnotations.has(key.value));
  const metadata = path(node, "metadata", "annotations");
  const template = path(node, "spec", "template", "metadata", "annotations");
  const [annotations, at] = own(metadata)
    ? ([metadata, "metadata.annotations"] as const)
    : ([template, "spec.template.metadata.annotations"] as const);
  const name = namedField(annotations, `${onePasswordAnnotation}item-name`);
  const itemPath = namedField(annotations, `${onePasswordAnnotation}item-path`);
  return name && itemPath && name.value !== "" && itemPath.value !== "" ? { name, itemPath, annotations: at } : undefined;
}

function ingressHosts(node: YAMLMap): Ingress["hosts"] {
  const spec = field(node, "spec");
  return [
    ...maps(field(spec, "rules")).flatMap((rule) => optional(namedField(rule, "host"))),
    ...maps(field(spec, "tls")).flatMap((tls) => items(field(tls, "hosts")).flatMap((host) => optional(named(host)))),
  ];
}

/** Joins a kustomization's relative path onto its directory, as kustomize does. */
export function joinPath(directory: string, relative: string): string {
  const parts = directory === "" ? [] : directory.split("/");
  for (const part of relative.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

function readGenerator(node: YAMLMap, directory: string): Generator {
  const files = strings(field(node, "files")).map((entry) => {
    // `key=path` names the key; otherwise the key is the file's base name.
    const separator = entry.indexOf("=");
    const file = separator === -1 ? entry : entry.slice(separator + 1);
    const key = separator === -1 ? (file.split("/").pop() ?? file) : entry.slice(0, separator);
    return { key, file: joinPath(directory, file) };
  });
  const literals = strings(field(node, "literals")).map((literal) => literal.split("=")[0] ?? literal);
  return {
    node,
    name: namedField(node, "name"),
    keys: [...files.map((entry) => entry.key), ...literals],
    files: files.map((entry) => entry.file),
    open: items(field(node, "envs")).length > 0 || field(node, "env") !== undefined,
  };
}

function readKustomization(base: Base): Kustomization {
  const directory = base.file.relPath.includes("/") ? base.file.relPath.slice(0, base.file.relPath.lastIndexOf("/")) : "";
  return {
    ...base,
    kind: "Kustomization",
    directory,
    // `bases` is kustomize's deprecated spelling of directory resources, still read by kustomize 5.
    // A component's resources join the build as resources do, under the same namespace.
    resources: ["resources", "bases", "components"].flatMap((key) => items(field(base.node, key)).flatMap((item) => optional(named(item)))),
    configMapGenerators: maps(field(base.node, "configMapGenerator")).map((node) => readGenerator(node, directory)),
    secretGenerators: maps(field(base.node, "secretGenerator")).map((node) => readGenerator(node, directory)),
    targetNamespace: text(field(base.node, "namespace")),
  };
}

const patchFileSets = new WeakMap<readonly ParsedFile[], ReadonlySet<string>>();

/** kustomize reads a directory's kustomization from one of these names. */
const kustomizationFile = /(^|\/)(kustomization\.ya?ml|Kustomization)$/u;

/** Whether a root-relative path names a file kustomize reads as its directory's kustomization. */
export function isKustomizationFile(relPath: string): boolean {
  return kustomizationFile.test(relPath);
}

/**
 * The files kustomizations and kustomize Components apply as patches (`patchesStrategicMerge`
 * entries and `patches[].path`), relative to the root. Such a document is merged into a
 * resource of another file, so it holds only the fields it changes: it is no complete resource,
 * and its required fields are the target's. Found once per list of files.
 */
export function patchFiles(files: readonly ParsedFile[]): ReadonlySet<string> {
  let found = patchFileSets.get(files);
  if (found) return found;
  const patches = new Set<string>();
  for (const file of files) {
    if (!isKustomizationFile(file.relPath)) continue;
    const directory = file.relPath.includes("/") ? file.relPath.slice(0, file.relPath.lastIndexOf("/")) : "";
    for (const document of file.documents) {
      const node = document.doc.contents;
      const kind = text(field(node, "kind"));
      if (kind !== undefined && kind !== "Kustomization" && kind !== "Component") continue;
      const entries = [
        ...strings(field(node, "patchesStrategicMerge")),
        ...maps(field(node, "patches")).flatMap((patch) => optional(text(field(patch, "path")))),
      ];
      // A patchesStrategicMerge entry may be the patch itself, written inline.
      for (const entry of entries) if (!entry.includes("\n")) patches.add(joinPath(directory, entry));
    }
  }
  found = patches;
  patchFileSets.set(files, found);
  return found;
}
