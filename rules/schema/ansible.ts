/**
 * Ansible checked against ansible-core 2.17/2.18's own rules (schemas/ansible/): playbooks (plays,
 * import_playbook entries and every task list in them), the task and handler files of roles, and
 * roles' meta/main.yml. Each task has exactly one action, the one key that is not a keyword, and
 * the arguments of the modules schemas/ansible/modules.json describes are checked as the module
 * receives them: its own value (a mapping, or a string of `k=v` pairs or free-form text) merged
 * over the task's `args:`.
 *
 * Ansible reads all of this only when a playbook runs: an unknown keyword stops ansible-playbook
 * before the first task, a misspelt module argument fails the task on the host, both far from the
 * commit.
 */
import { isMap, isScalar, isSeq, type Node, Pair, Scalar, YAMLMap } from "yaml";
import keywords from "../../schemas/ansible/keywords.json" with { type: "json" };
import metaSchema from "../../schemas/ansible/meta.json" with { type: "json" };
import modules from "../../schemas/ansible/modules.json" with { type: "json" };
import playbookSchema from "../../schemas/ansible/playbook.json" with { type: "json" };
import taskSchema from "../../schemas/ansible/task.json" with { type: "json" };
import { roleFileOf } from "../../src/index/ansible.ts";
import type { AnsibleTask } from "../../src/index/model.ts";
import { field, text } from "../../src/index/read.ts";
import type { ParsedFile } from "../../src/parse/index.ts";
import type { GitopsRule, UncertainOptions } from "../../src/rule.ts";
import { ruleDocsUrl, uncertainDefaults, uncertainSchema } from "../../src/rule.ts";
import { checkNode, closest, editDistance, type SchemaProblem } from "../../src/schema/index.ts";
import { messageData, messageIdOf, type SchemaMessageId } from "../../src/schema/report.ts";
import { suggestionDistance } from "../../src/schema/suggest.ts";

type MessageId =
  | SchemaMessageId
  | "notBoolean"
  | "variableName"
  | "varsList"
  | "factName"
  | "blockMissing"
  | "unknownKeyword"
  | "handlerKeyword"
  | "playKeyword"
  | "removedKeyword"
  | "removedAction"
  | "twoActions"
  | "noAction"
  | "includeKeyword"
  | "importLoop"
  | "freeForm"
  | "unknownArgument"
  | "unknownArgumentDidYouMean"
  | "missingArgument"
  | "wrongArgument"
  | "wrongArgumentDidYouMean"
  | "wrongArgumentType"
  | "invalidArgument"
  | "galaxyInfo"
  | "minAnsibleVersionNumber";

interface ModuleSchema {
  properties?: Record<string, unknown>;
  anyOf?: Array<{ required?: string[] }>;
}

const moduleSchemas = modules.modules as Record<string, ModuleSchema>;
const moduleAliases = modules.aliases as Record<string, string>;

/** The fully qualified name of a module modules.json describes, by any name Ansible resolves to it. */
function moduleOf(name: string): string | undefined {
  return name in moduleSchemas ? name : moduleAliases[name];
}

const removedKeywords = keywords.removed.keywords as Record<string, string>;
const removedActions = keywords.removed.actions as Record<string, string>;

/** `async_val` and `loop_with` are accepted though no one writes them; `static` is removed. */
const internalKeywords = keywords.internal.task.filter((keyword) => !(keyword in removedKeywords));
const taskKeywords: ReadonlySet<string> = new Set([...keywords.task, ...internalKeywords]);
const handlerKeywords: ReadonlySet<string> = new Set([...keywords.handler, ...internalKeywords]);
const handlerOnlyKeywords: ReadonlySet<string> = new Set(keywords.handler.filter((keyword) => !keywords.task.includes(keyword)));
const blockKeys = ["block", "rescue", "always"];
/** Play keywords that are no task keyword, nor a module (`gather_facts` is both). */
const playOnlyKeywords: ReadonlySet<string> = new Set(keywords.play.filter((keyword) => !handlerKeywords.has(keyword) && keyword !== "gather_facts"));

/** Ansible's `with_<lookup>` loops, any lookup. */
const isWithLoop = (key: string): boolean => key.startsWith(keywords.withLoopPrefix);

/**
 * Module names within edit distance 2 of a keyword that ansible-core resolves: ansible.builtin's
 * `dnf` and `dnf5`, and short names it routes to collections (ansible_builtin_runtime.yml). They
 * are actions, not misspelt keywords.
 */
const modulesNearKeywords: ReadonlySet<string> = new Set([
  "dnf", "dnf5", "iam", "lldp", "lvol", "make", "mas", "npm", "pamd", "rds", "seport", "slack", "sros", "virt", "voss", "vyos", "yarn",
]);

/** A key that names a module: a collection's (`community.general.npm`) or one ansible-core resolves. */
function isModuleName(key: string): boolean {
  return key.includes(".") || moduleOf(key) !== undefined || modulesNearKeywords.has(key);
}

const includeActions: ReadonlySet<string> = new Set(keywords.includeKeywords.actions);
const includeKeywords: ReadonlySet<string> = new Set(keywords.includeKeywords.keywords);
const importActions: ReadonlySet<string> = new Set(
  Object.keys({ ...moduleSchemas, ...moduleAliases }).filter((name) => /^ansible\.builtin\.import_(tasks|role)$/u.test(moduleOf(name) ?? "")),
);

/** Modules whose string value is a command line (ModuleArgsParser's FREEFORM_ACTIONS). */
const freeFormModules: ReadonlySet<string> = new Set(["ansible.builtin.command", "ansible.builtin.shell"]);
/** parse_kv(check_raw=True): the only `k=v` options Ansible takes out of a free-form module's text. */
const freeFormOptions: ReadonlySet<string> = new Set(["creates", "removes", "chdir", "executable", "warn", "stdin", "stdin_add_newline", "strip_empty_ends"]);

/** Ansible templates a string holding a Jinja2 expression or statement before it reads it. */
const templated = /\{\{|\{%/u;

const definitions = playbookSchema.definitions;

/**
 * What a value must be, by the pattern of the schema that rejected it: ajv says "must match
 * pattern", which tells the reader nothing. The patterns are the schemas' own.
 */
const patternMeanings = new Map<string, string>([
  [definitions.integer.anyOf[1]!.pattern!, "an integer"],
  [definitions.number.anyOf[1]!.pattern!, "a number"],
  [definitions.percent.anyOf[1]!.pattern!, "a number or a percentage"],
  [definitions.serial.pattern, "a number of hosts or a percentage"],
  [definitions.identifier.pattern, "a variable name (letters, digits and _, not starting with a digit, not a Python keyword)"],
]);
/** Keywords whose only string form is a template: what else they take. */
const templateOnly: Record<string, string> = {
  loop: "a list",
  args: "a mapping",
  environment: "a mapping or a list of mappings",
  module_defaults: "a mapping",
};

/** A scalar's value quoted as a message shows it: `"maybe"`, `3`. */
function quoted(node: Node): string {
  const value = isScalar(node) ? node.value : undefined;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function describeWritten(node: Node): string {
  return isScalar(node) && typeof node.value === "string" ? `the string ${quoted(node)}` : quoted(node);
}

/** "must match pattern …" → what the value must be, as a type problem. */
function explained(problem: SchemaProblem): SchemaProblem {
  const pattern = /^must match pattern "(.*)"$/su.exec(problem.detail)?.[1];
  if (problem.kind !== "invalid" || pattern === undefined) return problem;
  const meaning =
    patternMeanings.get(pattern) ?? (problem.key !== undefined && problem.key in templateOnly ? `${templateOnly[problem.key]} or a template` : "a template");
  return { ...problem, kind: "wrongType", detail: `must be ${meaning}, not ${describeWritten(problem.node)}` };
}

/**
 * A misspelt required key is one mistake, not an unknown key and a missing one: the unknown key
 * within edit distance 2 of the missing one is reported, naming the missing one (`sorce:` in a
 * template means "src", although "force" is nearer).
 */
function oneMessagePerMistake(problems: readonly SchemaProblem[]): SchemaProblem[] {
  const merged = new Map<SchemaProblem, SchemaProblem>();
  const dropped = new Set<SchemaProblem>();
  for (const missing of problems) {
    if (missing.kind !== "missingKey" || missing.key === undefined) continue;
    const wanted = missing.key;
    const misspelt = problems.find(
      (problem) =>
        problem.kind === "unknownKey" &&
        problem.path === missing.path &&
        problem.key !== undefined &&
        !merged.has(problem) &&
        editDistance(problem.key.toLowerCase(), wanted.toLowerCase(), suggestionDistance) <= suggestionDistance,
    );
    if (!misspelt) continue;
    merged.set(misspelt, { ...misspelt, suggestion: wanted });
    dropped.add(missing);
  }
  return problems.filter((problem) => !dropped.has(problem)).map((problem) => merged.get(problem) ?? problem);
}

const booleanWords = ["yes", "no", "true", "false"];

function isBooleanProblem(problem: SchemaProblem): boolean {
  return problem.kind === "wrongValue" && booleanWords.every((word) => problem.allowed.includes(word));
}

// ── Module arguments as Ansible parses a string ────────────────────────────────────────────────

/**
 * Ansible's split_args, as far as positions need it: whitespace separates arguments, except
 * inside quotes and Jinja2 blocks (`{{ item | upper }}` is one argument).
 */
function splitArguments(value: string): string[] {
  const tokens: string[] = [];
  let start = -1;
  let quote = "";
  let depth = 0;
  for (let index = 0; index < value.length; index++) {
    const char = value[index]!;
    const next = value[index + 1] ?? "";
    if (start === -1) {
      if (/\s/u.test(char)) continue;
      start = index;
    }
    if (quote !== "") {
      if (char === quote && value[index - 1] !== "\\") quote = "";
    } else if (char === "{" && (next === "{" || next === "%" || next === "#")) {
      depth++;
      index++;
    } else if (depth > 0) {
      if ((char === "}" || char === "%" || char === "#") && next === "}") {
        depth--;
        index++;
      }
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (/\s/u.test(char)) {
      tokens.push(value.slice(start, index));
      start = -1;
    }
  }
  if (start !== -1) tokens.push(value.slice(start));
  return tokens;
}

/** parse_kv's split of `k=v`: at the first `=` after the first character that is not escaped. */
function keyValue(token: string): [string, string] | undefined {
  for (let index = 1; index < token.length; index++) {
    if (token[index] === "=" && token[index - 1] !== "\\") return [token.slice(0, index), token.slice(index + 1)];
  }
  return undefined;
}

function unquote(value: string): string {
  const first = value[0];
  return value.length > 1 && (first === '"' || first === "'") && value.endsWith(first) ? value.slice(1, -1) : value;
}

/** A scalar standing for part of a string, positioned where that part is written. */
function partOf(value: string, range: [number, number] | undefined, whole: Node): Scalar {
  const scalar = new Scalar(value);
  const fallback = whole.range ?? [0, 0, 0];
  scalar.range = range ? [range[0], range[1], range[1]] : [fallback[0], fallback[1], fallback[1]];
  return scalar;
}

interface Arguments {
  pairs: Pair[];
  /** Free-form text (parse_kv's `_raw_params`) and the node it is written in. */
  raw?: { text: string; node: Node };
}

/**
 * The arguments written in a string, as parse_kv reads them: `k=v` pairs (for a free-form module
 * only its documented options) and the rest as free-form text. Each pair is positioned where it
 * is written when the source shows it as it is, else on the whole string.
 */
function stringArguments(node: Scalar, value: string, source: string, freeForm: boolean, skipFirst: boolean): Arguments {
  const pairs: Pair[] = [];
  const raw: string[] = [];
  const [start, end] = node.range ?? [0, 0];
  const written = source.slice(start, end);
  let cursor = 0;
  for (const [index, token] of splitArguments(value).entries()) {
    const at = written.indexOf(token, cursor);
    if (at !== -1) cursor = at + token.length;
    if (index === 0 && skipFirst) continue;
    const split = keyValue(token);
    if (!split || (freeForm && !freeFormOptions.has(split[0]))) {
      raw.push(token);
      continue;
    }
    const [key, rest] = split;
    const keyRange: [number, number] | undefined = at === -1 ? undefined : [start + at, start + at + key.length];
    const valueRange: [number, number] | undefined = at === -1 ? undefined : [start + at + key.length + 1, start + at + token.length];
    pairs.push(new Pair(partOf(key, keyRange, node), partOf(unquote(rest), valueRange, node)));
  }
  return { pairs, raw: raw.length > 0 ? { text: raw.join(" "), node } : undefined };
}

function mappingArguments(node: YAMLMap, except?: string): Arguments {
  return { pairs: node.items.filter((pair) => text(pair.key) !== except) };
}

function keyOf(pair: Pair): string {
  return text(pair.key) ?? "";
}

/**
 * YAML 1.1's merge key (`<<: *defaults`), which Ansible's loader follows: the mapping has keys the
 * tree does not show, so nothing can be said about what it lacks.
 */
function isMergeKey(node: unknown): boolean {
  return isScalar(node) && typeof node.value === "symbol";
}

function hasMergeKey(node: unknown): boolean {
  return isMap(node) && node.items.some((pair) => isMergeKey(pair.key));
}

// ── Tasks ──────────────────────────────────────────────────────────────────────────────────────

interface Action {
  /** The module, as written. */
  name: string;
  /** Where the action is named: its key, or `action:`/`local_action:`. */
  key: Node;
  value: unknown;
  /** `action:`/`local_action:`: the module is named inside the value. */
  inline: boolean;
}

/** The module an `action:`/`local_action:` value names: `copy src=a` or `{ module: copy, … }`. */
function inlineModule(value: unknown): string | undefined {
  const written = isMap(value) ? text(field(value, "module")) : text(value);
  return written?.trim().split(/\s+/u)[0] || undefined;
}

const rule: GitopsRule<MessageId, [UncertainOptions?]> = {
  meta: {
    type: "problem",
    docs: {
      description:
        "Ansible playbooks, role task and handler files and role metadata match ansible-core 2.17/2.18: keywords and their values, one action per task, the arguments of the modules gitops-lint reads",
      url: ruleDocsUrl("schema/ansible"),
      recommended: true,
      warningMessages: ["varsList", "galaxyInfo", "minAnsibleVersionNumber"],
    },
    messages: {
      unknownKey:
        '{{at}}unknown key "{{key}}" (known here: {{allowed}}): ansible-playbook stops with "\'{{key}}\' is not a valid attribute" before running any task. Remove it or move it where it belongs.',
      unknownKeyDidYouMean:
        '{{at}}unknown key "{{key}}"; did you mean "{{suggestion}}"? ansible-playbook stops with "\'{{key}}\' is not a valid attribute" before running any task. Rename it to "{{suggestion}}".',
      missingKey: '{{at}}{{detail}}: Ansible cannot load it, and ansible-playbook stops before running any task. Add "{{key}}".',
      wrongValue: "{{at}}{{detail}}: Ansible rejects the value and fails the play or task when it reaches it. Use one of the allowed values.",
      wrongValueDidYouMean:
        '{{at}}{{detail}}; did you mean "{{suggestion}}"? Ansible rejects the value and fails the play or task when it reaches it.',
      wrongType: "{{at}}{{detail}}: Ansible cannot read the value and fails the play or task when it reaches it. Correct the value.",
      invalid: "{{at}}{{detail}}: Ansible rejects the value and fails the play or task when it reaches it.",
      notBoolean:
        '{{at}}{{value}} is not a boolean: Ansible fails the task on every host with "not a valid boolean". Write true or false (yes and no also work).',
      variableName:
        '{{at}}"{{key}}" is not a valid variable name: ansible-playbook stops with "Invalid variable name in vars" before running any task. Use letters, digits and _, not starting with a digit.',
      varsList:
        '{{at}}vars given as a list of mappings: ansible-core 2.17 only warns that this is deprecated, 2.18 stops with "Vars in a Play (or Task, Block) must be specified as a dictionary". Merge the items into one mapping.',
      factName:
        '{{module}}: "{{key}}" is not a valid variable name: set_fact fails on every host ("The variable name is not valid"). Use letters, digits and _, not starting with a digit.',
      blockMissing:
        '"{{key}}" without "block": ansible-playbook stops with "\'{{key}}\' keyword cannot be used without \'block\'" before running any task. Put the tasks it guards under "block:".',
      unknownKeyword:
        'unknown task keyword "{{key}}"; did you mean "{{suggestion}}"? Ansible takes it for a module, and ansible-playbook stops before running any task ("conflicting action statements" or "couldn\'t resolve module/action"). Rename it to "{{suggestion}}".',
      handlerKeyword:
        '"{{key}}" is a handler keyword, and this task is not a handler: ansible-playbook stops with "\'{{key}}\' is not a valid attribute for a Task" before running any task. Move the task under handlers, or remove "{{key}}".',
      playKeyword:
        '"{{key}}" is a play keyword, not a task keyword: ansible-playbook stops with "\'{{key}}\' is not a valid attribute for a Task" before running any task. Move it to the play, or remove it.',
      removedKeyword:
        '"{{key}}" is no longer an Ansible keyword (write {{replacement}} instead): ansible-core 2.17 rejects it, and ansible-playbook stops before running any task.',
      removedAction:
        '"{{key}}" is no longer an Ansible action: ansible-playbook stops with "couldn\'t resolve module/action" before running any task. Use {{replacement}}.',
      twoActions:
        'task has two actions, "{{first}}" and "{{second}}": Ansible fails with \'conflicting action statements\' before running any task. Split it into two tasks, one action each.',
      noAction:
        'task has no action: every key is a keyword, and ansible-playbook stops with "no module/action detected in task" before running any task. Add the module the task should run.',
      includeKeyword:
        '"{{key}}" is not a keyword {{action}} takes (it takes {{allowed}}): ansible-playbook stops with "\'{{key}}\' is not a valid attribute" before running any task. Give it to the included tasks with apply:, or set it on them.',
      importLoop:
        '{{action}} cannot loop ("{{key}}"): an import is resolved before the play runs, and ansible-playbook stops with "You cannot use loops on \'{{action}}\' statements". Use {{include}} instead.',
      freeForm:
        '{{module}} takes no free-form text ("{{text}}"), only key=value pairs: ansible-playbook stops before running any task ("this task has extra params" or "Invalid options"). Write the arguments as a mapping or as key=value pairs.',
      unknownArgument:
        '{{module}}: {{at}}unknown argument "{{key}}" (known: {{allowed}}): the module fails on the host with "Unsupported parameters". Remove it or correct its name.',
      unknownArgumentDidYouMean:
        '{{module}}: {{at}}unknown argument "{{key}}"; did you mean "{{suggestion}}"? The module fails on the host with "Unsupported parameters". Rename it to "{{suggestion}}".',
      missingArgument: '{{module}}: {{at}}{{detail}}: the task fails on the host ("missing required arguments") without doing anything. Add it.',
      wrongArgument:
        '{{module}}: {{at}}{{detail}}: the module fails on the host ("value of {{key}} must be one of …"). Use one of the allowed values.',
      wrongArgumentDidYouMean:
        '{{module}}: {{at}}{{detail}}; did you mean "{{suggestion}}"? The module fails on the host ("value of {{key}} must be one of …").',
      wrongArgumentType: "{{module}}: {{at}}{{detail}}: the module cannot convert it and fails on the host. Correct the value.",
      invalidArgument: "{{module}}: {{at}}{{detail}}: the module fails on the host.",
      galaxyInfo:
        "{{at}}{{detail}}: ansible-core does not read galaxy_info, but ansible-galaxy and Galaxy read it to import and list the role. Correct it.",
      minAnsibleVersionNumber:
        'galaxy_info.min_ansible_version is the number {{value}} (written {{written}}), not a string: Galaxy and ansible-lint expect a version string, and a number loses its trailing zeros (2.10 unquoted is 2.1). ansible-core itself does not read it. Quote it: "{{written}}".',
    },
    schema: uncertainSchema,
    defaultOptions: uncertainDefaults,
  },
  create(context) {
    const source = context.sourceCode.text;
    // Merge keys hide keys from the schema: where the file has one, no key is said to be missing.
    // Asked only when a key is missing: most files are no Ansible file, and some are large.
    let merges: boolean | undefined;
    const mayMerge = (): boolean => (merges ??= source.includes("<<") && /(?:^|[\s{,])<<\s*:/mu.test(source));

    /** Problems with plays, blocks, keywords' values and role metadata. */
    function reportKeywordProblems(problems: readonly SchemaProblem[]): void {
      for (const problem of oneMessagePerMistake(problems.map(explained))) {
        if (isMergeKey(problem.node) || (problem.kind === "missingKey" && mayMerge())) continue;
        const data = messageData(problem);
        const blockless = /^must have property block when property (\w+) is present$/u.exec(problem.detail)?.[1];
        if (blockless !== undefined && isMap(problem.node)) {
          const pair = problem.node.items.find((item) => keyOf(item) === blockless);
          context.report({ node: (pair?.key as Node | undefined) ?? problem.node, messageId: "blockMissing", data: { key: blockless } });
        } else if (isBooleanProblem(problem)) {
          context.report({ node: problem.node, messageId: "notBoolean", data: { ...data, value: quoted(problem.node) } });
        } else if (problem.kind === "wrongType" && problem.key === "vars" && isSeq(problem.node) && problem.node.items.every(isMap)) {
          context.report({ node: problem.node, messageId: "varsList", data });
        } else if (problem.kind === "unknownKey" && /(?:^|\.)vars$/u.test(problem.path) && problem.allowed.length === 0) {
          // `vars` take any name that is an identifier: an "unknown key" there is a bad name.
          context.report({ node: problem.node, messageId: "variableName", data });
        } else {
          context.report({ node: problem.node, messageId: messageIdOf(problem), data });
        }
      }
    }

    /** `module` is the name as written, `fqcn` the module it resolves to. */
    function reportArgumentProblems(problems: readonly SchemaProblem[], module: string, fqcn: string): void {
      const schema = moduleSchemas[fqcn]!;
      // Modules that take one of several arguments (copy: src or content) list them all.
      const alternatives = (schema.anyOf ?? []).flatMap((branch) => branch.required ?? []);
      const label = (name: string): string => (name === "_raw_params" ? "free-form text" : `"${name}"`);
      for (const problem of oneMessagePerMistake(problems.map(explained))) {
        // command takes `executable` and ignores it with a warning: it is shell's.
        if (problem.kind === "unknownKey" && problem.key === "executable" && fqcn === "ansible.builtin.command") continue;
        const data: Record<string, string> = { ...messageData(problem), module };
        data.allowed = problem.allowed
          .filter((name) => name !== "_raw_params")
          .map((name) => `"${name}"`)
          .join(", ");
        let messageId: MessageId;
        switch (problem.kind) {
          case "unknownKey":
            // set_fact's arguments are the variables it sets.
            if (fqcn === "ansible.builtin.set_fact") messageId = "factName";
            else messageId = problem.suggestion ? "unknownArgumentDidYouMean" : "unknownArgument";
            break;
          case "missingKey":
            messageId = "missingArgument";
            data.detail =
              problem.key !== undefined && alternatives.includes(problem.key)
                ? `missing one of ${alternatives.map(label).join(", ")}`
                : `missing required argument "${problem.key ?? ""}"`;
            break;
          case "wrongValue":
            messageId = isBooleanProblem(problem) ? "notBoolean" : problem.suggestion ? "wrongArgumentDidYouMean" : "wrongArgument";
            if (messageId === "notBoolean") data.at = `${module}: ${data.at}`;
            break;
          case "wrongType":
            messageId = "wrongArgumentType";
            break;
          default:
            messageId = "invalidArgument";
        }
        context.report({ node: problem.node, messageId, data: { ...data, value: quoted(problem.node) } });
      }
    }

    /** The arguments an action's value gives, or undefined when it cannot be read. */
    function argumentsOf(action: Action, freeForm: boolean): Arguments | undefined {
      const value = action.value;
      if (value === null || value === undefined || (isScalar(value) && value.value === null)) return { pairs: [] };
      if (isMap(value)) {
        if (!action.inline) return mappingArguments(value);
        // `module: copy src=a` carries arguments too.
        const module = field(value, "module");
        const own = mappingArguments(value, "module");
        if (!isScalar(module) || typeof module.value !== "string") return own;
        const inner = stringArguments(module, module.value, source, freeForm, true);
        return { pairs: [...own.pairs, ...inner.pairs], raw: inner.raw };
      }
      if (isScalar(value) && typeof value.value === "string") return stringArguments(value, value.value, source, freeForm, action.inline);
      return undefined;
    }

    /** The module's arguments after Ansible's merge: its own value over `args:`. */
    function checkArguments(task: YAMLMap, action: Action): void {
      const module = moduleOf(action.name);
      if (!module) return;
      const schema = moduleSchemas[module]!;
      const own = argumentsOf(action, freeFormModules.has(module));
      if (!own) return;
      const argsNode: unknown = task.get("args", true);
      let extra: Arguments = { pairs: [] };
      if (isMap(argsNode)) extra = mappingArguments(argsNode);
      else if (argsNode !== null && argsNode !== undefined && !(isScalar(argsNode) && argsNode.value === null)) return;
      const pairs = [...own.pairs];
      if (own.raw) {
        if (schema.properties && "_raw_params" in schema.properties) {
          pairs.push(new Pair(partOf("_raw_params", undefined, own.raw.node), own.raw.node));
        } else if (templated.test(own.raw.text)) {
          // Ansible passes a templated string as the arguments (`_variable_params`).
          return;
        } else {
          context.report({ node: own.raw.node, messageId: "freeForm", data: { module: action.name, text: own.raw.text } });
          return;
        }
      }
      const given = new Set(pairs.map(keyOf));
      const merged = new YAMLMap();
      merged.items.push(...pairs, ...extra.pairs.filter((pair) => !given.has(keyOf(pair))));
      // A missing argument is reported at the module's first argument, else at the module.
      const value = action.value;
      const first = isMap(value) ? (value.items[0]?.key as Node | undefined) : undefined;
      const anchor = first ?? action.key;
      const merges = hasMergeKey(value) || hasMergeKey(argsNode);
      const problems = checkNode(merged, schema)
        .filter((problem) => !(merges && problem.kind === "missingKey") && !isMergeKey(problem.node))
        .map((problem) => (problem.node === merged || (problem.kind === "missingKey" && problem.path === "") ? { ...problem, node: anchor } : problem));
      reportArgumentProblems(problems, action.name, module);
    }

    function checkTask(task: AnsibleTask, handler: boolean): void {
      const node = task.node;
      if (blockKeys.some((key) => node.has(key))) {
        // A block's keys are the schema's; its tasks are tasks.
        for (const child of task.children) checkTask(child, handler);
        return;
      }
      const known = handler ? handlerKeywords : taskKeywords;
      const suggestions = [...(handler ? keywords.handler : keywords.task), ...blockKeys];
      const actions: Action[] = [];
      let reported = false;
      for (const pair of node.items) {
        const key = text(pair.key);
        if (key === undefined) continue;
        const keyNode = pair.key as Node;
        if (key === "action" || key === "local_action") {
          actions.push({ name: inlineModule(pair.value) ?? key, key: keyNode, value: pair.value, inline: true });
        } else if (known.has(key) || isWithLoop(key)) {
          continue;
        } else if (handlerOnlyKeywords.has(key)) {
          context.report({ node: keyNode, messageId: "handlerKeyword", data: { key } });
          reported = true;
        } else if (playOnlyKeywords.has(key)) {
          context.report({ node: keyNode, messageId: "playKeyword", data: { key } });
          reported = true;
        } else if (key in removedKeywords) {
          context.report({ node: keyNode, messageId: "removedKeyword", data: { key, replacement: removedKeywords[key]! } });
          reported = true;
        } else if (key in removedActions) {
          context.report({ node: keyNode, messageId: "removedAction", data: { key, replacement: removedActions[key]! } });
          actions.push({ name: key, key: keyNode, value: pair.value, inline: false });
        } else {
          const suggestion = isModuleName(key) ? undefined : closest(key, suggestions);
          if (suggestion) {
            context.report({ node: keyNode, messageId: "unknownKeyword", data: { key, suggestion } });
            reported = true;
          } else {
            actions.push({ name: key, key: keyNode, value: pair.value, inline: false });
          }
        }
      }
      const [action, ...others] = actions;
      if (!action) {
        // A misspelt keyword where the action should be (`whenn:` alone) is one mistake, reported;
        // a merge key may bring the action.
        if (!reported && !hasMergeKey(node)) context.report({ node: (node.items[0]?.key as Node | undefined) ?? node, messageId: "noAction" });
        return;
      }
      for (const other of others) {
        context.report({ node: other.key, messageId: "twoActions", data: { first: action.name, second: other.name } });
      }
      if (others.length > 0) return;
      checkActionKeywords(node, action, handler);
      checkArguments(node, action);
    }

    /** include_* take few keywords, import_* no loop. */
    function checkActionKeywords(node: YAMLMap, action: Action, handler: boolean): void {
      if (includeActions.has(action.name)) {
        // HandlerTaskInclude also takes listen.
        const allowed = handler ? new Set([...includeKeywords, "listen"]) : includeKeywords;
        for (const pair of node.items) {
          const key = keyOf(pair);
          if (!taskKeywords.has(key) && !handlerKeywords.has(key)) continue;
          if (allowed.has(key) || internalKeywords.includes(key)) continue;
          context.report({
            node: pair.key as Node,
            messageId: "includeKeyword",
            data: { key, action: action.name, allowed: [...allowed].sort().join(", ") },
          });
        }
      }
      if (importActions.has(action.name)) {
        for (const pair of node.items) {
          const key = keyOf(pair);
          if (key !== "loop" && !isWithLoop(key)) continue;
          context.report({
            node: pair.key as Node,
            messageId: "importLoop",
            data: { key, action: action.name, include: action.name.replace("import_", "include_") },
          });
        }
      }
    }

    function checkMeta(contents: Node | null): void {
      const problems = checkNode(contents, metaSchema);
      const galaxy = problems.filter((problem) => problem.path === "galaxy_info" || problem.path.startsWith("galaxy_info."));
      reportKeywordProblems(problems.filter((problem) => !galaxy.includes(problem)));
      for (const problem of galaxy) {
        if (problem.kind === "missingKey" && mayMerge()) continue;
        const node = problem.node;
        if (problem.path === "galaxy_info.min_ansible_version" && isScalar(node) && typeof node.value === "number") {
          const [start, end] = node.range ?? [0, 0];
          context.report({ node, messageId: "minAnsibleVersionNumber", data: { value: String(node.value), written: source.slice(start, end) } });
        } else {
          context.report({ node, messageId: "galaxyInfo", data: messageData(problem) });
        }
      }
    }

    /** A role's task, handler or meta file. */
    function checkRoleFile(file: ParsedFile): void {
      const place = roleFileOf(file.relPath);
      if (!place || file.kind === "template") return;
      const role = context.sourceCode.index.roles.get(place.directory);
      if (!role) return;
      if (place.part === "tasks" || place.part === "handlers") {
        for (const document of file.documents) reportKeywordProblems(checkNode(document.doc.contents, taskSchema));
        for (const task of place.part === "tasks" ? role.tasks : role.handlers) {
          if (task.file.path === file.path) checkTask(task, place.part === "handlers");
        }
      } else if (place.part === "meta" && role.meta && file.documents.includes(role.meta)) {
        checkMeta(role.meta.doc.contents);
      }
    }

    return {
      File(file) {
        checkRoleFile(file);
      },
      AnsiblePlaybook(playbook) {
        reportKeywordProblems(checkNode(playbook.node, playbookSchema));
        for (const play of playbook.plays) {
          for (const task of [...play.preTasks, ...play.tasks, ...play.postTasks]) checkTask(task, false);
          for (const task of play.handlers) checkTask(task, true);
        }
      },
    };
  },
};

export default rule;
