/**
 * Joins between authentik applications and their providers, and the application slugs and
 * authentik hosts the repo declares: built once per index from its public views, for
 * oidc/application-provider and oidc/issuer-slug.
 */
import { isMap, isScalar, isSeq, type Node } from "yaml";
import models from "../../schemas/blueprint/models.json" with { type: "json" };
import type { ParsedFile } from "../parse/index.ts";
import { isAuthentikTag } from "../parse/tags.ts";
import { sourceOfNode } from "../parse/yaml.ts";
import type { RepoIndex } from "./index.ts";
import type { Blueprint, BlueprintEntry, Named } from "./model.ts";
import { field, isTemplated, maps, named, path, text } from "./read.ts";
import { push } from "./collect.ts";

// ── Models ─────────────────────────────────────────────────────────────────────────────────────

/** authentik resolves a model name with Django's `apps.get_model`, which ignores its case. */
const knownModels: ReadonlySet<string> = new Set(Object.keys(models.models).map((name) => name.toLowerCase()));

/** A provider model is `authentik_providers_<app>.<name>provider`; its mappings end otherwise. */
const providerModelName = /^authentik_providers_[a-z0-9_]+\.[a-z0-9_]*provider$/u;

/** The provider models of schemas/blueprint/models.json (authentik 2024.12), e.g. `authentik_providers_oauth2.oauth2provider`. */
export const providerModels: readonly string[] = Object.keys(models.models).filter((name) => providerModelName.test(name.toLowerCase()));

const providerModelSet: ReadonlySet<string> = new Set(providerModels.map((name) => name.toLowerCase()));

/** A provider model, including one newer than models.json names like a provider (SSF came in 2025). */
export function isProviderModel(model: string): boolean {
  const lower = model.toLowerCase();
  return providerModelSet.has(lower) || (!knownModels.has(lower) && providerModelName.test(lower));
}

const applicationModel = "authentik_core.application";
const outpostModel = "authentik_outposts.outpost";

/**
 * What an entry is, for these joins. An entry whose model is missing or unknown (misspelt:
 * schema/blueprint reports it) may be the application the author meant: its references count
 * as uses and its slug as declared, so one typo is one message.
 */
type Role = "application" | "outpost" | "provider" | "unknown" | "other";

function roleOf(entry: BlueprintEntry): Role {
  const model = entry.model?.value.toLowerCase();
  if (model === undefined) return "unknown";
  if (model === applicationModel) return "application";
  if (model === outpostModel) return "outpost";
  if (isProviderModel(model)) return "provider";
  return knownModels.has(model) ? "other" : "unknown";
}

/** The fields through which an entry of each role refers to providers. */
const providerFields: Record<Role, readonly string[]> = {
  application: ["provider", "backchannel_providers"],
  outpost: ["providers"],
  unknown: ["provider", "backchannel_providers", "providers"],
  provider: [],
  other: [],
};

/** A literal string value, or undefined for a tag, a template or no value. */
function literal(node: unknown): string | undefined {
  const value = text(node);
  return value === undefined || isTemplated(value) ? undefined : value;
}

// ── Provider references ────────────────────────────────────────────────────────────────────────

type Reference =
  | { kind: "keyOf"; id: string; node: Node }
  | { kind: "find"; model: Named; pairs: Array<[string, string | undefined]> }
  /** A literal pk, `!Context`, `!Format`, an alias…: a reference this tool cannot follow. */
  | { kind: "opaque" };

/** The provider references in a field's value: a tag, a list of them, or branches of `!If`. */
function references(value: unknown, out: Reference[]): void {
  if (value === null || value === undefined) return;
  if (isScalar(value) && !isAuthentikTag(value.tag)) {
    if (value.value !== null && value.value !== "") out.push({ kind: "opaque" });
    return;
  }
  if (isScalar(value) && value.tag === "!KeyOf" && typeof value.value === "string") {
    out.push({ kind: "keyOf", id: value.value, node: value });
  } else if (isSeq(value) && value.tag === "!Find") {
    const model = named(value.items[0]);
    if (!model) {
      out.push({ kind: "opaque" });
      return;
    }
    const pairs = value.items.slice(1).flatMap((pair): Array<[string, string | undefined]> => {
      if (!isSeq(pair)) return [];
      const name = text(pair.items[0]);
      return name === undefined ? [] : [[name, literal(pair.items[1])]];
    });
    out.push({ kind: "find", model, pairs });
  } else if (isSeq(value) && value.tag === "!If") {
    // Either branch may be taken: the condition is known only when authentik applies it.
    for (const branch of value.items.slice(1)) references(branch, out);
  } else if (isSeq(value) && value.tag === undefined) {
    for (const item of value.items) references(item, out);
  } else {
    out.push({ kind: "opaque" });
  }
}

interface ProviderInfo {
  blueprint: Blueprint;
  entry: BlueprintEntry;
  /** Literal values of its identifiers and attrs, by field; a field absent here matches any query. */
  fields: Map<string, string>;
}

/**
 * Providers by model, for `!Find`: a query matches a provider unless the provider states one of
 * the queried fields with another literal value (a field it leaves out, or sets through a tag,
 * cannot be compared, and a use is not doubted for it).
 */
class ProviderFinder {
  private readonly byModel = new Map<string, ProviderInfo[]>();
  private readonly byValue = new Map<string, ProviderInfo[]>();
  private readonly unstated = new Map<string, ProviderInfo[]>();

  add(info: ProviderInfo, model: string): void {
    push(this.byModel, model, info);
    for (const [name, value] of info.fields) push(this.byValue, key(model, name, value), info);
  }

  find(model: string, pairs: ReadonlyArray<[string, string | undefined]>): ProviderInfo[] {
    const all = this.byModel.get(model) ?? [];
    const stated = pairs.filter((pair): pair is [string, string] => pair[1] !== undefined);
    const [first, ...rest] = stated;
    if (!first) return all;
    const candidates = [...(this.byValue.get(key(model, ...first)) ?? []), ...this.unstatedOf(model, first[0], all)];
    return candidates.filter((info) => rest.every(([name, value]) => (info.fields.get(name) ?? value) === value));
  }

  private unstatedOf(model: string, name: string, all: ProviderInfo[]): ProviderInfo[] {
    const cacheKey = key(model, name, "");
    let list = this.unstated.get(cacheKey);
    if (!list) {
      list = all.filter((info) => !info.fields.has(name));
      this.unstated.set(cacheKey, list);
    }
    return list;
  }
}

function key(...parts: string[]): string {
  return parts.join("\u0000");
}


function literalFields(entry: BlueprintEntry): Map<string, string> {
  const fields = new Map<string, string>();
  for (const map of [entry.attrs, entry.identifiers]) {
    for (const pair of map?.items ?? []) {
      const name = text(pair.key);
      const value = literal(pair.value);
      if (name !== undefined && value !== undefined) fields.set(name, value);
    }
  }
  return fields;
}

/** A wrong `provider` of an application, to be reported where it is written. */
export type ProviderProblem =
  /** `!KeyOf id` names an entry of a model that is not a provider. */
  | { kind: "notProvider"; node: Node; id: string; target: BlueprintEntry & { model: Named } }
  /** `!Find` looks up a model that is not a provider. */
  | { kind: "findNotProvider"; model: Named };

// ── Slugs ──────────────────────────────────────────────────────────────────────────────────────

export interface DeclaredSlug {
  slug: string;
  file: ParsedFile;
  line: number;
}

/** An application's slug, found by another name of the application: for "did you mean". */
export interface SlugByName extends DeclaredSlug {
  /** What the name is, for messages: `the name of application "Paperless"`. */
  what: string;
}

export interface DeclaredSlugs {
  /** Literal application slugs, by slug, in repo order. */
  literal: Map<string, DeclaredSlug[]>;
  /**
   * Literal application slugs by the other names of their application, lower-cased: the
   * application's `name` and the `name` of the provider it uses. A URL written with one of them
   * instead of the slug is a common mistake.
   */
  byName: Map<string, SlugByName[]>;
  /** Slugs written with a template (`{{ app }}-x`), as anchored patterns. */
  patterns: RegExp[];
  /** Some application's slug cannot be read (a tag, a blueprint whose `entries` is misspelt). */
  open: boolean;
}

const slugPattern = /^[-a-zA-Z0-9_]+$/u;

function templatePattern(value: string): RegExp {
  const parts = value.split(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\$\{[^}]*\}/u);
  return new RegExp(`^${parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&")).join(".*")}$`, "u");
}

function lineOf(node: Node, file: ParsedFile): number {
  return (sourceOfNode(node) ?? file.source).position(node.range?.[0] ?? 0).line;
}

/** A `slug:` line of a Jinja-rendered blueprint, which is read as text: it is not YAML yet. */
const slugLine = /^[ \t]*(?:-[ \t]+)?slug[ \t]*:[ \t]*(\S.*?)[ \t]*$/gmu;

const applicationOrOutpost = /authentik_core\.application|authentik_outposts\.outpost/iu;

// ── Hosts ──────────────────────────────────────────────────────────────────────────────────────

/**
 * An Ingress or HTTPRoute serves authentik when it or a backend it routes to is named after it.
 * Outposts are excluded: an outpost's Ingress serves the hosts of the applications it proxies.
 */
export function servesAuthentik(names: readonly string[]): boolean {
  return names.some((name) => /authentik/iu.test(name)) && !names.some((name) => /outpost/iu.test(name));
}

function hostPattern(host: string): RegExp {
  const pattern = host
    .toLowerCase()
    .split(/(\$\{[^}]*\}|\{\{[\s\S]*?\}\}|^\*)/u)
    .map((part) => (part === "*" ? "[^.]+" : /^(\$\{|\{\{)/u.test(part) ? ".+" : part.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&")))
    .join("");
  return new RegExp(`^${pattern}$`, "u");
}

// ── The joins ──────────────────────────────────────────────────────────────────────────────────

export interface Applications {
  /** Wrong `provider` references, by application entry. */
  providerProblems: Map<BlueprintEntry, ProviderProblem[]>;
  /** Provider entries that no application or outpost of the repo refers to. */
  unusedProviders: Set<BlueprintEntry>;
  slugs: DeclaredSlugs;
  /** Hosts where the repo serves authentik; empty when it does not say. */
  authentikHosts: RegExp[];
}

const cache = new WeakMap<RepoIndex, Applications>();

export function applicationsOf(index: RepoIndex): Applications {
  let applications = cache.get(index);
  if (!applications) {
    applications = build(index);
    cache.set(index, applications);
  }
  return applications;
}

interface Slot {
  blueprint: Blueprint;
  entry: BlueprintEntry;
  role: Role;
  field: string;
  references: Reference[];
}

function build(index: RepoIndex): Applications {
  const finder = new ProviderFinder();
  const providers: ProviderInfo[] = [];
  const slots: Slot[] = [];
  const slugs: DeclaredSlugs = { literal: new Map(), byName: new Map(), patterns: [], open: false };
  let applicationCount = 0;

  for (const blueprint of index.blueprints) {
    // Without `entries` (misspelt: schema/blueprint reports it) its applications are unknown.
    if (!blueprint.node.has("entries")) slugs.open = true;
    for (const entry of blueprint.entries) {
      const role = roleOf(entry);
      if (role === "provider") {
        const info = { blueprint, entry, fields: literalFields(entry) };
        providers.push(info);
        finder.add(info, entry.model!.value.toLowerCase());
        continue;
      }
      for (const name of providerFields[role]) {
        for (const map of [entry.identifiers, entry.attrs]) {
          if (!map?.has(name)) continue;
          const found: Reference[] = [];
          references(field(map, name), found);
          slots.push({ blueprint, entry, role, field: name, references: found });
        }
      }
      if (role === "application") applicationCount++;
      if (role === "application" || role === "unknown") declareSlug(slugs, blueprint, entry);
    }
  }

  const used = new Set<BlueprintEntry>();
  const doubtful = new Set<Blueprint>();
  const providerProblems = new Map<BlueprintEntry, ProviderProblem[]>();
  for (const slot of slots) {
    const slug = slot.role === "application" && slot.field === "provider" && !slot.blueprint.encoded ? literalSlug(slot.blueprint, slot.entry) : undefined;
    const name = slug ? literalFields(slot.entry).get("name") : undefined;
    if (slug) nameSlug(slugs, name, slug, `the name of application "${name}"`);
    for (const reference of slot.references) {
      const provider = (providerName: string | undefined): void => {
        if (slug) nameSlug(slugs, providerName, slug, `the name of provider "${providerName}", which an application uses`);
      };
      const problem = resolve(reference, slot, finder, used, provider);
      if (problem === "resolved") continue;
      // A reference that does not resolve may be meant for any provider of its blueprint: that
      // mistake is reported once, where it is written, and not again as an unused provider.
      doubtful.add(slot.blueprint);
      if (problem !== "unresolved" && slot.role === "application" && slot.field === "provider") push(providerProblems, slot.entry, problem);
    }
  }

  // Blueprints that are not YAML yet (Jinja templates) or do not parse are read as text.
  const unreadable = index.files.filter(
    (file) => (file.kind === "template" || file.problems.length > 0) && applicationOrOutpost.test(file.text),
  );
  for (const file of unreadable) declareTemplateSlugs(slugs, file, file.text, 0);
  // Blueprints rendered by an ExternalSecret's template (its Go template fills in the secrets)
  // are not YAML until External Secrets renders them: read as text too.
  for (const { file, text: value, start } of templatedBlueprints(index)) {
    declareTemplateSlugs(slugs, file, value, start);
    if (!unreadable.includes(file)) unreadable.push(file);
  }

  const unusedProviders = new Set<BlueprintEntry>();
  // A repo that declares no application at all makes them elsewhere (the admin UI, Terraform):
  // whether its providers have one cannot be told.
  const managesApplications = applicationCount > 0 || unreadable.length > 0;
  for (const { blueprint, entry, fields } of managesApplications ? providers : []) {
    if (used.has(entry) || doubtful.has(blueprint) || entry.state?.value === "absent") continue;
    const name = fields.get("name");
    if (name !== undefined && unreadable.some((file) => file.text.includes(name))) continue;
    unusedProviders.add(entry);
  }

  return { providerProblems, unusedProviders, slugs, authentikHosts: authentikHosts(index) };
}

function resolve(
  reference: Reference,
  slot: Slot,
  finder: ProviderFinder,
  used: Set<BlueprintEntry>,
  /** Called with the literal `name` of each provider the reference resolves to. */
  onProvider: (name: string | undefined) => void,
): ProviderProblem | "resolved" | "unresolved" {
  if (reference.kind === "opaque") return "unresolved";
  if (reference.kind === "keyOf") {
    // Only the entries before it, as authentik resolves it: a !KeyOf of no entry before it is
    // blueprint/keyof-defined's to report, once.
    const targets = (slot.blueprint.ids.get(reference.id) ?? []).filter((target) => target.index < slot.entry.index);
    const provider = targets.find((target) => roleOf(target) === "provider");
    if (provider) {
      used.add(provider);
      onProvider(literalFields(provider).get("name"));
      return "resolved";
    }
    const target = targets[0];
    if (!target?.model || roleOf(target) === "unknown") return "unresolved";
    return { kind: "notProvider", node: reference.node, id: reference.id, target: target as BlueprintEntry & { model: Named } };
  }
  const model = reference.model.value.toLowerCase();
  if (isProviderModel(model)) {
    const found = finder.find(model, reference.pairs);
    for (const info of found) used.add(info.entry);
    // Only a lookup that names one provider says which provider the application uses.
    if (found.length === 1) onProvider(found[0]!.fields.get("name"));
    return found.length > 0 ? "resolved" : "unresolved";
  }
  return knownModels.has(model) ? { kind: "findNotProvider", model: reference.model } : "unresolved";
}

/** An application's slug when it is written as a literal (identifiers first, as authentik matches). */
function literalSlug(blueprint: Blueprint, entry: BlueprintEntry): DeclaredSlug | undefined {
  for (const map of [entry.identifiers, entry.attrs]) {
    const node = field(map, "slug");
    const value = text(node);
    if (node !== undefined && value !== undefined && !isTemplated(value)) return { slug: value, file: blueprint.file, line: lineOf(node, blueprint.file) };
  }
  return undefined;
}

function nameSlug(slugs: DeclaredSlugs, name: string | undefined, slug: DeclaredSlug, what: string): void {
  if (name === undefined || isTemplated(name) || name.toLowerCase() === slug.slug.toLowerCase()) return;
  const key = name.toLowerCase();
  if (!slugs.byName.get(key)?.some((known) => known.slug === slug.slug)) push(slugs.byName, key, { ...slug, what });
}

function declareSlug(slugs: DeclaredSlugs, blueprint: Blueprint, entry: BlueprintEntry): void {
  for (const map of [entry.identifiers, entry.attrs]) {
    const node = field(map, "slug");
    if (node === undefined) continue;
    const value = text(node);
    if (value === undefined) slugs.open = true;
    else if (isTemplated(value)) slugs.patterns.push(templatePattern(value));
    // Decoded from a Secret's base64 `data:`: the slug is matched but never suggested or listed.
    else if (blueprint.encoded) slugs.patterns.push(new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&")}$`, "u"));
    else push(slugs.literal, value, { slug: value, file: blueprint.file, line: lineOf(node, blueprint.file) });
  }
}

/** `slug:` lines of a blueprint read as text, found in `text`, which starts at offset `start` of the file. */
function declareTemplateSlugs(slugs: DeclaredSlugs, file: ParsedFile, text: string, start: number): void {
  for (const match of text.matchAll(slugLine)) {
    const value = match[1]!.replace(/^(["'])(.*)\1$/u, "$2");
    if (isTemplated(value)) slugs.patterns.push(templatePattern(value));
    else if (slugPattern.test(value)) push(slugs.literal, value, { slug: value, file, line: file.source.position(start + match.index).line });
  }
}

/** A blueprint kept as a value of an ExternalSecret's `spec.target.template.data`, as written in its file. */
interface TemplatedBlueprint {
  file: ParsedFile;
  /** The value's source text. */
  text: string;
  /** Its offset in the file. */
  start: number;
}

function templatedBlueprints(index: RepoIndex): TemplatedBlueprint[] {
  return index.ofKind("ExternalSecret").flatMap(({ file, node }) => {
    const data = path(node, "spec", "target", "template", "data");
    if (!isMap(data)) return [];
    return data.items.flatMap((pair): TemplatedBlueprint[] => {
      const value = pair.value;
      if (!isScalar(value) || typeof value.value !== "string" || !value.range || sourceOfNode(value)) return [];
      if (!/^\s*entries\s*:/mu.test(value.value) || !applicationOrOutpost.test(value.value)) return [];
      const [start, end] = value.range;
      return [{ file, text: file.text.slice(start, end), start }];
    });
  });
}

function authentikHosts(index: RepoIndex): RegExp[] {
  const hosts: RegExp[] = [];
  for (const ingress of index.ofKind("Ingress")) {
    const spec = field(ingress.node, "spec");
    const backends = [
      path(spec, "defaultBackend", "service", "name"),
      ...maps(field(spec, "rules")).flatMap((rule) => maps(path(rule, "http", "paths")).map((entry) => path(entry, "backend", "service", "name"))),
    ];
    const names = [ingress.name?.value, ...backends.map(text)].filter((name): name is string => name !== undefined);
    if (servesAuthentik(names)) hosts.push(...ingress.hosts.map((host) => hostPattern(host.value)));
  }
  for (const route of index.ofKind("HTTPRoute")) {
    const backends = maps(path(route.node, "spec", "rules")).flatMap((rule) => maps(field(rule, "backendRefs")).map((ref) => text(field(ref, "name"))));
    const names = [route.name?.value, ...backends].filter((name): name is string => name !== undefined);
    if (servesAuthentik(names)) hosts.push(...route.hosts.map((host) => hostPattern(host.value)));
  }
  return hosts;
}

/** Whether a URL's host may be authentik's: always, when the repo does not say where authentik is served. */
export function isAuthentikHost(applications: Applications, host: string): boolean {
  const lower = host.toLowerCase();
  return applications.authentikHosts.length === 0 || applications.authentikHosts.some((pattern) => pattern.test(lower));
}
