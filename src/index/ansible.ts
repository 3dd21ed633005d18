/**
 * Ansible files → roles, playbooks and tasks. A role is known by its layout
 * (`roles/<name>/{tasks,handlers,defaults,vars,meta,templates}/`), a playbook by its content
 * (a list of plays).
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from "yaml";
import type { ParsedFile } from "../parse/index.ts";
import type { YamlDocument } from "../parse/yaml.ts";
import type { AnsiblePlay, AnsiblePlaybook, AnsibleTask, Named, OnePasswordReference } from "./model.ts";
import { field, items, keysOf, mapField, maps, named, namedField } from "./read.ts";

/**
 * Task keywords (ansible-core's Task, Block and handler attributes): every other key of a task
 * is its action. `with_*` loops are matched by prefix.
 */
export const taskKeywords: ReadonlySet<string> = new Set([
  "action", "always", "any_errors_fatal", "args", "async", "become", "become_exe", "become_flags",
  "become_method", "become_user", "block", "changed_when", "check_mode", "collections", "connection",
  "debugger", "delay", "delegate_facts", "delegate_to", "diff", "environment", "failed_when",
  "ignore_errors", "ignore_unreachable", "listen", "local_action", "loop", "loop_control",
  "module_defaults", "name", "no_log", "notify", "poll", "port", "register", "remote_user", "rescue",
  "retries", "run_once", "tags", "throttle", "timeout", "until", "vars", "when",
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
      if (!key || taskKeywords.has(key.value) || key.value.startsWith("with_")) continue;
      action = key;
      args = (pair.value ?? undefined) as Node | undefined;
      break;
    }
    if (!action) {
      // `action:` and `local_action:` name the module in their value.
      const inline = namedField(node, "action") ?? namedField(node, "local_action");
      if (inline) {
        const module = inline.value.trim().split(/\s+/u)[0] ?? "";
        action = { value: module, node: inline.node };
        args = inline.node;
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
    hosts: namedField(node, "hosts"),
    roles,
    preTasks: readTasks(field(node, "pre_tasks"), file),
    tasks: readTasks(field(node, "tasks"), file),
    postTasks: readTasks(field(node, "post_tasks"), file),
    handlers: readTasks(field(node, "handlers"), file),
    vars: mapField(node, "vars"),
  };
}

export function readPlaybook(file: ParsedFile, document: YamlDocument): AnsiblePlaybook | undefined {
  const contents = document.doc.contents;
  if (!isSeq(contents)) return undefined;
  return {
    kind: "AnsiblePlaybook",
    file,
    document,
    node: contents as unknown as YAMLMap,
    plays: maps(contents).map((play) => readPlay(play, file)),
  };
}

const opUri = /op:\/\/([^/\s"'`]+)\/([^/\s"'`]+)\/([^\s"'`?]+)/gu;
const onePasswordLookup =
  /(?:lookup|query)\(\s*['"](?:community\.general\.)?onepassword['"]\s*,\s*['"]([^'"]+)['"]([^)]*)\)/gu;

/**
 * 1Password references written in Ansible strings: `op read "op://vault/item/field"` (and any
 * other `op://` URI) and the `community.general.onepassword` lookup, whose field defaults to
 * `password`.
 */
export function onePasswordReferences(root: unknown, file: ParsedFile): OnePasswordReference[] {
  const found: OnePasswordReference[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) for (const pair of node.items) stack.push(pair.value);
    else if (isSeq(node)) stack.push(...node.items);
    else if (isScalar(node) && typeof node.value === "string" && /op:\/\/|onepassword/u.test(node.value)) {
      for (const match of node.value.matchAll(opUri)) {
        found.push({ vault: match[1], item: match[2]!, field: match[3]!, node, file, via: "op-uri" });
      }
      for (const match of node.value.matchAll(onePasswordLookup)) {
        const options = match[2] ?? "";
        const field = /field\s*=\s*['"]([^'"]+)['"]/u.exec(options)?.[1] ?? "password";
        const vault = /vault\s*=\s*['"]([^'"]+)['"]/u.exec(options)?.[1];
        found.push({ vault, item: match[1]!, field, node, file, via: "op-uri" });
      }
    }
  }
  return found;
}
