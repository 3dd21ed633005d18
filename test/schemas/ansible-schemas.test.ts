/**
 * The committed Ansible schemas (`schemas/ansible/`, written by scripts/build-ansible-schemas.ts)
 * accept the homelab's playbook, task files and role metadata and realistic Ansible, and reject
 * single mistakes at the right path with the right keyword. The keyword lists are checked on
 * real tasks: every key of every homelab task is a keyword or its one action.
 *
 * Module arguments are checked as the rule is to check them: the module's value (a mapping, or
 * free-form text under `_raw_params`) merged over the task's `args:` mapping.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import fg from "fast-glob";
import { parse, parseDocument } from "yaml";
import { buildSchemas, outputDirectory, serialize } from "../../scripts/build-ansible-schemas.ts";
import { checkNode, type ProblemKind } from "../../src/schema/index.ts";

type JsonSchema = Record<string, unknown>;

interface KeywordsFile {
  ansibleCore: string;
  sources: string[];
  play: string[];
  role: string[];
  block: string[];
  task: string[];
  handler: string[];
  withLoopPrefix: string;
  importPlaybook: string[];
  importPlaybookActions: string[];
  roleMeta: string[];
  loopControl: string[];
  varsPrompt: string[];
  includeKeywords: { keywords: string[]; actions: string[] };
  internal: { task: string[]; importPlaybook: string[] };
}

interface ModulesFile {
  aliases: Record<string, string>;
  modules: Record<string, JsonSchema>;
}

function readSchema(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(outputDirectory, name), "utf8"));
}
const keywords = readSchema("keywords.json") as KeywordsFile;
const playbookSchema = readSchema("playbook.json") as JsonSchema;
const taskSchema = readSchema("task.json") as JsonSchema & { definitions: Record<string, JsonSchema & { properties: object }> };
const metaSchema = readSchema("meta.json") as JsonSchema & { properties: object };
const modulesFile = readSchema("modules.json") as ModulesFile;

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
const validatePlaybook = ajv.compile(playbookSchema);
const validateTasks = ajv.compile(taskSchema);
const validateMeta = ajv.compile(metaSchema);
const moduleValidators = new Map(Object.entries(modulesFile.modules).map(([name, schema]) => [name, ajv.compile(schema)]));

/** The fully qualified name of a module the schemas cover, by any name Ansible resolves to it. */
function moduleName(action: string): string | undefined {
  if (action in modulesFile.modules) return action;
  return modulesFile.aliases[action];
}

function validateModule(action: string): ValidateFunction {
  const name = moduleName(action);
  if (!name) throw new Error(`no schema for module "${action}"`);
  return moduleValidators.get(name)!;
}

const yaml = (text: string): unknown => parse(text, { version: "1.1" });

interface Found {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

function errorsOf(validate: ValidateFunction, data: unknown): Found[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => ({
    instancePath: error.instancePath,
    keyword: error.keyword,
    params: error.params as Record<string, unknown>,
  }));
}

function expectError(errors: Found[], expected: { instancePath: string; keyword: string; params?: Record<string, unknown> }): void {
  expect(errors).toContainEqual({
    instancePath: expected.instancePath,
    keyword: expected.keyword,
    params: expected.params ? expect.objectContaining(expected.params) : expect.anything(),
  });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

// --- Merging a task's module arguments, as ModuleArgsParser does ---

/** Modules whose string value is free-form text (the rest of a string is key=value pairs). */
const freeForm = new Set(["ansible.builtin.command", "ansible.builtin.shell", "ansible.builtin.include_tasks", "ansible.builtin.import_tasks"]);

function keyValues(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/(\w+)=("[^"]*"|'[^']*'|\S+)/gu)].map((match) => [match[1]!, match[2]!.replace(/^["']|["']$/gu, "")]));
}

/** The arguments a module receives: its own value over the task's `args:`. */
function moduleArguments(action: string, value: unknown, args: unknown): Record<string, unknown> {
  const own = typeof value === "string" ? (freeForm.has(moduleName(action)!) ? { _raw_params: value } : keyValues(value)) : isObject(value) ? value : {};
  return isObject(args) ? { ...args, ...own } : own;
}

// --- The homelab's Ansible files ---

const ansibleRoot = path.resolve(import.meta.dir, "../../examples/homelab/ansible");
const homelab = (pattern: string): string[] => fg.sync(pattern, { cwd: ansibleRoot }).sort();
const playbookFiles = homelab("playbooks/*.yml");
const taskFiles = homelab("roles/*/tasks/*.yml");
const handlerFiles = homelab("roles/*/handlers/*.yml");
const metaFiles = homelab("roles/*/meta/main.yml");
const readHomelab = (file: string): unknown => yaml(fs.readFileSync(path.join(ansibleRoot, file), "utf8"));

interface PlacedTask {
  where: string;
  task: Record<string, unknown>;
  handler: boolean;
}

/** Every task of a list, blocks' tasks included. */
function tasksOf(list: unknown, where: string, handler: boolean): PlacedTask[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((task, index) => {
    if (!isObject(task)) return [];
    const here = `${where}[${index}]`;
    const inner = ["block", "rescue", "always"].flatMap((part) => tasksOf(task[part], `${here}.${part}`, handler));
    return [{ where: here, task, handler }, ...inner];
  });
}

function homelabTasks(): PlacedTask[] {
  const found: PlacedTask[] = [];
  for (const file of playbookFiles) {
    for (const [index, play] of (readHomelab(file) as unknown[]).entries()) {
      if (!isObject(play)) continue;
      for (const part of ["pre_tasks", "tasks", "post_tasks", "handlers"]) {
        found.push(...tasksOf(play[part], `${file}[${index}].${part}`, part === "handlers"));
      }
    }
  }
  for (const file of taskFiles) found.push(...tasksOf(readHomelab(file), file, false));
  for (const file of handlerFiles) found.push(...tasksOf(readHomelab(file), file, true));
  return found;
}

/** The keys of a task that are not keywords: its action, when there is exactly one. */
function nonKeywords({ task, handler }: PlacedTask): string[] {
  const known = new Set(handler ? keywords.handler : keywords.task);
  return Object.keys(task).filter((key) => !known.has(key) && !key.startsWith(keywords.withLoopPrefix));
}

describe("generated files", () => {
  test("the committed files are what scripts/build-ansible-schemas.ts writes", () => {
    for (const [name, value] of Object.entries(buildSchemas())) {
      expect(fs.readFileSync(path.join(outputDirectory, name), "utf8")).toBe(serialize(value));
    }
  });

  test("no anyOf branch holds a $ref: src/schema's collapse finds an error's branch in its schema path", () => {
    function refsUnderAnyOf(schema: unknown, underAnyOf: boolean, at: string): string[] {
      if (Array.isArray(schema)) return schema.flatMap((item, index) => refsUnderAnyOf(item, underAnyOf, `${at}/${index}`));
      if (!isObject(schema)) return [];
      return Object.entries(schema).flatMap(([key, value]) =>
        key === "$ref" && underAnyOf ? [at] : refsUnderAnyOf(value, underAnyOf || key === "anyOf" || key === "oneOf", `${at}/${key}`),
      );
    }
    for (const [name, value] of Object.entries(buildSchemas())) expect({ name, refs: refsUnderAnyOf(value, false, "") }).toEqual({ name, refs: [] });
  });

  test("every schema is draft-07 and compiles alone", () => {
    for (const schema of [playbookSchema, taskSchema, metaSchema, ...Object.values(modulesFile.modules)]) {
      expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
      expect(() => new Ajv({ strict: false, allowUnionTypes: true }).compile(schema)).not.toThrow();
    }
  });
});

describe("keywords.json", () => {
  const lists = ["play", "role", "block", "task", "handler", "importPlaybook", "roleMeta", "loopControl", "varsPrompt"] as const;

  test("every list is sorted and has no duplicates", () => {
    for (const name of lists) {
      const list = keywords[name];
      expect(list).toEqual([...new Set(list)].sort());
    }
  });

  test("ansible-core 2.17/2.18's classes have this many keywords", () => {
    expect(keywords.ansibleCore).toBe("2.18");
    expect(Object.fromEntries(lists.slice(0, 5).map((name) => [name, keywords[name].length]))).toEqual({
      play: 41,
      role: 28,
      block: 31,
      task: 41,
      handler: 42,
    });
  });

  test("the keywords a task needs are there", () => {
    const needed = [
      "when", "register", "loop", "loop_control", "until", "retries", "delay", "args", "environment", "vars", "become",
      "become_user", "become_method", "become_flags", "become_exe", "delegate_to", "delegate_facts", "run_once",
      "ignore_errors", "ignore_unreachable", "no_log", "tags", "notify", "changed_when", "failed_when", "check_mode",
      "diff", "async", "poll", "throttle", "timeout", "name", "action", "local_action", "collections", "connection",
      "debugger", "module_defaults", "port", "remote_user", "any_errors_fatal",
    ];
    expect(needed.filter((keyword) => !keywords.task.includes(keyword))).toEqual([]);
    expect(keywords.handler).toEqual([...keywords.task, "listen"].sort());
    expect(["block", "rescue", "always"].filter((keyword) => !keywords.block.includes(keyword))).toEqual([]);
    expect(keywords.withLoopPrefix).toBe("with_");
  });

  test("the lists relate as ansible-core's classes do", () => {
    const base = keywords.play.filter((keyword) => keywords.role.includes(keyword) && keywords.block.includes(keyword) && keywords.task.includes(keyword));
    expect(base).toHaveLength(24); // Base's 22, Taggable's tags, CollectionSearch's collections
    // A block has no action of its own and no loop: every block keyword but its lists is a task keyword.
    expect(keywords.block.filter((keyword) => !keywords.task.includes(keyword))).toEqual(["always", "block", "rescue"]);
    // Plays take no when (Play is not Conditional); roles and import_playbook entries do.
    expect(keywords.play).not.toContain("when");
    expect(keywords.role).toContain("when");
    expect(keywords.importPlaybook).toContain("when");
    expect(keywords.includeKeywords.keywords.filter((keyword) => !keywords.task.includes(keyword))).toEqual([]);
  });

  test("the schemas type exactly these keywords", () => {
    const definitions = taskSchema.definitions;
    expect(Object.keys(definitions.task!.properties).sort()).toEqual(keywords.handler);
    expect(Object.keys(definitions.block!.properties).sort()).toEqual(keywords.block);
    expect(Object.keys(definitions.loopControl!.properties).sort()).toEqual(keywords.loopControl);
    const playbookDefinitions = playbookSchema.definitions as Record<string, { properties: object }>;
    expect(Object.keys(playbookDefinitions.play!.properties).sort()).toEqual([...keywords.play, "user", ...keywords.importPlaybookActions].sort());
    expect(Object.keys(playbookDefinitions.importPlaybook!.properties).sort()).toEqual(keywords.importPlaybook);
    expect(Object.keys(playbookDefinitions.roleEntry!.properties).sort()).toEqual(keywords.role);
    expect(Object.keys(metaSchema.properties).sort()).toEqual(keywords.roleMeta);
  });
});

describe("the homelab", () => {
  test("has a playbook, task files, handlers and role metadata to check", () => {
    expect(playbookFiles.length).toBeGreaterThan(0);
    expect(taskFiles.length).toBeGreaterThan(0);
    expect(handlerFiles.length).toBeGreaterThan(0);
    expect(metaFiles.length).toBeGreaterThan(0);
  });

  test.each(playbookFiles)("playbook %s validates", (file) => {
    expect(errorsOf(validatePlaybook, readHomelab(file))).toEqual([]);
  });

  test.each([...taskFiles, ...handlerFiles])("task file %s validates", (file) => {
    expect(errorsOf(validateTasks, readHomelab(file))).toEqual([]);
  });

  test.each(metaFiles)("role metadata %s validates", (file) => {
    expect(errorsOf(validateMeta, readHomelab(file))).toEqual([]);
  });

  test("every key of every task is a keyword or its one action, named as a module is", () => {
    const tasks = homelabTasks();
    expect(tasks.length).toBeGreaterThan(20);
    for (const placed of tasks) {
      const actions = nonKeywords(placed);
      expect({ where: placed.where, actions: actions.length }).toEqual({ where: placed.where, actions: 1 });
      expect(actions[0]).toMatch(/^([a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\.)?[a-z_][a-z0-9_]*$/u);
    }
  });

  test("the arguments of every module the schemas cover validate", () => {
    const checked = new Set<string>();
    for (const placed of homelabTasks()) {
      const action = nonKeywords(placed)[0]!;
      const name = moduleName(action);
      if (!name) continue;
      checked.add(name);
      const args = moduleArguments(action, placed.task[action], placed.task.args);
      expect({ where: placed.where, errors: errorsOf(validateModule(action), args) }).toEqual({ where: placed.where, errors: [] });
    }
    expect([...checked].sort()).toEqual([
      "ansible.builtin.command",
      "ansible.builtin.file",
      "ansible.builtin.set_fact",
      "ansible.builtin.shell",
      "ansible.builtin.template",
    ]);
  });

  test("a module's schema is found by its short, ansible.builtin. and ansible.legacy. names", () => {
    for (const short of ["template", "copy", "command", "shell", "set_fact", "file", "stat", "include_role", "import_role", "import_tasks", "include_tasks"]) {
      expect(moduleName(short)).toBe(`ansible.builtin.${short}`);
      expect(moduleName(`ansible.builtin.${short}`)).toBe(`ansible.builtin.${short}`);
      expect(moduleName(`ansible.legacy.${short}`)).toBe(`ansible.builtin.${short}`);
    }
  });
});

describe("valid Ansible passes", () => {
  test("a playbook with imports, roles in every form, templated values and every task list", () => {
    const playbook = yaml(`
- ansible.builtin.import_playbook: base.yml
  when: inventory_hostname in groups.servers
- import_playbook: "{{ site }}.yml"
  vars: { site: lab }
  tags: [site]
- name: Web
  hosts: [web, "!staging"]
  gather_facts: "{{ gather | default(true) }}"
  gather_subset: [network]
  become: "{{ use_become }}"
  become_user: root
  serial: [1, "30%"]
  max_fail_percentage: 25
  order: sorted
  strategy: free
  any_errors_fatal: yes
  user: deploy
  environment:
    HTTP_PROXY: "{{ proxy }}"
  module_defaults:
    ansible.builtin.uri: { timeout: 10 }
    group/aws: "{{ aws_defaults }}"
  vars:
    answer: 42
  vars_files:
    - vars/common.yml
    - ["vars/{{ ansible_os_family }}.yml", vars/default.yml]
  vars_prompt:
    - name: release
      prompt: Which release?
      private: no
  roles:
    - common
    - role: nginx
      when: nginx_enabled
      tags: web
      nginx_port: 8080
    - name: acme.web.site
      vars: { site_name: lab }
  pre_tasks:
    - ansible.builtin.debug: msg=starting
  tasks:
    - name: Wait for the port
      ansible.builtin.wait_for:
        port: 80
      retries: "{{ n }}"
      delay: 2.5
      until: result is succeeded
      register: result
  post_tasks:
    - name: Done
      ansible.builtin.debug:
        msg: done
      run_once: true
      delegate_to: localhost
  handlers:
    - name: Restart nginx
      ansible.builtin.service: name=nginx state=restarted
      listen: web config changed
`);
    expect(errorsOf(validatePlaybook, playbook)).toEqual([]);
  });

  test("blocks with rescue and always, loops with loop_control, with_items, handlers with listen", () => {
    const tasks = yaml(`
- name: Deploy
  block:
    - name: Copy the release
      ansible.builtin.copy:
        src: release.tar.gz
        dest: /opt/app/
        mode: 0644
    - name: Nested
      block:
        - ansible.builtin.command: /opt/app/check
          changed_when: false
  rescue:
    - ansible.builtin.debug:
        msg: rolling back
  always:
    - ansible.builtin.file:
        path: /tmp/deploy
        state: absent
  when:
    - deploy | bool
    - ansible_os_family == "Debian"
  become: true
  tags: [deploy, 7]
  notify: Restart app
- name: Users
  ansible.builtin.user:
    name: "{{ item.name }}"
  loop: "{{ users }}"
  loop_control:
    loop_var: item
    index_var: index
    label: "{{ item.name }}"
    pause: 1
    extended: true
    extended_allitems: false
    break_when: item.name == 'stop'
- name: Packages
  ansible.builtin.apt:
    name: "{{ item }}"
  with_items:
    - git
    - curl
- name: Files
  ansible.builtin.debug: var=item
  with_fileglob: "files/*"
- name: Async
  ansible.builtin.command:
    argv: [sleep, "30"]
  async: 60
  poll: 0
  throttle: 2
  timeout: "{{ task_timeout }}"
  no_log: "{{ secret | bool }}"
  ignore_errors: on
  ignore_unreachable: True
  check_mode: no
  diff: false
  debugger: on_failed
  environment: "{{ proxy_env }}"
- action: ansible.builtin.copy src=a dest=b
- local_action:
    module: ansible.builtin.command
    cmd: hostname
- name: Restart
  ansible.builtin.systemd: { name: app, state: restarted }
  listen:
    - app config changed
    - Restart app
- ansible.builtin.include_tasks: extra.yml
  vars: { extra: true }
- name: Role
  ansible.builtin.include_role:
    name: web
    apply: { tags: [web] }
`);
    expect(errorsOf(validateTasks, tasks)).toEqual([]);
  });

  test("module arguments in their real shapes", () => {
    const valid: [string, unknown][] = [
      ["template", { src: "a.j2", dest: "/etc/a", mode: 420, owner: "root", validate: "visudo -cf %s", backup: "yes" }],
      ["template", { src: "a.j2", dest: "/etc/a", mode: "u=rw,g=r,o=r", newline_sequence: "\r\n", trim_blocks: "{{ trim }}" }],
      ["copy", { content: "hello\n", dest: "/etc/motd", mode: "0644", attr: "+i" }],
      ["file", { path: "/srv", state: "directory", recurse: true, mode: "0755" }],
      ["file", { dest: "/srv/link", src: "/srv/real", state: "{{ link_state }}" }],
      ["command", { _raw_params: "ls", chdir: "/tmp", creates: "/tmp/x" }],
      ["command", { argv: ["echo", "hi"], stdin: "x", expand_argument_vars: false }],
      ["shell", { cmd: "ls | wc -l", executable: "/bin/bash", removes: "/tmp/y" }],
      ["set_fact", { answer: 42, cacheable: true }],
      ["stat", { path: "/etc/passwd", checksum_algorithm: "sha256", get_mime: false }],
      ["include_role", { name: "web", tasks_from: "install", public: true, rolespec_validate: false }],
      ["import_role", { role: "web", handlers_from: "main", allow_duplicates: false }],
      ["include_tasks", { file: "extra.yml", apply: { become: true } }],
      ["import_tasks", { _raw_params: "extra.yml" }],
    ];
    for (const [module, args] of valid) {
      expect({ module, errors: errorsOf(validateModule(module), args) }).toEqual({ module, errors: [] });
    }
  });

  test("role metadata with dependencies in every form and argument specs", () => {
    const meta = yaml(`
galaxy_info:
  author: ops
  description: A role
  license: [MIT]
  min_ansible_version: "2.15"
  platforms:
    - name: Debian
      versions: [bookworm, 12]
  galaxy_tags: [web]
dependencies:
  - common
  - role: acme.base.users
    users: [ops]
  - src: https://git.example.org/roles/thing.git
    scm: git
    version: v1.2
allow_duplicates: true
collections: [acme.base]
argument_specs:
  main:
    short_description: The main entry point
    options:
      port:
        type: int
        required: true
        description: The port
      users:
        type: list
        elements: dict
        options:
          name: { type: str }
`);
    expect(errorsOf(validateMeta, meta)).toEqual([]);
  });
});

describe("mistakes fail at the right path, with the right keyword", () => {
  test("pre_task: in a play", () => {
    const errors = errorsOf(validatePlaybook, yaml("- hosts: all\n  pre_task:\n    - ansible.builtin.ping:\n"));
    expectError(errors, { instancePath: "/0", keyword: "additionalProperties", params: { additionalProperty: "pre_task" } });
  });

  test("become: maybe, in a play and in a task", () => {
    expectError(errorsOf(validatePlaybook, yaml("- hosts: all\n  become: maybe\n")), { instancePath: "/0/become", keyword: "enum" });
    expectError(errorsOf(validateTasks, yaml("- ansible.builtin.ping:\n  become: maybe\n")), { instancePath: "/0/become", keyword: "enum" });
  });

  test("a template without src, and with sorce:", () => {
    const template = validateModule("ansible.builtin.template");
    expectError(errorsOf(template, { dest: "/etc/a" }), { instancePath: "", keyword: "required", params: { missingProperty: "src" } });
    const misspelt = errorsOf(template, { sorce: "a.j2", dest: "/etc/a" });
    expectError(misspelt, { instancePath: "", keyword: "additionalProperties", params: { additionalProperty: "sorce" } });
  });

  test("state: absnt in file", () => {
    expectError(errorsOf(validateModule("file"), { path: "/tmp/x", state: "absnt" }), { instancePath: "/state", keyword: "enum" });
  });

  test("a loop_control with an unknown key", () => {
    const errors = errorsOf(validateTasks, yaml("- ansible.builtin.debug: var=item\n  loop: [1]\n  loop_control:\n    loopvar: x\n"));
    expectError(errors, { instancePath: "/0/loop_control", keyword: "additionalProperties", params: { additionalProperty: "loopvar" } });
  });

  test("keywords where their object does not take them", () => {
    // A play is not Conditional.
    expectError(errorsOf(validatePlaybook, yaml("- hosts: all\n  when: x\n")), {
      instancePath: "/0",
      keyword: "additionalProperties",
      params: { additionalProperty: "when" },
    });
    // An import_playbook entry is not a play.
    expectError(errorsOf(validatePlaybook, yaml("- import_playbook: a.yml\n  hosts: all\n")), {
      instancePath: "/0",
      keyword: "additionalProperties",
      params: { additionalProperty: "hosts" },
    });
    // A block runs no action and does not loop.
    const block = errorsOf(validateTasks, yaml("- block:\n    - ansible.builtin.ping:\n  loop: [1]\n"));
    expectError(block, { instancePath: "/0", keyword: "additionalProperties", params: { additionalProperty: "loop" } });
    // rescue: needs block:.
    expectError(errorsOf(validateTasks, yaml("- rescue:\n    - ansible.builtin.ping:\n")), {
      instancePath: "/0",
      keyword: "dependencies",
      params: { missingProperty: "block" },
    });
  });

  test("a playbook entry that is neither a play nor an import, a role without a name", () => {
    expectError(errorsOf(validatePlaybook, yaml("- name: x\n  tasks: []\n")), {
      instancePath: "/0",
      keyword: "required",
      params: { missingProperty: "hosts" },
    });
    expectError(errorsOf(validatePlaybook, yaml("- hosts: all\n  roles:\n    - tags: [x]\n")), {
      instancePath: "/0/roles/0",
      keyword: "required",
      params: { missingProperty: "role" },
    });
  });

  test("values of the wrong shape", () => {
    const cases: [string, string, string][] = [
      ["- ansible.builtin.ping:\n  register: my-result\n", "/0/register", "pattern"],
      ["- ansible.builtin.ping:\n  loop: not a list\n", "/0/loop", "pattern"],
      ["- ansible.builtin.ping:\n  retries: three\n", "/0/retries", "pattern"],
      ["- ansible.builtin.ping:\n  debugger: sometimes\n", "/0/debugger", "enum"],
      ["- ansible.builtin.ping:\n  tags: 5\n", "/0/tags", "type"],
      ["- ansible.builtin.ping:\n  with_items:\n", "/0/with_items", "type"],
      ["- ansible.builtin.ping:\n  loop_control: \"{{ control }}\"\n", "/0/loop_control", "type"],
      ["- ansible.builtin.ping:\n  notify: { handler: x }\n", "/0/notify", "type"],
      ["- block: just one\n", "/0/block", "type"],
    ];
    for (const [text, instancePath, keyword] of cases) expectError(errorsOf(validateTasks, yaml(text)), { instancePath, keyword });
    expectError(errorsOf(validateTasks, yaml("- ansible.builtin.ping:\n  vars:\n    my-var: 1\n")), {
      instancePath: "/0/vars",
      keyword: "additionalProperties",
      params: { additionalProperty: "my-var" },
    });
    expectError(errorsOf(validatePlaybook, yaml("- hosts: all\n  order: random\n")), { instancePath: "/0/order", keyword: "enum" });
    expectError(errorsOf(validatePlaybook, yaml("- hosts: []\n")), { instancePath: "/0/hosts", keyword: "minItems" });
  });

  test("module arguments", () => {
    expectError(errorsOf(validateModule("stat"), { path: "/x", get_md5: false }), {
      instancePath: "",
      keyword: "additionalProperties",
      params: { additionalProperty: "get_md5" },
    });
    expectError(errorsOf(validateModule("command"), { chdir: "/tmp" }), { instancePath: "", keyword: "required", params: { missingProperty: "_raw_params" } });
    expectError(errorsOf(validateModule("include_role"), { tasks_from: "x" }), { instancePath: "", keyword: "required", params: { missingProperty: "name" } });
    expectError(errorsOf(validateModule("import_role"), { name: "x", apply: {} }), {
      instancePath: "",
      keyword: "additionalProperties",
      params: { additionalProperty: "apply" },
    });
    expectError(errorsOf(validateModule("set_fact"), { "my-fact": 1 }), {
      instancePath: "",
      keyword: "additionalProperties",
      params: { additionalProperty: "my-fact" },
    });
    expectError(errorsOf(validateModule("copy"), { src: "a", dest: "/b", force: "maybe" }), { instancePath: "/force", keyword: "enum" });
  });

  test("role metadata", () => {
    expectError(errorsOf(validateMeta, yaml("dependency: []\n")), {
      instancePath: "",
      keyword: "additionalProperties",
      params: { additionalProperty: "dependency" },
    });
    expectError(errorsOf(validateMeta, yaml("galaxy_info:\n  min_ansible_version: 2.10\n")), {
      instancePath: "/galaxy_info/min_ansible_version",
      keyword: "type",
    });
    expectError(errorsOf(validateMeta, yaml("dependencies:\n  - version: 1\n")), {
      instancePath: "/dependencies/0",
      keyword: "required",
      params: { missingProperty: "role" },
    });
    expectError(errorsOf(validateMeta, yaml("argument_specs:\n  main:\n    options:\n      port: { type: integer }\n")), {
      instancePath: "/argument_specs/main/options/port/type",
      keyword: "enum",
    });
  });
});

describe("through src/schema, one problem per mistake", () => {
  function problems(text: string, schema: object) {
    const document = parseDocument(text, { version: "1.1" });
    return checkNode(document.contents, schema).map((problem) => ({ kind: problem.kind, path: problem.path, key: problem.key, suggestion: problem.suggestion }));
  }
  const module = (name: string): object => modulesFile.modules[moduleName(name)!]!;

  interface Expected {
    kind: ProblemKind;
    path: string;
    key: string;
    suggestion: string | undefined;
  }
  test.each<[string, string, object, Expected]>([
    ["pre_task: in a play", "- hosts: all\n  pre_task: []\n", playbookSchema, { kind: "unknownKey", path: "[0]", key: "pre_task", suggestion: "pre_tasks" }],
    ["become: maybe in a play", "- hosts: all\n  become: maybe\n", playbookSchema, { kind: "wrongValue", path: "[0].become", key: "become", suggestion: undefined }],
    ["when: on a play", "- hosts: all\n  when: x\n", playbookSchema, { kind: "unknownKey", path: "[0]", key: "when", suggestion: undefined }],
    ["hosts: on an import", "- import_playbook: a.yml\n  hosts: all\n", playbookSchema, { kind: "unknownKey", path: "[0]", key: "hosts", suggestion: undefined }],
    ["become: maybe in a block", "- block: []\n  become: maybe\n", taskSchema, { kind: "wrongValue", path: "[0].become", key: "become", suggestion: undefined }],
    ["loop: on a block", "- block: []\n  loop: [1]\n", taskSchema, { kind: "unknownKey", path: "[0]", key: "loop", suggestion: undefined }],
    ["an unknown loop_control key", "- ansible.builtin.ping:\n  loop_control: { loop_vars: x }\n", taskSchema, { kind: "unknownKey", path: "[0].loop_control", key: "loop_vars", suggestion: "loop_var" }],
    ["rescue: without block:", "- rescue: []\n", taskSchema, { kind: "invalid", path: "[0]", key: "0", suggestion: undefined }],
    ["retries: three", "- ansible.builtin.ping:\n  retries: three\n", taskSchema, { kind: "invalid", path: "[0].retries", key: "retries", suggestion: undefined }],
    ["a template without src", "dest: /etc/a\n", module("template"), { kind: "missingKey", path: "", key: "src", suggestion: undefined }],
    ["state: absnt in file", "path: /x\nstate: absnt\n", module("file"), { kind: "wrongValue", path: "state", key: "state", suggestion: "absent" }],
    ["a role without a name", "- hosts: all\n  roles:\n    - tags: x\n", playbookSchema, { kind: "missingKey", path: "[0].roles[0]", key: "role", suggestion: undefined }],
  ])("%s", (_name, text, schema, expected) => {
    expect(problems(text, schema)).toEqual([expected]);
  });

  test("sorce: in a template is an unknown key, and src is missing", () => {
    // Two problems for one slip: "force" is nearer to "sorce" than "src" is, so merging them is the rule's call.
    expect(problems("sorce: a.j2\ndest: /etc/a\n", module("template")).map(({ kind, key }) => ({ kind, key }))).toEqual([
      { kind: "missingKey", key: "src" },
      { kind: "unknownKey", key: "sorce" },
    ]);
  });
});
