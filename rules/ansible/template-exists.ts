/**
 * What an Ansible task names on the control machine is there: a `template` task's `src`, a
 * `copy` task's `src`, an `include_tasks`/`import_tasks` file, and the role of an
 * `include_role`/`import_role` or of a play's `roles:`, and the file a role include names with
 * `tasks_from`, `vars_from`, `defaults_from` or `handlers_from`. Ansible only finds out when it reaches
 * the task (or, for imports, when it loads the play), on every host, after the tasks before it
 * have run.
 *
 * Paths are looked for where Ansible looks for them (DataLoader.path_dwim_relative_stack): for a
 * task of a role, in that role and in the roles that include it or depend on it (`templates/` or
 * `files/`, then the role's own directory), then in the task file's directory, then in the
 * directory of the playbook that runs the role; for a task of a playbook, in the playbook's
 * directory (its `templates/` or `files/`, then itself). A path only found missing in every one
 * of those places is reported; one that leaves the repo, is absolute or is templated is not
 * judged.
 */
import { isMap, isScalar, type Node, Scalar } from "yaml";
import modules from "../../schemas/ansible/modules.json" with { type: "json" };
import { roleFileOf } from "../../src/index/ansible.ts";
import { type AnsiblePlay, type AnsibleTask, type Named, type RepoIndex, resolvePath } from "../../src/index/index.ts";
import { field, items, maps, named, namedField, text } from "../../src/index/read.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { involving, ruleDocsUrl } from "../../src/rule.ts";
import { closest } from "../../src/schema/suggest.ts";

type MessageId =
  | "missingSource"
  | "missingSourceDidYouMean"
  | "missingTasks"
  | "missingTasksDidYouMean"
  | "missingRoleFile"
  | "missingRoleFileDidYouMean"
  | "unknownRole"
  | "unknownRoleDidYouMean";

const moduleAliases = modules.aliases as Record<string, string>;

/** The fully qualified name of a module, by any name Ansible resolves to it. */
function moduleOf(name: string): string {
  return moduleAliases[name] ?? name;
}

/** Where `template` and `copy` look for `src` in a role or playbook directory. */
const sourceFolders: Record<string, string> = {
  "ansible.builtin.template": "templates",
  "ansible.builtin.copy": "files",
};
const taskIncludes: ReadonlySet<string> = new Set(["ansible.builtin.include_tasks", "ansible.builtin.import_tasks"]);
const roleIncludes: ReadonlySet<string> = new Set(["ansible.builtin.include_role", "ansible.builtin.import_role"]);
/**
 * `include_role`/`import_role` arguments naming a file in a folder of the role. Ansible
 * (Role._load_role_yaml) tries the name as written, then with `.yml`, `.yaml` and `.json`; vars/
 * and defaults/ also take a directory of that name. A missing folder fails too (ansible-core 2.19;
 * older versions ran the role without it).
 */
const roleFileArguments: ReadonlyArray<{ key: string; folder: string; allowDirectory: boolean }> = [
  { key: "tasks_from", folder: "tasks", allowDirectory: false },
  { key: "vars_from", folder: "vars", allowDirectory: true },
  { key: "defaults_from", folder: "defaults", allowDirectory: true },
  { key: "handlers_from", folder: "handlers", allowDirectory: false },
];
const roleFileExtensions = ["", ".yml", ".yaml", ".json"];

/** Ansible templates a string holding a Jinja2 expression or statement before it reads it. */
const templated = /\{\{|\{%/u;
const truthy = /^(?:yes|true|on|y|1)$/iu;
/** `tasks/main.yml` or `meta/main.yml` makes a directory a role wherever it is (Ansible's _is_role). */
const roleMarker = /(?:^|\/)([^/]+)\/(?:tasks|meta)\/main\.ya?ml$/u;
/** ansible-galaxy reads any file given to `-r`: `requirements.yml`, `galaxy-requirements.yml`, `requirements-galaxy.yml`. */
const requirementsFile = /(?:^|\/)[^/]*requirements[^/]*\.ya?ml$/u;
/** The names a message lists at most. */
const listed = 8;

/** What the repo says about roles: which exist, and what runs each (for the search path). */
interface RoleGraph {
  /** Role names: directories in a `roles/` directory, directories with tasks/ or meta/ main.yml. */
  names: Set<string>;
  /** Role name → the repo's directories of that name (a name may be in several `roles/` folders). */
  directories: Map<string, Set<string>>;
  /** Names installed from a requirements.yml. */
  required: Set<string>;
  /** Role name → directories of the roles that include it or depend on it. */
  parents: Map<string, Set<string>>;
  /** Role name → directories of the playbooks that run it. */
  playbooks: Map<string, Set<string>>;
  /**
   * The repo is one role (`tasks/main.yml` or `meta/main.yml` at its root): its playbooks
   * (`tests/test.yml`, molecule's `converge.yml`) name it as its checkout directory is named,
   * which the repo cannot tell.
   */
  rootRole: boolean;
}

const graphs = new WeakMap<RepoIndex, RoleGraph>();

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function dirname(relPath: string): string {
  const slash = relPath.lastIndexOf("/");
  return slash === -1 ? "" : relPath.slice(0, slash);
}

function allTasks(tasks: readonly AnsibleTask[]): AnsibleTask[] {
  return tasks.flatMap((task) => [task, ...allTasks(task.children)]);
}

function playTasks(play: AnsiblePlay): AnsibleTask[] {
  return allTasks([...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers]);
}

/**
 * A module argument: from a mapping of arguments, from `key=value` in free-form text (the value
 * positioned where it is written when the text is written as it reads), or from `args:`.
 */
function argument(task: AnsibleTask, key: string, source: string): Named | undefined {
  const args = task.args;
  const written = isMap(args) ? namedField(args, key) : isScalar(args) ? keyValue(args, key, source) : undefined;
  return written ?? namedField(field(task.node, "args"), key);
}

function keyValue(node: Scalar, key: string, source: string): Named | undefined {
  const value = text(node);
  if (value === undefined) return undefined;
  const match = new RegExp(`(?:^|\\s)${key}=(\\S+)`, "u").exec(value);
  if (!match) return undefined;
  const found = match[1]!;
  // Quoted or templated values hold spaces: not judged.
  if (/^["']/u.test(found) || templated.test(found)) return undefined;
  const at = match.index + match[0].length - found.length;
  const [start, end] = node.range ?? [0, 0];
  if (source.slice(start, end) !== value) return { value: found, node };
  const part = new Scalar(found);
  part.range = [start + at, start + at + found.length, start + at + found.length];
  return { value: found, node: part };
}

/** `include_tasks: file.yml`, `{file: …}`, `file=…` or `_raw_params`. */
function includedFile(task: AnsibleTask, source: string): Named | undefined {
  const args = task.args;
  if (isScalar(args)) {
    const value = text(args);
    if (value === undefined) return undefined;
    if (/(?:^|\s)file=/u.test(value)) return argument(task, "file", source);
    return /\s/u.test(value.trim()) ? undefined : { value: value.trim(), node: args };
  }
  return argument(task, "file", source) ?? argument(task, "_raw_params", source);
}

/** A role named in a role's meta `dependencies:`: `name`, `{role: name}` or `{name: name}`. */
function roleEntry(node: unknown): Named | undefined {
  return named(node) ?? namedField(node, "role") ?? namedField(node, "name");
}

/** ansible-galaxy names a role installed from a URL after the repository: `…/ansible-role-x.git,v1` → `ansible-role-x`. */
function requiredNames(entry: unknown): string[] {
  const names = [text(entry), text(field(entry, "name")), text(field(entry, "src"))].flatMap((name) => (name === undefined ? [] : [name]));
  return names.flatMap((name) => {
    const repository = name.split(",")[0]!.replace(/\/+$/u, "").split(/[/:]/u).pop()!.replace(/\.git$|\.tar\.gz$/u, "");
    return [name, repository];
  });
}

function roleGraph(index: RepoIndex): RoleGraph {
  const known = graphs.get(index);
  if (known) return known;
  const rootRole = ["tasks/main.yml", "tasks/main.yaml", "meta/main.yml", "meta/main.yaml"].some((path) => index.exists(path));
  const graph: RoleGraph = { names: new Set(), directories: new Map(), required: new Set(), parents: new Map(), playbooks: new Map(), rootRole };
  // Every directory in a folder of roles is a role, whatever it holds.
  const folders = new Set([...index.roles.values()].map((role) => dirname(role.directory)));
  for (const playbook of index.playbooks) folders.add(resolvePath(dirname(playbook.file.relPath), "roles")!);
  for (const folder of folders) {
    for (const name of index.entries(folder)) {
      if (!index.isDirectory(subfolder(folder, name))) continue;
      graph.names.add(name);
      add(graph.directories, name, subfolder(folder, name));
    }
  }
  for (const role of index.roles.values()) {
    graph.names.add(role.name);
    add(graph.directories, role.name, role.directory);
  }
  for (const file of index.files) {
    const marker = roleMarker.exec(file.relPath);
    if (marker) {
      graph.names.add(marker[1]!);
      add(graph.directories, marker[1]!, dirname(dirname(file.relPath)));
    }
    if (!requirementsFile.test(file.relPath)) continue;
    for (const document of file.documents) {
      const contents = document.doc.contents;
      const entries = isMap(contents) ? items(field(contents, "roles")) : items(contents);
      for (const entry of entries) for (const name of requiredNames(entry)) graph.required.add(name);
    }
  }
  for (const role of index.roles.values()) {
    for (const task of allTasks([...role.tasks, ...role.handlers])) {
      if (!roleIncludes.has(moduleOf(task.action?.value ?? ""))) continue;
      const name = argument(task, "name", task.file.text)?.value;
      if (name !== undefined) add(graph.parents, name, role.directory);
    }
    for (const dependency of items(field(role.meta?.doc.contents, "dependencies"))) {
      const name = roleEntry(dependency)?.value;
      if (name !== undefined) add(graph.parents, name, role.directory);
    }
  }
  for (const playbook of index.playbooks) {
    const directory = dirname(playbook.file.relPath);
    for (const play of playbook.plays) {
      for (const role of play.roles) add(graph.playbooks, role.value, directory);
      for (const task of playTasks(play)) {
        if (!roleIncludes.has(moduleOf(task.action?.value ?? ""))) continue;
        const name = argument(task, "name", playbook.file.text)?.value;
        if (name !== undefined) add(graph.playbooks, name, directory);
      }
    }
  }
  graphs.set(index, graph);
  return graph;
}

/** Where a task runs from: its role (and what includes it), its file, and the playbooks. */
interface TaskContext {
  /** The role's directory and those of the roles including it or depending on it, nearest first. */
  roles: string[];
  /** The directory of the file the task is written in. */
  taskDirectory: string;
  /** `tasks` or `handlers` in a role; undefined in a playbook. */
  part?: "tasks" | "handlers";
  /** Directories of the playbooks that run the task. */
  playbooks: string[];
  /**
   * The play or role lists `collections:`: Ansible looks a role's short name up in them too, so
   * a name the repo does not hold may be one of theirs.
   */
  collections: boolean;
}

function roleContext(graph: RoleGraph, name: string, directory: string): Pick<TaskContext, "roles" | "playbooks"> {
  const roles = [directory];
  const playbooks = new Set<string>();
  const seen = new Set([name]);
  for (let queue = [name]; queue.length > 0; ) {
    const current = queue.shift()!;
    for (const playbook of graph.playbooks.get(current) ?? []) playbooks.add(playbook);
    for (const parent of graph.parents.get(current) ?? []) {
      if (!roles.includes(parent)) roles.push(parent);
      const parentName = parent.slice(parent.lastIndexOf("/") + 1);
      if (!seen.has(parentName)) {
        seen.add(parentName);
        queue.push(parentName);
      }
    }
  }
  return { roles, playbooks: [...playbooks] };
}

function subfolder(directory: string, name: string): string {
  return directory === "" ? name : `${directory}/${name}`;
}

/** Every file under a directory, by path relative to it. */
function filesUnder(index: RepoIndex, directory: string, prefix = ""): string[] {
  return index.entries(directory).flatMap((name) => {
    const relPath = subfolder(directory, name);
    return index.isDirectory(relPath) ? filesUnder(index, relPath, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

/** A play's or a role meta's `collections:` names a collection (a list, or one name as a string). */
function listsCollections(node: unknown): boolean {
  const collections = field(node, "collections");
  return items(collections).length > 0 || (text(collections) ?? "") !== "";
}

function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, listed).map((name) => `"${name}"`);
  return names.length > listed ? `${shown.join(", ")}, …` : shown.join(", ");
}

function describeFolder(index: RepoIndex, directory: string, names: readonly string[], noun: string): string {
  if (!index.isDirectory(directory)) return `${directory === "" ? "the repo's root" : `${directory}/`} does not exist`;
  return `${directory === "" ? "the repo's root" : `${directory}/`} holds ${names.length > 0 ? quoteList(names) : `no ${noun}`}`;
}

const rule: GitopsRule<MessageId> = {
  meta: {
    type: "problem",
    docs: {
      description:
        "Files and roles that Ansible tasks name exist: `template` and `copy` sources, `include_tasks`/`import_tasks` files, `include_role`/`import_role` and play roles, and the `tasks_from`/`vars_from`/`defaults_from`/`handlers_from` files of a role include",
      url: ruleDocsUrl("ansible/template-exists"),
      recommended: true,
    },
    messages: {
      missingSource:
        '{{module}} src "{{src}}" is in none of the places Ansible looks ({{searched}}): the task fails on every host with "Could not find or access \'{{src}}\'". {{available}}. Add the file, or correct the path.',
      missingSourceDidYouMean:
        '{{module}} src "{{src}}" is in none of the places Ansible looks ({{searched}}); did you mean "{{suggestion}}"? The task fails on every host with "Could not find or access \'{{src}}\'".',
      missingTasks:
        '{{module}} "{{file}}" is in none of the places Ansible looks ({{searched}}): ansible-playbook fails {{when}} ("Could not find or access"). {{available}}. Add the file, or correct the path.',
      missingTasksDidYouMean:
        '{{module}} "{{file}}" is in none of the places Ansible looks ({{searched}}); did you mean "{{suggestion}}"? ansible-playbook fails {{when}} ("Could not find or access").',
      missingRoleFile:
        '{{module}} {{key}} "{{file}}" is in none of the places Ansible looks ({{searched}}): ansible-playbook fails {{when}} ("Could not find specified file in role"). {{available}}. Add the file, or correct the name.',
      missingRoleFileDidYouMean:
        '{{module}} {{key}} "{{file}}" is in none of the places Ansible looks ({{searched}}); did you mean "{{suggestion}}"? ansible-playbook fails {{when}} ("Could not find specified file in role").',
      unknownRole:
        'role "{{role}}" is not a role of this repo ({{available}}) nor listed in a requirements.yml: ansible-playbook fails {{when}} ("the role \'{{role}}\' was not found"). Correct the name, or add the role.',
      unknownRoleDidYouMean:
        'role "{{role}}" is not a role of this repo nor listed in a requirements.yml; did you mean "{{suggestion}}"? ansible-playbook fails {{when}} ("the role \'{{role}}\' was not found").',
    },
    schema: [],
  },
  create(context) {
    const { sourceCode } = context;
    const index = sourceCode.index;
    const source = sourceCode.text;

    /**
     * Whether a path is reported: it is certainly missing from each of the folders searched
     * (one it would leave the repo from cannot be judged).
     */
    function missingEverywhere(folders: readonly string[], written: string): boolean {
      return folders.every((folder) => {
        const candidate = resolvePath(folder, written);
        return candidate !== undefined && index.isMissing(candidate);
      });
    }

    /** The paths a written path names in each folder searched. */
    function candidates(folders: readonly string[], written: string): Array<string | undefined> {
      return folders.map((folder) => resolvePath(folder, written));
    }

    function searchedList(folders: readonly string[]): string {
      return [...new Set(folders)].map((folder) => (folder === "" ? "the repo's root" : `${folder}/`)).join(", ");
    }

    function checkSource(task: AnsibleTask, fqcn: string, where: TaskContext): void {
      const folder = sourceFolders[fqcn]!;
      if (fqcn === "ansible.builtin.copy") {
        const remote = argument(task, "remote_src", source)?.value;
        if (remote !== undefined && (truthy.test(remote) || templated.test(remote))) return;
      }
      const src = argument(task, "src", source);
      if (!src || src.value === "" || templated.test(src.value)) return;
      const written = src.value;
      // Ansible does not add `templates/` to a src that already starts with it.
      const inFolder = written.split("/")[0] === folder;
      const bases = [...where.roles, where.taskDirectory, ...where.playbooks];
      const folders = bases.flatMap((base) => [...(inFolder ? [] : [subfolder(base, folder)]), base]);
      if (!missingEverywhere(folders, written)) return;
      const home = where.roles[0] ?? where.taskDirectory;
      const primary = subfolder(home, folder);
      const present = filesUnder(index, primary);
      const relative = inFolder ? written.slice(folder.length + 1) : written;
      const suggestion = closest(relative, present) ?? present.find((name) => name === `${relative}.j2` || `${name}.j2` === relative);
      const data = { module: task.action!.value, src: written, searched: searchedList(folders) };
      // The chain: each place Ansible looks (the file deleted or renamed), and the suggestion.
      const involved = [...candidates(folders, written), suggestion === undefined ? undefined : subfolder(primary, suggestion)];
      if (suggestion !== undefined) {
        context.report(involving({ node: src, messageId: "missingSourceDidYouMean", data: { ...data, suggestion: inFolder ? `${folder}/${suggestion}` : suggestion } }, involved));
      } else {
        context.report(involving({ node: src, messageId: "missingSource", data: { ...data, available: describeFolder(index, primary, present, "file") } }, involved));
      }
    }

    function checkTasksFile(task: AnsibleTask, fqcn: string, where: TaskContext): void {
      const target = includedFile(task, source);
      if (!target || target.value === "" || templated.test(target.value)) return;
      const written = target.value;
      const part = where.part;
      const role = where.roles[0];
      // In a role, a relative path is looked for under the role's tasks/ (handlers/ for a
      // handler), next to the including file, in the role, and from the playbook; in a play, from
      // the playbook's directory.
      const folders =
        role !== undefined && part !== undefined
          ? [
              subfolder(role, part),
              where.taskDirectory,
              role,
              ...where.playbooks.flatMap((playbook) => [subfolder(playbook, part), playbook]),
            ]
          : [where.taskDirectory];
      if (!missingEverywhere(folders, written)) return;
      const primary = folders[0]!;
      const present = filesUnder(index, primary).filter((name) => /\.ya?ml$/u.test(name));
      const suggestion = closest(written, present);
      const data = {
        module: task.action!.value,
        file: written,
        searched: searchedList(folders),
        when: fqcn === "ansible.builtin.import_tasks" ? "before running any task" : "when it reaches this task",
      };
      const involved = [...candidates(folders, written), suggestion === undefined ? undefined : subfolder(primary, suggestion)];
      if (suggestion !== undefined) {
        context.report(involving({ node: target, messageId: "missingTasksDidYouMean", data: { ...data, suggestion } }, involved));
      } else {
        context.report(involving({ node: target, messageId: "missingTasks", data: { ...data, available: describeFolder(index, primary, present, "YAML file") } }, involved));
      }
    }

    function checkRole(name: Named, when: string, collections: boolean): void {
      const role = name.value;
      // A collection's role (`ns.collection.role`), a Galaxy role (`ns.role`), a path or a
      // template names something this repo need not hold; nor does a short name where the play
      // or role lists `collections:` (Ansible's search path for short role names).
      if (collections || role === "" || role.includes(".") || role.includes("/") || templated.test(role)) return;
      const graph = roleGraph(index);
      if (graph.rootRole || graph.names.has(role) || graph.required.has(role)) return;
      const known = [...graph.names].sort();
      const suggestion = closest(role, known);
      if (suggestion !== undefined) {
        context.report({ node: name, messageId: "unknownRoleDidYouMean", data: { role, suggestion, when } });
      } else {
        const available = known.length > 0 ? `its roles: ${quoteList(known)}` : "it has no roles";
        context.report({ node: name, messageId: "unknownRole", data: { role, available, when } });
      }
    }

    /**
     * `tasks_from`, `vars_from`, `defaults_from` and `handlers_from` of a role the repo holds
     * (in each of its directories of that name, since the repo cannot tell which Ansible picks):
     * reported only when missing from the folder of every one of them.
     */
    function checkRoleFiles(task: AnsibleTask, role: string, when: string, collections: boolean): void {
      if (collections || role === "" || role.includes(".") || role.includes("/") || templated.test(role)) return;
      const directories = [...(roleGraph(index).directories.get(role) ?? [])].sort();
      if (directories.length === 0) return;
      for (const { key, folder, allowDirectory } of roleFileArguments) {
        const target = argument(task, key, source);
        if (!target || target.value === "" || templated.test(target.value)) continue;
        const written = target.value;
        const names = roleFileExtensions.map((extension) => `${written}${extension}`);
        const found = (path: string): boolean => (allowDirectory ? index.exists(path) : index.exists(path) && !index.isDirectory(path));
        const folders = directories.map((directory) => subfolder(directory, folder));
        const missing = folders.every((path) =>
          names.every((name) => {
            const candidate = resolvePath(path, name);
            // Ansible refuses a file outside the folder; one that leaves it is not judged.
            return candidate !== undefined && candidate.startsWith(`${path}/`) && !found(candidate) && (index.isMissing(candidate) || index.isDirectory(candidate));
          }),
        );
        if (!missing) continue;
        const primary = folders[0]!;
        const present = filesUnder(index, primary).filter((name) => /\.(?:ya?ml|json)$/u.test(name));
        // Suggest in the form written: with an extension when it has one, without otherwise.
        const withExtension = /\.(?:ya?ml|json)$/u.test(written);
        const choices = withExtension ? present : [...new Set(present.map((name) => name.replace(/\.(?:ya?ml|json)$/u, "")))];
        const suggestion = closest(written, choices);
        const data = {
          module: task.action!.value,
          key,
          file: written,
          searched: folders.map((path) => `${path}/ as ${names.map((name) => `"${name}"`).join(", ")}`).join("; "),
          when,
        };
        const involved = [
          ...folders.flatMap((path) => names.map((name) => resolvePath(path, name))),
          suggestion === undefined ? undefined : subfolder(primary, present.find((name) => name === suggestion || name.replace(/\.(?:ya?ml|json)$/u, "") === suggestion)!),
        ];
        if (suggestion !== undefined) {
          context.report(involving({ node: target, messageId: "missingRoleFileDidYouMean", data: { ...data, suggestion } }, involved));
        } else {
          context.report(involving({ node: target, messageId: "missingRoleFile", data: { ...data, available: describeFolder(index, primary, choices, "YAML file") } }, involved));
        }
      }
    }

    function checkTasks(tasks: readonly AnsibleTask[], where: TaskContext): void {
      for (const task of allTasks(tasks)) {
        const fqcn = moduleOf(task.action?.value ?? "");
        if (fqcn in sourceFolders) checkSource(task, fqcn, where);
        else if (taskIncludes.has(fqcn)) checkTasksFile(task, fqcn, where);
        else if (roleIncludes.has(fqcn)) {
          const name = argument(task, "name", source);
          const when = fqcn === "ansible.builtin.import_role" ? "before running any task" : "when it reaches this task";
          if (name) {
            checkRole(name, when, where.collections);
            checkRoleFiles(task, name.value, when, where.collections);
          }
        }
      }
    }

    return {
      File(file) {
        const part = roleFileOf(file.relPath);
        if (!part || (part.part !== "tasks" && part.part !== "handlers")) return;
        const role = index.roles.get(part.directory);
        if (!role) return;
        const tasks = (part.part === "tasks" ? role.tasks : role.handlers).filter((task) => task.file === file);
        if (tasks.length === 0) return;
        const where: TaskContext = {
          ...roleContext(roleGraph(index), role.name, role.directory),
          taskDirectory: dirname(file.relPath),
          part: part.part,
          collections: listsCollections(role.meta?.doc.contents),
        };
        checkTasks(tasks, where);
      },
      AnsiblePlaybook(playbook) {
        const directory = dirname(playbook.file.relPath);
        for (const play of playbook.plays) {
          const collections = listsCollections(play.node);
          for (const role of play.roles) checkRole(role, "before running any task", collections);
          checkTasks(playTasks(play), { roles: [], taskDirectory: directory, playbooks: [directory], collections });
        }
      },
    };
  },
};

export default rule;
