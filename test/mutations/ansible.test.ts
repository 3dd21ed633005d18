/**
 * Single mistakes in examples/homelab's Ansible files: each gives exactly one message of
 * schema/ansible, and no other rule reports it.
 */
import { runMutations } from "./harness.ts";

const playbook = "ansible/playbooks/indri.yml";
const caddy = "ansible/roles/caddy/tasks/main.yml";
const forgejo = "ansible/roles/forgejo/tasks/main.yml";
const zot = "ansible/roles/zot/tasks/main.yml";

runMutations("mutations: Ansible playbooks, role tasks and role metadata", [
  {
    name: "two modules in one task",
    file: caddy,
    find: "  notify: Reload caddy",
    replace: "  ansible.builtin.copy:\n    src: Caddyfile\n    dest: /etc/caddy/Caddyfile\n  notify: Reload caddy",
    ruleId: "schema/ansible",
    at: "28:3",
    messageId: "twoActions",
  },
  {
    name: "an unknown task keyword: registr",
    file: playbook,
    find: "      register: forgejo_oidc_client_secret_op",
    replace: "      registr: forgejo_oidc_client_secret_op",
    ruleId: "schema/ansible",
    at: "11:7",
    messageId: "unknownKeyword",
  },
  {
    name: "a template task without src",
    file: zot,
    find: "    src: zot.service\n",
    replace: "",
    ruleId: "schema/ansible",
    at: "40:5",
    messageId: "missingArgument",
  },
  {
    name: "pre_task: in a play",
    file: playbook,
    find: "  pre_tasks:",
    replace: "  pre_task:",
    ruleId: "schema/ansible",
    at: "6:3",
    messageId: "unknownKeyDidYouMean",
  },
  {
    name: "a misspelt module argument: ownr",
    file: forgejo,
    find: '    owner: "{{ forgejo_user }}"',
    replace: '    ownr: "{{ forgejo_user }}"',
    ruleId: "schema/ansible",
    at: "14:5",
    messageId: "unknownArgumentDidYouMean",
  },
  {
    name: "a wrong state: directroy",
    file: forgejo,
    find: "    state: directory",
    replace: "    state: directroy",
    ruleId: "schema/ansible",
    at: "13:12",
    messageId: "wrongArgumentDidYouMean",
  },
  {
    name: "a misspelt argument given in args: creats",
    file: forgejo,
    find: '    creates: "{{ forgejo_home }}/secrets/{{ item }}"',
    replace: '    creats: "{{ forgejo_home }}/secrets/{{ item }}"',
    ruleId: "schema/ansible",
    at: "34:5",
    messageId: "unknownArgumentDidYouMean",
  },
  {
    name: "become: maybe on a play",
    file: playbook,
    find: "  become: yes",
    replace: "  become: maybe",
    ruleId: "schema/ansible",
    at: "4:11",
    messageId: "notBoolean",
  },
  {
    name: "a task whose module is dropped: no action",
    file: "ansible/roles/zot/handlers/main.yml",
    find: "  ansible.builtin.systemd:\n    name: zot\n    state: restarted\n    daemon_reload: yes\n",
    replace: "  listen: restart zot\n",
    ruleId: "schema/ansible",
    at: "2:3",
    messageId: "noAction",
  },
  {
    name: "min_ansible_version written as a number (a warning)",
    file: "ansible/roles/caddy/meta/main.yml",
    find: '  min_ansible_version: "2.15"',
    replace: "  min_ansible_version: 2.10",
    ruleId: "schema/ansible",
    at: "6:24",
    severity: 1,
    messageId: "minAnsibleVersionNumber",
  },
]);
