/**
 * The Ansible side of a new OAuth2 client's chain, for oidc/client-wiring: a client that settings
 * declare with an Ansible role (`settings.oidc.clients.<id>.ansibleRole`, by default the role
 * named like the id) needs, in that role, a credentials template writing its client id and
 * secret, a task deploying it, and, in the playbook applying the role, a pre_task reading the
 * secret from 1Password with a `set_fact` of the template's variable. Each missing link is found
 * on its own and written on its own, by analogy with a sibling: another role whose credentials
 * template a playbook fills from 1Password (Forgejo's, in examples/homelab). Text is inserted
 * beside existing entries; nothing is re-serialised; no secret value is ever written.
 */
import path from "node:path";
import { isMap, type Node } from "yaml";
import type { ParsedFile } from "../parse/index.ts";
import { trimEnd } from "../parse/source.ts";
import type { AnsiblePlay, AnsiblePlaybook, AnsibleRole, AnsibleTask } from "../index/model.ts";
import type { RepoIndex } from "../index/index.ts";
import type { ClientWiring, RoleTemplate } from "../index/oidc.ts";
import { keysOf, text } from "../index/read.ts";
import type { SourceRange } from "../types.ts";
import { lineBreakOf, lineEnd, lineStart, respell, sequenceItemAfter, wordsOf, type YamlMapping } from "./style.ts";

export type AnsibleLinkId = "ansibleTemplateMissing" | "ansibleTaskMissing" | "ansibleSecretNotRead";

/** One edit: a new file, or text inserted at an offset of a linted file. */
export type AnsibleEdit = { kind: "create"; relPath: string; text: string } | { kind: "insert"; file: ParsedFile; offset: number; text: string };

export interface AnsibleLink {
  messageId: AnsibleLinkId;
  place: { file: ParsedFile; node: Node } | { file: ParsedFile; range: SourceRange };
  data: Record<string, string>;
  /** Undefined when the link cannot be written with certainty (no task file, no play). */
  edit?: AnsibleEdit;
}

export interface AnsibleClient {
  id: string;
  /** `ansibleRole` from settings; by default the role named like the id. */
  role?: string;
}

/** The 1Password reference authentik reads the client's secret from, when its chain exists. */
export interface SecretReference {
  vault?: string;
  item: string;
  field: string;
}

const templateModules = new Set(["template", "ansible.builtin.template", "ansible.legacy.template"]);
const defaultTemplate = "oidc-credentials.json.j2";
const onePasswordText = /op:\/\/|\bop read\b|onepassword/u;

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? [range[0], range[1]] : undefined;
}

function sourceOf(task: { node: Node; file: ParsedFile } | AnsibleTask): string {
  const range = rangeOf(task.node);
  return range ? task.file.text.slice(range[0], range[1]) : "";
}

/** The offset just past the last non-blank character before `end`. */
function contentEnd(source: string, end: number): number {
  return trimEnd(source, 0, end);
}

function allTasks(tasks: readonly AnsibleTask[]): AnsibleTask[] {
  return tasks.flatMap((task) => [task, ...allTasks(task.children)]);
}

function isTemplateTask(task: AnsibleTask): boolean {
  return task.action !== undefined && templateModules.has(task.action.value);
}

function argument(task: AnsibleTask, key: string): string | undefined {
  return isMap(task.args) ? text(task.args.get(key, true)) : undefined;
}

const escapeRegExp = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");

/** Whether a YAML text defines `variable` as a key (a var, a set_fact, a default). */
function definesVariable(source: string, variable: string): boolean {
  return new RegExp(`^[ \\t]*(?:-[ \\t]+)?${escapeRegExp(variable)}[ \\t]*:`, "mu").test(source);
}

/** A template's client-secret variables. */
function secretVariablesOf(wiring: ClientWiring, template: RoleTemplate): string[] {
  return [...(wiring.secretVariables.get(template)?.values() ?? [])].flat().map((variable) => variable.name);
}

interface Sibling {
  template: RoleTemplate;
  variable: string;
  task?: AnsibleTask;
  /** The pre_tasks reading the secret from 1Password and setting the variable, in order. */
  preTasks?: AnsibleTask[];
}

/** Pre_tasks of `play` from the last 1Password read before the one defining `variable` to it. */
function readingPreTasks(play: AnsiblePlay, variable: string): AnsibleTask[] | undefined {
  const tasks = play.preTasks;
  const defining = tasks.findIndex((task) => definesVariable(sourceOf(task), variable));
  if (defining === -1) return undefined;
  for (let index = defining; index >= 0; index--) if (onePasswordText.test(sourceOf(tasks[index]!))) return tasks.slice(index, defining + 1);
  return undefined;
}

function siblingsOf(index: RepoIndex, wiring: ClientWiring, role: AnsibleRole): Sibling[] {
  const siblings: Sibling[] = [];
  for (const template of wiring.templates) {
    if (template.role === role) continue;
    const variable = secretVariablesOf(wiring, template)[0];
    if (!variable) continue;
    const task = allTasks(template.role.tasks).find((candidate) => isTemplateTask(candidate) && argument(candidate, "src") === template.name);
    let preTasks: AnsibleTask[] | undefined;
    for (const playbook of index.playbooks) for (const play of playbook.plays) preTasks ??= readingPreTasks(play, variable);
    siblings.push({ template, variable, task, preTasks });
  }
  // The most complete sibling first: a deploying task and a playbook reading its secret.
  return siblings.sort((a, b) => Number(!!b.task) + Number(!!b.preTasks) - (Number(!!a.task) + Number(!!a.preTasks)));
}

/** `value` with the sibling role's name respelt as the client's. */
function likeSibling(value: string, sibling: Sibling | undefined, id: string): string | undefined {
  if (!sibling) return undefined;
  return respell(value, wordsOf(sibling.template.role.name), wordsOf(id));
}

/** The role a client is deployed by: `ansibleRole`, or the role named like the id. */
export function roleOf(index: RepoIndex, client: AnsibleClient): AnsibleRole | undefined {
  const name = client.role ?? client.id;
  return [...index.roles.values()].find((role) => role.name === name);
}

/**
 * The missing links of the Ansible side of `client`, each with the edit that writes it; empty
 * when the client has no role in the repo.
 */
export function ansibleClientLinks(index: RepoIndex, wiring: ClientWiring, client: AnsibleClient, reference?: SecretReference): AnsibleLink[] {
  const role = roleOf(index, client);
  if (!role) return [];
  const links: AnsibleLink[] = [];
  const siblings = siblingsOf(index, wiring, role);
  const sibling = siblings[0];
  const own = wiring.templates.find((template) => template.role === role);
  const variable =
    (own ? secretVariablesOf(wiring, own)[0] : undefined) ??
    likeSibling(sibling?.variable ?? "", sibling, client.id) ??
    `${client.id.replace(/[^A-Za-z0-9]+/gu, "_").toLowerCase()}_oidc_client_secret`;
  const templateName = own?.name ?? defaultTemplate;
  const templatePath = `${role.directory}/templates/${templateName}`;
  const tasks = allTasks(role.tasks);
  const mainTasks = role.tasks.filter((task) => /\/tasks\/main\.ya?ml$/u.test(task.file.relPath));
  const taskFile = mainTasks[0]?.file ?? role.tasks[0]?.file;
  const data = { clientId: client.id, role: role.name, template: templatePath, variable };

  // 1. The credentials template.
  if (!own && taskFile) {
    const firstLine = taskFile.text.indexOf("\n");
    links.push({
      messageId: "ansibleTemplateMissing",
      place: { file: taskFile, range: [0, firstLine === -1 ? taskFile.text.length : firstLine] },
      data,
      edit: { kind: "create", relPath: templatePath, text: `{"clientid": ${JSON.stringify(client.id)}, "clientsecret": "{{ ${variable} }}"}\n` },
    });
  }

  // 2. The task deploying it.
  const deployed = own ? own.deployed : tasks.some((task) => sourceOf(task).includes(templateName));
  if (!deployed && mainTasks.length > 0) {
    const templateTasks = mainTasks.filter(isTemplateTask);
    const anchor = templateTasks.at(-1) ?? mainTasks.at(-1)!;
    const previous = mainTasks[mainTasks.indexOf(anchor) - 1];
    const value = deployTask(role, sibling, client.id, templateName, variable, templateTasks, anchor);
    const anchorRange = rangeOf(anchor.node)!;
    const insertion = sequenceItemAfter(anchor.file.text, anchorRange, value, { previous: previous ? rangeOf(previous.node) : undefined });
    links.push({
      messageId: "ansibleTaskMissing",
      place: { file: anchor.file, node: anchor.node },
      data,
      edit: { kind: "insert", file: anchor.file, offset: insertion.offset, text: insertion.text },
    });
  }

  // 3. The pre_task reading the secret from 1Password, and the set_fact.
  const plays = index.playbooks.flatMap((playbook) => playbook.plays.map((play) => ({ playbook, play }))).filter(({ play }) => play.roles.some((entry) => entry.value === role.name));
  const defined =
    plays.some(({ play, playbook }) => definesVariable(playbook.file.text.slice(rangeOf(play.node)?.[0] ?? 0, rangeOf(play.node)?.[1]), variable)) ||
    index.files.some((file) => /(^|\/)(group_vars|host_vars|inventory|inventories)\//u.test(file.relPath) && definesVariable(file.text, variable)) ||
    [...role.defaults, ...role.vars].some((document) => keysOf(document.doc.contents).some((key) => key.value === variable));
  const target = plays[0];
  if (!defined && target) {
    const entry = target.play.roles.find((candidate) => candidate.value === role.name)!;
    const edit = preTaskEdit(target.playbook, target.play, sibling, client.id, variable, reference);
    links.push({
      messageId: "ansibleSecretNotRead",
      place: { file: target.playbook.file, node: entry.node },
      data: { ...data, playbook: target.playbook.file.relPath },
      edit,
    });
  }
  return links;
}

/** The task deploying the template, shaped like the sibling's. */
function deployTask(
  role: AnsibleRole,
  sibling: Sibling | undefined,
  id: string,
  templateName: string,
  variable: string,
  templateTasks: readonly AnsibleTask[],
  anchor: AnsibleTask,
): YamlMapping {
  const config = templateTasks.map((task) => argument(task, "dest")).find((dest) => dest !== undefined && !/systemd|\.service$/u.test(dest));
  const file = templateName.replace(/\.j2$/u, "");
  const dest = config ? `${path.posix.dirname(config)}/${file}` : `/etc/${role.name}/${file}`;
  const defaults = new Set([...role.defaults, ...role.vars].flatMap((document) => keysOf(document.doc.contents).map((key) => key.value)));
  const handlers = new Set(role.handlers.map((handler) => handler.name?.value).filter((name) => name !== undefined));
  const known = (value: string): boolean => [...value.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/gu)].every((match) => defaults.has(match[1]!));
  const model = sibling?.task;
  const action = model?.action?.value ?? anchor.action?.value ?? "ansible.builtin.template";
  const args: Record<string, string> = {};
  for (const key of model && isMap(model.args) ? keysOf(model.args).map((named) => named.value) : ["src", "dest", "mode"]) {
    if (key === "src") args.src = templateName;
    else if (key === "dest") args.dest = dest;
    else if (key === "mode") args.mode = "0600";
    else {
      const written = argument(model!, key);
      const value = written === undefined ? undefined : (likeSibling(written, sibling, id) ?? written);
      if (value !== undefined && known(value)) args[key] = value;
    }
  }
  args.src ??= templateName;
  args.dest ??= dest;
  args.mode ??= "0600";
  const name = (model?.name && (likeSibling(model.name.value, sibling, id) ?? model.name.value)) ?? "Write the OIDC client credentials";
  const task: Record<string, YamlMapping[string]> = { name, [action]: args, when: `${variable} is defined` };
  const notify = (task: AnsibleTask | undefined): string | undefined => (task && isMap(task.node) ? text(task.node.get("notify", true)) : undefined);
  const siblingNotify = notify(model);
  const respelt = siblingNotify === undefined ? undefined : likeSibling(siblingNotify, sibling, id);
  const handler = respelt !== undefined && handlers.has(respelt) ? respelt : notify(anchor);
  if (handler !== undefined && handlers.has(handler)) task.notify = handler;
  return task;
}

/** The pre_tasks reading the client secret and setting `variable`, after the play's last 1Password pre_task. */
function preTaskEdit(
  playbook: AnsiblePlaybook,
  play: AnsiblePlay,
  sibling: Sibling | undefined,
  id: string,
  variable: string,
  reference: SecretReference | undefined,
): AnsibleEdit | undefined {
  const source = playbook.file.text;
  const br = lineBreakOf(source);
  const tasks = play.preTasks;
  let last = -1;
  for (let index = 0; index < tasks.length; index++) if (onePasswordText.test(sourceOf(tasks[index]!))) last = index;
  if (last === -1) return undefined;
  // A 1Password read and the set_facts reading what it registered are one group.
  const registered = text(tasks[last]!.node.get("register", true));
  while (registered !== undefined && last + 1 < tasks.length && sourceOf(tasks[last + 1]!).includes(registered)) last++;
  const anchor = rangeOf(tasks[last]!.node)!;
  const offset = lineEnd(source, contentEnd(source, anchor[1]));
  const blank = tasks.length > 1 && /\n[ \t]*\r?\n/u.test(source.slice(contentEnd(source, rangeOf(tasks[0]!.node)![1]), rangeOf(tasks[1]!.node)![0])) ? br : "";

  const group = sibling?.preTasks;
  if (!group || group.length === 0) return undefined;
  const first = rangeOf(group[0]!.node)!;
  const end = rangeOf(group.at(-1)!.node)!;
  const siblingSource = group[0]!.file.text;
  const copied = siblingSource.slice(lineStart(siblingSource, first[0]), lineEnd(siblingSource, contentEnd(siblingSource, end[1])));
  let written = respell(copied, wordsOf(sibling.template.role.name), wordsOf(id));
  if (written === undefined) return undefined;
  // The variable the sibling sets is named as the template reads it.
  const siblingVariable = likeSibling(sibling.variable, sibling, id);
  if (siblingVariable !== undefined && siblingVariable !== variable) written = written.replace(new RegExp(`\\b${escapeRegExp(siblingVariable)}\\b`, "gu"), variable);
  if (reference) {
    written = written.replace(/op:\/\/([^/"'\s]+)\/[^"'\s]+/u, (_match, vault: string) => `op://${reference.vault ?? vault}/${reference.item}/${reference.field}`);
  }
  // The sibling's indentation is re-based on the target play's.
  const siblingColumn = first[0] - lineStart(siblingSource, first[0]);
  const targetFirst = rangeOf(tasks[0]!.node)![0];
  const targetColumn = targetFirst - lineStart(source, targetFirst);
  if (siblingColumn !== targetColumn) {
    const shift = targetColumn - siblingColumn;
    written = written
      .split(/\r?\n/u)
      .map((line) => (line.trim() === "" ? "" : shift > 0 ? " ".repeat(shift) + line : line.slice(Math.min(-shift, line.length - line.trimStart().length))))
      .join(br);
  } else if (br === "\r\n") {
    written = written.replace(/\r?\n/gu, br);
  }
  return { kind: "insert", file: playbook.file, offset, text: `${br}${blank}${written}` };
}
