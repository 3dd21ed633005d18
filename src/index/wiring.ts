/**
 * Joins that follow a secret from where it is used to where it is made: which workload is the
 * authentik worker for a blueprint, where a container's env var comes from, and whether a
 * Secret key is produced in the repo.
 */
import { isScalar, isSeq } from "yaml";
import type { TaggedNode } from "../parse/yaml.ts";
import type { Mount, RepoIndex, SecretProducer } from "./index.ts";
import { sameNamespace } from "./index.ts";
import { push } from "./collect.ts";
import { type ChartWorker, chartWorkers } from "./helm.ts";
import type { Blueprint, Container, EnvFrom, EnvVar, Workload } from "./model.ts";
import { text } from "./read.ts";

export interface Worker {
  workload: Workload;
  container: Container;
  /**
   * Set when authentik is installed by its Helm chart: the workload is the worker Deployment the
   * chart renders, read from chart values, and no file of the repo holds it.
   */
  chart?: ChartWorker;
}

const commandPatterns = { worker: /(^|\s)worker$/u, server: /(^|\s)server$/u };

function runsCommand(container: Container, command: keyof typeof commandPatterns): boolean {
  const pattern = commandPatterns[command];
  return !container.init && [...container.command, ...container.args].some((word) => pattern.test(word.trim()));
}

function isWorkerContainer(container: Container): boolean {
  return runsCommand(container, "worker");
}

function runsAuthentik(workload: Workload, command: keyof typeof commandPatterns): boolean {
  return workload.containers.some(
    (container) =>
      runsCommand(container, command) &&
      (/authentik/u.test(container.image ?? "") || /authentik/u.test(workload.name?.value ?? "")),
  );
}

/** authentik's worker runs the `worker` command of the authentik server image. */
export function runsAuthentikWorker(workload: Workload): boolean {
  return runsAuthentik(workload, "worker");
}

function workerOf(workload: Workload): Worker | undefined {
  const container = workload.containers.find(isWorkerContainer) ?? workload.containers.find((candidate) => !candidate.init);
  return container ? { workload, container } : undefined;
}

const workersByIndex = new WeakMap<RepoIndex, Workload[]>();

/** Every workload running authentik's worker, found once per index: rules ask for each `!Env`. */
function allAuthentikWorkers(index: RepoIndex): Workload[] {
  let workers = workersByIndex.get(index);
  if (!workers) {
    workers = index.workloads.filter(runsAuthentikWorker);
    workersByIndex.set(index, workers);
  }
  return workers;
}

/** The ConfigMap or Secret holding a blueprint, with the workloads and chart installs that mount it. */
function holderOf(index: RepoIndex, blueprint: Blueprint): { namespace?: string; mounts: Mount[]; mountedBy(chart: ChartWorker): boolean } | undefined {
  const { configMap, secret } = blueprint;
  if (configMap) {
    return { namespace: configMap.namespace, mounts: index.configMapMounts.get(configMap.name) ?? [], mountedBy: (chart) => chart.configMaps.includes(configMap.name) };
  }
  if (secret) {
    return { namespace: secret.namespace, mounts: index.secretMounts.get(secret.name) ?? [], mountedBy: (chart) => chart.secrets.includes(secret.name) };
  }
  return undefined;
}

/**
 * The workers that apply a blueprint: the workloads mounting its ConfigMap or Secret (those
 * running the worker command, when the server mounts it too), or else every authentik worker of
 * the repo; in either case only those in the holder's namespace, where it is known. Without a
 * worker Deployment for it, authentik's Helm chart installs stand in: those listing the holder in
 * their values (`blueprints.configMaps`, `blueprints.secrets`, a volume), else every one. Empty
 * when the repo has none: then nothing about the worker can be checked.
 */
export function authentikWorkers(index: RepoIndex, blueprint: Blueprint): Worker[] {
  const holder = holderOf(index, blueprint);
  // A pod mounts ConfigMaps and Secrets of its own namespace only: another namespace's worker (a
  // second authentik instance, say staging) never loads this blueprint.
  const namespace = holder?.namespace;
  const inNamespace = (workload: Workload): boolean => sameNamespace(workload.namespace, namespace);
  let workloads = [...new Set((holder?.mounts ?? []).map((mount) => mount.workload))].filter(inNamespace);
  // authentik's server serves the UI and API; only the worker applies blueprints, so a server
  // mounting the ConfigMap is never the one whose environment `!Env` reads.
  workloads = workloads.some(runsAuthentikWorker)
    ? workloads.filter(runsAuthentikWorker)
    : workloads.filter((workload) => !runsAuthentik(workload, "server"));
  if (!workloads.some(runsAuthentikWorker)) {
    // authentik installed by its chart: the worker mounts the ConfigMaps and Secrets its values name.
    const charts = chartWorkers(index).filter((chart) => inNamespace(chart.workload));
    const mountingCharts = holder ? charts.filter((chart) => holder.mountedBy(chart)) : [];
    if (mountingCharts.length > 0) return nearest(blueprint, mountingCharts, (chart) => chart.files).map(chartWorkerOf);
    if (workloads.length === 0) workloads = allAuthentikWorkers(index).filter(inNamespace);
    if (workloads.length === 0) return nearest(blueprint, charts, (chart) => chart.files).map(chartWorkerOf);
  }
  return nearest(blueprint, workloads, (workload) => [workload.file]).flatMap((workload) => {
    const worker = workerOf(workload);
    return worker ? [worker] : [];
  });
}

/** How many leading directories two root-relative paths share. */
function sharedDirectories(a: string, b: string): number {
  const left = a.split("/").slice(0, -1);
  const right = b.split("/").slice(0, -1);
  let shared = 0;
  while (shared < left.length && shared < right.length && left[shared] === right[shared]) shared++;
  return shared;
}

/**
 * Of several workers that would load a blueprint, those nearest to it in the repo's tree. A repo
 * for several clusters (`kubernetes/main/…`, `kubernetes/utility/…`) has one authentik per
 * cluster, each with a ConfigMap of the same name and namespace; only the tree says which worker
 * loads which. Workers at the same distance are all kept: a blueprint shared by overlays is
 * loaded by each.
 */
function nearest<T>(blueprint: Blueprint, candidates: readonly T[], filesOf: (candidate: T) => ReadonlyArray<{ relPath: string }>): T[] {
  if (candidates.length < 2) return [...candidates];
  const distance = (candidate: T): number => Math.max(...filesOf(candidate).map((file) => sharedDirectories(file.relPath, blueprint.file.relPath)));
  const best = Math.max(...candidates.map(distance));
  return candidates.filter((candidate) => distance(candidate) === best);
}

function chartWorkerOf(chart: ChartWorker): Worker {
  return { workload: chart.workload, container: chart.container, chart };
}

export interface ProducedKeys {
  keys: string[];
  /** Some keys cannot be listed (`dataFrom`, `templateFrom`, kustomize `envs`). */
  open: boolean;
  /** Why the keys are open, for messages. */
  through?: string;
}

/** The keys a producer puts into its Secret. */
function producedKeys(producer: SecretProducer): ProducedKeys {
  switch (producer.kind) {
    case "ExternalSecret": {
      const secret = producer.resource;
      const templated = secret.templateKeys.map((key) => key.value);
      // With a template and the default merge policy (Replace) only templated keys reach the
      // Secret; `data` items are then only inputs to the template. A template with neither
      // `data` nor `templateFrom` passes the provider's keys through (External Secrets'
      // applyTemplate falls back to them).
      const replace = (templated.length > 0 || secret.templateFrom) && secret.mergePolicy !== "Merge";
      const keys = replace ? templated : [...secret.data.flatMap((item) => (item.secretKey ? [item.secretKey.value] : [])), ...templated];
      const through = secret.templateFrom ? "target.template.templateFrom" : !replace && secret.dataFrom.length > 0 ? "dataFrom" : undefined;
      return { keys, open: through !== undefined, through };
    }
    case "Secret":
    case "SealedSecret":
      return { keys: producer.resource.keys.map((key) => key.value), open: false };
    case "SecretGenerator":
      return { keys: producer.generator.keys, open: producer.generator.open, through: producer.generator.open ? "envs" : undefined };
    // The 1Password operator copies every field of the item into the Secret.
    case "OnePasswordItem":
      return { keys: [], open: true, through: "spec.itemPath" };
    // So does it for a Deployment's operator.1password.io annotations.
    case "Deployment": {
      const annotations = producer.resource.onePasswordItem?.annotations ?? "metadata.annotations";
      return { keys: [], open: true, through: `${annotations}["operator.1password.io/item-path"]` };
    }
  }
}

export type SecretKeyStatus =
  | { status: "produced"; producer: SecretProducer }
  | { status: "unverifiable"; producer: SecretProducer; through: string }
  | { status: "missingKey"; producer: SecretProducer; keys: string[] }
  | { status: "noProducer" };

const producedOnce = new WeakMap<SecretProducer, { produced: ProducedKeys; keySet: Set<string> }>();

/** The produced keys, and the same as a set, built once per producer: rules ask for every `!Env`. */
function producedOf(producer: SecretProducer): { produced: ProducedKeys; keySet: Set<string> } {
  let entry = producedOnce.get(producer);
  if (!entry) {
    const produced = producedKeys(producer);
    entry = { produced, keySet: new Set(produced.keys) };
    producedOnce.set(producer, entry);
  }
  return entry;
}

/** Whether Secret `name` with key `key` is made by something in the repo. */
export function secretKeyStatus(index: RepoIndex, name: string, key: string, namespace: string | undefined): SecretKeyStatus {
  const producers = (index.secretProducers.get(name) ?? []).filter((producer) => sameNamespace(producer.namespace, namespace));
  let open: SecretKeyStatus | undefined;
  for (const producer of producers) {
    const { produced, keySet } = producedOf(producer);
    if (keySet.has(key)) return { status: "produced", producer };
    if (produced.open) open ??= { status: "unverifiable", producer, through: produced.through ?? "" };
  }
  if (open) return open;
  const first = producers[0];
  return first ? { status: "missingKey", producer: first, keys: producedOf(first).produced.keys } : { status: "noProducer" };
}

const envMaps = new WeakMap<Container, Map<string, EnvVar>>();

/** A container's env entries by name, the last one winning as in Kubernetes; built once. */
function envByName(container: Container): Map<string, EnvVar> {
  let map = envMaps.get(container);
  if (!map) {
    map = new Map();
    for (const env of container.env) if (env.name) map.set(env.name.value, env);
    envMaps.set(container, map);
  }
  return map;
}

export type EnvSource =
  | { kind: "env"; env: EnvVar }
  | { kind: "envFrom"; envFrom: EnvFrom }
  | { kind: "unverifiable"; envFrom: EnvFrom }
  | { kind: "missing" };

/**
 * Where a container's env var comes from. An explicit `env` entry wins over `envFrom`, and a
 * later `envFrom` source over an earlier one, as Kubernetes applies them.
 */
export function envSource(index: RepoIndex, workload: Workload, container: Container, name: string): EnvSource {
  const own = containerEnvSource(index, workload, container, name);
  if (own.kind !== "missing") return own;
  // A kustomize patch or overlay of the same workload may add the env var: the documents are
  // merged by kind, name and container name before they reach the cluster.
  for (const twin of sameWorkloads(index, workload)) {
    const twinContainer = twin.containers.find((candidate) => candidate.name?.value === container.name?.value);
    if (!twinContainer) continue;
    const source = containerEnvSource(index, twin, twinContainer, name);
    if (source.kind !== "missing") return source;
  }
  return own;
}

const workloadsByName = new WeakMap<RepoIndex, Map<string, Workload[]>>();

/** Other documents of the same workload (its patches and overlays), found once per index. */
function sameWorkloads(index: RepoIndex, workload: Workload): Workload[] {
  let byName = workloadsByName.get(index);
  if (!byName) {
    byName = new Map();
    for (const candidate of index.workloads) {
      if (candidate.name) push(byName, `${candidate.kind}/${candidate.name.value}`, candidate);
    }
    workloadsByName.set(index, byName);
  }
  if (!workload.name) return [];
  return (byName.get(`${workload.kind}/${workload.name.value}`) ?? []).filter(
    (candidate) => candidate !== workload && sameNamespace(candidate.namespace, workload.namespace),
  );
}

function containerEnvSource(index: RepoIndex, workload: Workload, container: Container, name: string): EnvSource {
  const explicit = envByName(container).get(name);
  if (explicit) return { kind: "env", env: explicit };
  let unverifiable: EnvSource | undefined;
  for (const envFrom of [...container.envFrom].reverse()) {
    if (!name.startsWith(envFrom.prefix)) continue;
    const key = name.slice(envFrom.prefix.length);
    if (envFrom.secretRef) {
      const status = secretKeyStatus(index, envFrom.secretRef.value, key, workload.namespace);
      if (status.status === "produced") return { kind: "envFrom", envFrom };
      if (status.status === "unverifiable" || status.status === "noProducer") unverifiable ??= { kind: "unverifiable", envFrom };
    } else if (envFrom.configMapRef) {
      const configMaps = (index.configMaps.get(envFrom.configMapRef.value) ?? []).filter((configMap) =>
        sameNamespace(configMap.namespace, workload.namespace),
      );
      if (configMaps.some((configMap) => configMap.keys.some((candidate) => candidate.value === key))) return { kind: "envFrom", envFrom };
      if (configMaps.length === 0) unverifiable ??= { kind: "unverifiable", envFrom };
    }
  }
  return unverifiable ?? { kind: "missing" };
}

/**
 * What an `!Env` reads: `!Env NAME` or `!Env [NAME, default]`. Any other shape is
 * schema/blueprint's to report, and what authentik would read from it is not to be guessed.
 */
export function envReference(tag: TaggedNode): { name: string; hasDefault: boolean } | undefined {
  if (isScalar(tag.node)) return typeof tag.node.value === "string" ? { name: tag.node.value, hasDefault: false } : undefined;
  if (!isSeq(tag.node) || tag.node.items.length > 2) return undefined;
  const name = text(tag.node.items[0]);
  return name === undefined ? undefined : { name, hasDefault: tag.node.items.length > 1 };
}
