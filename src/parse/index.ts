/**
 * Parse stage: one discovered file's text → its YAML documents (embedded blueprints included)
 * or its template variables, with every position in terms of the file on disk.
 */
import type { DiscoveredFile } from "../discover.ts";
import { FileSource } from "./source.ts";
import { templateVariables, type TemplateVariable } from "./template.ts";
import { type ParseProblem, parseYaml, type YamlDocument, type YamlVersion } from "./yaml.ts";

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

export function parseFile(file: DiscoveredFile, raw: string): ParsedFile {
  const bom = raw.charCodeAt(0) === 0xfeff;
  const text = bom ? raw.slice(1) : raw;
  const source = new FileSource(text);
  const base = { path: file.path, relPath: file.relPath, kind: file.kind, text, bom, source };
  if (file.kind === "template") {
    return { ...base, version: "1.1", documents: [], embedded: [], problems: [], variables: templateVariables(text) };
  }
  const parsed = parseYaml(text, yamlVersionFor(file.relPath), source);
  return { ...base, ...parsed, variables: [] };
}
