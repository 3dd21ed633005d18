/**
 * Text → YAML documents with exact positions.
 *
 * Kubernetes manifests and blueprints are YAML 1.2 with authentik's tags; Ansible files are
 * YAML 1.1 (`mode: 0644` is octal, `yes` is true), as Ansible's own loader reads them.
 * Blueprints kept as literal block scalars in a ConfigMap's `data:` or a Secret's `stringData:`
 * are parsed as documents of their own whose positions map back to the holder's file. Those in a
 * Secret's base64 `data:` are decoded and parsed too, for the index only: no position inside
 * them is known, so they are kept apart (`encoded`) and nothing is reported in them.
 */
import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  parseAllDocuments,
  parseDocument,
  type ParseOptions,
  type DocumentOptions,
  type SchemaOptions,
  Scalar,
  type ScalarTag,
  type Tags,
  type YAMLError,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import type { Position, SourceRange } from "../types.ts";
import { EmbeddedSource, FileSource, type SourceMapper } from "./source.ts";
import { authentikCustomTags, type AuthentikTag, isAuthentikTag } from "./tags.ts";

export type YamlVersion = "1.1" | "1.2";

export type TaggedYamlNode = Scalar | YAMLSeq | YAMLMap;

/** A node carrying one of authentik's tags, as written. */
export interface TaggedNode {
  tag: AuthentikTag;
  node: TaggedYamlNode;
  /** The tag's arguments: the scalar itself for `!Env X`, the items for `!Find [a, [b, c]]`. */
  args: readonly unknown[];
  /** From the `!` of the tag to the end of the node. */
  range: SourceRange;
}

/** The kinds of object whose values may hold a blueprint. */
export type BlueprintHolderKind = "ConfigMap" | "Secret";

export interface EmbeddedIn {
  /** The document holding the ConfigMap or Secret: the object itself, or a `List` of objects. */
  document: YamlDocument;
  kind: BlueprintHolderKind;
  /** The holder's mapping: the document's contents, or an item of a `List`. */
  holder: YAMLMap;
  /** The same mapping when the holder is a ConfigMap (fixes add blueprints to ConfigMaps only). */
  configMap?: YAMLMap;
  /** The field holding the value: `data` (base64 in a Secret) or a Secret's `stringData`. */
  field: "data" | "stringData";
  /** The key, e.g. `grafana.yaml`. */
  key: string;
  keyNode: Scalar;
  valueNode: Scalar;
}

export interface YamlDocument {
  /** 0-based index of the document in its file; embedded documents share their ConfigMap's. */
  index: number;
  doc: Document.Parsed;
  source: SourceMapper;
  tags: TaggedNode[];
  embeddedIn?: EmbeddedIn;
}

/** A syntax error: ESLint's fatal message shape is built from it. */
export interface ParseProblem {
  message: string;
  start: Position;
  end: Position;
}

export interface ParsedYaml {
  version: YamlVersion;
  documents: YamlDocument[];
  /** Blueprints found in ConfigMap `data:` and Secret `stringData:` keys, in file order. */
  embedded: YamlDocument[];
  /**
   * Blueprints decoded from a Secret's base64 `data:` keys, in file order; absent when there are
   * none. Every position in them is the value's first one: they are for the index (the objects
   * they declare satisfy links), never walked or reported in, and no decoded text is quoted.
   */
  encoded?: YamlDocument[];
  problems: ParseProblem[];
}

const nodeSources = new WeakMap<object, SourceMapper>();

/** The text a YAML node was parsed from, for nodes produced by this module. */
export function sourceOfNode(node: object): SourceMapper | undefined {
  return nodeSources.get(node);
}

/**
 * A merge key (`<<: *base`), which Kubernetes, Ansible and authentik all apply. Under YAML 1.1
 * `yaml` reads it as a symbol; under 1.2 as the plain string "<<".
 */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.type === "PLAIN" && (key.value === "<<" || key.source === "<<");
}

const aliasTargets = new WeakMap<Alias, Node>();

/**
 * The node an alias (`*name`) stands for: the last node anchored `&name` before it in its
 * document, as YAML resolves it. Undefined for an alias this module did not parse.
 */
export function aliasTarget(alias: Alias): Node | undefined {
  return aliasTargets.get(alias);
}

/**
 * Ansible loads YAML with PyYAML, whose 1.1 booleans are yes/no, true/false and on/off (any of
 * three casings) but not the single letters y/n that the YAML 1.1 type repository also lists:
 * `answer: y` is the string "y" to Ansible.
 */
const pyyamlBooleans: ScalarTag[] = [
  { tag: "tag:yaml.org,2002:bool", default: true, identify: (value) => value === true, test: /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/u, resolve: () => true },
  { tag: "tag:yaml.org,2002:bool", default: true, identify: (value) => value === false, test: /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/u, resolve: () => false },
];

function ansibleTags(tags: Tags): Tags {
  return [...tags.filter((tag) => typeof tag === "string" || tag.tag !== "tag:yaml.org,2002:bool"), ...pyyamlBooleans, ...authentikCustomTags];
}

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * Parse options by YAML version and by whether the text may hold an authentik tag: `yaml` tests
 * every plain scalar against every custom tag, so a text without tags is parsed without them.
 */
const parseOptions: Record<YamlVersion, Record<"tags" | "plain", Options>> = {
  // Ansible tolerates duplicate keys (the last wins); YAML 1.2 manifests must not have them.
  "1.1": {
    tags: { version: "1.1", customTags: ansibleTags, uniqueKeys: false, prettyErrors: false },
    plain: { version: "1.1", customTags: (tags) => ansibleTags(tags).filter((tag) => !authentikCustomTags.includes(tag as never)), uniqueKeys: false, prettyErrors: false },
  },
  "1.2": {
    tags: { version: "1.2", customTags: authentikCustomTags, prettyErrors: false },
    plain: { version: "1.2", prettyErrors: false },
  },
};

/** An authentik tag is `!` and a capital letter; anything else is left to `yaml`'s warnings. */
function mayHoldTags(text: string): boolean {
  return /![A-Z]/u.test(text);
}

/** An alias is `*` and a name after a space, `[`, `{`, `,`, `:` or `-`. */
function mayHoldAliases(text: string): boolean {
  return /(?:^|[\s[{,:-])\*[^\s,[\]{}]/u.test(text);
}

function options(version: YamlVersion, text: string): Options {
  return parseOptions[version][mayHoldTags(text) ? "tags" : "plain"];
}

function problemOf(error: YAMLError, source: SourceMapper): ParseProblem {
  const [start, end] = error.pos;
  const message = error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/u, "").trim();
  return { message: `Parsing error: ${message}`, start: source.position(start), end: source.position(Math.max(end, start)) };
}

/**
 * Registers every node with its source, each alias with the node it stands for, and collects
 * authentik tags, in one walk in document order; returns the aliases whose anchor is not set
 * before them, which the `yaml` parser leaves for `toJS()` to throw on. The walk is iterative so
 * that deeply nested input cannot overflow the stack.
 */
function indexNodes(root: unknown, source: SourceMapper, tags: TaggedNode[]): Alias[] {
  const anchors = new Map<string, Node>();
  const unresolved: Alias[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (isAlias(node)) {
      if (!(source instanceof FileSource)) nodeSources.set(node, source);
      const target = anchors.get(node.source);
      if (target) aliasTargets.set(node, target);
      else unresolved.push(node);
      continue;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    // A file's own nodes default to the file's source: only embedded ones need an entry.
    if (!(source instanceof FileSource)) nodeSources.set(node, source);
    if (node.anchor) anchors.set(node.anchor, node);
    if (isAuthentikTag(node.tag)) {
      const start = node.range?.[0] ?? 0;
      const tagStart = source.text.lastIndexOf(node.tag, start);
      tags.push({
        tag: node.tag,
        node,
        args: isScalar(node) ? [node] : node.items,
        range: [tagStart === -1 ? start : tagStart, node.range?.[1] ?? start],
      });
    }
    if (isMap(node) || isSeq(node)) {
      for (let index = node.items.length - 1; index >= 0; index--) stack.push(node.items[index]);
    }
  }
  tags.sort((a, b) => a.range[0] - b.range[0]);
  return unresolved;
}

function aliasProblem(alias: Alias, source: SourceMapper): ParseProblem {
  const [start, end] = alias.range ?? [0, 0];
  return {
    message: `Parsing error: Unresolved alias (the anchor must be set before the alias): ${alias.source}`,
    start: source.position(start),
    end: source.position(end),
  };
}

/** The modeline authentik's docs recommend: `# yaml-language-server: $schema=https://goauthentik.io/blueprints/schema.json`. */
const blueprintSchemaUrl = "goauthentik.io/blueprints/schema.json";

/**
 * A blueprint: a mapping with `version` and `entries`, or one that declares authentik's blueprint
 * schema in its leading comment (so that a misspelt `entries:` is reported, not ignored).
 */
export function isBlueprintDocument(doc: Document): boolean {
  const contents = doc.contents;
  if (!isMap(contents)) return false;
  if (contents.has("version") && contents.has("entries")) return true;
  const firstKey = contents.items[0]?.key;
  const leading = [doc.commentBefore, contents.commentBefore, isScalar(firstKey) ? firstKey.commentBefore : undefined];
  return leading.some((comment) => comment?.includes(blueprintSchemaUrl) === true);
}

/** A cheap test run before parsing a `data:` value. */
function mayHoldBlueprint(text: string): boolean {
  // `includes` first: the line-anchored patterns would scan every large dashboard.
  return (
    (text.includes("entries") && /^[ \t]*entries\s*:/mu.test(text) && /^[ \t]*version\s*:/mu.test(text)) ||
    text.includes(blueprintSchemaUrl)
  );
}

/** The column of the line on which `offset` sits, counted in leading spaces. */
function indentationAt(file: FileSource, offset: number): number {
  const line = file.lineText(file.position(offset).line);
  return line.length - line.trimStart().length;
}

interface Holder {
  kind: BlueprintHolderKind;
  node: YAMLMap;
}

const holderKinds: ReadonlySet<unknown> = new Set<BlueprintHolderKind>(["ConfigMap", "Secret"]);
/** `kubectl get -o yaml` prints a `List`; a typed list's items may omit their `kind`. */
const typedLists: ReadonlyMap<unknown, BlueprintHolderKind> = new Map<unknown, BlueprintHolderKind>([
  ["ConfigMapList", "ConfigMap"],
  ["SecretList", "Secret"],
]);

/** The ConfigMaps and Secrets a document holds: itself, or the items of a `List`, `ConfigMapList` or `SecretList`. */
function holdersOf(contents: unknown): Holder[] {
  if (!isMap(contents)) return [];
  const kind: unknown = contents.get("kind");
  if (holderKinds.has(kind)) return [{ kind: kind as BlueprintHolderKind, node: contents }];
  const listOf = typedLists.get(kind);
  if (kind !== "List" && !listOf) return [];
  const items: unknown = contents.get("items", true);
  if (!isSeq(items)) return [];
  return items.items.flatMap((item): Holder[] => {
    if (!isMap(item)) return [];
    const itemKind: unknown = item.get("kind");
    if (holderKinds.has(itemKind)) return [{ kind: itemKind as BlueprintHolderKind, node: item }];
    return listOf && !item.has("kind") ? [{ kind: listOf, node: item }] : [];
  });
}

/** A key whose file is meant to be YAML: only those are held to YAML's rules. */
function isYamlFileName(key: string): boolean {
  return /\.ya?ml$/iu.test(key);
}

function embeddedBlueprints(document: YamlDocument, file: FileSource, out: ParsedYaml): void {
  for (const holder of holdersOf(document.doc.contents)) {
    // A ConfigMap's `data:` and a Secret's `stringData:` are text as written; a Secret's `data:` is base64.
    const fields = holder.kind === "ConfigMap" ? (["data"] as const) : (["stringData", "data"] as const);
    // A key in both: the API server writes the `stringData:` value over the `data:` one.
    const written = new Set<unknown>();
    for (const fieldName of fields) {
      const values: unknown = holder.node.get(fieldName, true);
      if (!isMap(values)) continue;
      for (const pair of values.items) {
        const { key, value } = pair;
        if (!isScalar(key) || written.has(key.value)) continue;
        if (fieldName === "stringData") written.add(key.value);
        if (!isScalar(value) || typeof value.value !== "string") continue;
        const at = { document, holder, field: fieldName, key, value };
        if (holder.kind === "Secret" && fieldName === "data") decodedBlueprint(at, file, out);
        else textBlueprint(at, file, out);
      }
    }
  }
}

interface HeldValue {
  document: YamlDocument;
  holder: Holder;
  field: EmbeddedIn["field"];
  key: Scalar;
  value: Scalar;
}

function embeddedDocument(at: HeldValue, doc: Document.Parsed, source: SourceMapper): YamlDocument {
  const { document, holder, key, value } = at;
  return {
    index: document.index,
    doc,
    source,
    tags: [],
    embeddedIn: {
      document,
      kind: holder.kind,
      holder: holder.node,
      configMap: holder.kind === "ConfigMap" ? holder.node : undefined,
      field: at.field,
      key: String(key.value),
      keyNode: key,
      valueNode: value,
    },
  };
}

/** A blueprint written as text (ConfigMap `data:`, Secret `stringData:`): positions map to the file. */
function textBlueprint(at: HeldValue, file: FileSource, out: ParsedYaml): void {
  const { key, value } = at;
  if (typeof value.value !== "string" || !mayHoldBlueprint(value.value)) return;
  const source = embeddedSource(file, key, value);
  if (!source) return;
  const inner = parseDocument(source.text, options("1.2", source.text));
  if (inner.errors.length > 0) {
    // A broken blueprint is a syntax error of its holder's file; a config file of another
    // format (`app.ini`) that happens to have `version:` and `entries:` lines is not.
    if (isYamlFileName(String(key.value))) out.problems.push(...inner.errors.map((error) => problemOf(error, source)));
    return;
  }
  if (!isBlueprintDocument(inner)) return;
  const embedded = embeddedDocument(at, inner, source);
  const unresolved = indexNodes(inner.contents, source, embedded.tags);
  if (unresolved.length > 0) {
    out.problems.push(...unresolved.map((alias) => aliasProblem(alias, source)));
    return;
  }
  out.embedded.push(embedded);
}

/** Larger values are not decoded: a blueprint is a few kilobytes, a certificate bundle is not one. */
const maxEncodedLength = 1 << 20;

/**
 * The text of a base64 `data:` value, or undefined when it is not base64 of UTF-8 text. Strict:
 * Buffer's decoder skips what is not base64, which would turn any string into bytes.
 */
function decodeBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/gu, "");
  if (compact.length === 0 || compact.length > maxEncodedLength || compact.length % 4 !== 0) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/u.test(compact)) return undefined;
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  try {
    return text.decode(Buffer.from(compact, "base64"));
  } catch {
    return undefined;
  }
}

/**
 * A blueprint in a Secret's base64 `data:`: decoded for the index only. A value that does not
 * decode or parse is skipped without a message, since a message about it would have to quote
 * or point into the decoded text, which is a Secret's value.
 */
function decodedBlueprint(at: HeldValue, file: FileSource, out: ParsedYaml): void {
  const { value } = at;
  if (typeof value.value !== "string") return;
  const decoded = decodeBase64(value.value);
  if (decoded === undefined || !mayHoldBlueprint(decoded)) return;
  const inner = parseDocument(decoded, options("1.2", decoded));
  if (inner.errors.length > 0 || !isBlueprintDocument(inner)) return;
  const start = value.range?.[0] ?? 0;
  const source: SourceMapper = { text: decoded, position: () => file.position(start), fileOffset: () => start };
  const embedded = embeddedDocument(at, inner, source);
  if (indexNodes(inner.contents, source, embedded.tags).length > 0) return;
  (out.encoded ??= []).push(embedded);
}

/**
 * The inner source of a `data:` value. Literal block scalars map exactly; for any other style
 * (or a body this module cannot follow) every position falls on the value's first line, which
 * is imprecise but never points at the wrong line of another key.
 */
function embeddedSource(file: FileSource, key: Scalar, value: Scalar): SourceMapper | undefined {
  const range = value.range;
  if (!range || typeof value.value !== "string") return undefined;
  if (value.type === Scalar.BLOCK_LITERAL) {
    const headerLine = file.position(range[0]).line - 1;
    const header = file.lineText(headerLine + 1).slice(file.position(range[0]).column - 1);
    const parentIndent = key.range ? indentationAt(file, key.range[0]) : 0;
    const embedded = EmbeddedSource.fromBlockScalar(file, header, headerLine, parentIndent, range[1]);
    if (embedded && sameContent(embedded.text, value.value)) return embedded;
  }
  const start = range[0];
  return {
    text: value.value,
    position: () => file.position(start),
    fileOffset: () => start,
  };
}

/** Chomping only changes trailing line breaks, which carry no positions. */
function sameContent(rebuilt: string, parsed: string): boolean {
  return rebuilt.replace(/\s+$/u, "") === parsed.replace(/\s+$/u, "");
}

/** True for a top-level sequence of plays: Ansible content whatever the file is called. */
export function isPlaybook(contents: unknown): boolean {
  if (!isSeq(contents) || contents.items.length === 0) return false;
  return contents.items.every(
    (item) => isMap(item) && (item.has("hosts") || item.has("import_playbook") || item.has("ansible.builtin.import_playbook")),
  );
}

export function parseYaml(text: string, version: YamlVersion, file = new FileSource(text)): ParsedYaml {
  const parsed = parseAllDocuments(text, options(version, text));
  const docs = Array.isArray(parsed) ? parsed : [];
  // The node walk finds tags and aliases; nodes of the file itself need no registration (the
  // file's own source is every node's default), so a text with neither skips it.
  const walk = mayHoldTags(text) || mayHoldAliases(text);
  const out: ParsedYaml = { version, documents: [], embedded: [], problems: [] };
  for (const [index, doc] of docs.entries()) {
    if (doc.errors.length > 0) {
      out.problems.push(...doc.errors.map((error) => problemOf(error, file)));
      continue;
    }
    if (version === "1.2" && isPlaybook(doc.contents)) return parseYaml(text, "1.1", file);
    const document: YamlDocument = { index, doc, source: file, tags: [] };
    const unresolved = walk ? indexNodes(doc.contents, file, document.tags) : [];
    if (unresolved.length > 0) {
      out.problems.push(...unresolved.map((alias) => aliasProblem(alias, file)));
      continue;
    }
    out.documents.push(document);
    embeddedBlueprints(document, file, out);
  }
  return out;
}
