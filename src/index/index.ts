/**
 * Index stage: parsed files → typed resources and the join maps the rules need, built once per
 * run in one pass over the documents (plus one over the Kustomizations for namespaces).
 */
import { isMap, isSeq, type YAMLMap } from "yaml";
import type { RepoPaths } from "../discover.ts";
import type { ParsedFile } from "../parse/index.ts";
import { isBlueprintDocument, type YamlDocument } from "../parse/yaml.ts";
import { onePasswordReferences, readPlaybook, readTasks, roleFileOf } from "./ansible.ts";
import { readBlueprint } from "./blueprint.ts";
import { isKustomizationFile, joinPath, readKubernetes } from "./kubernetes.ts";
import type {
  AnsiblePlaybook,
  AnsibleRole,
  Blueprint,
  BlueprintEntry,
  ConfigMap,
  Container,
  EnvVar,
  ExternalSecret,
  Generator,
  KubernetesResource,
  KubernetesSecret,
  Kustomization,
  OnePasswordItem,
  OnePasswordReference,
  SecretStore,
  Volume,
  Workload,
} from "./model.ts";
import { field, text } from "./read.ts";
import { push } from "./collect.ts";

export type * from "./model.ts";

/** What a file holds, for the engine's per-file traversal. */
export interface FileViews {
  blueprints: Blueprint[];
  resources: KubernetesResource[];
  playbooks: AnsiblePlaybook[];
}

/** Something that creates a Secret: its keys, or `open` where they cannot be listed. */
export type SecretProducer =
  | { kind: "ExternalSecret"; resource: ExternalSecret; namespace?: string }
  | { kind: "Secret" | "SealedSecret"; resource: KubernetesSecret; namespace?: string }
  | { kind: "OnePasswordItem"; resource: OnePasswordItem; namespace?: string }
  /** A Deployment whose 1Password operator annotations make a Secret (`Workload.onePasswordItem`). */
  | { kind: "Deployment"; resource: Workload; namespace?: string }
  | { kind: "SecretGenerator"; resource: Kustomization; generator: Generator; namespace?: string };

export interface EnvBinding {
  workload: Workload;
  container: Container;
  env: EnvVar;
}

export interface Mount {
  workload: Workload;
  volume: Volume;
}

export interface ModelEntry {
  blueprint: Blueprint;
  entry: BlueprintEntry;
}

const emptyViews = (): FileViews => ({ blueprints: [], resources: [], playbooks: [] });

type KindOf<K extends KubernetesResource["kind"]> = Extract<KubernetesResource, { kind: K }>;

/**
 * Fields of a kustomization file, with the shape each must have: a file of that name is a
 * Kustomization without `apiVersion`/`kind` only if its fields look like kustomize's.
 */
const kustomizeFields: ReadonlyArray<[string, (node: unknown) => boolean]> = [
  ...["resources", "bases", "components", "patches", "patchesStrategicMerge", "patchesJson6902", "configMapGenerator", "secretGenerator", "helmCharts", "images", "replicas"].map(
    (key): [string, (node: unknown) => boolean] => [key, isSeq],
  ),
  ...["namespace", "namePrefix", "nameSuffix"].map((key): [string, (node: unknown) => boolean] => [key, (node: unknown) => text(node) !== undefined]),
];

/** 1Password providers of External Secrets: Connect and the SDK. */
export function isOnePasswordStore(store: SecretStore): boolean {
  return store.provider === "onepassword" || store.provider === "onepasswordSDK";
}

export class RepoIndex {
  readonly blueprints: Blueprint[] = [];
  readonly resources: KubernetesResource[] = [];
  readonly playbooks: AnsiblePlaybook[] = [];
  readonly roles = new Map<string, AnsibleRole>();
  readonly onePassword: OnePasswordReference[] = [];

  // Lists of related kinds (one kind: `ofKind`), filled once while the documents are read: rules
  // may ask for them per node.
  /** SecretStores and ClusterSecretStores, in repo order. */
  readonly secretStores: SecretStore[] = [];
  /** Deployments, StatefulSets and DaemonSets, in repo order. */
  readonly workloads: Workload[] = [];
  private readonly byKind = new Map<KubernetesResource["kind"], KubernetesResource[]>();

  /** Env vars set by any container, by name. */
  readonly envVars = new Map<string, EnvBinding[]>();
  /** Producers of each Secret, by Secret name. */
  readonly secretProducers = new Map<string, SecretProducer[]>();
  /** ConfigMaps by name. */
  readonly configMaps = new Map<string, ConfigMap[]>();
  /** Workloads mounting each ConfigMap, by ConfigMap name. */
  readonly configMapMounts = new Map<string, Mount[]>();
  /** Workloads mounting each Secret as a volume, by Secret name. */
  readonly secretMounts = new Map<string, Mount[]>();
  /** Blueprint entries by model, e.g. `authentik_core.group`. */
  readonly entriesByModel = new Map<string, ModelEntry[]>();
  /** SecretStores and ClusterSecretStores by name, in repo order. */
  readonly storesByName = new Map<string, SecretStore[]>();

  private readonly views = new Map<string, FileViews>();

  /** Parsed files by absolute path. */
  readonly filesByPath = new Map<string, ParsedFile>();
  /** What each directory holds, by name: built on first use. */
  private directoryEntries?: Map<string, string[]>;

  /** `paths`: what discovery found on disk; without it no path is known to exist or be missing. */
  constructor(
    readonly files: readonly ParsedFile[],
    private readonly paths: RepoPaths = noPaths,
  ) {
    for (const file of files) {
      this.filesByPath.set(file.path, file);
      this.addFile(file);
    }
    this.resolveNamespaces();
    this.join();
  }

  /**
   * Whether a file, directory or symbolic link is at a root-relative path, written as
   * `resolvePath` returns it. Any file counts, not only the linted ones.
   */
  exists(relPath: string): boolean {
    return this.paths.paths.has(relPath);
  }

  isDirectory(relPath: string): boolean {
    return this.paths.paths.get(relPath) === "directory";
  }

  /**
   * Certainly absent: not there, and where discovery would have found it (in a directory it
   * walked, not below a symbolic link, not ignored by .gitignore). A path that is neither
   * existing nor missing cannot be judged.
   */
  isMissing(relPath: string): boolean {
    return !this.paths.paths.has(relPath) && this.paths.covers(relPath);
  }

  /** The names in a directory, sorted (empty for a directory that is not there). */
  entries(directory: string): readonly string[] {
    if (!this.directoryEntries) {
      this.directoryEntries = new Map();
      for (const relPath of [...this.paths.paths.keys()].sort()) {
        if (relPath === "") continue;
        const slash = relPath.lastIndexOf("/");
        push(this.directoryEntries, slash === -1 ? "" : relPath.slice(0, slash), relPath.slice(slash + 1));
      }
    }
    return this.directoryEntries.get(directory) ?? [];
  }

  /**
   * The stores an ExternalSecret's `secretStoreRef` names: of its kind, and for a SecretStore in
   * the ExternalSecret's namespace (a SecretStore serves its own namespace only).
   */
  storesOf(secret: ExternalSecret): SecretStore[] {
    const name = secret.storeRef?.name?.value;
    return (name === undefined ? [] : (this.storesByName.get(name) ?? [])).filter(
      (store) => store.kind === secret.storeRef?.kind && (store.kind === "ClusterSecretStore" || sameNamespace(store.namespace, secret.namespace)),
    );
  }

  /** The resources a file holds (empty for files with nothing the rules read). */
  viewsOf(file: ParsedFile): FileViews {
    return this.views.get(file.path) ?? emptyViews();
  }

  get externalSecrets(): ExternalSecret[] {
    return this.ofKind("ExternalSecret");
  }

  /** Resources of one kind, in repo order: the same list, built once, on every call. */
  ofKind<K extends KubernetesResource["kind"]>(kind: K): Array<KindOf<K>> {
    let list = this.byKind.get(kind);
    if (!list) {
      list = [];
      this.byKind.set(kind, list);
    }
    return list as Array<KindOf<K>>;
  }

  private addResource(file: ParsedFile, resource: KubernetesResource): void {
    this.resources.push(resource);
    this.viewsFor(file).resources.push(resource);
    (this.ofKind(resource.kind) as KubernetesResource[]).push(resource);
    switch (resource.kind) {
      case "SecretStore":
      case "ClusterSecretStore":
        this.secretStores.push(resource);
        break;
      case "Deployment":
      case "StatefulSet":
      case "DaemonSet":
        this.workloads.push(resource);
        break;
      default:
        break;
    }
  }

  private viewsFor(file: ParsedFile): FileViews {
    let views = this.views.get(file.path);
    if (!views) {
      views = emptyViews();
      this.views.set(file.path, views);
    }
    return views;
  }

  private addFile(file: ParsedFile): void {
    const role = roleFileOf(file.relPath);
    if (role) {
      const entry = this.roleFor(role.role, role.directory);
      if (role.part === "templates") entry.templates.push(file);
    }
    for (const document of [...file.documents, ...file.embedded]) this.addDocument(file, document, role);
    // Decoded from a Secret's base64 `data:`: the objects it declares satisfy links elsewhere, but
    // it is in no file's views, so no rule walks it or reports in it.
    for (const document of file.encoded ?? []) {
      const contents = document.doc.contents;
      if (isMap(contents)) this.blueprints.push(readBlueprint(file, document, contents, true));
    }
  }

  private roleFor(name: string, directory: string): AnsibleRole {
    let role = this.roles.get(directory);
    if (!role) {
      role = { kind: "AnsibleRole", name, directory, defaults: [], vars: [], tasks: [], handlers: [], templates: [] };
      this.roles.set(directory, role);
    }
    return role;
  }

  private addDocument(file: ParsedFile, document: YamlDocument, role: ReturnType<typeof roleFileOf>): void {
    const contents = document.doc.contents;
    if (isMap(contents) && isBlueprintDocument(document.doc)) {
      const blueprint = readBlueprint(file, document, contents);
      this.blueprints.push(blueprint);
      this.viewsFor(file).blueprints.push(blueprint);
      return;
    }
    if (role && role.part !== "templates") {
      const entry = this.roleFor(role.role, role.directory);
      if (role.part === "tasks") for (const task of readTasks(contents, file)) entry.tasks.push(task);
      else if (role.part === "handlers") for (const task of readTasks(contents, file)) entry.handlers.push(task);
      else if (role.part === "defaults") entry.defaults.push(document);
      else if (role.part === "vars") entry.vars.push(document);
      else if (role.part === "meta" && role.rest.startsWith("main.")) entry.meta = document;
      for (const reference of onePasswordReferences(contents, file)) this.onePassword.push(reference);
      return;
    }
    if (file.version === "1.1") {
      const playbook = readPlaybook(file, document);
      if (playbook) {
        this.playbooks.push(playbook);
        this.viewsFor(file).playbooks.push(playbook);
      }
      for (const reference of onePasswordReferences(contents, file)) this.onePassword.push(reference);
      return;
    }
    if (!isMap(contents)) return;
    const kind = text(field(contents, "kind")) ?? this.impliedKind(file, contents);
    if (kind === undefined) return;
    const resource = readKubernetes(file, document, contents, kind);
    if (resource) this.addResource(file, resource);
  }

  /** kustomize reads `kustomization.yaml` without `kind:`; the file must still look like one. */
  private impliedKind(file: ParsedFile, contents: YAMLMap): string | undefined {
    if (!isKustomizationFile(file.relPath) || contents.has("kind")) return undefined;
    let found = false;
    for (const [key, hasShape] of kustomizeFields) {
      const value = field(contents, key);
      if (value === undefined) continue;
      if (!hasShape(value)) return undefined;
      found = true;
    }
    return found ? "Kustomization" : undefined;
  }

  /**
   * Namespaces as kustomize sets them: a Kustomization's `namespace:` overrides the namespace of
   * everything it builds (metadata.namespace included), down through the Kustomizations it
   * lists, so the outermost one that sets a namespace wins. Kustomizations that no other lists
   * are where builds start. A file built into several namespaces gets none (unknown); a file no
   * Kustomization lists keeps its metadata.namespace. One visit per Kustomization and namespace.
   */
  private resolveNamespaces(): void {
    const kustomizations = new Map<string, Kustomization>();
    for (const kustomization of this.ofKind("Kustomization")) {
      // Another document in the directory may say `kind: Kustomization`; kustomize reads the file.
      const current = kustomizations.get(kustomization.directory);
      if (!current || (!isKustomizationFile(current.file.relPath) && isKustomizationFile(kustomization.file.relPath))) {
        kustomizations.set(kustomization.directory, kustomization);
      }
    }
    const listed = new Set<Kustomization>();
    for (const kustomization of kustomizations.values()) {
      for (const resource of kustomization.resources) {
        const nested = kustomizations.get(joinPath(kustomization.directory, resource.value));
        if (nested && nested !== kustomization) listed.add(nested);
      }
    }
    // Namespaces each file is built into; undefined: a build that sets none.
    const builtInto = new Map<string, Set<string | undefined>>();
    const record = (relPath: string, namespace: string | undefined): void => {
      const namespaces = builtInto.get(relPath);
      if (namespaces) namespaces.add(namespace);
      else builtInto.set(relPath, new Set([namespace]));
    };
    const visited = new Set<string>();
    const reached = new Set<Kustomization>();
    const build = (root: Kustomization): void => {
      const stack: Array<[Kustomization, string | undefined]> = [[root, undefined]];
      while (stack.length > 0) {
        const [kustomization, inherited] = stack.pop()!;
        const namespace = inherited ?? (kustomization.targetNamespace || undefined);
        const state = `${kustomization.directory}\u0000${namespace ?? ""}`;
        if (visited.has(state)) continue;
        visited.add(state);
        reached.add(kustomization);
        record(kustomization.file.relPath, namespace);
        for (const resource of kustomization.resources) {
          const target = joinPath(kustomization.directory, resource.value);
          const nested = kustomizations.get(target);
          if (nested) {
            if (nested !== kustomization) stack.push([nested, namespace]);
          } else {
            record(target, namespace);
          }
        }
      }
    };
    for (const kustomization of kustomizations.values()) if (!listed.has(kustomization)) build(kustomization);
    // Kustomizations that only list each other (kustomize rejects such cycles) still get read.
    for (const kustomization of kustomizations.values()) if (!reached.has(kustomization)) build(kustomization);
    for (const resource of this.resources) {
      // kustomize leaves cluster-scoped resources without a namespace.
      if (resource.kind === "ClusterSecretStore") continue;
      const namespaces = builtInto.get(resource.file.relPath);
      if (!namespaces) continue;
      const candidates = new Set([...namespaces].map((namespace) => namespace ?? resource.namespace));
      resource.namespace = candidates.size === 1 ? [...candidates][0] : undefined;
    }
  }

  /**
   * The 1Password field an ExternalSecret data item reads, unless its store is known to be
   * another provider. The Connect provider reads `property` of item `key`, and the field
   * labelled `password` when `property` is left out; the SDK provider reads `key` as
   * `item/[section/]field`.
   */
  private onePasswordReference(secret: ExternalSecret, item: ExternalSecret["data"][number]): OnePasswordReference | undefined {
    if (!item.remoteKey) return undefined;
    const stores = this.storesOf(secret);
    if (stores.length > 0 && !stores.some(isOnePasswordStore)) return undefined;
    const base = { node: item.remoteKey.node, file: secret.file, via: "external-secret" as const };
    if (item.property) return { ...base, item: item.remoteKey.value, field: item.property.value };
    const segments = (item.remoteKey.value.split("?")[0] ?? "").split("/");
    if (segments.length >= 2 && segments.every((segment) => segment !== "")) {
      return {
        ...base,
        item: segments[0]!,
        section: segments.length > 2 ? segments.slice(1, -1).join("/") : undefined,
        field: segments[segments.length - 1]!,
      };
    }
    return { ...base, item: item.remoteKey.value, field: "password" };
  }

  private join(): void {
    const generatedFrom = new Map<string, NonNullable<Blueprint["configMap"]>>();
    const secretGeneratedFrom = new Map<string, NonNullable<Blueprint["secret"]>>();
    const configMapOf = new Map<YamlDocument, ConfigMap>();
    const secretOf = new Map<YamlDocument, KubernetesSecret>();
    for (const store of this.secretStores) if (store.name) push(this.storesByName, store.name.value, store);
    for (const resource of this.resources) {
      const namespace = resource.namespace;
      switch (resource.kind) {
        case "ExternalSecret":
          if (resource.targetName) push(this.secretProducers, resource.targetName.value, { kind: "ExternalSecret", resource, namespace });
          for (const item of resource.data) {
            const reference = this.onePasswordReference(resource, item);
            if (reference) this.onePassword.push(reference);
          }
          break;
        case "Secret":
        case "SealedSecret":
          if (resource.name) push(this.secretProducers, resource.name.value, { kind: resource.kind, resource, namespace });
          secretOf.set(resource.document, resource);
          break;
        case "OnePasswordItem":
          if (resource.name) push(this.secretProducers, resource.name.value, { kind: resource.kind, resource, namespace });
          break;
        case "Kustomization":
          for (const generator of resource.secretGenerators) {
            if (!generator.name) continue;
            push(this.secretProducers, generator.name.value, { kind: "SecretGenerator", resource, generator, namespace });
            generator.files.forEach((file, index) => {
              secretGeneratedFrom.set(file, { name: generator.name!.value, key: generator.keys[index] ?? file, namespace });
            });
          }
          for (const generator of resource.configMapGenerators) {
            if (!generator.name) continue;
            generator.files.forEach((file, index) => {
              generatedFrom.set(file, { name: generator.name!.value, key: generator.keys[index] ?? file, namespace });
            });
          }
          break;
        case "ConfigMap":
          if (resource.name) push(this.configMaps, resource.name.value, resource);
          configMapOf.set(resource.document, resource);
          break;
        case "Deployment":
        case "StatefulSet":
        case "DaemonSet":
          if (resource.onePasswordItem) {
            push(this.secretProducers, resource.onePasswordItem.name.value, { kind: "Deployment", resource, namespace });
          }
          for (const container of resource.containers) {
            for (const env of container.env) {
              if (env.name) push(this.envVars, env.name.value, { workload: resource, container, env });
            }
          }
          for (const volume of resource.volumes) {
            for (const configMap of volume.configMaps) push(this.configMapMounts, configMap.value, { workload: resource, volume });
            for (const secret of volume.secrets) push(this.secretMounts, secret.value, { workload: resource, volume });
          }
          break;
        default:
          break;
      }
    }
    for (const blueprint of this.blueprints) {
      const holder = blueprint.document.embeddedIn?.document;
      if (blueprint.configMap && holder) blueprint.configMap.namespace = configMapOf.get(holder)?.namespace;
      else if (blueprint.secret && holder) blueprint.secret.namespace = secretOf.get(holder)?.namespace;
      else {
        blueprint.configMap ??= generatedFrom.get(blueprint.file.relPath);
        if (!blueprint.configMap) blueprint.secret ??= secretGeneratedFrom.get(blueprint.file.relPath);
      }
      for (const entry of blueprint.entries) {
        if (entry.model) push(this.entriesByModel, entry.model.value, { blueprint, entry });
      }
    }
  }
}

const noPaths: RepoPaths = { paths: new Map(), covers: () => false };

/**
 * A path written in a file, relative to the directory holding it, as a root-relative path
 * (`.` and `..` resolved, no trailing `/`); undefined for an absolute path or one that leaves the
 * root, which the repo cannot tell about.
 */
export function resolvePath(directory: string, relative: string): string | undefined {
  if (relative.startsWith("/") || relative.startsWith("~") || /^[A-Za-z]:[\\/]/u.test(relative)) return undefined;
  const parts = directory === "" ? [] : directory.split("/");
  for (const part of relative.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== "..") parts.push(part);
    else if (parts.pop() === undefined) return undefined;
  }
  return parts.join("/");
}

/** Two namespaces match when they are equal or either is unknown. */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}
