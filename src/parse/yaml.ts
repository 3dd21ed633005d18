/**
 * Text → YAML documents with exact positions.
 *
 * Kubernetes manifests and blueprints are YAML 1.2 with authentik's tags; Ansible files are
 * YAML 1.1 (`mode: 0644` is octal, `yes` is true), as Ansible's own loader reads them.
 * Blueprints kept as literal block scalars in a ConfigMap's `data:` are parsed as documents of
 * their own whose positions map back to the ConfigMap's file.
 */
import {
  type Document,
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

export interface EmbeddedIn {
  /** The ConfigMap document holding the blueprint. */
  document: YamlDocument;
  /** The `data:` key, e.g. `grafana.yaml`. */
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
  /** Blueprints found in ConfigMap `data:` keys, in file order. */
  embedded: YamlDocument[];
  problems: ParseProblem[];
}

const nodeSources = new WeakMap<object, SourceMapper>();

/** The text a YAML node was parsed from, for nodes produced by this module. */
export function sourceOfNode(node: object): SourceMapper | undefined {
  return nodeSources.get(node);
}

function options(version: YamlVersion): ParseOptions & DocumentOptions & SchemaOptions {
  // Ansible tolerates duplicate keys (the last wins); YAML 1.2 manifests must not have them.
  return version === "1.1"
    ? { version, customTags: authentikCustomTags, uniqueKeys: false, prettyErrors: false }
    : { version, customTags: authentikCustomTags, prettyErrors: false };
}

function problemOf(error: YAMLError, source: SourceMapper): ParseProblem {
  const [start, end] = error.pos;
  const message = error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/u, "").trim();
  return { message: `Parsing error: ${message}`, start: source.position(start), end: source.position(Math.max(end, start)) };
}

/**
 * Registers every node with its source and collects authentik tags, in one walk. The walk is
 * iterative so that deeply nested input cannot overflow the stack.
 */
function indexNodes(root: unknown, source: SourceMapper, tags: TaggedNode[]): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    nodeSources.set(node, source);
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
}

function isBlueprintMap(node: unknown): boolean {
  return isMap(node) && node.has("version") && node.has("entries");
}

/** A cheap test run before parsing a `data:` value: a blueprint must have both keys. */
function mayHoldBlueprint(text: string): boolean {
  return /^[ \t]*entries\s*:/mu.test(text) && /^[ \t]*version\s*:/mu.test(text);
}

/** The column of the line on which `offset` sits, counted in leading spaces. */
function indentationAt(file: FileSource, offset: number): number {
  const line = file.lineText(file.position(offset).line);
  return line.length - line.trimStart().length;
}

function embeddedBlueprints(document: YamlDocument, file: FileSource, out: ParsedYaml): void {
  const contents = document.doc.contents;
  if (!isMap(contents)) return;
  const kind: unknown = contents.get("kind");
  if (kind !== "ConfigMap") return;
  const data: unknown = contents.get("data", true);
  if (!isMap(data)) return;
  for (const pair of data.items) {
    const { key, value } = pair;
    if (!isScalar(key) || !isScalar(value) || typeof value.value !== "string") continue;
    if (!mayHoldBlueprint(value.value)) continue;
    const source = embeddedSource(file, key, value);
    if (!source) continue;
    const inner = parseDocument(source.text, options("1.2"));
    if (inner.errors.length > 0) {
      // Only a text that is recognisably a blueprint is held to YAML's rules.
      out.problems.push(...inner.errors.map((error) => problemOf(error, source)));
      continue;
    }
    if (!isBlueprintMap(inner.contents)) continue;
    const embedded: YamlDocument = {
      index: document.index,
      doc: inner,
      source,
      tags: [],
      embeddedIn: { document, key: String(key.value), keyNode: key, valueNode: value },
    };
    indexNodes(inner.contents, source, embedded.tags);
    out.embedded.push(embedded);
  }
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
  const parsed = parseAllDocuments(text, options(version));
  const docs = Array.isArray(parsed) ? parsed : [];
  const out: ParsedYaml = { version, documents: [], embedded: [], problems: [] };
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      out.problems.push(...doc.errors.map((error) => problemOf(error, file)));
      continue;
    }
    if (version === "1.2" && isPlaybook(doc.contents)) return parseYaml(text, "1.1", file);
    const document: YamlDocument = { index: out.documents.length, doc, source: file, tags: [] };
    indexNodes(doc.contents, file, document.tags);
    out.documents.push(document);
    embeddedBlueprints(document, file, out);
  }
  return out;
}
