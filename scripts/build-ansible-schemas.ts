/**
 * Writes the Ansible schemas of this folder from one description of ansible-core 2.17/2.18:
 * the keyword lists (`keywords.json`), the playbook, task-file and role-meta schemas
 * (`playbook.json`, `task.json`, `meta.json`) and the arguments of the modules the rules read
 * (`modules.json`). Run from the project root after changing it:
 *
 *   bun scripts/build-ansible-schemas.ts
 *
 * The output is committed and a test checks that it is what this script writes. Each schema file
 * stands alone (draft-07, no `$id`, no reference to another file), so it compiles as it is; each
 * module's schema in `modules.json` carries the definitions it uses, so it compiles alone too.
 *
 * Keyword lists are the `FieldAttribute`s of ansible-core's classes and of the mixins they
 * inherit, as `_validate_attributes` accepts them (see `sources`). Value types follow how
 * ansible-core loads each attribute (`isa`, its `_load_*`/`_validate_*` methods), and accept a
 * templated string (`"{{ … }}"`) wherever Ansible templates the value before it converts it.
 *
 * Two constraints come from how src/schema reports errors: its collapse of `anyOf` attributes an
 * error to a branch by the error's schema path, and a `$ref` restarts that path. So no `anyOf`
 * branch holds a `$ref` (the alternatives are written inline), and plays are told from
 * `import_playbook` entries, and tasks from blocks, by `dependencies` on the key that decides,
 * not by `anyOf` or `if` (which would add an error of their own to each real one).
 */
import fs from "node:fs";
import path from "node:path";

type Schema = Record<string, unknown>;

export const outputDirectory = path.join(import.meta.dir, "../schemas/ansible");

const ansibleCore = "2.18";

const sources = [
  "ansible/ansible lib/ansible/playbook/base.py: class Base",
  "ansible/ansible lib/ansible/playbook/conditional.py: class Conditional",
  "ansible/ansible lib/ansible/playbook/taggable.py: class Taggable",
  "ansible/ansible lib/ansible/playbook/collectionsearch.py: class CollectionSearch",
  "ansible/ansible lib/ansible/playbook/notifiable.py: class Notifiable",
  "ansible/ansible lib/ansible/playbook/delegatable.py: class Delegatable",
  "ansible/ansible lib/ansible/playbook/play.py: class Play(Base, Taggable, CollectionSearch), Play.preprocess_data (user)",
  "ansible/ansible lib/ansible/playbook/role/definition.py: class RoleDefinition (role:, roles: and dependencies: entries)",
  "ansible/ansible lib/ansible/playbook/role/include.py: class RoleInclude(RoleDefinition, Delegatable)",
  "ansible/ansible lib/ansible/playbook/role/metadata.py: class RoleMetadata (meta/main.yml)",
  "ansible/ansible lib/ansible/playbook/block.py: class Block(Base, Conditional, CollectionSearch, Taggable, Notifiable, Delegatable)",
  "ansible/ansible lib/ansible/playbook/task.py: class Task(Base, Conditional, Taggable, CollectionSearch, Notifiable, Delegatable), Task.preprocess_data (with_<lookup>)",
  "ansible/ansible lib/ansible/playbook/handler.py: class Handler(Task)",
  "ansible/ansible lib/ansible/playbook/loop_control.py: class LoopControl (break_when since 2.18)",
  "ansible/ansible lib/ansible/playbook/playbook_include.py: class PlaybookInclude(Base, Conditional, Taggable)",
  "ansible/ansible lib/ansible/playbook/task_include.py: TaskInclude.VALID_ARGS, VALID_INCLUDE_KEYWORDS",
  "ansible/ansible lib/ansible/playbook/role_include.py: IncludeRole.VALID_ARGS (include_role, import_role)",
  "ansible/ansible lib/ansible/parsing/mod_args.py: ModuleArgsParser (action, local_action, args, free-form modules)",
  "ansible/ansible lib/ansible/constants.py: _ACTION_IMPORT_PLAYBOOK, MODULE_REQUIRE_ARGS",
  "docs.ansible.com reference_appendices/playbooks_keywords.html (Playbook Keywords)",
];

const moduleSources = [
  "ansible/ansible lib/ansible/modules/template.py and plugins/doc_fragments/template_common.py",
  "ansible/ansible lib/ansible/modules/copy.py",
  "ansible/ansible lib/ansible/modules/command.py and module_utils (command argument_spec)",
  "ansible/ansible lib/ansible/modules/shell.py",
  "ansible/ansible lib/ansible/modules/set_fact.py and plugins/action/set_fact.py",
  "ansible/ansible lib/ansible/modules/file.py",
  "ansible/ansible lib/ansible/modules/stat.py (get_md5 removed in 2.16)",
  "ansible/ansible lib/ansible/modules/include_role.py, import_role.py and playbook/role_include.py",
  "ansible/ansible lib/ansible/modules/include_tasks.py, import_tasks.py and playbook/task_include.py",
  "ansible/ansible plugins/doc_fragments/files.py, backup.py, validate.py, decrypt.py",
];

// --- Keywords: the FieldAttributes of each class and of its mixins ---

const base = [
  "name", "connection", "port", "remote_user", "vars", "module_defaults", "environment", "no_log", "run_once",
  "ignore_errors", "ignore_unreachable", "check_mode", "diff", "any_errors_fatal", "throttle", "timeout", "debugger",
  "become", "become_method", "become_user", "become_flags", "become_exe",
];
const conditional = ["when"];
const taggable = ["tags"];
const collectionSearch = ["collections"];
const notifiable = ["notify"];
const delegatable = ["delegate_to", "delegate_facts"];
const playOwn = [
  "hosts", "gather_facts", "gather_subset", "gather_timeout", "fact_path", "vars_files", "vars_prompt", "roles",
  "handlers", "pre_tasks", "post_tasks", "tasks", "force_handlers", "max_fail_percentage", "serial", "strategy", "order",
];
const taskOwn = ["args", "action", "async", "changed_when", "delay", "failed_when", "loop", "loop_control", "poll", "register", "retries", "until"];
const importPlaybookActions = ["import_playbook", "ansible.builtin.import_playbook", "ansible.legacy.import_playbook"];

const sorted = (names: string[]): string[] => [...new Set(names)].sort();

const task = sorted([
  ...base, ...conditional, ...taggable, ...collectionSearch, ...notifiable, ...delegatable, ...taskOwn,
  // Not a FieldAttribute: ModuleArgsParser reads it (the action, delegated to localhost).
  "local_action",
]);

export const keywords = {
  $comment:
    "Ansible's playbook keywords for ansible-core 2.17/2.18: the FieldAttributes of each class and of the mixins it inherits, as Base._validate_attributes accepts them. A task key that is not a task (or handler) keyword and does not start with withLoopPrefix is the task's action: exactly one per task. Generated by scripts/build-ansible-schemas.ts.",
  ansibleCore,
  sources,
  play: sorted([...base, ...taggable, ...collectionSearch, ...playOwn]),
  role: sorted([...base, ...conditional, ...taggable, ...collectionSearch, ...delegatable, "role"]),
  block: sorted([...base, ...conditional, ...collectionSearch, ...taggable, ...notifiable, ...delegatable, "block", "rescue", "always"]),
  task,
  handler: sorted([...task, "listen"]),
  withLoopPrefix: "with_",
  importPlaybook: sorted([...base, ...conditional, ...taggable, ...importPlaybookActions]),
  importPlaybookActions,
  roleMeta: sorted(["allow_duplicates", "dependencies", "galaxy_info", "argument_specs", "collections"]),
  loopControl: sorted(["loop_var", "index_var", "label", "pause", "extended", "extended_allitems", "break_when"]),
  varsPrompt: sorted(["name", "prompt", "default", "private", "confirm", "encrypt", "salt_size", "salt", "unsafe"]),
  includeKeywords: {
    $comment:
      "TaskInclude.VALID_INCLUDE_KEYWORDS: the only keywords an include_tasks or include_role task accepts (with_<lookup> too, which becomes loop); any other keyword (become, delegate_to, …) is an error there: apply: passes keywords to the included tasks. import_tasks and import_role take the task keywords, except loops (loop, with_<lookup>), which Ansible rejects on an import.",
    keywords: sorted(["action", "args", "collections", "debugger", "ignore_errors", "loop", "loop_control", "name", "no_log", "register", "run_once", "tags", "timeout", "vars", "when"]),
    actions: sorted(["include_tasks", "ansible.builtin.include_tasks", "ansible.legacy.include_tasks", "include_role", "ansible.builtin.include_role", "ansible.legacy.include_role"]),
  },
  aliases: {
    $comment: "Keys the loader renames before it validates: accepted, but not keywords.",
    play: { user: "remote_user" },
  },
  internal: {
    $comment:
      "Attribute names the loader accepts because they are FieldAttributes, though no one writes them: a task's async is stored as async_val, a with_<lookup> loop as loop_with, an import_playbook's vars as vars_val. ModuleArgsParser also skips static (then rejected as an invalid attribute). None of them is an action.",
    task: ["async_val", "loop_with", "static"],
    importPlaybook: ["vars_val"],
  },
  removed: {
    $comment: "Keywords and actions older Ansible accepted and ansible-core 2.17/2.18 rejects, with what replaces them.",
    keywords: {
      accelerate: "nothing (the accelerate connection is gone)",
      accelerate_ipv6: "nothing (the accelerate connection is gone)",
      accelerate_port: "nothing (the accelerate connection is gone)",
      always_run: "check_mode: false",
      first_available_file: "with_first_found",
      static: "import_tasks or import_role (static) / include_tasks or include_role (dynamic)",
      su: "become: true with become_method: su",
      su_user: "become_user",
      sudo: "become: true",
      sudo_user: "become_user",
    },
    actions: {
      include: "include_tasks or import_tasks (between plays: import_playbook); removed in 2.16",
    },
  },
};

// --- Value types ---

/** Ansible templates a string holding a Jinja2 expression or statement before it converts it. */
const template = "\\{\\{|\\{%";
/**
 * A variable name, as ansible.utils.vars.isidentifier accepts it: an ASCII Python identifier
 * that is not a Python keyword.
 */
const identifier =
  "^(?!(?:False|None|True|and|as|assert|async|await|break|class|continue|def|del|elif|else|except|finally|for|from|global|if|import|in|is|lambda|nonlocal|not|or|pass|raise|return|try|while|with|yield)$)[A-Za-z_][A-Za-z0-9_]*$";
/** A number of hosts or a percentage of them (serial, max_fail_percentage). */
const batchSize = "^\\s*[0-9]+(\\.[0-9]+)?\\s*%?\\s*$";
const booleanWords = ["y", "yes", "on", "1", "true", "t", "n", "no", "off", "0", "false", "f"];

/** `boolean()` lowercases a string, so any case is accepted; these are the usual ones. */
const booleanStrings = [
  ...new Set(booleanWords.flatMap((word) => [word, word[0]!.toUpperCase() + word.slice(1), word.toUpperCase()])),
];

/** An enum that a template may stand for; null leaves the option unset. */
function choice(values: string[], description?: string): Schema {
  return {
    ...(description ? { description } : {}),
    anyOf: [{ enum: values }, { type: "string", pattern: template, description: "a template" }, { type: "null" }],
  };
}

const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` });

/** The value type of each keyword, wherever it appears. */
const keywordTypes: Record<string, Schema> = {
  name: ref("string"),
  connection: ref("string"),
  port: ref("integer"),
  remote_user: ref("string"),
  vars: ref("variables"),
  module_defaults: ref("moduleDefaults"),
  environment: ref("environment"),
  no_log: ref("boolean"),
  run_once: ref("boolean"),
  ignore_errors: ref("boolean"),
  ignore_unreachable: ref("boolean"),
  check_mode: ref("boolean"),
  diff: ref("boolean"),
  any_errors_fatal: ref("boolean"),
  throttle: ref("integer"),
  timeout: ref("integer"),
  debugger: ref("debugger"),
  become: ref("boolean"),
  become_method: ref("string"),
  become_user: ref("string"),
  become_flags: ref("string"),
  become_exe: ref("string"),
  when: ref("conditional"),
  tags: ref("tags"),
  collections: ref("strings"),
  notify: ref("strings"),
  delegate_to: ref("string"),
  delegate_facts: ref("boolean"),
  action: ref("action"),
  local_action: ref("action"),
  args: ref("args"),
  async: ref("integer"),
  changed_when: ref("conditional"),
  delay: ref("number"),
  failed_when: ref("conditional"),
  loop: ref("loop"),
  loop_control: ref("loopControl"),
  poll: ref("integer"),
  register: ref("identifier"),
  retries: ref("integer"),
  until: ref("conditional"),
  listen: ref("strings"),
  block: { type: "array", items: ref("task") },
  rescue: { type: "array", items: ref("task") },
  always: { type: "array", items: ref("task") },
  role: ref("roleName"),
  hosts: ref("hosts"),
  gather_facts: ref("boolean"),
  gather_subset: ref("strings"),
  gather_timeout: ref("integer"),
  fact_path: ref("string"),
  vars_files: ref("varsFiles"),
  vars_prompt: ref("varsPrompt"),
  roles: { type: ["array", "null"], items: { allOf: [ref("roleEntry")], anyOf: [{ required: ["role"] }, { required: ["name"] }] } },
  handlers: ref("tasks"),
  pre_tasks: ref("tasks"),
  post_tasks: ref("tasks"),
  tasks: ref("tasks"),
  force_handlers: ref("boolean"),
  max_fail_percentage: ref("percent"),
  serial: ref("serial"),
  strategy: ref("string"),
  order: ref("order"),
  user: { ...ref("string"), $comment: "Legacy name of remote_user (Play.preprocess_data renames it)." },
  import_playbook: ref("importPath"),
  "ansible.builtin.import_playbook": ref("importPath"),
  "ansible.legacy.import_playbook": ref("importPath"),
};

function typed(names: readonly string[]): Record<string, Schema> {
  return Object.fromEntries(
    names.map((name) => {
      const schema = keywordTypes[name];
      if (!schema) throw new Error(`no type for keyword "${name}"`);
      return [name, schema];
    }),
  );
}

/** Shared value types; each file gets the ones it uses. */
const definitions: Record<string, Schema> = {
  boolean: {
    description: "A boolean: true/false, a string Ansible's boolean() accepts (yes, no, on, off, 1, 0, …), 0 or 1, or a template.",
    anyOf: [
      { type: ["boolean", "null"] },
      { type: "string", enum: booleanStrings },
      { type: "integer", enum: [0, 1] },
      { type: "string", pattern: template, description: "a template" },
    ],
  },
  integer: {
    description: "An integer, a string of digits, or a template.",
    anyOf: [
      { type: ["integer", "null"] },
      { type: "string", pattern: `^\\s*[-+]?[0-9]+\\s*$|${template}`, description: "an integer as a string, or a template" },
    ],
  },
  number: {
    description: "A number, a numeric string, or a template.",
    anyOf: [
      { type: ["number", "null"] },
      { type: "string", pattern: `^\\s*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)\\s*$|${template}`, description: "a number as a string, or a template" },
    ],
  },
  percent: {
    description: "A number, optionally as a string ending in %, or a template.",
    anyOf: [{ type: ["number", "null"] }, { type: "string", pattern: `${batchSize}|${template}`, description: "a percentage, or a template" }],
  },
  string: {
    description: "A string attribute: a number or boolean is converted, a list or mapping is an error.",
    type: ["string", "number", "boolean", "null"],
  },
  strings: {
    description: "A string or a list of strings.",
    type: ["string", "array", "null"],
    items: { type: "string" },
  },
  conditional: {
    description: "A raw Jinja2 expression (no braces), a boolean, or a list of them, all of which must hold.",
    type: ["string", "boolean", "number", "null", "array"],
    items: { type: ["string", "boolean", "number", "null"] },
  },
  identifier: {
    description: "A variable name (Task._validate_register: isidentifier).",
    type: ["string", "null"],
    pattern: identifier,
  },
  variables: {
    description:
      "A mapping of variable names to values (Base._load_vars: the names must be identifiers). A name that is not one is an additional property, so that the error lands on the key.",
    type: ["object", "null"],
    patternProperties: { [identifier]: {} },
    additionalProperties: false,
  },
  environment: {
    description: "A mapping of environment variables, a template, or a list of them.",
    type: ["object", "string", "array", "null"],
    pattern: template,
    additionalProperties: { type: ["string", "number", "boolean", "null"] },
    items: { type: ["object", "string"], pattern: template, additionalProperties: { type: ["string", "number", "boolean", "null"] } },
  },
  moduleDefaults: {
    description: "Module or group/ names (never templated) to their default arguments (a mapping or a template), or a list of such mappings.",
    type: ["object", "array", "null"],
    additionalProperties: { type: ["object", "string"], pattern: template },
    items: { type: "object", additionalProperties: { type: ["object", "string"], pattern: template } },
  },
  tags: {
    description: "A string (split at commas) or a list of strings and integers.",
    type: ["string", "array", "null"],
    items: { type: ["string", "integer"] },
  },
  debugger: choice(["always", "never", "on_failed", "on_skipped", "on_unreachable"], "When to start the task debugger (Base._post_validate_debugger)."),
  action: {
    description: "The action in free form (`copy src=a dest=b`) or as a mapping whose `module` key names it.",
    type: ["string", "object"],
    required: ["module"],
    properties: { module: { type: "string" } },
  },
  args: {
    description: "The action's arguments: a mapping (merged under those given with the action) or a template.",
    type: ["object", "string", "null"],
    pattern: template,
  },
  loop: {
    description: "A list, or a template that gives one: a plain string is an error.",
    type: ["array", "string", "null"],
    pattern: template,
  },
  loopControl: {
    description: "A mapping, never a template itself (Task._load_loop_control).",
    type: "object",
    additionalProperties: false,
    properties: {
      loop_var: ref("string"),
      index_var: ref("string"),
      label: ref("string"),
      pause: ref("number"),
      extended: ref("boolean"),
      extended_allitems: ref("boolean"),
      break_when: ref("conditional"),
    },
  },
  withLoop: {
    description: "A with_<lookup> loop: the lookup's terms, which may not be empty.",
    type: ["array", "object", "string", "number", "boolean"],
  },
  tasks: {
    description: "A list of tasks and blocks.",
    type: ["array", "null"],
    items: ref("task"),
  },
  roleEntry: {
    description: "A role by name, or a mapping naming it by role: or name:. Keys that are not role keywords are role parameters.",
    type: ["string", "object"],
    minLength: 1,
    properties: typed(keywords.role),
    additionalProperties: true,
  },
  hosts: {
    description: "A host pattern, or a list of them.",
    type: ["string", "array"],
    minLength: 1,
    minItems: 1,
    items: { type: "string", minLength: 1 },
  },
  serial: {
    description: "A batch size (an integer or a percentage), or a list of them.",
    type: ["integer", "string", "array", "null"],
    pattern: `${batchSize}|${template}`,
    items: { type: ["integer", "string"], pattern: `${batchSize}|${template}` },
  },
  order: choice(["inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle"], "The order in which hosts run."),
  varsFiles: {
    description: "Files of variables; an item that is a list names alternatives, the first found is read.",
    type: ["string", "array", "null"],
    items: { type: ["string", "array"], items: { type: "string" } },
  },
  varsPromptEntry: {
    description: "A prompt (Play._load_vars_prompt). Without `type`, so that it also applies, vacuously, to the list.",
    required: ["name"],
    additionalProperties: false,
    properties: {
      name: { type: "string" },
      prompt: ref("string"),
      default: {},
      private: ref("boolean"),
      confirm: ref("boolean"),
      encrypt: ref("string"),
      salt_size: ref("integer"),
      salt: ref("string"),
      unsafe: ref("boolean"),
    },
  },
  varsPrompt: {
    description: "A list of prompts (a single mapping is one prompt).",
    type: ["array", "object", "null"],
    items: { allOf: [{ type: "object" }, ref("varsPromptEntry")] },
    allOf: [ref("varsPromptEntry")],
  },
  importPath: { description: "A playbook's path, or its collection name.", type: "string", minLength: 1 },
  roleName: { type: "string", minLength: 1 },
  task: {
    description:
      "A task, or a block (a mapping with block:, checked against the block definition as well). Any key that is not a keyword is the action; the rule counts them, the schema types the keywords. listen is typed for handlers: on a task Ansible rejects it (keywords.json).",
    type: "object",
    properties: typed(keywords.handler),
    patternProperties: { "^with_": ref("withLoop") },
    additionalProperties: true,
    dependencies: { block: ref("block"), rescue: ["block"], always: ["block"] },
  },
  block: {
    description: "A block: its keywords only (Block._validate_attributes), and no action.",
    type: "object",
    required: ["block"],
    properties: typed(keywords.block),
    additionalProperties: false,
  },
  play: {
    description:
      "A play. An import_playbook key makes the entry an import instead, checked by definitions.importPlaybook (which rejects the play's keys): the play lets it pass, so that the entry gets the errors of one definition.",
    type: "object",
    required: ["hosts"],
    properties: {
      ...typed([...keywords.play, "user"]),
      ...Object.fromEntries(importPlaybookActions.map((action) => [action, {}])),
    },
    additionalProperties: false,
  },
  importPlaybook: {
    description: "An import_playbook entry (PlaybookInclude).",
    type: "object",
    properties: typed(keywords.importPlaybook),
    additionalProperties: false,
  },
};

/** The definitions `schema` reaches through `#/definitions/…` references. */
function reachable(schema: unknown, from: Record<string, Schema>, found = new Map<string, Schema>()): Map<string, Schema> {
  if (Array.isArray(schema)) {
    for (const item of schema) reachable(item, from, found);
  } else if (schema !== null && typeof schema === "object") {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/definitions/")) {
        const name = value.slice("#/definitions/".length);
        if (!found.has(name)) {
          const target = from[name];
          if (!target) throw new Error(`no definition "${name}"`);
          found.set(name, target);
          reachable(target, from, found);
        }
      } else {
        reachable(value, from, found);
      }
    }
  }
  return found;
}

/** `schema` with the definitions it uses, sorted by name. */
function standalone(schema: Schema, from: Record<string, Schema> = definitions): Schema {
  const used = [...reachable(schema, from)].sort(([a], [b]) => a.localeCompare(b));
  return used.length > 0 ? { ...schema, definitions: Object.fromEntries(used) } : schema;
}

const draft = "http://json-schema.org/draft-07/schema#";

const taskFile = standalone({
  $schema: draft,
  title: "Ansible task file (tasks/*.yml, handlers/*.yml)",
  $comment:
    "A list of tasks and blocks, for ansible-core 2.17/2.18. definitions.task types a task's keywords (any other key is its action); definitions.block a block's. Generated by scripts/build-ansible-schemas.ts.",
  type: ["array", "null"],
  items: ref("task"),
});

const playbook = standalone({
  $schema: draft,
  title: "Ansible playbook",
  $comment:
    "A list of plays and import_playbook entries, for ansible-core 2.17/2.18. An entry is a play when it has hosts: and an import when it has an import_playbook key; the key decides which definition applies (dependencies), so a mistake gives the errors of one definition. Generated by scripts/build-ansible-schemas.ts.",
  type: "array",
  items: {
    type: "object",
    anyOf: [{ required: ["hosts"] }, ...importPlaybookActions.map((action) => ({ required: [action] }))],
    dependencies: {
      hosts: ref("play"),
      ...Object.fromEntries(importPlaybookActions.map((action) => [action, ref("importPlaybook")])),
    },
  },
});

const argumentSpecOption: Schema = {
  type: "object",
  additionalProperties: true,
  properties: {
    type: choice(["str", "list", "dict", "bool", "int", "float", "path", "raw", "jsonarg", "json", "bytes", "bits"], "The option's type (module_utils DEFAULT_TYPE_VALIDATORS)."),
    elements: choice(["str", "list", "dict", "bool", "int", "float", "path", "raw", "jsonarg", "json", "bytes", "bits"]),
    required: ref("boolean"),
    default: {},
    choices: { type: "array" },
    description: { type: ["string", "array"] },
    aliases: { type: "array", items: { type: "string" } },
    options: { type: "object", additionalProperties: { $ref: "#/definitions/argumentSpecOption" } },
    no_log: ref("boolean"),
    version_added: { type: ["string", "number"] },
  },
};

const meta = standalone(
  {
    $schema: draft,
    title: "Ansible role metadata (meta/main.yml)",
    $comment:
      "RoleMetadata's attributes, for ansible-core 2.17/2.18. galaxy_info is Galaxy's, not checked by ansible-core: its known fields are typed and others accepted. argument_specs may live here or in meta/argument_specs.yml (read first when present, with the same shape). Generated by scripts/build-ansible-schemas.ts.",
    type: ["object", "null"],
    additionalProperties: false,
    properties: {
      galaxy_info: {
        type: ["object", "null"],
        additionalProperties: true,
        properties: {
          role_name: { type: "string" },
          namespace: { type: "string" },
          author: { type: ["string", "array"] },
          description: { type: "string" },
          company: { type: "string" },
          license: { type: ["string", "array"] },
          min_ansible_version: { type: "string", description: "A string: 2.10 unquoted is the number 2.1." },
          min_ansible_container_version: { type: "string" },
          issue_tracker_url: { type: "string" },
          github_branch: { type: "string" },
          platforms: {
            type: ["array", "null"],
            items: {
              type: "object",
              required: ["name"],
              additionalProperties: false,
              properties: { name: { type: "string" }, versions: { type: "array", items: { type: ["string", "number"] } } },
            },
          },
          galaxy_tags: { type: ["array", "null"], items: { type: "string" } },
          cloud_platforms: { type: ["array", "null"], items: { type: "string" } },
          standalone: ref("boolean"),
        },
      },
      dependencies: {
        description: "Roles this role depends on: a name, or a mapping naming it by role:, name: or (a Galaxy requirement) src:.",
        type: ["array", "null"],
        items: {
          allOf: [ref("roleEntry")],
          anyOf: [{ required: ["role"] }, { required: ["name"] }, { required: ["src"] }],
          properties: { src: { type: "string" }, version: { type: ["string", "number"] }, scm: { enum: ["git", "hg"] } },
        },
      },
      allow_duplicates: ref("boolean"),
      collections: ref("strings"),
      argument_specs: {
        type: ["object", "null"],
        description: "Entry points (main, or a tasks_from name) to their argument specification.",
        additionalProperties: {
          type: "object",
          additionalProperties: true,
          properties: {
            short_description: { type: "string" },
            description: { type: ["string", "array"] },
            author: { type: ["string", "array"] },
            options: { type: ["object", "null"], additionalProperties: { $ref: "#/definitions/argumentSpecOption" } },
          },
        },
      },
    },
  },
  { ...definitions, argumentSpecOption },
);

// --- Modules ---

/** The options of the `files` doc fragment (module_utils FILE_COMMON_ARGUMENTS). */
const fileOptions: Record<string, Schema> = {
  mode: { description: "An octal string, an integer (YAML 1.1 reads 0644 as octal), a symbolic mode, or a template.", type: ["string", "integer", "null"] },
  owner: ref("string"),
  group: ref("string"),
  seuser: ref("string"),
  serole: ref("string"),
  setype: ref("string"),
  selevel: ref("string"),
  unsafe_writes: ref("boolean"),
  attributes: ref("string"),
  attr: { ...ref("string"), $comment: "Alias of attributes." },
};

/** Free-form modules' text, as the rule should pass it: under `_raw_params`, as Ansible does. */
const rawParams: Schema = { description: "The free-form text (the module's value when it is a string).", type: "string" };

function module(description: string, schema: Schema): Schema {
  return standalone({ description, type: ["object", "string", "null"], ...schema });
}

const includeRoleOptions: Record<string, Schema> = {
  name: ref("roleName"),
  role: { ...ref("roleName"), $comment: "Undocumented alternative to name (IncludeRole.BASE)." },
  tasks_from: ref("string"),
  vars_from: ref("string"),
  defaults_from: ref("string"),
  handlers_from: ref("string"),
  allow_duplicates: ref("boolean"),
  public: ref("boolean"),
  rolespec_validate: ref("boolean"),
};

const commandOptions: Record<string, Schema> = {
  _raw_params: rawParams,
  cmd: ref("string"),
  chdir: ref("string"),
  creates: ref("string"),
  removes: ref("string"),
  stdin: ref("string"),
  stdin_add_newline: ref("boolean"),
  strip_empty_ends: ref("boolean"),
};

const modules: Record<string, Schema> = {
  "ansible.builtin.command": module("Runs a program without a shell: free-form text, cmd: or argv:.", {
    additionalProperties: false,
    anyOf: [{ required: ["_raw_params"] }, { required: ["cmd"] }, { required: ["argv"] }],
    properties: {
      ...commandOptions,
      argv: { description: "The command as a list.", type: ["array", "string", "null"], items: { type: ["string", "number"] } },
      expand_argument_vars: ref("boolean"),
    },
  }),
  "ansible.builtin.copy": module("Copies a file or content to the host.", {
    additionalProperties: false,
    required: ["dest"],
    anyOf: [{ required: ["src"] }, { required: ["content"] }],
    properties: {
      src: ref("string"),
      content: ref("string"),
      dest: ref("string"),
      backup: ref("boolean"),
      force: ref("boolean"),
      directory_mode: { type: ["string", "integer", "null"] },
      remote_src: ref("boolean"),
      follow: ref("boolean"),
      local_follow: ref("boolean"),
      checksum: ref("string"),
      decrypt: ref("boolean"),
      validate: ref("string"),
      ...fileOptions,
    },
  }),
  "ansible.builtin.file": module("Manages a file, directory or link and its attributes.", {
    additionalProperties: false,
    anyOf: [{ required: ["path"] }, { required: ["dest"] }, { required: ["name"] }],
    properties: {
      path: ref("string"),
      dest: { ...ref("string"), $comment: "Alias of path." },
      name: { ...ref("string"), $comment: "Alias of path." },
      state: choice(["absent", "directory", "file", "hard", "link", "touch"]),
      src: ref("string"),
      recurse: ref("boolean"),
      force: ref("boolean"),
      follow: ref("boolean"),
      modification_time: ref("string"),
      modification_time_format: ref("string"),
      access_time: ref("string"),
      access_time_format: ref("string"),
      ...fileOptions,
    },
  }),
  "ansible.builtin.import_role": module("Imports a role's tasks where the task is (static).", {
    additionalProperties: false,
    anyOf: [{ required: ["name"] }, { required: ["role"] }],
    properties: includeRoleOptions,
  }),
  "ansible.builtin.import_tasks": module("Imports a task file where the task is (static): free-form text or file:.", {
    additionalProperties: false,
    anyOf: [{ required: ["file"] }, { required: ["_raw_params"] }],
    properties: { _raw_params: rawParams, file: ref("string") },
  }),
  "ansible.builtin.include_role": module("Runs a role's tasks when the task runs (dynamic).", {
    additionalProperties: false,
    anyOf: [{ required: ["name"] }, { required: ["role"] }],
    properties: {
      ...includeRoleOptions,
      apply: { description: "Block keywords applied to the role's tasks.", type: ["object", "null"] },
    },
  }),
  "ansible.builtin.include_tasks": module("Runs a task file when the task runs (dynamic): free-form text or file:.", {
    additionalProperties: false,
    anyOf: [{ required: ["file"] }, { required: ["_raw_params"] }],
    properties: {
      _raw_params: rawParams,
      file: ref("string"),
      apply: { description: "Block keywords applied to the included tasks.", type: ["object", "null"] },
    },
  }),
  "ansible.builtin.set_fact": module("Sets host variables: any names (identifiers), and cacheable.", {
    minProperties: 1,
    properties: { cacheable: ref("boolean") },
    patternProperties: { [identifier]: {} },
    additionalProperties: false,
  }),
  "ansible.builtin.shell": module("Runs a command line through a shell: free-form text or cmd:.", {
    additionalProperties: false,
    anyOf: [{ required: ["_raw_params"] }, { required: ["cmd"] }],
    properties: { ...commandOptions, executable: ref("string") },
  }),
  "ansible.builtin.stat": module("Reads a file's status.", {
    additionalProperties: false,
    anyOf: [{ required: ["path"] }, { required: ["dest"] }, { required: ["name"] }],
    properties: {
      path: ref("string"),
      dest: { ...ref("string"), $comment: "Alias of path." },
      name: { ...ref("string"), $comment: "Alias of path." },
      follow: ref("boolean"),
      get_checksum: ref("boolean"),
      checksum_algorithm: choice(["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]),
      checksum: { ...choice(["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]), $comment: "Alias of checksum_algorithm." },
      checksum_algo: { ...choice(["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]), $comment: "Alias of checksum_algorithm." },
      get_mime: ref("boolean"),
      mime: { ...ref("boolean"), $comment: "Alias of get_mime." },
      mime_type: { ...ref("boolean"), $comment: "Alias of get_mime." },
      "mime-type": { ...ref("boolean"), $comment: "Alias of get_mime." },
      get_attributes: ref("boolean"),
      attr: { ...ref("boolean"), $comment: "Alias of get_attributes." },
      attributes: { ...ref("boolean"), $comment: "Alias of get_attributes." },
    },
  }),
  "ansible.builtin.template": module("Renders a Jinja2 template on the controller and copies it to the host.", {
    additionalProperties: false,
    required: ["src", "dest"],
    properties: {
      src: ref("string"),
      dest: ref("string"),
      follow: ref("boolean"),
      backup: ref("boolean"),
      force: ref("boolean"),
      validate: ref("string"),
      newline_sequence: choice(["\n", "\r", "\r\n"]),
      block_start_string: ref("string"),
      block_end_string: ref("string"),
      variable_start_string: ref("string"),
      variable_end_string: ref("string"),
      comment_start_string: ref("string"),
      comment_end_string: ref("string"),
      trim_blocks: ref("boolean"),
      lstrip_blocks: ref("boolean"),
      output_encoding: ref("string"),
      ...fileOptions,
    },
  }),
};

const moduleFile = {
  $comment:
    "The arguments of the modules gitops-lint reads, for ansible-core 2.17/2.18, from their documentation and argument specs. modules maps each fully qualified name to a draft-07 schema that compiles alone; aliases maps every other name Ansible resolves to the same module (the short name and ansible.legacy.*) to it. A schema describes the arguments after Ansible has merged them: the module's value (a mapping, or a string: free-form text under _raw_params, key=value pairs parsed) over the task's args: mapping. A string module value passes every schema: parse it first. Generated by scripts/build-ansible-schemas.ts.",
  ansibleCore,
  sources: moduleSources,
  aliases: Object.fromEntries(
    Object.keys(modules)
      .flatMap((fqcn) => {
        const short = fqcn.slice("ansible.builtin.".length);
        return [[short, fqcn], [`ansible.legacy.${short}`, fqcn]];
      })
      .sort(([a], [b]) => a!.localeCompare(b!)),
  ),
  modules: Object.fromEntries(Object.entries(modules).sort(([a], [b]) => a.localeCompare(b)).map(([name, schema]) => [name, { $schema: draft, ...schema }])),
};

/** Every file this script writes, by name. */
export function buildSchemas(): Record<string, unknown> {
  return {
    "keywords.json": keywords,
    "meta.json": meta,
    "modules.json": moduleFile,
    "playbook.json": playbook,
    "task.json": taskFile,
  };
}

/**
 * JSON, two-space indented, with a value that fits on its line written on one line and a long
 * list of strings or numbers filled line by line.
 */
export function serialize(value: unknown): string {
  const width = 120;
  function inline(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
    if (value !== null && typeof value === "object") {
      const members = Object.entries(value).map(([key, member]) => `${JSON.stringify(key)}: ${inline(member)}`);
      return members.length === 0 ? "{}" : `{ ${members.join(", ")} }`;
    }
    return JSON.stringify(value);
  }
  function write(value: unknown, indent: string, lead: number): string {
    const flat = inline(value);
    if (value === null || typeof value !== "object" || lead + flat.length <= width || Object.keys(value).length === 0) return flat;
    const inner = `${indent}  `;
    if (Array.isArray(value) && value.every((item) => item === null || typeof item !== "object")) {
      const lines = [inner];
      for (const [index, item] of value.entries()) {
        const text = `${JSON.stringify(item)}${index < value.length - 1 ? "," : ""}`;
        if (lines.at(-1)!.length + text.length + 1 > width && lines.at(-1) !== inner) lines.push(inner);
        lines[lines.length - 1] += lines.at(-1) === inner ? text : ` ${text}`;
      }
      return `[\n${lines.join("\n")}\n${indent}]`;
    }
    if (Array.isArray(value)) {
      return `[\n${value.map((item) => `${inner}${write(item, inner, inner.length)}`).join(",\n")}\n${indent}]`;
    }
    const members = Object.entries(value).map(([key, member]) => {
      const head = `${inner}${JSON.stringify(key)}: `;
      return `${head}${write(member, inner, head.length)}`;
    });
    return `{\n${members.join(",\n")}\n${indent}}`;
  }
  return `${write(value, "", 0)}\n`;
}

if (import.meta.main) {
  for (const [name, value] of Object.entries(buildSchemas())) {
    fs.writeFileSync(path.join(outputDirectory, name), serialize(value));
  }
}
