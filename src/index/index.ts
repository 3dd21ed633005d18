/**
 * Index stage: parsed files → typed resources and the join maps the rules need, built once per
 * run in one pass over the documents (plus one over the Kustomizations for namespaces).
 */
import { isMap, type YAMLMap } from "yaml";
import type { ParsedFile } from "../parse/index.ts";
import type { YamlDocument } from "../parse/yaml.ts";
import { onePasswordReferences, readPlaybook, readTasks, roleFileOf } from "./ansible.ts";
import { isBlueprint, readBlueprint } from "./blueprint.ts";
import { joinPath, readKubernetes } from "./kubernetes.ts";
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
  HostDeclaration,
  KubernetesResource,
  KubernetesSecret,
  Kustomization,
  OnePasswordReference,
  SecretStore,
  Volume,
  Workload,
} from "./model.ts";
import { field, text } from "./read.ts";

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

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class RepoIndex {
  readonly blueprints: Blueprint[] = [];
  readonly resources: KubernetesResource[] = [];
  readonly playbooks: AnsiblePlaybook[] = [];
  readonly roles = new Map<string, AnsibleRole>();
  readonly onePassword: OnePasswordReference[] = [];

  /** Env vars set by any container, by name. */
  readonly envVars = new Map<string, EnvBinding[]>();
  /** Producers of each Secret, by Secret name. */
  readonly secretProducers = new Map<string, SecretProducer[]>();
  /** ConfigMaps by name. */
  readonly configMaps = new Map<string, ConfigMap[]>();
  /** Workloads mounting each ConfigMap, by ConfigMap name. */
  readonly configMapMounts = new Map<string, Mount[]>();
  /** Blueprint entries by model, e.g. `authentik_core.group`. */
  readonly entriesByModel = new Map<string, ModelEntry[]>();
  /** 1Password references by `item/field`. */
  readonly onePasswordFields = new Map<string, OnePasswordReference[]>();
  /** Where each host name is served, by lower-cased host. */
  readonly hosts = new Map<string, HostDeclaration[]>();

  private readonly views = new Map<string, FileViews>();

  constructor(readonly files: readonly ParsedFile[]) {
    for (const file of files) this.addFile(file);
    this.resolveNamespaces();
    this.join();
  }

  /** The resources a file holds (empty for files with nothing the rules read). */
  viewsOf(file: ParsedFile): FileViews {
    return this.views.get(file.path) ?? emptyViews();
  }

  /** Resources of one kind. */
  ofKind<K extends KubernetesResource["kind"]>(kind: K): Array<Extract<KubernetesResource, { kind: K }>> {
    return this.resources.filter((resource): resource is Extract<KubernetesResource, { kind: K }> => resource.kind === kind);
  }

  get externalSecrets(): ExternalSecret[] {
    return this.ofKind("ExternalSecret");
  }

  get secretStores(): SecretStore[] {
    return [...this.ofKind("SecretStore"), ...this.ofKind("ClusterSecretStore")];
  }

  get workloads(): Workload[] {
    return [...this.ofKind("Deployment"), ...this.ofKind("StatefulSet"), ...this.ofKind("DaemonSet")];
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
    if (isBlueprint(contents)) {
      const blueprint = readBlueprint(file, document, contents);
      this.blueprints.push(blueprint);
      this.viewsFor(file).blueprints.push(blueprint);
      return;
    }
    if (role && role.part !== "templates") {
      const entry = this.roleFor(role.role, role.directory);
      if (role.part === "tasks") entry.tasks.push(...readTasks(contents, file));
      else if (role.part === "handlers") entry.handlers.push(...readTasks(contents, file));
      else if (role.part === "defaults") entry.defaults.push(document);
      else if (role.part === "vars") entry.vars.push(document);
      else if (role.part === "meta" && role.rest.startsWith("main.")) entry.meta = document;
      this.onePassword.push(...onePasswordReferences(contents, file));
      return;
    }
    if (file.version === "1.1") {
      const playbook = readPlaybook(file, document);
      if (playbook && playbook.plays.length > 0) {
        this.playbooks.push(playbook);
        this.viewsFor(file).playbooks.push(playbook);
      }
      this.onePassword.push(...onePasswordReferences(contents, file));
      return;
    }
    if (!isMap(contents)) return;
    const kind = text(field(contents, "kind")) ?? this.impliedKind(file, contents);
    if (kind === undefined) return;
    const resource = readKubernetes(file, document, contents, kind);
    if (!resource) return;
    this.resources.push(resource);
    this.viewsFor(file).resources.push(resource);
  }

  /** kustomize reads `kustomization.yaml` without `kind:`; the file must still look like one. */
  private impliedKind(file: ParsedFile, contents: YAMLMap): string | undefined {
    const base = file.relPath.split("/").pop() ?? "";
    const isKustomizationFile = base === "kustomization.yaml" || base === "kustomization.yml" || base === "Kustomization";
    const kustomizeKeys = ["resources", "configMapGenerator", "secretGenerator", "namespace", "patches", "components", "helmCharts"];
    return isKustomizationFile && kustomizeKeys.some((key) => contents.has(key)) ? "Kustomization" : undefined;
  }

  /**
   * A Kustomization's `namespace:` applies to the files it lists and, through directories, to
   * the Kustomizations below it that set none of their own.
   */
  private resolveNamespaces(): void {
    const kustomizations = new Map<string, Kustomization>();
    for (const resource of this.ofKind("Kustomization")) kustomizations.set(resource.directory, resource);
    const namespaceOf = new Map<string, string>();
    const assign = (kustomization: Kustomization, namespace: string, seen: Set<string>): void => {
      if (seen.has(kustomization.directory)) return;
      seen.add(kustomization.directory);
      for (const resource of kustomization.resources) {
        const target = joinPath(kustomization.directory, resource.value);
        const nested = kustomizations.get(target);
        if (nested) assign(nested, nested.targetNamespace ?? namespace, seen);
        else if (!namespaceOf.has(target)) namespaceOf.set(target, namespace);
      }
    };
    for (const kustomization of kustomizations.values()) {
      if (kustomization.targetNamespace) assign(kustomization, kustomization.targetNamespace, new Set());
    }
    for (const resource of this.resources) {
      if (resource.namespace === undefined) resource.namespace = namespaceOf.get(resource.file.relPath);
    }
  }

  private join(): void {
    const generatedFrom = new Map<string, { name: string; key: string }>();
    for (const resource of this.resources) {
      const namespace = resource.namespace;
      switch (resource.kind) {
        case "ExternalSecret":
          if (resource.targetName) push(this.secretProducers, resource.targetName.value, { kind: "ExternalSecret", resource, namespace });
          for (const item of resource.data) {
            if (!item.remoteKey) continue;
            const reference: OnePasswordReference = {
              item: item.remoteKey.value,
              field: item.property?.value ?? "password",
              node: item.remoteKey.node,
              file: resource.file,
              via: "external-secret",
            };
            this.onePassword.push(reference);
          }
          break;
        case "Secret":
        case "SealedSecret":
          if (resource.name) push(this.secretProducers, resource.name.value, { kind: resource.kind, resource, namespace });
          break;
        case "Kustomization":
          for (const generator of resource.secretGenerators) {
            if (generator.name) push(this.secretProducers, generator.name.value, { kind: "SecretGenerator", resource, generator, namespace: resource.targetNamespace });
          }
          for (const generator of resource.configMapGenerators) {
            if (!generator.name) continue;
            generator.files.forEach((file, index) => {
              generatedFrom.set(file, { name: generator.name!.value, key: generator.keys[index] ?? file });
            });
          }
          break;
        case "ConfigMap":
          if (resource.name) push(this.configMaps, resource.name.value, resource);
          break;
        case "Deployment":
        case "StatefulSet":
        case "DaemonSet":
          for (const container of resource.containers) {
            for (const env of container.env) {
              if (env.name) push(this.envVars, env.name.value, { workload: resource, container, env });
            }
          }
          for (const volume of resource.volumes) {
            for (const configMap of volume.configMaps) push(this.configMapMounts, configMap.value, { workload: resource, volume });
          }
          break;
        case "Ingress":
        case "HTTPRoute":
          for (const host of resource.hosts) {
            const by = `${resource.kind} "${resource.name?.value ?? "?"}"`;
            push(this.hosts, host.value.toLowerCase(), { host, by, file: resource.file });
          }
          break;
        default:
          break;
      }
    }
    for (const blueprint of this.blueprints) {
      blueprint.configMap ??= generatedFrom.get(blueprint.file.relPath);
      for (const entry of blueprint.entries) {
        if (entry.model) push(this.entriesByModel, entry.model.value, { blueprint, entry });
      }
    }
    for (const reference of this.onePassword) push(this.onePasswordFields, `${reference.item}/${reference.field}`, reference);
  }
}

/** Two namespaces match when they are equal or either is unknown. */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}
