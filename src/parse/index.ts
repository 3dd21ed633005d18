/**
 * Parse stage: one discovered file's text → its YAML documents (embedded blueprints included)
 * or its template variables, with every position in terms of the file on disk.
 */
import type { DiscoveredFile } from "../discover.ts";
import { FileSource } from "./source.ts";
import { templateVariables, type TemplateVariable } from "./template.ts";
import { isMap, isPair, isSeq } from "yaml";
import { type ParsedYaml, type ParseProblem, parseYaml, type YamlDocument, type YamlVersion } from "./yaml.ts";

export interface ParsedFile {
  path: string;
  relPath: string;
  kind: DiscoveredFile["kind"];
  /** The text with any byte-order mark removed. */
  text: string;
  bom: boolean;
  source: FileSource;
  version: YamlVersion;
  documents: YamlDocument[];
  embedded: YamlDocument[];
  /** Blueprints decoded from Secrets' base64 `data:`, for the index only (see `ParsedYaml.encoded`). */
  encoded?: YamlDocument[];
  problems: ParseProblem[];
  /** For `.j2` templates only. */
  variables: TemplateVariable[];
}

/**
 * Ansible's layout: a role's `tasks/`, `handlers/`, `defaults/`, `vars/`, `meta/`, inventories
 * (`inventory/`, `inventories/`, `group_vars/`, `host_vars/`), and `playbooks/`. These are read
 * as YAML 1.1 as Ansible does; any other file that turns out to be a list of plays is re-read as
 * 1.1 by the parser.
 */
const ansibleLayout = /(^|\/)(roles\/[^/]+\/(tasks|handlers|defaults|vars|meta)|group_vars|host_vars|playbooks|inventory|inventories)\//u;

export function yamlVersionFor(relPath: string): YamlVersion {
  return ansibleLayout.test(relPath) ? "1.1" : "1.2";
}

/** A Helm chart's `templates/` or an Ansible role's: files there are rendered before anything reads them. */
const templatesDirectory = /(^|\/)templates\//u;

/**
 * True when template actions stand where YAML reads structure, so that the text is a template
 * (Helm's Go templates, Jinja) and not YAML until it is rendered: it does not parse and holds
 * `{{` or `{%` (`{{- if .Values.enabled }}` on a line of its own), or it parses only because
 * YAML reads an unquoted `{{ .Values.name }}` as a flow mapping. Quoted strings and block
 * scalars holding `{{ }}` (External Secrets' templates, say) are plain YAML values.
 */
function isTemplateText(text: string, parsed: ParsedYaml): boolean {
  if (!text.includes("{{") && !text.includes("{%")) return false;
  if (parsed.problems.length > 0) return true;
  const stack: unknown[] = parsed.documents.map((document) => document.doc.contents);
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.key, node.value);
    } else if (isMap(node) || isSeq(node)) {
      if (isMap(node) && node.flow && node.range && text.startsWith("{{", node.range[0])) return true;
      stack.push(...node.items);
    }
  }
  return false;
}

export function parseFile(file: DiscoveredFile, raw: string): ParsedFile {
  const bom = raw.charCodeAt(0) === 0xfeff;
  const text = bom ? raw.slice(1) : raw;
  const source = new FileSource(text);
  const base = { path: file.path, relPath: file.relPath, kind: file.kind, text, bom, source };
  if (file.kind === "template") {
    return { ...base, version: "1.1", documents: [], embedded: [], problems: [], variables: templateVariables(text) };
  }
  const parsed = parseYaml(text, yamlVersionFor(file.relPath), source);
  // A template under templates/ is not judged as YAML: what it renders to is not known here.
  if (templatesDirectory.test(file.relPath) && isTemplateText(text, parsed)) {
    return { ...base, version: parsed.version, documents: [], embedded: [], problems: [], variables: [] };
  }
  return { ...base, ...parsed, variables: [] };
}
