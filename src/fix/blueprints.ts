/**
 * The blueprint of an OAuth2 client, written as the repo writes its other clients, for
 * oidc/client-wiring's fixes. It goes where the authentik worker finds blueprints: a new `data:`
 * key of the ConfigMap the worker mounts, or a new file next to the other blueprint files (and
 * in their kustomize configMapGenerator's `files`). What it holds is learned from the siblings:
 * the provider's flows, signing key, scope mappings and subject mode (the most common value of
 * each), the env var pattern of `client_secret: !Env`, the ids, the application's and the policy
 * bindings' shape and groups, the comment above the provider, the modeline, the indentation and
 * the blank lines. The same generator completes a provider stub with what it lacks. It returns
 * offsets and text only: untouched lines stay byte-identical. Built-in defaults (authentik's
 * own default flows, key and scope mappings) apply only where the repo has no sibling.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, Scalar, type YAMLMap } from "yaml";
import type { ModelEntry, RepoIndex } from "../index/index.ts";
import { sameNamespace } from "../index/index.ts";
import type { Blueprint, BlueprintEntry, Generator, Kustomization } from "../index/model.ts";
import { field, text } from "../index/read.ts";
import { runsAuthentikWorker } from "../index/wiring.ts";
import type { ParsedFile } from "../parse/index.ts";
import { EmbeddedSource, FileSource, type SourceMapper, trimEnd } from "../parse/source.ts";
import { lineStart } from "./style.ts";

export const providerModel = "authentik_providers_oauth2.oauth2provider";
const applicationModel = "authentik_core.application";
const bindingModel = "authentik_policies.policybinding";

/** A client to write, as settings declare it (`settings.oidc.clients.<id>`). */
export interface ClientRequest {
  id: string;
  /** Default: the id, capitalised. */
  name?: string;
  redirectUris: string[];
  /** Default: the origin of the first redirect URI. */
  launchUrl?: string;
  /** Groups to bind the application to; default: the groups most sibling applications are bound to. */
  groups?: string[];
}

/** Text to insert at an offset of a file. */
export interface Insertion {
  offset: number;
  text: string;
}

/** Where a new client's blueprint goes, the node to report it at, and the text that puts it there. */
export type NewClientPlan =
  | { kind: "dataKey"; file: ParsedFile; at: Node; configMap: string; key: string; insertion: Insertion }
  | { kind: "file"; file: ParsedFile; at: Node; relPath: string; text: string; generator?: { name: string; file: ParsedFile; insertion: Insertion } };

/** What a provider stub lacks, and the insertions (all in the stub's file) that add it. */
export interface Completion {
  file: ParsedFile;
  missing: string[];
  insertions: Insertion[];
}

/** Lines of YAML relative to column 0; an empty string is a blank line. */
type Block = string[];

type Quote = "plain" | "double" | "single";

interface Layout {
  /** Columns from a mapping key to its children's keys. */
  indent: number;
  /** Columns from a key to the `-` of its block sequence's items. */
  seqIndent: number;
  blankBetweenEntries: boolean;
  /** Comment lines every blueprint starts with (the schema modeline), as written. */
  leading: string[];
}

interface Attribute {
  key: string;
  /** The siblings' most common `key: value`; undefined for a value of the client's own. */
  block?: Block;
}

interface BindingShape {
  /** Which of target, group and order go into `identifiers`, in the siblings' order; the others into `attrs`. */
  identifiers: string[];
  attrs: string[];
  /** The siblings' other binding attributes (`enabled`, `timeout`…), most common. */
  rest: Block[];
  firstOrder: number;
  step: number;
}

interface Learned {
  layout: Layout;
  /** Quoting of names and ids, and of URLs. */
  quote: Quote;
  urlQuote: Quote;
  /** Patterns: `{ID}` is the client id in upper case, `{id}` the id, `{name}` the display name. */
  envVar: string;
  providerId: string;
  applicationId: string;
  comment?: string;
  metadata: Block;
  providerIdentifiers: string[];
  providerAttrs: Attribute[];
  applicationIdentifiers: string[];
  applicationAttrs: Attribute[];
  redirectKeys: string[];
  binding: BindingShape;
  groups: string[];
  extension: string;
}

// ── Text helpers ───────────────────────────────────────────────────────────────────────────────

const placeholder = (name: string): string => `\u0000${name}\u0000`;

function fill(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\u0000(\w+)\u0000/gu, (whole, name: string) => values[name] ?? whole);
}

/**
 * A learned `key: value` line with placeholders filled in as the value's quoting requires: in a
 * quoted value each placeholder is escaped; a plain value that no longer reads as the same
 * string (`name: Zot: the registry`) is quoted whole.
 */
function fillLine(line: string, values: Record<string, string>): string {
  const pair = /^(\s*(?:- )?[^\s:#"'][^:#]*:[ \t]+)(\S.*)$/u.exec(line);
  if (!pair || !pair[2]!.includes("\u0000")) return fill(line, values);
  const [, key, value] = pair as unknown as [string, string, string];
  if (value.startsWith('"')) return key + fill(value, Object.fromEntries(Object.entries(values).map(([name, text]) => [name, JSON.stringify(text).slice(1, -1)])));
  if (value.startsWith("'")) return key + fill(value, Object.fromEntries(Object.entries(values).map(([name, text]) => [name, text.replaceAll("'", "''")])));
  const filled = fill(value, values);
  return key + (plainSafe(filled, false) ? filled : JSON.stringify(filled));
}

function columnIn(source: string, offset: number): number {
  return offset - lineStart(source, offset);
}

/** The offset just past the line break that ends the line holding `offset` (the text's end on its last line). */
function lineAfter(source: string, offset: number): number {
  const end = source.indexOf("\n", offset);
  return end === -1 ? source.length : end + 1;
}

/** The end of the last non-blank character before `end`. */
function nodeRange(node: unknown): [number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? [range[0], range[1]] : undefined;
}

const pad = (columns: number, line: string): string => (line === "" ? "" : " ".repeat(columns) + line);

/** A pair as written, from its key to the end of its value, dedented to column 0. */
function snippet(pair: Pair, source: string): Block | undefined {
  const key = nodeRange(pair.key);
  if (!key) return undefined;
  const end = trimEnd(source, key[0], nodeRange(pair.value)?.[1] ?? key[1]);
  const column = columnIn(source, key[0]);
  const [first, ...rest] = source.slice(key[0], end).split(/\r?\n/u);
  const block: Block = [first ?? ""];
  for (const line of rest) {
    if (line.trim() === "") block.push("");
    else if (line.length - line.trimStart().length < column) return undefined;
    else block.push(line.slice(column));
  }
  return block;
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

function mapBlock(key: string, children: readonly Block[], indent: number): Block {
  return [`${key}:`, ...children.flat().map((line) => pad(indent, line))];
}

function seqBlock(key: string, items: readonly Block[], seqIndent: number): Block {
  return [`${key}:`, ...items.flatMap((item) => item.map((line, index) => (index === 0 ? pad(seqIndent, `- ${line}`) : pad(seqIndent + 2, line))))];
}

/** One blueprint entry: its first line after `- `, the others under it. */
function entryBlock(pairs: readonly Block[], comment: string | undefined): Block {
  const lines = pairs.flat();
  return [...(comment ? [`# ${comment}`] : []), ...lines.map((line, index) => (index === 0 ? `- ${line}` : pad(2, line)))];
}

/**
 * Whether a string can be written plain. authentik reads blueprints with PyYAML, whose YAML 1.1
 * reads `yes`, `on` or `0x1f` as other types; quoting those keeps them strings for both versions.
 */
function plainSafe(value: string, flow: boolean): boolean {
  if (value === "" || value !== value.trim()) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/u.test(value) || /: |:$| #|[\n\t]/u.test(value)) return false;
  if (flow && /[,[\]{}]/u.test(value)) return false;
  if (/^(?:y|yes|n|no|true|false|on|off|null|~)$/iu.test(value)) return false;
  return !/^[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/iu.test(value) && !/^0[xob]/iu.test(value);
}

function quoted(value: string, quote: Quote, flow = false): string {
  if (quote === "plain" && plainSafe(value, flow)) return value;
  if (quote === "single") return `'${value.replaceAll("'", "''")}'`;
  return JSON.stringify(value);
}

/** The most frequent value; a tie goes to the one seen first. */
function mostCommon<T>(values: readonly T[], keyOfValue: (value: T) => string = String): T | undefined {
  const counts = new Map<string, { value: T; count: number }>();
  for (const value of values) {
    const key = keyOfValue(value);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { value, count: 1 });
  }
  let best: { value: T; count: number } | undefined;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best?.value;
}

const blockKey = (block: Block): string => block.join("\n");

/** `wanted` in the order of `base`, each missing key after its predecessor in `fallback`. */
function mergeOrder(base: readonly string[], wanted: readonly string[], fallback: readonly string[]): string[] {
  const order = base.filter((key, index) => wanted.includes(key) && base.indexOf(key) === index);
  const missing = [...wanted.filter((key) => !order.includes(key))].sort((a, b) => rank(fallback, a) - rank(fallback, b));
  for (const key of missing) {
    const before = fallback.slice(0, Math.max(fallback.indexOf(key), 0)).reverse().find((candidate) => order.includes(candidate));
    const after = fallback.slice(fallback.indexOf(key) + 1).find((candidate) => order.includes(candidate));
    if (before !== undefined) order.splice(order.indexOf(before) + 1, 0, key);
    else if (after !== undefined && fallback.includes(key)) order.splice(order.indexOf(after), 0, key);
    else order.push(key);
  }
  return order;
}

function rank(order: readonly string[], key: string): number {
  const index = order.indexOf(key);
  return index === -1 ? order.length : index;
}

// ── Built-in defaults ──────────────────────────────────────────────────────────────────────────

// authentik's defaults on a fresh install: the flows and certificate its blueprints create, the
// scope mappings every OIDC client needs, and the subject mode the provider form proposes.
const defaultAttrs: ReadonlyArray<[string, Block | "scopes"]> = [
  ["authorization_flow", ["authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]"]],
  ["invalidation_flow", ["invalidation_flow: !Find [authentik_flows.flow, [slug, default-provider-invalidation-flow]]"]],
  ["signing_key", ["signing_key: !Find [authentik_crypto.certificatekeypair, [name, authentik Self-signed Certificate]]"]],
  ["property_mappings", "scopes"],
  ["sub_mode", ["sub_mode: hashed_user_id"]],
];

const defaultScopes = ["openid", "email", "profile"].map(
  (scope) => `!Find [authentik_providers_oauth2.scopemapping, [managed, goauthentik.io/providers/oauth2/scope-${scope}]]`,
);

/** The provider's own attributes, written from the client: never copied from a sibling. */
const providerOwn = ["name", "client_type", "client_id", "client_secret", "redirect_uris"];
const providerOrder = ["name", "client_type", "client_id", "client_secret", "authorization_flow", "invalidation_flow", "signing_key", "property_mappings", "redirect_uris", "sub_mode"];
/** authentik refuses a provider without these: written even where no sibling has them. */
const providerRequired = ["authorization_flow", "invalidation_flow"];
const applicationOwn = ["name", "slug", "provider", "meta_launch_url", "meta_description", "meta_icon", "icon"];
const applicationOrder = ["name", "provider", "meta_launch_url"];
const bindingKeys = ["target", "group", "order"];

// ── Siblings ───────────────────────────────────────────────────────────────────────────────────

interface Sibling {
  blueprint: Blueprint;
  entry: BlueprintEntry;
  source: string;
  /** Display name, id and slug: a value mentioning one of them is this sibling's own. */
  names: string[];
  name?: string;
}

function sourceOf(blueprint: Blueprint): SourceMapper {
  return blueprint.document.source;
}

function pairs(map: YAMLMap | undefined): Pair[] {
  return map ? (map.items as Pair[]) : [];
}

function ownValue(block: Block, names: readonly string[]): boolean {
  const written = blockKey(block).toLowerCase();
  return names.some((name) => name.length >= 3 && written.includes(name.toLowerCase()));
}

const isLive = (entry: BlueprintEntry): boolean => entry.state?.value !== "absent";

function siblingsOf(index: RepoIndex, model: string, exclude?: BlueprintEntry): Sibling[] {
  return (index.entriesByModel.get(model) ?? []).flatMap(({ blueprint, entry }) => {
    if (entry === exclude || !isLive(entry) || !entry.attrs) return [];
    const name = text(field(entry.attrs, "name")) ?? text(field(entry.identifiers, "name"));
    const names = [name, entry.id?.value, text(field(entry.attrs, "client_id")), text(field(entry.identifiers, "slug")) ?? text(field(entry.attrs, "slug"))];
    return [{ blueprint, entry, source: sourceOf(blueprint).text, names: names.filter((value): value is string => value !== undefined), name }];
  });
}

/** Attributes most siblings share (the required ones always), each with its most common value, in the siblings' order. */
function learnAttributes(siblings: readonly Sibling[], own: readonly string[], required: readonly string[], order: readonly string[]): Attribute[] | undefined {
  if (siblings.length === 0) return undefined;
  const written = new Map<string, Block[]>();
  const orders: string[][] = [];
  for (const sibling of siblings) {
    const keys: string[] = [];
    for (const pair of pairs(sibling.entry.attrs)) {
      const key = keyOf(pair);
      if (key === undefined || key === "<<") continue;
      keys.push(key);
      if (own.includes(key)) continue;
      const block = snippet(pair, sibling.source);
      if (!block || ownValue(block, sibling.names)) continue;
      written.set(key, [...(written.get(key) ?? []), block]);
    }
    orders.push(keys);
  }
  const copied = [...written].filter(([, blocks]) => blocks.length * 2 >= siblings.length).map(([key]) => key);
  const wanted = [...new Set([...own.filter((key) => order.includes(key)), ...copied, ...required])];
  const base = [...orders].sort((a, b) => b.filter((key) => wanted.includes(key)).length - a.filter((key) => wanted.includes(key)).length)[0] ?? [];
  return mergeOrder(base, wanted, order).map((key) => ({ key, block: own.includes(key) ? undefined : mostCommon(written.get(key) ?? [], blockKey) }));
}

function identifierKeys(siblings: readonly Sibling[], fallback: string): string[] {
  const keys = mostCommon(
    siblings.map((sibling) => pairs(sibling.entry.identifiers).flatMap((pair) => keyOf(pair) ?? [])),
    (list) => list.join("\n"),
  );
  return keys && keys.length > 0 ? keys : [fallback];
}

/** A sibling's `!KeyOf` target or `!Find` arguments, as authentik's tags are kept by `yaml`. */
function keyOfTarget(node: unknown): string | undefined {
  return isScalar(node) && node.tag === "!KeyOf" && typeof node.value === "string" ? node.value : undefined;
}

/** The group name of `!Find [authentik_core.group, [name, <group>]]`. */
function foundGroup(node: unknown): string | undefined {
  if (!isSeq(node) || node.tag !== "!Find" || text(node.items[0]) !== "authentik_core.group") return undefined;
  const query = node.items[1];
  return isSeq(query) && text(query.items[0]) === "name" ? text(query.items[1]) : undefined;
}

function bindingValue(entry: BlueprintEntry, key: string): Node | undefined {
  return field(entry.identifiers, key) ?? field(entry.attrs, key);
}

function learnBindings(index: RepoIndex, applications: readonly Sibling[]): { shape: BindingShape; groups: string[] } {
  const bindings = siblingsOf(index, bindingModel);
  const byApplication = new Map<Sibling, Sibling[]>();
  for (const application of applications) {
    const id = application.entry.id?.value;
    if (id === undefined) continue;
    byApplication.set(application, bindings.filter((binding) => binding.blueprint === application.blueprint && keyOfTarget(bindingValue(binding.entry, "target")) === id));
  }
  const bound = [...byApplication.values()].flat();
  const placed = (key: string): "identifiers" | "attrs" =>
    mostCommon(bound.flatMap((binding) => (field(binding.entry.identifiers, key) ? ["identifiers" as const] : field(binding.entry.attrs, key) ? ["attrs" as const] : []))) ?? "identifiers";
  const ordered = (section: "identifiers" | "attrs"): string[] => {
    const written = mostCommon(
      bound.map((binding) => pairs(binding.entry[section]).flatMap((pair) => (bindingKeys.includes(keyOf(pair) ?? "") ? [keyOf(pair)!] : []))),
      (list) => list.join("\n"),
    );
    return mergeOrder(written ?? [], bindingKeys.filter((key) => placed(key) === section), bindingKeys);
  };
  const rest = mostCommon(
    bound.map((binding) => pairs(binding.entry.attrs).filter((pair) => !bindingKeys.includes(keyOf(pair) ?? "")).flatMap((pair) => snippet(pair, binding.source) ?? [])),
    (blocks) => blocks.join("\n"),
  );
  const orders = [...byApplication.values()].map((list) => list.flatMap((binding) => {
    const value = Number(text(bindingValue(binding.entry, "order")));
    return Number.isFinite(value) ? [value] : [];
  }).sort((a, b) => a - b));
  const steps = orders.flatMap((list) => list.slice(1).map((value, position) => value - list[position]!)).filter((step) => step > 0);
  // A group counts when most bound applications are bound to it.
  const groupCounts = new Map<string, number>();
  const boundApplications = [...byApplication.values()].filter((list) => list.length > 0);
  for (const list of boundApplications) {
    for (const group of new Set(list.flatMap((binding) => foundGroup(bindingValue(binding.entry, "group")) ?? []))) groupCounts.set(group, (groupCounts.get(group) ?? 0) + 1);
  }
  return {
    shape: {
      identifiers: ordered("identifiers"),
      attrs: ordered("attrs"),
      rest: rest ? rest.map((line) => [line]) : [],
      firstOrder: mostCommon(orders.flatMap((list) => (list.length > 0 ? [list[0]!] : []))) ?? 0,
      step: mostCommon(steps) ?? 10,
    },
    groups: [...groupCounts].filter(([, count]) => count * 2 > boundApplications.length).map(([group]) => group),
  };
}

/** `AUTHENTIK_GRAFANA_CLIENT_SECRET` for client `grafana` → `AUTHENTIK_{ID}_CLIENT_SECRET`. */
function envToken(id: string): string {
  return id.toUpperCase().replace(/[^A-Z0-9]/gu, "_");
}

function learnEnvVar(providers: readonly Sibling[]): string | undefined {
  return mostCommon(
    providers.flatMap(({ entry, blueprint }) => {
      const clientId = text(field(entry.attrs, "client_id"));
      const secret = field(entry.attrs, "client_secret");
      const tag = blueprint.tags.find((candidate) => candidate.node === secret && candidate.tag === "!Env");
      const name = tag && isScalar(tag.node) && typeof tag.node.value === "string" ? tag.node.value : undefined;
      if (clientId === undefined || name === undefined || !name.includes(envToken(clientId))) return [];
      return [name.replace(envToken(clientId), placeholder("ID"))];
    }),
  );
}

function idPattern(siblings: readonly Sibling[], own: (sibling: Sibling) => string | undefined): string | undefined {
  return mostCommon(
    siblings.flatMap((sibling) => {
      const id = sibling.entry.id?.value;
      const value = own(sibling);
      return id !== undefined && value !== undefined && id.includes(value) ? [id.replace(value, placeholder("id"))] : [];
    }),
  );
}

/**
 * The first line of the comment right above an entry's `-`, its sibling's name made a
 * placeholder, up to the first sentence break after the name: `OAuth2 provider for Forgejo
 * (deployed on indri…)` and `Grafana's OAuth2 provider. Phones…` keep what is said of any client.
 */
function learnComment(providers: readonly Sibling[]): string | undefined {
  return mostCommon(
    providers.flatMap(({ entry, source, name }) => {
      const range = nodeRange(entry.node);
      if (!range || name === undefined) return [];
      const lines = source.slice(0, lineStart(source, range[0])).split("\n").slice(0, -1);
      const block: string[] = [];
      for (let line = lines.length - 1; line >= 0 && /^\s*#/u.test(lines[line]!); line--) block.unshift(lines[line]!.trim());
      const first = block[0]?.replace(/^#\s?/u, "");
      const at = first?.indexOf(name) ?? -1;
      if (first === undefined || at === -1) return [];
      const rest = first.slice(at + name.length);
      const stop = /\s*(?:[.;:(]|\s[-–—]\s)/u.exec(rest)?.index ?? rest.length;
      return [first.slice(0, at) + placeholder("name") + rest.slice(0, stop)];
    }),
  );
}

/** The blueprint's `metadata`, its client's display name (or else its client id) made a placeholder. */
function learnMetadata(providers: readonly Sibling[]): Block | undefined {
  const seen = new Set<Blueprint>();
  return mostCommon(
    providers.flatMap(({ blueprint, entry, source, name }) => {
      if (seen.has(blueprint)) return [];
      seen.add(blueprint);
      const pair = pairs(blueprint.node).find((candidate) => keyOf(candidate) === "metadata");
      const block = pair ? snippet(pair, source) : undefined;
      const clientId = text(field(entry.attrs, "client_id"));
      const [written, as] = name !== undefined && block && blockKey(block).includes(name) ? [name, "name"] : [clientId, "id"];
      return block && written !== undefined && blockKey(block).includes(written) ? [block.map((line) => line.replaceAll(written, placeholder(as)))] : [];
    }),
    blockKey,
  );
}

/** How the siblings quote strings of one kind (URLs, names), by majority. */
function learnQuote(nodes: readonly unknown[]): Quote {
  const styles = nodes.flatMap((node): Quote[] => {
    if (!isScalar(node) || typeof node.value !== "string") return [];
    return node.type === Scalar.QUOTE_DOUBLE ? ["double"] : node.type === Scalar.QUOTE_SINGLE ? ["single"] : ["plain"];
  });
  return mostCommon(styles) ?? "plain";
}

function redirectUrls(entry: BlueprintEntry): unknown[] {
  const uris = field(entry.attrs, "redirect_uris");
  return isSeq(uris) ? uris.items.map((item) => field(item, "url")) : [];
}

function learnRedirectKeys(providers: readonly Sibling[]): string[] {
  const written = mostCommon(
    providers.flatMap(({ entry }) => {
      const uris = field(entry.attrs, "redirect_uris");
      return isSeq(uris) ? uris.items.filter(isMap).map((item) => pairs(item).flatMap((pair) => keyOf(pair) ?? [])) : [];
    }),
    (list) => list.join("\n"),
  );
  return written && written.includes("url") && written.includes("matching_mode") ? written.filter((key) => key === "url" || key === "matching_mode") : ["matching_mode", "url"];
}

/** Indentation, sequence style, blank lines and leading comments of the blueprints, by majority. */
function learnLayout(blueprints: readonly Blueprint[]): Layout {
  const indents: number[] = [];
  const seqIndents: number[] = [];
  const blanks: boolean[] = [];
  const leading = new Map<string, number>();
  for (const blueprint of blueprints) {
    const source = sourceOf(blueprint).text;
    const entriesPair = pairs(blueprint.node).find((pair) => keyOf(pair) === "entries");
    const entries = entriesPair?.value;
    const entriesKey = nodeRange(entriesPair?.key);
    if (isSeq(entries) && !entries.flow && entriesKey) {
      const dash = nodeRange(entries)?.[0];
      if (dash !== undefined) seqIndents.push(columnIn(source, dash) - columnIn(source, entriesKey[0]));
    }
    blueprint.entries.forEach((entry, position) => {
      for (const pair of pairs(entry.node)) {
        const value = pair.value;
        const key = nodeRange(pair.key);
        if (!key) continue;
        if (isMap(value) && !value.flow && value.items.length > 0) {
          const child = nodeRange(value.items[0]?.key);
          if (child) indents.push(columnIn(source, child[0]) - columnIn(source, key[0]));
          for (const inner of pairs(value)) {
            const innerKey = nodeRange(inner.key);
            const items = inner.value;
            if (innerKey && isSeq(items) && !items.flow && nodeRange(items)) seqIndents.push(columnIn(source, nodeRange(items)![0]) - columnIn(source, innerKey[0]));
          }
        }
      }
      const next = blueprint.entries[position + 1];
      const end = nodeRange(entry.node);
      const start = nodeRange(next?.node);
      if (!end || !start) return;
      const between = source.slice(trimEnd(source, end[0], end[1]), lineStart(source, start[0]));
      blanks.push(/\n[ \t]*\r?\n/u.test(between));
    });
    const own = [blueprint.name?.value, ...blueprint.entries.flatMap((entry) => [entry.id?.value, text(field(entry.attrs, "name"))])].filter(
      (value): value is string => value !== undefined && value.length >= 3,
    );
    const first = nodeRange(blueprint.node)?.[0] ?? 0;
    for (const line of new Set(source.slice(0, lineStart(source, first)).split(/\r?\n/u))) {
      if (!/^#/u.test(line) || own.some((name) => line.toLowerCase().includes(name.toLowerCase()))) continue;
      leading.set(line, (leading.get(line) ?? 0) + 1);
    }
  }
  const blankCount = blanks.filter(Boolean).length;
  return {
    indent: mostCommon(indents.filter((value) => value > 0)) ?? 2,
    seqIndent: mostCommon(seqIndents.filter((value) => value >= 0)) ?? 2,
    blankBetweenEntries: blanks.length > 0 ? blankCount * 2 >= blanks.length : false,
    leading: blueprints.length > 0 ? [...leading].filter(([, count]) => count * 2 > blueprints.length).map(([line]) => line) : [defaultModeline],
  };
}

const defaultModeline = "# yaml-language-server: $schema=https://goauthentik.io/blueprints/schema.json";

function learn(index: RepoIndex, layoutFrom: readonly Blueprint[], exclude?: BlueprintEntry): Learned {
  const providers = siblingsOf(index, providerModel, exclude);
  const applications = siblingsOf(index, applicationModel);
  const layout = learnLayout(layoutFrom.length > 0 ? layoutFrom : index.blueprints);
  const { shape, groups } = learnBindings(index, applications);
  const extensions = index.blueprints.flatMap((blueprint) => {
    const name = blueprint.configMap?.key ?? blueprint.file.relPath;
    const match = /\.ya?ml$/iu.exec(name);
    return match ? [match[0]] : [];
  });
  const scopes: Block = seqBlock("property_mappings", defaultScopes.map((scope) => [scope]), layout.seqIndent);
  const providerAttrs = learnAttributes(providers, providerOwn, providerRequired, providerOrder) ?? providerOrder.map((key): Attribute => ({ key }));
  // Without siblings, and for a required attribute no sibling writes: the defaults.
  for (const attribute of providerAttrs) {
    if (attribute.block || providerOwn.includes(attribute.key)) continue;
    const fallback = defaultAttrs.find(([name]) => name === attribute.key)?.[1];
    attribute.block = fallback === "scopes" ? scopes : fallback;
  }
  return {
    layout,
    quote: learnQuote([
      ...providers.flatMap(({ entry }) => [field(entry.attrs, "name"), field(entry.attrs, "client_id")]),
      ...applications.flatMap(({ entry }) => [field(entry.attrs, "name"), field(entry.identifiers, "slug")]),
    ]),
    urlQuote: learnQuote([...providers.flatMap(({ entry }) => redirectUrls(entry)), ...applications.map(({ entry }) => field(entry.attrs, "meta_launch_url"))]),
    envVar: learnEnvVar(providers) ?? `AUTHENTIK_${placeholder("ID")}_CLIENT_SECRET`,
    providerId: idPattern(providers, (sibling) => text(field(sibling.entry.attrs, "client_id"))) ?? `${placeholder("id")}-provider`,
    applicationId: idPattern(applications, (sibling) => text(field(sibling.entry.identifiers, "slug")) ?? text(field(sibling.entry.attrs, "slug"))) ?? `${placeholder("id")}-app`,
    comment: providers.length > 0 ? learnComment(providers) : `OAuth2 provider for ${placeholder("name")}`,
    metadata: learnMetadata(providers) ?? mapBlock("metadata", [[`name: ${placeholder("name")}`]], layout.indent),
    providerIdentifiers: providers.length > 0 ? identifierKeys(providers, "name") : ["name"],
    providerAttrs: providerAttrs.filter((attribute) => attribute.block || providerOwn.includes(attribute.key)),
    applicationIdentifiers: applications.length > 0 ? identifierKeys(applications, "slug") : ["slug"],
    applicationAttrs: learnAttributes(applications, applicationOwn, [], applicationOrder) ?? applicationOrder.map((key) => ({ key })),
    redirectKeys: learnRedirectKeys(providers),
    binding: shape,
    groups,
    extension: mostCommon(extensions) ?? ".yaml",
  };
}

// ── Rendering ──────────────────────────────────────────────────────────────────────────────────

interface Client {
  id: string;
  name: string;
  redirectUris: string[];
  launchUrl?: string;
  groups: string[];
  providerId: string;
  applicationId: string;
}

function resolveClient(request: ClientRequest, learned: Learned, providerId?: string): Client {
  let launchUrl = request.launchUrl;
  if (launchUrl === undefined && request.redirectUris[0] !== undefined) {
    try {
      launchUrl = new URL(request.redirectUris[0]).origin;
    } catch {
      launchUrl = undefined;
    }
  }
  const values = { id: request.id, ID: envToken(request.id) };
  return {
    id: request.id,
    name: request.name ?? request.id.charAt(0).toUpperCase() + request.id.slice(1),
    redirectUris: request.redirectUris,
    launchUrl,
    groups: request.groups ?? learned.groups,
    providerId: providerId ?? fill(learned.providerId, values),
    applicationId: fill(learned.applicationId, values),
  };
}

function providerAttr(key: string, client: Client, learned: Learned): Block | undefined {
  const { quote, layout } = learned;
  switch (key) {
    case "name":
      return [`name: ${quoted(client.name, quote)}`];
    case "client_type":
      return ["client_type: confidential"];
    case "client_id":
      return [`client_id: ${quoted(client.id, quote)}`];
    case "client_secret":
      return [`client_secret: !Env ${fill(learned.envVar, { ID: envToken(client.id) })}`];
    case "redirect_uris":
      if (client.redirectUris.length === 0) return undefined;
      return seqBlock(
        "redirect_uris",
        client.redirectUris.map((uri) => learned.redirectKeys.map((item) => (item === "url" ? `url: ${quoted(uri, learned.urlQuote)}` : "matching_mode: strict"))),
        layout.seqIndent,
      );
    default:
      return undefined;
  }
}

function identifierValue(key: string, values: Record<string, string>, quote: Quote): Block {
  return values[key] === undefined ? [] : [`${key}: ${quoted(values[key]!, quote)}`];
}

function providerEntry(client: Client, learned: Learned): Block {
  const { indent } = learned.layout;
  const identifiers = learned.providerIdentifiers.map((key) => identifierValue(key, { name: client.name, client_id: client.id }, learned.quote));
  return entryBlock(
    [
      [`model: ${providerModel}`],
      [`id: ${client.providerId}`],
      mapBlock("identifiers", identifiers.length > 0 && identifiers.some((block) => block.length > 0) ? identifiers : [[`name: ${quoted(client.name, learned.quote)}`]], indent),
      mapBlock("attrs", learned.providerAttrs.map((attribute) => attribute.block ?? providerAttr(attribute.key, client, learned) ?? []), indent),
    ],
    learned.comment === undefined ? undefined : fill(learned.comment, { name: client.name }),
  );
}

/** The application and one policy binding per group, as entries. */
function applicationEntries(client: Client, learned: Learned): Block[] {
  const { indent } = learned.layout;
  const { quote } = learned;
  const own: Record<string, Block | undefined> = {
    name: [`name: ${quoted(client.name, quote)}`],
    slug: [`slug: ${quoted(client.id, quote)}`],
    provider: [`provider: !KeyOf ${client.providerId}`],
    meta_launch_url: client.launchUrl === undefined ? undefined : [`meta_launch_url: ${quoted(client.launchUrl, learned.urlQuote)}`],
  };
  const identifiers = learned.applicationIdentifiers.map((key) => identifierValue(key, { slug: client.id, name: client.name }, quote)).filter((block) => block.length > 0);
  const application = entryBlock(
    [
      [`model: ${applicationModel}`],
      [`id: ${client.applicationId}`],
      mapBlock("identifiers", identifiers.length > 0 ? identifiers : [[`slug: ${quoted(client.id, quote)}`]], indent),
      mapBlock("attrs", learned.applicationAttrs.flatMap((attribute) => [attribute.block ?? own[attribute.key] ?? []]), indent),
    ],
    undefined,
  );
  const { binding } = learned;
  const bindings = client.groups.map((group, position) => {
    const values: Record<string, string> = {
      target: `target: !KeyOf ${client.applicationId}`,
      group: `group: !Find [authentik_core.group, [name, ${quoted(group, quote, true)}]]`,
      order: `order: ${binding.firstOrder + position * binding.step}`,
    };
    const attrs = [...binding.attrs.map((key) => [values[key]!]), ...binding.rest];
    return entryBlock(
      [
        [`model: ${bindingModel}`],
        mapBlock("identifiers", binding.identifiers.map((key) => [values[key]!]), indent),
        ...(attrs.length > 0 ? [mapBlock("attrs", attrs, indent)] : []),
      ],
      undefined,
    );
  });
  return [application, ...bindings];
}

/** Entries placed at a sequence indentation, separated as the siblings separate them. */
function placeEntries(entries: readonly Block[], column: number, layout: Layout): Block {
  return entries.flatMap((entry, position) => [...(position > 0 && layout.blankBetweenEntries ? [""] : []), ...entry.map((line) => pad(column, line))]);
}

function renderBlueprint(client: Client, learned: Learned): Block {
  const { layout } = learned;
  return [
    ...layout.leading,
    "version: 1",
    ...learned.metadata.map((line) => fillLine(line, { name: client.name, id: client.id })),
    "entries:",
    ...placeEntries([providerEntry(client, learned), ...applicationEntries(client, learned)], layout.seqIndent, layout),
  ];
}

function eolOf(source: string): string {
  return source.includes("\r\n") ? "\r\n" : "\n";
}

// ── Where blueprints are ───────────────────────────────────────────────────────────────────────

type Container =
  | { kind: "configMap"; key: string; file: ParsedFile; node: YAMLMap; name: string; blueprints: Blueprint[] }
  | { kind: "generator"; key: string; kustomization: Kustomization; generator: Generator; blueprints: Blueprint[] }
  | { kind: "directory"; key: string; directory: string; blueprints: Blueprint[] };

const dirname = (relPath: string): string => (relPath.includes("/") ? relPath.slice(0, relPath.lastIndexOf("/")) : "");
const joinRelative = (directory: string, name: string): string => (directory === "" ? name : `${directory}/${name}`);

const isClientBlueprint = (blueprint: Blueprint): boolean => blueprint.entries.some((entry) => entry.model?.value === providerModel);

function containers(index: RepoIndex): { all: Map<string, Container>; mounted: Container[] } {
  const all = new Map<string, Container>();
  const generators = index.ofKind("Kustomization").flatMap((kustomization) => kustomization.configMapGenerators.map((generator) => ({ kustomization, generator })));
  const configMapContainer = (file: ParsedFile, node: YAMLMap): Container => {
    const key = `configMap\u0000${file.path}\u0000${nodeRange(node)?.[0] ?? 0}`;
    let container = all.get(key);
    if (!container) {
      container = { kind: "configMap", key, file, node, name: text(field(field(node, "metadata"), "name")) ?? "?", blueprints: [] };
      all.set(key, container);
    }
    return container;
  };
  const generatorContainer = (kustomization: Kustomization, generator: Generator): Container => {
    const key = `generator\u0000${kustomization.file.path}\u0000${nodeRange(generator.node)?.[0] ?? 0}`;
    let container = all.get(key);
    if (!container) {
      container = { kind: "generator", key, kustomization, generator, blueprints: [] };
      all.set(key, container);
    }
    return container;
  };
  for (const blueprint of index.blueprints) {
    const embedded = blueprint.document.embeddedIn;
    let container: Container;
    if (embedded?.configMap) {
      container = configMapContainer(blueprint.file, embedded.configMap);
    } else if (embedded) {
      // A blueprint kept in a Secret: no fix writes into a Secret, whose values may be encrypted or generated.
      continue;
    } else {
      const generated = generators.find(({ generator }) => generator.files.includes(blueprint.file.relPath));
      if (generated) container = generatorContainer(generated.kustomization, generated.generator);
      else {
        const directory = dirname(blueprint.file.relPath);
        const key = `directory\u0000${directory}`;
        container = all.get(key) ?? { kind: "directory", key, directory, blueprints: [] };
        all.set(key, container);
      }
    }
    container.blueprints.push(blueprint);
  }
  const mounted: Container[] = [];
  for (const workload of index.workloads.filter(runsAuthentikWorker)) {
    for (const volume of workload.volumes) {
      for (const name of volume.configMaps) {
        for (const configMap of index.configMaps.get(name.value) ?? []) {
          if (sameNamespace(configMap.namespace, workload.namespace)) mounted.push(configMapContainer(configMap.file, configMap.node));
        }
        for (const { kustomization, generator } of generators) {
          if (generator.name?.value === name.value && sameNamespace(kustomization.namespace, workload.namespace)) mounted.push(generatorContainer(kustomization, generator));
        }
      }
    }
  }
  return { all, mounted: [...new Set(mounted)] };
}

/** The worker's blueprint ConfigMap (the one holding most clients), else wherever most client blueprints are. */
function chooseContainer(index: RepoIndex): Container | undefined {
  const { all, mounted } = containers(index);
  const score = (container: Container): number => container.blueprints.filter(isClientBlueprint).length * 1000 + container.blueprints.length;
  const candidates = mounted.length > 0 ? mounted : [...all.values()].filter((container) => container.blueprints.some(isClientBlueprint));
  return [...candidates].sort((a, b) => score(b) - score(a))[0];
}

// ── A new client ───────────────────────────────────────────────────────────────────────────────

/** The blueprint of a client no provider declares, and where it goes; undefined where that cannot be known. */
export function newClientBlueprint(index: RepoIndex, request: ClientRequest): NewClientPlan | undefined {
  const container = chooseContainer(index);
  if (!container) return undefined;
  const learned = learn(index, container.blueprints);
  const client = resolveClient(request, learned);
  const lines = renderBlueprint(client, learned);
  const key = `${client.id}${learned.extension}`;
  if (container.kind === "configMap") return dataKeyPlan(container, key, lines, learned);
  const siblingFiles = container.blueprints.filter(isClientBlueprint).map((blueprint) => blueprint.file.relPath);
  const directory =
    container.kind === "directory"
      ? container.directory
      : dirname(siblingFiles.at(-1) ?? container.blueprints.at(-1)?.file.relPath ?? container.generator.files.at(-1) ?? joinRelative(container.kustomization.directory, key));
  const relPath = joinRelative(directory, key);
  if (index.exists(relPath) || index.blueprints.some((blueprint) => blueprint.file.relPath === relPath)) return undefined;
  const eol = eolOf(container.blueprints[0]?.file.text ?? "");
  const body = lines.join(eol) + eol;
  if (container.kind === "directory") {
    const first = container.blueprints[0]!;
    return { kind: "file", file: first.file, at: (first.node.items[0]?.key as Node | undefined) ?? first.node, relPath, text: body };
  }
  const { kustomization, generator } = container;
  if (generator.keys.includes(key)) return undefined;
  const insertion = generatorInsertion(kustomization, generator, relPath);
  if (!insertion) return undefined;
  return {
    kind: "file",
    file: kustomization.file,
    at: generator.name?.node ?? generator.node,
    relPath,
    text: body,
    generator: { name: generator.name?.value ?? "?", file: kustomization.file, insertion },
  };
}

/** A new item of the generator's `files`, written as its last item is. */
function generatorInsertion(kustomization: Kustomization, generator: Generator, relPath: string): Insertion | undefined {
  const files = field(generator.node, "files");
  const source = kustomization.file.text;
  if (!isSeq(files)) return undefined;
  const last = files.items.at(-1);
  const range = nodeRange(last);
  if (!isScalar(last) || !range) return undefined;
  const directory = kustomization.directory;
  const entry = directory === "" ? relPath : relPath.startsWith(`${directory}/`) ? relPath.slice(directory.length + 1) : undefined;
  if (entry === undefined) return undefined;
  const keyed = files.items.every((item) => isScalar(item) && String(item.value).includes("="));
  const written = keyed ? `${entry.slice(entry.lastIndexOf("/") + 1)}=${entry}` : entry;
  const value = last.type === Scalar.QUOTE_DOUBLE ? JSON.stringify(written) : last.type === Scalar.QUOTE_SINGLE ? `'${written.replaceAll("'", "''")}'` : quoted(written, "plain", Boolean(files.flow));
  if (files.flow) return { offset: range[1], text: `, ${value}` };
  const start = lineStart(source, range[0]);
  const prefix = source.slice(start, range[0]);
  if (prefix.trim() !== "-") return undefined;
  const end = trimEnd(source, range[0], range[1]);
  const offset = lineAfter(source, end);
  const eol = eolOf(source);
  return { offset, text: `${offset === source.length && !source.endsWith("\n") ? eol : ""}${prefix}${value}${eol}` };
}

/** A new `data:` key after the last client's, written as the ConfigMap's other blueprint keys are. */
function dataKeyPlan(container: Extract<Container, { kind: "configMap" }>, key: string, lines: Block, learned: Learned): NewClientPlan | undefined {
  const { file, node } = container;
  const source = file.text;
  const eol = eolOf(source);
  const dataPair = pairs(node).find((pair) => keyOf(pair) === "data");
  const data = dataPair?.value;
  const configMapKey = nodeRange(pairs(node)[0]?.key);
  if (!configMapKey) return undefined;
  if (dataPair && !(isMap(data) && !data.flow && data.items.length > 0)) return undefined;
  if (isMap(data) && data.has(key)) return undefined;
  const blueprintValues = new Map(container.blueprints.map((blueprint) => [blueprint.document.embeddedIn?.valueNode, blueprint]));
  const dataPairs = pairs(isMap(data) ? data : undefined);
  const headers: Array<{ header: string; indent: number }> = [];
  const gaps: boolean[] = [];
  dataPairs.forEach((pair, position) => {
    const keyRange = nodeRange(pair.key);
    const valueRange = nodeRange(pair.value);
    if (!keyRange || !valueRange) return;
    const next = nodeRange(dataPairs[position + 1]?.key);
    if (next) gaps.push(/\n[ \t]*\r?\n/u.test(source.slice(trimEnd(source, valueRange[0], valueRange[1]), lineStart(source, next[0]))));
    if (!blueprintValues.has(pair.value as Scalar)) return;
    const header = source.slice(valueRange[0], lineAfter(source, valueRange[0])).replace(/\s+#.*$|\s+$/u, "");
    const bodyLine = source.slice(lineAfter(source, valueRange[0]), lineAfter(source, lineAfter(source, valueRange[0])));
    headers.push({ header, indent: bodyLine.length - bodyLine.trimStart().length - columnIn(source, keyRange[0]) });
  });
  const header = mostCommon(headers.map((candidate) => candidate.header)) ?? "|";
  const explicit = /^\|[-+]?([1-9])|^\|([1-9])/u.exec(header);
  const bodyIndent = explicit ? Number(explicit[1] ?? explicit[2]) : (mostCommon(headers.filter((candidate) => candidate.header === header).map((candidate) => candidate.indent)) ?? learned.layout.indent);
  const blank = gaps.length > 0 ? gaps.filter(Boolean).length * 2 >= gaps.length : true;
  const keyColumn = dataPairs[0] && nodeRange(dataPairs[0].key) ? columnIn(source, nodeRange(dataPairs[0].key)![0]) : columnIn(source, configMapKey[0]) + learned.layout.indent;
  const block = [`${key}: ${header}`, ...lines.map((line) => pad(bodyIndent, line))].map((line) => pad(keyColumn, line));
  let offset: number;
  let leading = "";
  if (isMap(data) && dataPair) {
    // After the last client's key; a keep-chomped value (`|+`) owns its trailing blank lines.
    const reversed = [...dataPairs].reverse();
    const holding = (pair: Pair): Blueprint | undefined => blueprintValues.get(pair.value as Scalar);
    const after = reversed.find((pair) => { const blueprint = holding(pair); return blueprint !== undefined && isClientBlueprint(blueprint); }) ?? reversed.find(holding) ?? dataPairs.at(-1)!;
    const range = nodeRange(after.value) ?? nodeRange(after.key)!;
    const keeps = isScalar(after.value) && after.value.type === Scalar.BLOCK_LITERAL && /^\|[1-9]?\+/u.test(source.slice(range[0], range[0] + 3));
    if (!keeps) offset = lineAfter(source, trimEnd(source, range[0], range[1]) - 1);
    else offset = lineStart(source, range[1]) === range[1] ? range[1] : lineAfter(source, range[1]);
    // A keep-chomped value's own trailing blank line already separates it from the new key.
    leading = blank && !(keeps && /\n[ \t]*\r?\n$/u.test(source.slice(0, offset))) ? eol : "";
  } else {
    // No `data:` yet: it goes at the end of the ConfigMap.
    const range = nodeRange(node)!;
    offset = lineAfter(source, trimEnd(source, range[0], range[1]) - 1);
    block.unshift(pad(columnIn(source, configMapKey[0]), "data:"));
  }
  if (offset === source.length && source.length > 0 && !source.endsWith("\n")) leading = eol + leading;
  const following = source.slice(offset, lineAfter(source, offset));
  const trailing = blank && following.trim() !== "" && isMap(data) ? eol : "";
  const at = (dataPair?.key as Node | undefined) ?? (pairs(node)[0]?.key as Node);
  return { kind: "dataKey", file, at, configMap: container.name, key, insertion: { offset, text: leading + block.join(eol) + eol + trailing } };
}

// ── A stub ─────────────────────────────────────────────────────────────────────────────────────

/**
 * What a provider stub lacks (its id and identifiers, its attributes, the application and the
 * policy bindings) and the insertions that add it in the blueprint's own style. Undefined when
 * the stub is written in a way these insertions cannot follow (flow style, a folded block).
 */
export function completeProvider(index: RepoIndex, stub: ModelEntry, request: ClientRequest): Completion | undefined {
  const { blueprint, entry } = stub;
  const mapper = sourceOf(blueprint);
  if (!(mapper instanceof FileSource) && !(mapper instanceof EmbeddedSource)) return undefined;
  const attrs = entry.attrs;
  if (!attrs || attrs.flow || entry.node.flow || (entry.identifiers && entry.identifiers.flow)) return undefined;
  const container = [...containers(index).all.values()].find((candidate) => candidate.blueprints.includes(blueprint));
  const learned = learn(index, container?.blueprints ?? [blueprint], entry);
  const client = resolveClient(request, learned, entry.id?.value);
  const source = mapper.text;
  const file = blueprint.file;
  const outer = file.source;
  const eol = eolOf(file.text);
  const entryRange = nodeRange(entry.node);
  const modelPair = pairs(entry.node).find((pair) => keyOf(pair) === "model");
  if (!entryRange || !modelPair) return undefined;
  const keyColumn = columnIn(source, entryRange[0]);
  // Inner offsets → file offsets: an inner line is an outer line shifted by the block's indentation.
  const blockIndent = mapper.position(entryRange[0]).column - 1 - keyColumn;
  const outerLineStart = (innerOffset: number): number => outer.lineStarts[mapper.position(innerOffset).line - 1] ?? file.text.length;
  const afterLine = (innerOffset: number): number => outer.lineStarts[mapper.position(innerOffset).line] ?? file.text.length;
  const insertions = new Map<number, string[]>();
  const insert = (offset: number, block: Block, column: number): void => {
    insertions.set(offset, [...(insertions.get(offset) ?? []), ...block.map((line) => pad(blockIndent + column, line))]);
  };
  const pairEnd = (pair: Pair): number => {
    const key = nodeRange(pair.key)!;
    return trimEnd(source, key[0], nodeRange(pair.value)?.[1] ?? key[1]) - 1;
  };
  const missing: string[] = [];

  const identity = [...(entry.id ? [] : [[`id: ${client.providerId}`]]), ...(entry.identifiers ? [] : [mapBlock("identifiers", learned.providerIdentifiers.map((key) => identifierValue(key, { name: client.name, client_id: client.id }, learned.quote)), learned.layout.indent)])];
  if (!entry.id) missing.push("id");
  if (!entry.identifiers) missing.push("identifiers");
  const idPair = pairs(entry.node).find((pair) => keyOf(pair) === "id");
  if (identity.length > 0) insert(afterLine(pairEnd(idPair ?? modelPair)), identity.flat(), keyColumn);

  // The siblings' comment above the entry (`# OAuth2 provider for …`), where the stub has none.
  const entryLine = lineStart(source, entryRange[0]);
  const lineAbove = source.slice(lineStart(source, Math.max(entryLine - 1, 0)), entryLine);
  if (learned.comment !== undefined && siblingsOf(index, providerModel, entry).length > 0 && !/^\s*#/u.test(lineAbove)) {
    const dashAt = source.slice(entryLine, entryRange[0]).indexOf("-");
    insert(outerLineStart(entryRange[0]), [`# ${fill(learned.comment, { name: client.name })}`], dashAt === -1 ? Math.max(keyColumn - 2, 0) : dashAt);
  }

  const present = pairs(attrs).flatMap((pair) => keyOf(pair) ?? []);
  const firstAttr = nodeRange(attrs.items[0]?.key);
  if (!firstAttr) return undefined;
  const attrColumn = columnIn(source, firstAttr[0]);
  const order = learned.providerAttrs.map((attribute) => attribute.key);
  for (const attribute of learned.providerAttrs) {
    if (present.includes(attribute.key)) continue;
    const block = attribute.block ?? providerAttr(attribute.key, client, learned);
    if (!block) continue;
    missing.push(attribute.key);
    const before = order.slice(0, order.indexOf(attribute.key)).reverse().find((key) => present.includes(key));
    const pair = before === undefined ? undefined : pairs(attrs).find((candidate) => keyOf(candidate) === before);
    insert(pair ? afterLine(pairEnd(pair)) : outerLineStart(firstAttr[0]), block, attrColumn);
  }

  const slugTaken = siblingsOf(index, applicationModel).some(
    (application) =>
      (text(field(application.entry.identifiers, "slug")) ?? text(field(application.entry.attrs, "slug"))) === client.id ||
      (application.blueprint === blueprint && keyOfTarget(field(application.entry.attrs, "provider")) === client.providerId),
  );
  if (!slugTaken) {
    missing.push(client.groups.length > 0 ? "an application and its policy bindings" : "an application");
    const entries = applicationEntries(client, learned);
    const dashAt = source.slice(lineStart(source, entryRange[0]), entryRange[0]).indexOf("-");
    const dash = dashAt === -1 ? Math.max(keyColumn - 2, 0) : dashAt;
    const placed = placeEntries(entries, 0, learned.layout);
    insert(afterLine(trimEnd(source, entryRange[0], entryRange[1]) - 1), [...(learned.layout.blankBetweenEntries ? [""] : []), ...placed], dash);
  }
  if (missing.length === 0) return undefined;
  const needsBreak = (offset: number): boolean => offset === file.text.length && file.text.length > 0 && !file.text.endsWith("\n");
  return {
    file,
    missing,
    insertions: [...insertions].map(([offset, lines]) => ({ offset, text: (needsBreak(offset) ? eol : "") + lines.join(eol) + eol })),
  };
}

