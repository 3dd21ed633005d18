/**
 * Typed views of Ansible: tasks with their action (the one key that is not a task keyword),
 * blocks, free-form actions, plays and role parts.
 */
import { describe, expect, test } from "bun:test";
import { isMap, isScalar } from "yaml";
import type { AnsibleTask } from "../../src/index/model.ts";
import { keysOf, text } from "../../src/index/read.ts";
import { buildIndex, values, yaml } from "./build.ts";

function actions(tasks: AnsibleTask[]): Array<string | undefined> {
  return tasks.map((task) => task.action?.value);
}

describe("tasks", () => {
  const index = buildIndex([
    [
      "ansible/roles/forgejo/tasks/main.yml",
      yaml`
        - name: Every other key is a keyword
          when: forgejo_enabled
          register: result
          loop: [1, 2]
          with_items: [1, 2]
          no_log: true
          delegate_to: localhost
          become: true
          become_user: root
          notify: restart forgejo
          tags: [forgejo]
          vars: { a: 1 }
          environment: { A: b }
          changed_when: false
          ansible.builtin.template:
            src: app.ini.j2
            dest: /etc/forgejo/app.ini
        - ansible.builtin.debug: msg=hello
          when: true
        - name: Guarded
          block:
            - ansible.builtin.command: forgejo migrate
          rescue:
            - ansible.builtin.debug: { msg: failed }
          always:
            - name: Clean up
              file: { path: /tmp/x, state: absent }
          when: forgejo_enabled
        - action: ansible.builtin.copy src=a dest=b
        - local_action: command op read op://homelab/forgejo/token
        - name: Mapping form
          action:
            module: ansible.builtin.copy
            src: a
            dest: b
        - name: Nothing to do
          when: false
      `,
    ],
  ]);
  const tasks = index.roles.get("ansible/roles/forgejo")!.tasks;

  test("the action is the FQCN module key, never a keyword", () => {
    expect(actions(tasks)).toEqual([
      "ansible.builtin.template",
      "ansible.builtin.debug",
      "block",
      "ansible.builtin.copy",
      "command",
      "ansible.builtin.copy",
      undefined,
    ]);
    expect(tasks[0]!.name?.value).toBe("Every other key is a keyword");
    expect(values(keysOf(tasks[0]!.args))).toEqual(["src", "dest"]);
    expect(text(tasks[1]!.args)).toBe("msg=hello");
    expect(tasks.every((task) => task.file === index.files[0])).toBe(true);
  });

  test("blocks list block, rescue and always children in order", () => {
    const block = tasks[2]!;
    expect(block.args).toBeUndefined();
    expect(actions(block.children)).toEqual(["ansible.builtin.command", "ansible.builtin.debug", "file"]);
    expect(block.children[2]!.name?.value).toBe("Clean up");
  });

  test("action: and local_action: name the module in their value", () => {
    expect(isScalar(tasks[3]!.args) && tasks[3]!.args.value).toBe("ansible.builtin.copy src=a dest=b");
    expect(isScalar(tasks[4]!.args) && tasks[4]!.args.value).toBe("command op read op://homelab/forgejo/token");
    expect(isMap(tasks[5]!.args)).toBe(true);
    expect(tasks[6]!.args).toBeUndefined();
  });
});

describe("playbooks", () => {
  test("plays with hosts, roles in every form, pre_tasks, tasks, post_tasks, handlers and vars", () => {
    const index = buildIndex([
      [
        "ansible/playbooks/forgejo.yml",
        yaml`
          - name: Forgejo
            hosts: forgejo
            become: true
            vars:
              forgejo_domain: git.example.com
              forgejo_oidc_secret: "{{ oidc.stdout }}"
            roles:
              - common
              - role: forgejo
                tags: [forgejo]
              - name: caddy
              - { role: 12 }
              - {}
            pre_tasks:
              - name: Read the OIDC secret
                ansible.builtin.command: op read "op://homelab/forgejo-oidc/client-secret"
                register: oidc
                delegate_to: localhost
            tasks:
              - ansible.builtin.ping:
            post_tasks:
              - ansible.builtin.uri: { url: "https://git.example.com" }
            handlers:
              - name: restart forgejo
                ansible.builtin.service: { name: forgejo, state: restarted }
          - hosts: [web, db]
            tasks: []
        `,
      ],
    ]);
    const [playbook] = index.playbooks;
    const [play, second] = playbook!.plays;
    expect(play!.hosts?.value).toBe("forgejo");
    expect(values(play!.roles)).toEqual(["common", "forgejo", "caddy", "12"]);
    expect(actions(play!.preTasks)).toEqual(["ansible.builtin.command"]);
    expect(actions(play!.tasks)).toEqual(["ansible.builtin.ping"]);
    expect(actions(play!.postTasks)).toEqual(["ansible.builtin.uri"]);
    expect(actions(play!.handlers)).toEqual(["ansible.builtin.service"]);
    expect(values(keysOf(play!.vars))).toEqual(["forgejo_domain", "forgejo_oidc_secret"]);
    expect(second!.hosts?.value).toBe("web,db");
    expect(second!.roles).toEqual([]);
    expect(second!.vars).toBeUndefined();
  });
});

describe("roles", () => {
  test("defaults, vars, tasks, handlers, meta and templates under nested paths", () => {
    const index = buildIndex([
      ["ansible/roles/forgejo/defaults/main.yml", "forgejo_domain: git.example.com\n"],
      ["ansible/roles/forgejo/defaults/main/oidc.yml", "forgejo_oidc_client_id: forgejo\n"],
      ["ansible/roles/forgejo/vars/main.yml", "forgejo_user: git\n"],
      ["ansible/roles/forgejo/tasks/main.yml", "- ansible.builtin.import_tasks: oidc.yml\n"],
      ["ansible/roles/forgejo/tasks/oidc.yml", "- ansible.builtin.template: { src: oidc.env.j2, dest: /etc/forgejo/oidc.env }\n"],
      ["ansible/roles/forgejo/handlers/main.yml", "- name: restart forgejo\n  ansible.builtin.service: { name: forgejo, state: restarted }\n"],
      ["ansible/roles/forgejo/meta/main.yml", "dependencies: [common]\n"],
      ["ansible/roles/forgejo/meta/argument_specs.yml", "argument_specs: {}\n"],
      ["ansible/roles/forgejo/templates/oidc.env.j2", "SECRET={{ forgejo_oidc_secret }}\n"],
      ["ansible/roles/forgejo/templates/nested/app.ini.j2", "DOMAIN={{ forgejo_domain }}\n"],
    ]);
    expect([...index.roles.keys()]).toEqual(["ansible/roles/forgejo"]);
    const role = index.roles.get("ansible/roles/forgejo")!;
    expect(role.name).toBe("forgejo");
    expect(role.directory).toBe("ansible/roles/forgejo");
    expect(role.defaults.map((document) => values(keysOf(document.doc.contents)))).toEqual([["forgejo_domain"], ["forgejo_oidc_client_id"]]);
    expect(role.vars.map((document) => values(keysOf(document.doc.contents)))).toEqual([["forgejo_user"]]);
    expect(actions(role.tasks)).toEqual(["ansible.builtin.import_tasks", "ansible.builtin.template"]);
    expect(role.tasks.map((task) => task.file.relPath)).toEqual(["ansible/roles/forgejo/tasks/main.yml", "ansible/roles/forgejo/tasks/oidc.yml"]);
    expect(actions(role.handlers)).toEqual(["ansible.builtin.service"]);
    expect(values(keysOf(role.meta?.doc.contents))).toEqual(["dependencies"]);
    expect(role.templates.map((file) => [file.relPath, file.variables.map((variable) => variable.name)])).toEqual([
      ["ansible/roles/forgejo/templates/oidc.env.j2", ["forgejo_oidc_secret"]],
      ["ansible/roles/forgejo/templates/nested/app.ini.j2", ["forgejo_domain"]],
    ]);
    // Role files are YAML 1.1, as Ansible reads them.
    expect(index.files[0]!.version).toBe("1.1");
    expect(index.playbooks).toEqual([]);
  });
});
