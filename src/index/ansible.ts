/**
 * Ansible files → roles, playbooks and tasks. A role is known by its layout
 * (`roles/<name>/{tasks,handlers,defaults,vars,meta,templates}/`), a playbook by its content
 * (a list of plays).
 */
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from "yaml";
import keywords from "../../schemas/ansible/keywords.json" with { type: "json" };
import type { ParsedFile } from "../parse/index.ts";
import type { YamlDocument } from "../parse/yaml.ts";
import type { AnsiblePlay, AnsiblePlaybook, AnsibleTask, Named, OnePasswordReference } from "./model.ts";
import { isPlaybook } from "../parse/yaml.ts";
import { field, items, keysOf, mapField, maps, named, namedField, text } from "./read.ts";

/**
 * Task keywords (ansible-core's Task and handler attributes, with the names its loader accepts
 * though no one writes them) and the block keys, from schemas/ansible/keywords.json: every other
 * key of a task is its action. `with_*` loops are matched by prefix.
 */
export const taskKeywords: ReadonlySet<string> = new Set([
  ...keywords.handler,
  ...keywords.internal.task,
  "block",
  "rescue",
  "always",
]);

const rolePath = /(?:^|\/)roles\/([^/]+)\/(tasks|handlers|defaults|vars|meta|templates)\/(.+)$/u;

export interface RoleFile {
  role: string;
  /** The role's directory relative to the root. */
  directory: string;
  part: "tasks" | "handlers" | "defaults" | "vars" | "meta" | "templates";
  /** Path inside the part's folder, e.g. `main.yml`. */
  rest: string;
}

export function roleFileOf(relPath: string): RoleFile | undefined {
  const match = rolePath.exec(relPath);
  if (!match) return undefined;
  const [whole, role, part, rest] = match as unknown as [string, string, RoleFile["part"], string];
  const directory = relPath.slice(0, relPath.length - whole.length + whole.indexOf("roles/")) + `roles/${role}`;
  return { role, directory, part, rest };
}

export function readTasks(node: unknown, file: ParsedFile): AnsibleTask[] {
  return maps(node).map((task) => readTask(task, file));
}

function readTask(node: YAMLMap, file: ParsedFile): AnsibleTask {
  const children = ["block", "rescue", "always"].flatMap((key) => readTasks(field(node, key), file));
  let action: Named | undefined;
  let args: Node | undefined;
  if (node.has("block")) {
    action = keysOf(node).find((key) => key.value === "block");
  } else {
    for (const pair of node.items) {
      const key = named(pair.key);
      if (!key || taskKeywords.has(key.value) || key.value.startsWith(keywords.withLoopPrefix)) continue;
      action = key;
      args = (pair.value ?? undefined) as Node | undefined;
      break;
    }
    if (!action) {
      // `action:` and `local_action:` name the module in their value: free form
      // (`action: copy src=a dest=b`) or a mapping whose `module:` key names it.
      const inline = field(node, "action") ?? field(node, "local_action");
      const freeForm = named(inline);
      const module = freeForm ? undefined : namedField(inline, "module");
      if (freeForm) {
        action = { value: freeForm.value.trim().split(/\s+/u)[0] ?? "", node: freeForm.node };
        args = freeForm.node;
      } else if (module) {
        action = module;
        args = inline;
      }
    }
  }
  return { node, name: namedField(node, "name"), action, args, children, file };
}

function readPlay(node: YAMLMap, file: ParsedFile): AnsiblePlay {
  const roles = items(field(node, "roles")).flatMap((role) => {
    // A role is `name`, `{role: name, …}` or `{name: name, …}`.
    const entry = named(role) ?? namedField(role, "role") ?? namedField(role, "name");
    return entry ? [entry] : [];
  });
  return {
    node,
    hosts: playHosts(field(node, "hosts")),
    roles,
    preTasks: readTasks(field(node, "pre_tasks"), file),
    tasks: readTasks(field(node, "tasks"), file),
    postTasks: readTasks(field(node, "post_tasks"), file),
    handlers: readTasks(field(node, "handlers"), file),
    vars: mapField(node, "vars"),
  };
}

/** `hosts:` is a pattern, or a list of patterns that Ansible reads as one comma-separated. */
function playHosts(node: Node | undefined): Named | undefined {
  if (!isSeq(node)) return named(node);
  const patterns = node.items.map((item) => text(item));
  return patterns.every((pattern) => pattern !== undefined) && patterns.length > 0 ? { value: patterns.join(","), node } : undefined;
}

/** A playbook is a list of plays (the parser's test); a list of tasks is not one, wherever it is. */
export function readPlaybook(file: ParsedFile, document: YamlDocument): AnsiblePlaybook | undefined {
  const contents = document.doc.contents;
  if (!isSeq(contents) || !isPlaybook(contents)) return undefined;
  return {
    kind: "AnsiblePlaybook",
    file,
    document,
    node: contents as unknown as YAMLMap,
    plays: maps(contents).map((play) => readPlay(play, file)),
  };
}

const onePasswordLookup =
  /\b(?:lookup|query|q)\(\s*['"](?:community\.general\.)?onepassword['"]\s*,\s*['"]([^'"]+)['"]([^)]*)\)/gu;

/**
 * Where an `op://` reference ends. 1Password names hold only letters, digits, `-_.` and spaces,
 * and a reference with spaces must be quoted: a quoted one ends at its closing quote, an
 * unquoted one at whitespace, a quote or shell punctuation, one that is the whole string (the
 * YAML quotes, if any, already taken off) at the end of the line. Never past the end of the line.
 */
const referenceEnds: Record<string, RegExp> = {
  '"': /["\n]/gu,
  "'": /['\n]/gu,
  "`": /[`\n]/gu,
  unquoted: /[\s"'`),;|]/gu,
  whole: /\n/gu,
};

interface OpUri {
  vault: string;
  item: string;
  section?: string;
  field: string;
}

/** One `op://` in a string, well formed or not: where it is written and what it holds. */
export interface OpUriOccurrence {
  /** Offsets in the string of `op://` and of the end of the reference (its query included). */
  start: number;
  end: number;
  /** The quote it is written in (`"`, `'` or a backtick); undefined when unquoted. */
  quote?: string;
  /** The path after `op://`, split at `/`, without the query. */
  segments: string[];
  /** What follows `?`, if anything (`attribute=otp`). */
  query?: string;
  /** Its parts, when it has three path segments or more and none is blank. */
  uri?: OpUri;
}

/**
 * Every `op://` in a string, in order. A quoted reference may contain spaces
 * (`op read "op://Private/My Item/password"`); query parameters (`?attribute=otp`) are not part
 * of the field.
 */
export function opUriOccurrences(value: string): OpUriOccurrence[] {
  const found: OpUriOccurrence[] = [];
  let start = value.indexOf("op://");
  while (start !== -1) {
    const bodyStart = start + "op://".length;
    const quote = value[start - 1];
    const quoted = quote === '"' || quote === "'" || quote === "`";
    // A string that starts with the reference (an argv item, an env var's or a variable's value)
    // holds it whole, as a quote would: its spaces belong to the names, up to the end of the line.
    const whole = start === 0;
    const ends = referenceEnds[quoted ? quote : whole ? "whole" : "unquoted"]!;
    ends.lastIndex = bodyStart;
    const lineEnd = ends.exec(value)?.index ?? value.length;
    const end = whole ? bodyStart + value.slice(bodyStart, lineEnd).trimEnd().length : lineEnd;
    const body = value.slice(bodyStart, end);
    const queryAt = body.indexOf("?");
    const segments = (queryAt === -1 ? body : body.slice(0, queryAt)).split("/");
    const occurrence: OpUriOccurrence = { start, end, segments };
    if (quoted) occurrence.quote = quote;
    if (queryAt !== -1) occurrence.query = body.slice(queryAt + 1);
    if (segments.length >= 3 && segments.every((segment) => segment.trim() !== "")) {
      occurrence.uri = {
        vault: segments[0]!,
        item: segments[1]!,
        section: segments.length > 3 ? segments.slice(2, -1).join("/") : undefined,
        field: segments[segments.length - 1]!,
      };
    }
    found.push(occurrence);
    start = value.indexOf("op://", Math.max(end, bodyStart));
  }
  return found;
}

const lookupOptions = {
  field: /\bfield\s*=\s*['"]([^'"]+)['"]/u,
  section: /\bsection\s*=\s*['"]([^'"]+)['"]/u,
  vault: /\bvault\s*=\s*['"]([^'"]+)['"]/u,
};

function option(options: string, name: keyof typeof lookupOptions): string | undefined {
  return lookupOptions[name].exec(options)?.[1];
}

/** The string scalars under `root` whose value `test` matches, in document order, without recursion. */
export function* stringScalars(root: unknown, test: RegExp): Generator<Scalar<string>> {
  // Depth first, children pushed last to first: strings come in document order.
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      for (let index = node.items.length - 1; index >= 0; index--) stack.push(node.items[index]!.value);
    } else if (isSeq(node)) {
      for (let index = node.items.length - 1; index >= 0; index--) stack.push(node.items[index]);
    } else if (isScalar(node) && typeof node.value === "string" && test.test(node.value)) {
      yield node as Scalar<string>;
    }
  }
}

/**
 * 1Password references written in Ansible strings: `op read "op://vault/item/field"` (and any
 * other `op://` URI) and the `community.general.onepassword` lookup, whose field defaults to
 * `password` (its `field`, `section` and `vault` options as keyword arguments).
 */
export function onePasswordReferences(root: unknown, file: ParsedFile): OnePasswordReference[] {
  const found: OnePasswordReference[] = [];
  for (const node of stringScalars(root, /op:\/\/|onepassword/u)) {
    for (const { uri } of opUriOccurrences(node.value)) if (uri) found.push({ ...uri, node, file, via: "op-uri" });
    for (const match of node.value.matchAll(onePasswordLookup)) {
      const options = match[2] ?? "";
      found.push({
        vault: option(options, "vault"),
        item: match[1]!,
        section: option(options, "section"),
        field: option(options, "field") ?? "password",
        node,
        file,
        via: "lookup",
      });
    }
  }
  return found;
}
