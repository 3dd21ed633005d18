/**
 * authentik installed by its Helm chart (goauthentik/helm `charts/authentik`): the repo holds no
 * worker Deployment, only chart values, written in an Argo CD Application, a Flux HelmRelease, a
 * kustomize `helmCharts:` entry or an umbrella chart's values.yaml. Each install becomes a worker
 * in the shape of a workload, so that the chain code of wiring.ts follows its env as it follows a
 * Deployment's; what the values leave unknown (values from outside the repo) is said, not guessed.
 */
import { isMap, isScalar, isSeq, type Node, parseDocument, Scalar, type YAMLMap } from "yaml";
import type { ParsedFile } from "../parse/index.ts";
import { EmbeddedSource, type SourceMapper } from "../parse/source.ts";
import type { YamlDocument } from "../parse/yaml.ts";
import type { RepoIndex } from "./index.ts";
import { resolvePath } from "./index.ts";
import { readContainer } from "./kubernetes.ts";
import type { Container, EnvVar, Workload } from "./model.ts";
import { field, items, mapField, maps, path, strings, text } from "./read.ts";

/** The chart's worker, as far as the repo's values tell. */
export interface ChartWorker {
  /** How the chart is installed, for messages: `HelmRelease "authentik"`, `Application "sso"`, … */
  install: string;
  /** The worker Deployment the chart renders: its container holds the env the values give it. */
  workload: Workload;
  container: Container;
  /** ConfigMaps the worker mounts: `blueprints.configMaps` and ConfigMap volumes of `global`/`worker`. */
  configMaps: string[];
  /** Secrets the worker mounts: `blueprints.secrets` and Secret volumes of `global`/`worker`. */
  secrets: string[];
  /** Every file the values come from, the install's own first. */
  files: ParsedFile[];
  /**
   * Why some values cannot be read (values from a ConfigMap, a file outside the repo, a list
   * written as a template): an env var missing from what is read may still be set.
   */
  unreadable?: string;
  /** `file:line` of an env entry (or envFrom entry) of the container; else of the env list, where one is added. */
  where(node?: object): string;
}

/** Where a values mapping was read: the file and the text its nodes' offsets refer to. */
interface ValuesSource {
  file: ParsedFile;
  mapper: SourceMapper;
  /** The chart's values; absent for an umbrella chart that sets only its own `global:`. */
  root?: YAMLMap;
  /** An umbrella chart's own `global:`, which Helm hands down over the subchart's. */
  parentGlobal?: YAMLMap;
}

interface Install {
  install: string;
  file: ParsedFile;
  document: YamlDocument;
  /** What installs the chart (an Application's source, a HelmRelease's spec, a helmCharts entry, a dependency): named where no values are. */
  node: YAMLMap;
  namespace?: string;
  /** In Helm's order: a later source wins. */
  sources: ValuesSource[];
  unreadable: string[];
  /** `authentik.*` set outside a values mapping (Argo CD `helm.parameters`). */
  parameters: Array<{ path: string[]; node: YAMLMap; value: Node }>;
  /** `authentik.*` set from a ConfigMap or Secret (Flux `valuesFrom` with `targetPath`): set, with a value this repo cannot read. */
  fromSecrets?: Array<{ path: string[]; node: YAMLMap }>;
}

const chartName = "authentik";

// The chart's defaults that become AUTHENTIK_* env vars (its `authentik:` values that are not
// empty): set on the worker whatever the repo's values say.
const chartDefaults = [
  "LOG_LEVEL",
  "EVENTS__CONTEXT_PROCESSORS__GEOIP",
  "EVENTS__CONTEXT_PROCESSORS__ASN",
  "EMAIL__PORT",
  "EMAIL__USE_TLS",
  "EMAIL__USE_SSL",
  "EMAIL__TIMEOUT",
  "OUTPOSTS__CONTAINER_IMAGE_BASE",
  "ERROR_REPORTING__ENABLED",
  "ERROR_REPORTING__ENVIRONMENT",
  "ERROR_REPORTING__SEND_PII",
  "POSTGRESQL__HOST",
  "POSTGRESQL__NAME",
  "POSTGRESQL__USER",
  "POSTGRESQL__PORT",
  "REDIS__HOST",
].map((name) => `AUTHENTIK_${name}`);

function fileSource(file: ParsedFile, root: unknown, parentGlobal?: YAMLMap): ValuesSource[] {
  return isMap(root) || parentGlobal ? [{ file, mapper: file.source, root: isMap(root) ? root : undefined, parentGlobal }] : [];
}

/**
 * Argo CD's `helm.values`, a YAML text inside the Application. A literal block maps line by line
 * onto the file; any other style puts every position on the value's first line.
 */
function valuesText(file: ParsedFile, node: Node): ValuesSource[] | "unparsable" {
  if (!isScalar(node) || typeof node.value !== "string" || !node.range) return [];
  const start = node.range[0];
  const position = file.source.position(start);
  let mapper: SourceMapper | undefined;
  if (node.type === Scalar.BLOCK_LITERAL) {
    const header = file.source.lineText(position.line).slice(position.column - 1);
    const lineStart = file.source.lineText(position.line);
    const parentIndent = lineStart.length - lineStart.trimStart().length;
    const embedded = EmbeddedSource.fromBlockScalar(file.source, header, position.line - 1, parentIndent, node.range[1]);
    if (embedded && embedded.text.trimEnd() === node.value.trimEnd()) mapper = embedded;
  }
  mapper ??= { text: node.value, position: () => position, fileOffset: () => start };
  const document = parseDocument(mapper.text, { prettyErrors: false });
  if (document.errors.length > 0) return "unparsable";
  return isMap(document.contents) ? [{ file, mapper, root: document.contents }] : [];
}

function describe(kind: string, node: YAMLMap): string {
  return `${kind} "${text(path(node, "metadata", "name")) ?? "?"}"`;
}

/** Files by root-relative path, for values files named by path. */
function filesByRelPath(index: RepoIndex): Map<string, ParsedFile> {
  return new Map(index.files.map((file) => [file.relPath, file]));
}

function directoryOf(relPath: string): string {
  const slash = relPath.lastIndexOf("/");
  return slash === -1 ? "" : relPath.slice(0, slash);
}

/** A values file named by a path: its first document, or why it cannot be read. */
function valuesFile(byPath: Map<string, ParsedFile>, relPath: string | undefined, written: string): ValuesSource[] | string {
  const file = relPath === undefined ? undefined : byPath.get(relPath);
  if (!file) return `values file "${written}" (not in this repo)`;
  return fileSource(file, file.documents[0]?.doc.contents);
}

/** An Argo CD Application source installing the chart (`spec.source` or one of `spec.sources`). */
function fromApplication(file: ParsedFile, document: YamlDocument, node: YAMLMap, byPath: Map<string, ParsedFile>): Install[] {
  const spec = field(node, "spec");
  const sources = [...maps(field(spec, "sources")), ...(isMap(field(spec, "source")) ? [field(spec, "source") as YAMLMap] : [])];
  // `$name/path` in valueFiles reads a file of the source with `ref: name`; the repo's own
  // values are the usual reason for such a source, so its path is read in this repo.
  const refs = new Set(sources.flatMap((source) => strings(field(source, "ref"))));
  return sources
    .filter((source) => text(field(source, "chart")) === chartName)
    .map((source): Install => {
      const helm = field(source, "helm");
      const install: Install = {
        install: describe("Application", node),
        file,
        document,
        node: source,
        namespace: text(path(spec, "destination", "namespace")),
        sources: [],
        unreadable: [],
        parameters: [],
      };
      for (const written of strings(field(helm, "valueFiles"))) {
        const ref = /^\$([^/]+)\/(.+)$/u.exec(written);
        const relPath = ref && refs.has(ref[1]!) ? resolvePath("", ref[2]!) : undefined;
        // A valueFiles path without `$ref` is inside the chart's package, not in this repo.
        const read = valuesFile(byPath, relPath, written);
        if (typeof read === "string") install.unreadable.push(read);
        else install.sources.push(...read);
      }
      const values = field(helm, "values");
      if (values) {
        const read = valuesText(file, values);
        if (read === "unparsable") install.unreadable.push("helm.values (not YAML: a template?)");
        else install.sources.push(...read);
      }
      install.sources.push(...fileSource(file, field(helm, "valuesObject")));
      for (const parameter of maps(field(helm, "parameters"))) {
        const name = text(field(parameter, "name"));
        const value = field(parameter, "value");
        if (name === undefined) continue;
        const keys = name.split(".");
        if (keys[0] === chartName && keys.length > 1 && value) install.parameters.push({ path: keys.slice(1), node: parameter, value });
        else if (/^(?:global|worker)\.env/u.test(name)) install.unreadable.push(`helm.parameters "${name}"`);
      }
      return install;
    });
}

/**
 * Where a Flux `valuesFrom` entry with `targetPath` puts its one value, for the worker's env:
 * an `authentik.*` key (one env var, whose value this repo cannot read), a path in or above an env
 * list (which may set any env var), or elsewhere (`postgresql.auth.password`: no worker env).
 */
function targetPathReach(targetPath: string): { authentik: string[] } | "env" | "elsewhere" {
  // Helm's strvals syntax: `a.b`, `a\.b` for a dot in a key, `a[0]` for a list index.
  const keys = targetPath.split(/(?<!\\)\./u);
  const [first, second] = keys;
  if (first === chartName) return keys.length > 1 && keys.every((key) => /^[A-Za-z0-9_-]+$/u.test(key)) ? { authentik: keys.slice(1) } : "env";
  const section = first?.replace(/\[.*$/u, "");
  if (section !== "global" && section !== "worker") return "elsewhere";
  return second === undefined || section !== first || /^env(?:From)?(?:\[|$)/u.test(second) ? "env" : "elsewhere";
}

/**
 * Flux sources that hold the chart, by name: an `OCIRepository` whose `url` is the chart's
 * (`oci://ghcr.io/goauthentik/helm-charts/authentik`), or a `HelmChart` of the chart. A
 * HelmRelease names one in `spec.chartRef` instead of writing `spec.chart`.
 */
function chartSources(files: readonly ParsedFile[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    for (const document of file.documents) {
      const node = document.doc.contents;
      if (!isMap(node) || !(text(field(node, "apiVersion")) ?? "").startsWith("source.toolkit.fluxcd.io/")) continue;
      const kind = text(field(node, "kind"));
      const name = text(path(node, "metadata", "name"));
      const spec = field(node, "spec");
      const holds =
        (kind === "OCIRepository" && /\/authentik\/?$/u.test(text(field(spec, "url")) ?? "")) || (kind === "HelmChart" && text(field(spec, "chart")) === chartName);
      if (holds && name !== undefined) names.add(`${kind}/${name}`);
    }
  }
  return names;
}

/** Reads the values a Flux `valuesFrom` entry names: kind, name, key, the HelmRelease's namespace. */
type ValuesFromReader = (kind: string, name: string, key: string, namespace: string | undefined) => ValuesSource[] | undefined;

/**
 * The values of a Flux `valuesFrom` ConfigMap or Secret the repo holds: a ConfigMap whose key is
 * a YAML text, or the file a kustomize `configMapGenerator`/`secretGenerator` makes the key from
 * (kustomize gives a generated ConfigMap the kustomization's `namespace:`, else the generator's).
 * Undefined unless exactly one such object fits: none is a link out of the repo, several a
 * choice the repo does not make plain.
 */
function valuesFromReader(index: RepoIndex, byPath: () => Map<string, ParsedFile>): ValuesFromReader {
  return (kind, name, key, namespace) => {
    const candidates: Array<{ namespace?: string; read: () => ValuesSource[] | "unparsable" }> = [];
    if (kind === "ConfigMap") {
      for (const configMap of index.configMaps.get(name) ?? []) {
        const value = field(field(configMap.node, "data"), key);
        if (value) candidates.push({ namespace: configMap.namespace, read: () => valuesText(configMap.file, value) });
      }
    }
    for (const kustomization of index.ofKind("Kustomization")) {
      for (const generator of kind === "ConfigMap" ? kustomization.configMapGenerators : kind === "Secret" ? kustomization.secretGenerators : []) {
        const position = generator.keys.indexOf(key);
        if (generator.name?.value !== name || position === -1 || position >= generator.files.length) continue;
        const values = byPath().get(generator.files[position]!);
        if (!values) continue;
        const generatedNamespace = kustomization.namespace ?? text(field(generator.node, "namespace"));
        candidates.push({ namespace: generatedNamespace, read: () => fileSource(values, values.documents[0]?.doc.contents) });
      }
    }
    const fits = candidates.filter((candidate) => namespace === undefined || candidate.namespace === undefined || candidate.namespace === namespace);
    if (fits.length !== 1) return undefined;
    const read = fits[0]!.read();
    // No mapping (an empty text, a scalar) or a SOPS-encrypted file (Flux decrypts a
    // generator's file, whose values are `ENC[…]` here): read as unreadable, never as no values.
    if (read === "unparsable" || read.length === 0 || read.some((source) => source.root?.has("sops"))) return undefined;
    return read;
  };
}

/** A Flux HelmRelease of the chart: `valuesFrom` first, then `spec.values` over it. */
function fromHelmRelease(file: ParsedFile, document: YamlDocument, node: YAMLMap, sources: () => Set<string>, valuesFrom: ValuesFromReader): Install[] {
  const spec = field(node, "spec");
  const chartRef = field(spec, "chartRef");
  const byRef = isMap(chartRef) && sources().has(`${text(field(chartRef, "kind")) ?? ""}/${text(field(chartRef, "name")) ?? ""}`);
  if (text(path(spec, "chart", "spec", "chart")) !== chartName && !byRef) return [];
  const unreadable: string[] = [];
  const fromSecrets: Install["fromSecrets"] = [];
  const valuesSources: ValuesSource[] = [];
  for (const source of maps(field(spec, "valuesFrom"))) {
    const targetPath = text(field(source, "targetPath"));
    const reach = targetPath === undefined ? "env" : targetPathReach(targetPath);
    if (reach === "elsewhere") continue;
    if (reach !== "env") {
      fromSecrets.push({ path: reach.authentik, node: source });
      continue;
    }
    const kind = text(field(source, "kind")) ?? "ConfigMap";
    const name = text(field(source, "name"));
    // Flux reads the key `values.yaml` unless `valuesKey` names another.
    const key = text(field(source, "valuesKey")) ?? "values.yaml";
    const read = targetPath === undefined && name !== undefined ? valuesFrom(kind, name, key, text(path(node, "metadata", "namespace"))) : undefined;
    if (read) {
      valuesSources.push(...read);
      continue;
    }
    const at = targetPath === undefined ? "" : ` (targetPath ${targetPath})`;
    unreadable.push(`spec.valuesFrom ${kind} "${name ?? "?"}"${at}`);
  }
  return [
    {
      install: describe("HelmRelease", node),
      file,
      document,
      node: isMap(spec) ? spec : node,
      namespace: text(field(spec, "targetNamespace")) ?? text(path(node, "metadata", "namespace")),
      sources: [...valuesSources, ...fileSource(file, field(spec, "values"))],
      unreadable,
      parameters: [],
      fromSecrets,
    },
  ];
}

/** kustomize `helmCharts:` entries of the chart: `valuesFile`, `additionalValuesFiles`, then `valuesInline`. */
function fromKustomization(index: RepoIndex, byPath: Map<string, ParsedFile>): Install[] {
  return index.ofKind("Kustomization").flatMap((kustomization) =>
    maps(field(kustomization.node, "helmCharts"))
      .filter((chart) => text(field(chart, "name")) === chartName)
      .map((chart): Install => {
        const install: Install = {
          install: `kustomize helmCharts "${text(field(chart, "releaseName")) ?? chartName}"`,
          file: kustomization.file,
          document: kustomization.document,
          node: chart,
          namespace: text(field(chart, "namespace")) ?? kustomization.namespace,
          sources: [],
          unreadable: [],
          parameters: [],
        };
        for (const written of [...strings(field(chart, "valuesFile")), ...strings(field(chart, "additionalValuesFiles"))]) {
          const read = valuesFile(byPath, resolvePath(kustomization.directory, written), written);
          if (typeof read === "string") install.unreadable.push(read);
          else install.sources.push(...read);
        }
        install.sources.push(...fileSource(kustomization.file, field(chart, "valuesInline")));
        return install;
      }),
  );
}

/** An umbrella chart whose Chart.yaml depends on the chart: its values.yaml, under the dependency's name or alias. */
function fromChart(file: ParsedFile, document: YamlDocument, node: YAMLMap, byPath: Map<string, ParsedFile>): Install[] {
  const directory = directoryOf(file.relPath);
  return maps(field(node, "dependencies"))
    .filter((dependency) => text(field(dependency, "name")) === chartName)
    .map((dependency): Install => {
      const key = text(field(dependency, "alias")) ?? chartName;
      const values = byPath.get(resolvePath(directory, "values.yaml") ?? "") ?? byPath.get(resolvePath(directory, "values.yml") ?? "");
      const contents = values?.documents[0]?.doc.contents;
      const parentGlobal = mapField(contents, "global");
      return {
        install: `chart "${text(field(node, "name")) ?? directory}" (${file.relPath} dependency "${key}")`,
        file,
        document,
        node: dependency,
        sources: values ? fileSource(values, field(contents, key), parentGlobal) : [],
        unreadable: [],
        parameters: [],
      };
    });
}

/** The last source that sets `section.key`, as Helm's merge of lists leaves it (a list is replaced whole). */
function lastSet(sources: readonly ValuesSource[], section: "global" | "worker" | "blueprints", key: string): { source: ValuesSource; map: YAMLMap } | undefined {
  for (let index = sources.length - 1; index >= 0; index--) {
    const source = sources[index]!;
    const maps = section === "global" ? [source.parentGlobal, mapField(source.root, "global")] : [mapField(source.root, section)];
    const map = maps.find((candidate) => candidate !== undefined && candidate.has(key));
    if (map) return { source, map };
  }
  return undefined;
}

function lineOf(source: ValuesSource, node: unknown): string {
  const range = (node as Node | undefined)?.range;
  const line = range ? source.mapper.position(range[0]).line : 1;
  return `${source.file.relPath}:${line}`;
}

/** The key node of `key` in a mapping, for pointing at `env:` rather than its first item. */
function keyNode(map: YAMLMap, key: string): unknown {
  return map.items.find((pair) => text(pair.key) === key)?.key;
}

/**
 * `authentik.*` values as the chart's Secret turns them into env vars: `AUTHENTIK_` and the
 * upper-cased key, nested keys joined by `__`; empty values are left out. The chart's own
 * defaults come first, each value source over them.
 */
function authentikEnv(install: Install): Map<string, { env: EnvVar; source?: ValuesSource }> {
  const env = new Map<string, { env: EnvVar; source?: ValuesSource }>();
  for (const name of chartDefaults) env.set(name, { env: { node: install.node, name: { value: name, node: install.node }, otherSource: true } });
  const set = (keys: readonly string[], parent: YAMLMap, written: Node, value: unknown, source?: ValuesSource): void => {
    const name = `AUTHENTIK_${keys.map((key) => key.toUpperCase()).join("__")}`;
    if (isMap(value)) {
      for (const pair of value.items) {
        const key = text(pair.key);
        if (key !== undefined) set([...keys, key], value, pair.key as Node, pair.value, source);
      }
    } else if (value === null || value === undefined || (isScalar(value) && (value.value === null || value.value === ""))) {
      env.delete(name);
    } else {
      env.set(name, { env: { node: parent, name: { value: name, node: written }, value: value as Node, otherSource: false }, source });
    }
  };
  for (const source of install.sources) {
    const values = mapField(source.root, chartName);
    for (const pair of values?.items ?? []) {
      const key = text(pair.key);
      if (key !== undefined && values) set([key], values, pair.key as Node, pair.value, source);
    }
  }
  for (const parameter of install.parameters) set(parameter.path, parameter.node, parameter.value, parameter.value);
  // Set even where spec.values leaves the key empty (`secret_key: ""` beside a valuesFrom).
  for (const { path: keys, node } of install.fromSecrets ?? []) {
    const name = `AUTHENTIK_${keys.map((key) => key.toUpperCase()).join("__")}`;
    env.set(name, { env: { node, name: { value: name, node }, otherSource: true } });
  }
  return env;
}

function chartWorker(install: Install): ChartWorker {
  const unreadable = [...install.unreadable];
  const locations = new Map<object, string>();
  // The chart names the worker's container after `worker.name`, "worker" by default.
  const named = lastSet(install.sources, "worker", "name");
  const nameNode = named?.map.get("name", true);
  const name = { value: text(nameNode) ?? "worker", node: isScalar(nameNode) ? nameNode : install.node };
  const container: Container = { node: install.node, name, image: undefined, command: [], args: ["worker"], env: [], envFrom: [], init: false };
  // The chart's worker container: `global.env` then `worker.env`, and `global.envFrom` then
  // `worker.envFrom` after the chart's own Secret (made from `authentik.*`, read below).
  for (const key of ["env", "envFrom"] as const) {
    for (const section of ["global", "worker"] as const) {
      const set = lastSet(install.sources, section, key);
      if (!set) continue;
      const list = set.map.get(key, true);
      if (list !== null && list !== undefined && !isSeq(list)) {
        unreadable.push(`${section}.${key} (not a list: ${lineOf(set.source, list)})`);
        continue;
      }
      const read = readContainer(set.map, false);
      for (const entry of key === "env" ? read.env : read.envFrom) locations.set(entry, lineOf(set.source, entry.node));
      if (key === "env") container.env.push(...read.env);
      else container.envFrom.push(...read.envFrom);
    }
  }
  // An explicit env entry wins over the chart's Secret, which the chart reads through envFrom.
  const explicit = new Set(container.env.map((env) => env.name?.value));
  for (const [name, { env, source }] of authentikEnv(install)) {
    if (explicit.has(name)) continue;
    container.env.unshift(env);
    locations.set(env, source ? lineOf(source, env.name?.node) : lineOf(anySource(install), env.value ?? env.node));
  }
  const last = install.sources.at(-1);
  const envList = lastSet(install.sources, "worker", "env") ?? lastSet(install.sources, "global", "env");
  const fallback = envList
    ? lineOf(envList.source, keyNode(envList.map, "env"))
    : last
      ? lineOf(last, last.root)
      : lineOf(anySource(install), install.node);
  const files = [install.file, ...install.sources.map((source) => source.file)];
  /**
   * What the chart mounts into the worker as blueprints: `blueprints.<key>` lists names, and a
   * `global`/`worker` volume of that kind (`volume.<kind>.<nameKey>`) mounts one.
   */
  const mounted = (key: "configMaps" | "secrets", kind: "configMap" | "secret", nameKey: "name" | "secretName"): string[] => {
    const listed = lastSet(install.sources, "blueprints", key);
    return [
      ...(listed ? strings(field(listed.map, key)) : []),
      ...(["global", "worker"] as const).flatMap((section) => {
        const volumes = lastSet(install.sources, section, "volumes");
        return volumes ? maps(field(volumes.map, "volumes")).flatMap((volume) => strings(path(volume, kind, nameKey))) : [];
      }),
    ];
  };
  const configMaps = mounted("configMaps", "configMap", "name");
  const secrets = mounted("secrets", "secret", "secretName");
  const workload: Workload = {
    kind: "Deployment",
    apiVersion: "apps/v1",
    file: envList?.source.file ?? last?.file ?? install.file,
    document: install.document,
    node: install.node,
    namespace: install.namespace,
    containers: [container],
    volumes: [],
  };
  return {
    install: install.install,
    workload,
    container,
    configMaps,
    secrets,
    files: [...new Set(files)],
    unreadable: unreadable.length > 0 ? [...new Set(unreadable)].join(", ") : undefined,
    where: (node) => (node && locations.get(node)) ?? fallback,
  };
}

/** Parameters have no values source of their own: their line is the Application's. */
function anySource(install: Install): ValuesSource {
  return { file: install.file, mapper: install.file.source, root: install.node };
}

/** Documents that may install the chart: a cheap text test before reading any. */
function mayInstall(file: ParsedFile): boolean {
  return file.text.includes(chartName);
}

const cache = new WeakMap<RepoIndex, ChartWorker[]>();

/** Every authentik worker installed by the chart, found once per index. */
export function chartWorkers(index: RepoIndex): ChartWorker[] {
  let workers = cache.get(index);
  if (workers) return workers;
  let byPath: Map<string, ParsedFile> | undefined;
  const paths = (): Map<string, ParsedFile> => (byPath ??= filesByRelPath(index));
  let sources: Set<string> | undefined;
  const fluxSources = (): Set<string> => (sources ??= chartSources(index.files.filter(mayInstall)));
  const valuesFrom = valuesFromReader(index, paths);
  const installs: Install[] = [];
  for (const file of index.files) {
    if (!mayInstall(file)) continue;
    const chartFile = /(?:^|\/)Chart\.ya?ml$/u.test(file.relPath);
    for (const document of file.documents) {
      const node = document.doc.contents;
      if (!isMap(node)) continue;
      const kind = text(field(node, "kind"));
      const apiVersion = text(field(node, "apiVersion")) ?? "";
      if (kind === "Application" && apiVersion.startsWith("argoproj.io/")) installs.push(...fromApplication(file, document, node, paths()));
      else if (kind === "HelmRelease" && apiVersion.startsWith("helm.toolkit.fluxcd.io/")) installs.push(...fromHelmRelease(file, document, node, fluxSources, valuesFrom));
      else if (chartFile && kind === undefined) installs.push(...fromChart(file, document, node, paths()));
    }
  }
  if (index.ofKind("Kustomization").some((kustomization) => items(field(kustomization.node, "helmCharts")).length > 0)) {
    installs.push(...fromKustomization(index, paths()));
  }
  workers = installs.map(chartWorker);
  cache.set(index, workers);
  return workers;
}
