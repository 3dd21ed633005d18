/**
 * The host graph: every host name the repo says something is served at, what says so, and which
 * hosts belong to the same service. Built on first use from the index's views and documents, in
 * linear passes over them (the Ingresses and HTTPRoutes, every document, the Ansible variables),
 * and cached per index.
 *
 * Hosts are the same service when one declaration names them together (an Ingress's rules and
 * tls, a reverse proxy site's host and backend, a Certificate's dnsNames) or when two
 * declarations route to the same backend (a Kubernetes Service by name, a proxy upstream); the
 * graph is a union-find over those links. Hosts may hold variables (`${DOMAIN}`, an Ansible
 * `{{ var }}` whose value the repo does not settle, a Tailscale tailnet, a DNS `*`): a variable
 * matches any text, so an unknown value is never a mismatch.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from "yaml";
import type { ParsedFile } from "../parse/index.ts";
import { isBlueprintDocument, type YamlDocument } from "../parse/yaml.ts";
import { editDistance } from "../schema/suggest.ts";
import { roleFileOf } from "./ansible.ts";
import type { RepoIndex } from "./index.ts";
import type { HTTPRoute, Ingress } from "./model.ts";
import { field, items, mapField, maps, path, text } from "./read.ts";

// ── Host names with variables ──────────────────────────────────────────────────────────────────

/** A host as declared: literal parts, lower-cased, around variables. */
export interface HostPattern {
  /** The host as written, literal parts lower-cased. */
  text: string;
  /** Literal text before, between and after the variables (one more than `variables`). */
  parts: string[];
  /** `label` for a DNS wildcard `*` (one label), `any` for a template variable. */
  variables: Array<"label" | "any">;
}

/**
 * Variables in a host: Flux `${VAR}` (and `${VAR/./-}`), Jinja or Helm `{{ … }}` left
 * unresolved, `<tailnet>` in a Tailscale name, and a DNS wildcard `*`.
 */
const variablePattern = /\$\{[^}]*\}|\{\{[\s\S]*?\}\}|<[^<>]*>|\*/gu;

export function parseHost(written: string): HostPattern {
  const parts: string[] = [];
  const variables: HostPattern["variables"] = [];
  let text = "";
  let last = 0;
  for (const match of written.matchAll(variablePattern)) {
    const literal = written.slice(last, match.index).toLowerCase();
    parts.push(literal);
    variables.push(match[0] === "*" ? "label" : "any");
    text += literal + match[0];
    last = match.index + match[0].length;
  }
  const tail = written.slice(last).toLowerCase().replace(/\.$/u, "");
  parts.push(tail);
  text += tail;
  return { text, parts, variables };
}

export function hasVariables(host: HostPattern): boolean {
  return host.variables.length > 0;
}

const patternRegexes = new WeakMap<HostPattern, RegExp>();

function regexOf(host: HostPattern): RegExp {
  let regex = patternRegexes.get(host);
  if (!regex) {
    const escape = (literal: string): string => literal.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
    const body = host.parts.map((part, index) => escape(part) + (index < host.variables.length ? (host.variables[index] === "label" ? "[^.]+" : ".+") : ""));
    regex = new RegExp(`^${body.join("")}$`, "u");
    patternRegexes.set(host, regex);
  }
  return regex;
}

/**
 * Whether two hosts can be the same name. With variables on one side, the other must fit the
 * pattern; with variables on both, the literal text before the first variable and after the
 * last must agree (one a prefix, or suffix, of the other).
 */
export function hostsMatch(a: HostPattern, b: HostPattern): boolean {
  if (!hasVariables(a) && !hasVariables(b)) return a.text === b.text;
  if (!hasVariables(b)) return regexOf(a).test(b.text);
  if (!hasVariables(a)) return regexOf(b).test(a.text);
  const [aStart, bStart] = [a.parts[0]!, b.parts[0]!];
  const [aEnd, bEnd] = [a.parts[a.parts.length - 1]!, b.parts[b.parts.length - 1]!];
  return (aStart.startsWith(bStart) || bStart.startsWith(aStart)) && (aEnd.endsWith(bEnd) || bEnd.endsWith(aEnd));
}

/** The first DNS label, when it is written out (no variable in it). */
export function firstLabel(host: HostPattern): string | undefined {
  const first = host.parts[0]!;
  const dot = first.indexOf(".");
  if (dot !== -1) return first.slice(0, dot);
  return hasVariables(host) ? undefined : first;
}

/** A host name, possibly with variables: letters, digits, `-`, `_` and dots around them. */
function isHostName(host: HostPattern): boolean {
  const literal = host.parts.join("");
  return host.text !== "" && /^[a-z0-9._-]*$/u.test(literal) && !literal.startsWith(".");
}

/** `localhost`, `*.localhost` (RFC 6761), 127.0.0.0/8 and `[::1]`. */
export function isLoopback(host: string): boolean {
  const lower = host.toLowerCase();
  return lower === "localhost" || lower.endsWith(".localhost") || /^127(?:\.\d{1,3}){3}$/u.test(lower) || lower === "[::1]";
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/u.test(host) || host.startsWith("[");
}

// ── URLs ───────────────────────────────────────────────────────────────────────────────────────

export interface UrlParts {
  /** Lower-cased. */
  scheme: string;
  host: string;
  /** Offsets of the host in the URL text. */
  hostStart: number;
  hostEnd: number;
}

/** The end of a `${…}` or `{{ … }}` starting at `index`, or undefined when none starts there. */
function templateEnd(text: string, index: number): number | undefined {
  if (text.startsWith("${", index)) {
    const close = text.indexOf("}", index + 2);
    return close === -1 ? text.length : close + 1;
  }
  if (text.startsWith("{{", index)) {
    const close = text.indexOf("}}", index + 2);
    return close === -1 ? text.length : close + 2;
  }
  return undefined;
}

/**
 * Scheme and host of `scheme://[user@]host[:port]/…`. Template variables may stand anywhere in
 * the authority, and their text (`${HOST/./-}`, `${PORT:=80}`) is never read as a delimiter.
 */
export function splitUrl(url: string): UrlParts | undefined {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//u.exec(url);
  if (!scheme) return undefined;
  const start = scheme[0].length;
  let hostStart = start;
  let hostEnd: number | undefined;
  let index = start;
  while (index < url.length) {
    const skip = templateEnd(url, index);
    if (skip !== undefined) {
      index = skip;
      continue;
    }
    const char = url[index]!;
    if (char === "/" || char === "?" || char === "#") break;
    if (char === "@") {
      hostStart = index + 1;
      hostEnd = undefined;
    } else if (char === "[" && index === hostStart) {
      const close = url.indexOf("]", index);
      if (close !== -1) index = close;
    } else if (char === ":" && hostEnd === undefined) {
      hostEnd = index;
    }
    index++;
  }
  hostEnd ??= index;
  return { scheme: scheme[1]!.toLowerCase(), host: url.slice(hostStart, hostEnd), hostStart, hostEnd };
}

// ── The graph ──────────────────────────────────────────────────────────────────────────────────

export interface DeclaredHost {
  /** The host as declared (Ansible variables interpolated where the repo settles them). */
  host: HostPattern;
  /** What declares it: `Ingress "grafana"`, `caddy_sites`, `forgejo_external_url`, … */
  by: string;
  file: ParsedFile;
  node: Node;
  /**
   * Says the host is served (a route, a proxy site, a certificate), where a variable only names
   * it: only served hosts are told apart from a service's own.
   */
  serves: boolean;
}

export interface HostEntry {
  host: HostPattern;
  declarations: DeclaredHost[];
  /** Its node in the union-find. */
  id: number;
}

type Member = { declaration: DeclaredHost } | { link: string };

export class HostGraph {
  private readonly entries = new Map<string, HostEntry>();
  private readonly byFirstLabel = new Map<string, HostEntry[]>();
  /** Hosts whose first label is a variable (`*.example.com`, `${APP}.example.com`). */
  private readonly openFirstLabel: HostEntry[] = [];
  private readonly links = new Map<string, number>();
  private readonly parent: number[] = [];

  /** Whether the repo declares no host at all. */
  get empty(): boolean {
    return this.entries.size === 0;
  }

  /** Every declared host, in declaration order. */
  all(): IterableIterator<HostEntry> {
    return this.entries.values();
  }

  /** The declared hosts that `host` can be (the same name, or one a variable makes fit). */
  match(host: HostPattern): HostEntry[] {
    const label = firstLabel(host);
    if (label === undefined) return [];
    const exact = this.entries.get(host.text);
    const candidates = [...(this.byFirstLabel.get(label) ?? []), ...this.openFirstLabel];
    const found = candidates.filter((entry) => entry === exact || hostsMatch(entry.host, host));
    return exact && !found.includes(exact) ? [exact, ...found] : found;
  }

  /** Whether some host of `a` and some host of `b` belong to the same service. */
  sameService(a: readonly HostEntry[], b: readonly HostEntry[]): boolean {
    const roots = new Set(a.map((entry) => this.find(entry.id)));
    return b.some((entry) => roots.has(this.find(entry.id)));
  }

  /**
   * The declared hosts of each service that has a backend link (`service:<name>`,
   * `backend:<authority>`) passing `test`, by link, in declaration order.
   */
  linkedHosts(test: (link: string) => boolean): Map<string, HostEntry[]> {
    const byLink = new Map<string, HostEntry[]>();
    for (const [link, id] of this.links) {
      if (!test(link)) continue;
      const root = this.find(id);
      byLink.set(link, [...this.entries.values()].filter((entry) => this.find(entry.id) === root));
    }
    return byLink;
  }

  /** Up to `limit` other declared hosts nearest `host` by edit distance, ties in declaration order. */
  nearest(host: HostPattern, limit: number): HostEntry[] {
    return [...this.entries.values()]
      .filter((entry) => entry.host.text !== host.text)
      .map((entry, order) => ({ entry, order, distance: editDistance(host.text, entry.host.text) }))
      .sort((a, b) => a.distance - b.distance || a.order - b.order)
      .slice(0, limit)
      .map(({ entry }) => entry);
  }

  /** Declares hosts and backends that are one service. */
  add(members: readonly Member[]): void {
    let first: number | undefined;
    for (const member of members) {
      const id = "link" in member ? this.linkId(member.link) : this.entryFor(member.declaration).id;
      if (first === undefined) first = id;
      else this.union(first, id);
    }
  }

  private entryFor(declaration: DeclaredHost): HostEntry {
    let entry = this.entries.get(declaration.host.text);
    if (!entry) {
      entry = { host: declaration.host, declarations: [], id: this.node() };
      this.entries.set(declaration.host.text, entry);
      const label = firstLabel(declaration.host);
      if (label === undefined) this.openFirstLabel.push(entry);
      else {
        const list = this.byFirstLabel.get(label);
        if (list) list.push(entry);
        else this.byFirstLabel.set(label, [entry]);
      }
    }
    // An Ingress names its hosts in `rules` and again in `tls`: one declaration each.
    if (!entry.declarations.some((other) => other.by === declaration.by && other.file === declaration.file)) entry.declarations.push(declaration);
    return entry;
  }

  private linkId(link: string): number {
    let id = this.links.get(link);
    if (id === undefined) {
      id = this.node();
      this.links.set(link, id);
    }
    return id;
  }

  private node(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }

  private find(id: number): number {
    let root = id;
    while (this.parent[root] !== root) root = this.parent[root]!;
    let current = id;
    while (current !== root) {
      const next = this.parent[current]!;
      this.parent[current] = root;
      current = next;
    }
    return root;
  }

  private union(a: number, b: number): void {
    const [rootA, rootB] = [this.find(a), this.find(b)];
    if (rootA !== rootB) this.parent[rootB] = rootA;
  }
}

// ── Sources ────────────────────────────────────────────────────────────────────────────────────

/** A host declared at a node, if the node holds a host name. */
function declared(node: unknown, by: string, file: ParsedFile, serves: boolean, written?: string): Member[] {
  const value = written ?? text(node);
  if (value === undefined || !isScalar(node)) return [];
  const host = parseHost(value.trim());
  return isHostName(host) ? [{ declaration: { host, by, file, node, serves } }] : [];
}

/** Kubernetes Services are linked by name only: a namespace the repo leaves unsaid never splits a service. */
function serviceLink(name: string | undefined): Member[] {
  return name === undefined ? [] : [{ link: `service:${name}` }];
}

function documentLink(file: ParsedFile, document: YamlDocument): Member {
  return { link: `document:${file.relPath}#${document.index}` };
}

/**
 * Tailscale's operator serves an Ingress of class `tailscale` at `<name>.<tailnet>.ts.net`,
 * `<name>` being the first label of `tls.hosts` (the rules' hosts are ignored), or
 * `<namespace>-<ingress name>` without one.
 */
function isTailscaleIngress(node: YAMLMap): boolean {
  return (
    text(path(node, "spec", "ingressClassName")) === "tailscale" ||
    text(field(path(node, "metadata", "annotations"), "kubernetes.io/ingress.class")) === "tailscale"
  );
}

function tailscaleHost(name: string): string {
  return `${name.split(".")[0]!}.<tailnet>.ts.net`;
}

function fromIngress(graph: HostGraph, ingress: Ingress): void {
  const name = ingress.name?.value ?? "?";
  const spec = field(ingress.node, "spec");
  const backends = [
    ...maps(field(spec, "rules")).flatMap((rule) =>
      maps(path(rule, "http", "paths")).flatMap((entry) => [text(path(entry, "backend", "service", "name")), text(path(entry, "backend", "serviceName"))]),
    ),
    text(path(spec, "defaultBackend", "service", "name")),
    text(path(spec, "backend", "serviceName")),
  ].flatMap((service) => serviceLink(service));
  const members: Member[] = [documentLink(ingress.file, ingress.document), ...backends];
  if (isTailscaleIngress(ingress.node)) {
    const by = `Tailscale Ingress "${name}"`;
    const tlsHosts = maps(field(spec, "tls")).flatMap((tls) => items(field(tls, "hosts")));
    for (const host of tlsHosts) {
      const value = text(host);
      if (value !== undefined) members.push(...declared(host, by, ingress.file, true, tailscaleHost(value)));
    }
    if (tlsHosts.length === 0 && ingress.name && ingress.namespace !== undefined) {
      members.push(...declared(ingress.name.node, by, ingress.file, true, tailscaleHost(`${ingress.namespace}-${name}`)));
    }
  } else {
    for (const host of ingress.hosts) members.push(...declared(host.node, `Ingress "${name}"`, ingress.file, true));
  }
  graph.add(members);
}

function fromHttpRoute(graph: HostGraph, route: HTTPRoute): void {
  const by = `HTTPRoute "${route.name?.value ?? "?"}"`;
  const backends = maps(path(route.node, "spec", "rules")).flatMap((rule) =>
    maps(field(rule, "backendRefs")).flatMap((ref) => {
      const kind = text(field(ref, "kind")) ?? "Service";
      return kind === "Service" ? serviceLink(text(field(ref, "name"))) : [];
    }),
  );
  graph.add([documentLink(route.file, route.document), ...backends, ...route.hosts.flatMap((host) => declared(host.node, by, route.file, true))]);
}

/** Traefik rule matchers naming hosts: Host(`a`, `b`), HostSNI(`a`); HostRegexp is a pattern, not a name. */
const traefikMatcher = /\bHost(?:SNI)?\s*\(([^)]*)\)/gu;
const traefikArgument = /`([^`]*)`|"([^"]*)"/gu;

/** Traefik's IngressRoute (and IngressRouteTCP): `spec.routes[].match`, with its Services. */
function fromIngressRoute(graph: HostGraph, file: ParsedFile, document: YamlDocument, node: YAMLMap, kind: string): void {
  const by = `${kind} "${text(path(node, "metadata", "name")) ?? "?"}"`;
  const members: Member[] = [documentLink(file, document)];
  for (const route of maps(path(node, "spec", "routes"))) {
    const match = field(route, "match");
    const rule = text(match);
    if (rule !== undefined) {
      for (const matcher of rule.matchAll(traefikMatcher)) {
        for (const argument of matcher[1]!.matchAll(traefikArgument)) {
          members.push(...declared(match, by, file, true, argument[1] ?? argument[2]));
        }
      }
    }
    for (const service of maps(field(route, "services"))) {
      const serviceKind = text(field(service, "kind")) ?? "Service";
      if (serviceKind === "Service") members.push(...serviceLink(text(field(service, "name"))));
    }
  }
  graph.add(members);
}

/** cert-manager's Certificate: `dnsNames` and `commonName`, names TLS is set up for. */
function fromCertificate(graph: HostGraph, file: ParsedFile, document: YamlDocument, node: YAMLMap): void {
  const by = `Certificate "${text(path(node, "metadata", "name")) ?? "?"}"`;
  const spec = field(node, "spec");
  graph.add([
    documentLink(file, document),
    ...items(field(spec, "dnsNames")).flatMap((name) => declared(name, by, file, true)),
    ...declared(field(spec, "commonName"), by, file, true),
  ]);
}

/**
 * Annotations that name where a resource is served: external-dns's hostname list, and the
 * Tailscale operator's hostname for an exposed Service.
 */
function fromAnnotations(graph: HostGraph, file: ParsedFile, document: YamlDocument, node: YAMLMap, kind: string): void {
  const annotations = path(node, "metadata", "annotations");
  const externalDns = field(annotations, "external-dns.alpha.kubernetes.io/hostname");
  const tailscale = field(annotations, "tailscale.com/hostname");
  if (!externalDns && !tailscale) return;
  const name = text(path(node, "metadata", "name"));
  const by = `${kind} "${name ?? "?"}"`;
  const members: Member[] = [documentLink(file, document), ...(kind === "Service" ? serviceLink(name) : [])];
  for (const host of (text(externalDns) ?? "").split(",")) {
    if (host.trim() !== "") members.push(...declared(externalDns, by, file, true, host.trim()));
  }
  const tailscaleName = text(tailscale);
  if (tailscaleName !== undefined) members.push(...declared(tailscale, by, file, true, tailscaleHost(tailscaleName)));
  graph.add(members);
}

/** `enabled: false` turns a chart's ingress or route off, whatever hosts its values list. */
function disabled(block: YAMLMap): boolean {
  return text(field(block, "enabled")) === "false";
}

/**
 * Hosts of a chart's `ingress` values: `hosts` as strings or `{host}` / `{name}` mappings,
 * `hostname` (Bitnami), `extraHosts`, `tls[].hosts`.
 */
function ingressValueHosts(block: YAMLMap, by: string, file: ParsedFile): Member[] {
  const entry = (item: unknown): Member[] =>
    isMap(item) ? [...declared(field(item, "host"), by, file, true), ...declared(field(item, "name"), by, file, true)] : declared(item, by, file, true);
  return [
    ...items(field(block, "hosts")).flatMap(entry),
    ...items(field(block, "extraHosts")).flatMap(entry),
    ...declared(field(block, "hostname"), by, file, true),
    ...maps(field(block, "tls")).flatMap((tls) => items(field(tls, "hosts")).flatMap((host) => declared(host, by, file, true))),
  ];
}

const ingressKeys = ["hosts", "hostname", "extraHosts", "tls"];
const routeKeys = ["hostnames"];

/**
 * An `ingress` or `route` block of chart values: one ingress (`ingress.hosts`), or named ones
 * (`ingress.main.hosts`, bjw-s app-template's shape; `route.main.hostnames`).
 */
function valueBlocks(block: YAMLMap, keyPath: string, keys: readonly string[]): Array<[YAMLMap, string]> {
  if (keys.some((key) => block.has(key))) return disabled(block) ? [] : [[block, keyPath]];
  return block.items.flatMap((pair): Array<[YAMLMap, string]> => {
    const name = text(pair.key);
    return isMap(pair.value) && name !== undefined && keys.some((key) => (pair.value as YAMLMap).has(key)) && !disabled(pair.value)
      ? [[pair.value, `${keyPath}.${name}`]]
      : [];
  });
}

/** A text that may hold chart values with hosts: a cheap test before walking its documents. */
function mayHoldValueHosts(source: string): boolean {
  return /\b(?:ingress|route|httpRoute)\s*:/u.test(source);
}

/**
 * Chart values wherever they are written (a values file, a HelmRelease's `spec.values`, an Argo
 * CD Application's `valuesObject`, kustomize's `valuesInline`): every `ingress`, `route` and
 * `httpRoute` mapping, at any depth (an umbrella chart nests them under the subchart's name).
 */
function fromValues(graph: HostGraph, file: ParsedFile, root: unknown): void {
  const stack: Array<[unknown, string]> = [[root, ""]];
  while (stack.length > 0) {
    const [node, keyPath] = stack.pop()!;
    if (isSeq(node)) {
      for (const item of node.items) stack.push([item, keyPath]);
      continue;
    }
    if (!isMap(node)) continue;
    for (const pair of node.items) {
      const key = text(pair.key);
      if (key === undefined) continue;
      const childPath = keyPath === "" ? key : `${keyPath}.${key}`;
      if (isMap(pair.value) && key === "ingress") {
        for (const [block, blockPath] of valueBlocks(pair.value, childPath, ingressKeys)) {
          graph.add(ingressValueHosts(block, `chart values "${blockPath}"`, file));
        }
      } else if (isMap(pair.value) && (key === "route" || key === "httpRoute")) {
        for (const [block, blockPath] of valueBlocks(pair.value, childPath, routeKeys)) {
          const by = `chart values "${blockPath}"`;
          graph.add(items(field(block, "hostnames")).flatMap((host) => declared(host, by, file, true)));
        }
      } else {
        stack.push([pair.value, childPath]);
      }
    }
  }
}

function fromDocument(graph: HostGraph, file: ParsedFile, document: YamlDocument, valueHosts: boolean): void {
  const contents = document.doc.contents;
  if (!isMap(contents) || isBlueprintDocument(document.doc)) return;
  const kind = text(field(contents, "kind"));
  const apiVersion = text(field(contents, "apiVersion")) ?? "";
  if (kind !== undefined) {
    if ((kind === "IngressRoute" || kind === "IngressRouteTCP") && apiVersion.startsWith("traefik.")) {
      fromIngressRoute(graph, file, document, contents, kind);
    } else if (kind === "Certificate" && apiVersion.startsWith("cert-manager.io/")) {
      fromCertificate(graph, file, document, contents);
    }
    fromAnnotations(graph, file, document, contents, kind);
  }
  if (valueHosts) fromValues(graph, file, contents);
}

// ── Ansible ────────────────────────────────────────────────────────────────────────────────────

/** A variable where Ansible reads it from, with the precedence level it has there. */
interface Variable {
  name: string;
  node: Node;
  file: ParsedFile;
  level: "role defaults" | "inventory" | "role vars";
  /** The role's directory, for role defaults and vars. */
  role?: string;
}

const inventoryVarsFile = /(?:^|\/)(?:group_vars|host_vars)\//u;
const inventoryFile = /(?:^|\/)(?:inventory|inventories)\//u;

function variablesOf(contents: unknown, file: ParsedFile, level: Variable["level"], role?: string): Variable[] {
  if (!isMap(contents)) return [];
  return contents.items.flatMap((pair) => {
    const name = text(pair.key);
    return name === undefined || !pair.value ? [] : [{ name, node: pair.value as Node, file, level, role }];
  });
}

/** `vars:` of the groups and hosts of a YAML inventory, down through `children`. */
function inventoryVariables(contents: unknown, file: ParsedFile): Variable[] {
  const found: Variable[] = [];
  const stack: unknown[] = isMap(contents) ? contents.items.map((pair) => pair.value) : [];
  while (stack.length > 0) {
    const group = stack.pop();
    if (!isMap(group)) continue;
    found.push(...variablesOf(field(group, "vars"), file, "inventory"));
    for (const host of mapField(group, "hosts")?.items ?? []) found.push(...variablesOf(host.value, file, "inventory"));
    for (const child of mapField(group, "children")?.items ?? []) stack.push(child.value);
  }
  return found;
}

/** Role defaults and vars, `group_vars/`, `host_vars/`, and the `vars:` of YAML inventories. */
function ansibleVariables(files: readonly ParsedFile[]): Variable[] {
  const variables: Variable[] = [];
  for (const file of files) {
    const role = roleFileOf(file.relPath);
    if (role?.part === "defaults" || role?.part === "vars") {
      const level = role.part === "defaults" ? "role defaults" : "role vars";
      for (const document of file.documents) variables.push(...variablesOf(document.doc.contents, file, level, role.directory));
    } else if (inventoryVarsFile.test(file.relPath)) {
      for (const document of file.documents) variables.push(...variablesOf(document.doc.contents, file, "inventory"));
    } else if (inventoryFile.test(file.relPath)) {
      for (const document of file.documents) variables.push(...inventoryVariables(document.doc.contents, file));
    }
  }
  return variables;
}

/**
 * `{{ var }}` resolved as far as the repo settles it. Ansible's precedence, simplified: the
 * role's own vars, then the inventory, then the role's defaults, then any role's; a level with
 * several different values (one per group, say) settles nothing, and the expression stays a
 * variable that matches any host.
 */
class Interpolation {
  private readonly byName = new Map<string, Variable[]>();

  constructor(variables: readonly Variable[]) {
    for (const variable of variables) {
      const list = this.byName.get(variable.name);
      if (list) list.push(variable);
      else this.byName.set(variable.name, [variable]);
    }
  }

  private value(name: string, role: string | undefined): string | undefined {
    const variables = this.byName.get(name) ?? [];
    const levels = [
      variables.filter((variable) => variable.level === "role vars" && variable.role === role),
      variables.filter((variable) => variable.level === "inventory"),
      variables.filter((variable) => variable.level === "role defaults" && variable.role === role),
      variables,
    ];
    const level = levels.find((list) => list.length > 0) ?? [];
    const values = new Set(level.map((variable) => text(variable.node)));
    return values.size === 1 ? [...values][0] : undefined;
  }

  resolve(written: string, role: string | undefined, depth = 0): string {
    if (depth > 8 || !written.includes("{{")) return written;
    return written.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/gu, (whole, name: string) => {
      const value = this.value(name, role);
      return value === undefined ? whole : this.resolve(value, role, depth + 1);
    });
  }
}

/** Keys naming a reverse proxy site's hosts, and its upstream. */
const siteHostKeys = ["host", "hosts", "hostname", "domain", "domains", "server_name", "server_names"];
const siteBackendKeys = ["backend", "backends", "upstream", "upstreams", "proxy", "proxy_pass", "reverse_proxy", "target", "to"];

/**
 * A backend is the service itself: a named backend is a host of the service, and two sites
 * proxying to the same upstream (`localhost:3000`) serve the same service.
 */
function backendMembers(node: unknown, written: string, by: string, file: ParsedFile): Member[] {
  const url = splitUrl(written.includes("://") ? written : `tcp://${written}`);
  if (!url || url.host === "") return [];
  const authority = written.slice(written.includes("://") ? written.indexOf("://") + 3 : 0).split("/")[0]!.toLowerCase();
  const members: Member[] = [{ link: `backend:${authority}` }];
  if (!isLoopback(url.host) && !isIpAddress(url.host)) members.push(...declared(node, by, file, true, url.host));
  return members;
}

/**
 * Reverse proxy sites declared as a list of `{host, backend}` mappings (a Caddy role's
 * `caddy_sites`, an nginx role's `{server_name, proxy_pass}`): each site is one service.
 */
function fromSites(graph: HostGraph, variable: Variable, interpolation: Interpolation): void {
  for (const site of maps(variable.node)) {
    const hostNodes = siteHostKeys.flatMap((key) => {
      const value = field(site, key);
      return isSeq(value) ? value.items : value ? [value] : [];
    });
    const backendNodes = siteBackendKeys.flatMap((key) => {
      const value = field(site, key);
      return isSeq(value) ? value.items : value ? [value] : [];
    });
    if (hostNodes.length === 0 || backendNodes.length === 0) continue;
    const resolve = (node: unknown): string | undefined => {
      const value = text(node);
      return value === undefined ? undefined : interpolation.resolve(value, variable.role);
    };
    graph.add([
      ...hostNodes.flatMap((node) => {
        const value = resolve(node);
        return value === undefined ? [] : declared(node, variable.name, variable.file, true, value);
      }),
      ...backendNodes.flatMap((node) => {
        const value = resolve(node);
        return value === undefined ? [] : backendMembers(node, value, `${variable.name} backend`, variable.file);
      }),
    ]);
  }
}

/** `*_url` (`forgejo_external_url`) and `*_domain` (`domain`) variables name a host. */
const hostVariable = /(?:^|_)(?:url|domain)$/iu;

function fromHostVariable(graph: HostGraph, variable: Variable, interpolation: Interpolation): void {
  const written = text(variable.node);
  if (written === undefined || !isScalar(variable.node) || variable.node.tag === "!vault") return;
  const value = interpolation.resolve(written.trim(), variable.role);
  const url = value.includes("://") ? splitUrl(value) : undefined;
  if (url && url.scheme !== "http" && url.scheme !== "https") return;
  const host = url ? url.host : /_url$/iu.test(variable.name) ? undefined : value;
  if (host !== undefined) graph.add(declared(variable.node, variable.name, variable.file, false, host));
}

function fromAnsible(graph: HostGraph, files: readonly ParsedFile[]): void {
  const variables = ansibleVariables(files);
  const interpolation = new Interpolation(variables);
  for (const variable of variables) {
    if (isSeq(variable.node)) fromSites(graph, variable, interpolation);
    else if (hostVariable.test(variable.name)) fromHostVariable(graph, variable, interpolation);
  }
}

// ── Entry point ────────────────────────────────────────────────────────────────────────────────

const graphs = new WeakMap<RepoIndex, HostGraph>();

/** The repo's host graph, built on first use and kept for the index's lifetime. */
export function hostGraph(index: RepoIndex): HostGraph {
  let graph = graphs.get(index);
  if (!graph) {
    graph = new HostGraph();
    for (const ingress of index.ofKind("Ingress")) fromIngress(graph, ingress);
    for (const route of index.ofKind("HTTPRoute")) fromHttpRoute(graph, route);
    for (const file of index.files) {
      const valueHosts = mayHoldValueHosts(file.text);
      for (const document of file.documents) fromDocument(graph, file, document, valueHosts);
    }
    fromAnsible(graph, index.files);
    graphs.set(index, graph);
  }
  return graph;
}
