/**
 * ansible/template-exists: template and copy sources, task files and roles that tasks name are
 * where Ansible looks for them. The repos are written to disk, so existence is checked for real.
 */
import rule from "../../../rules/ansible/template-exists.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests } from "../../helpers/rule-tester.ts";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

const playbook = lines("---", "- name: Configure indri", "  hosts: indri", "  roles:", "    - caddy");

runRuleTests("ansible/template-exists", rule as GitopsRule, {
  valid: [
    {
      name: "sources in the role's templates/ and files/, by name, by subpath and with the folder written",
      files: {
        "ansible/playbooks/indri.yml": playbook,
        "ansible/roles/caddy/tasks/main.yml": lines(
          "---",
          "- name: Write the Caddyfile",
          "  ansible.builtin.template:",
          "    src: Caddyfile.j2",
          "    dest: /etc/caddy/Caddyfile",
          "- name: Write a site",
          "  template:",
          "    src: sites/grafana.caddy.j2",
          "    dest: /etc/caddy/sites/grafana.caddy",
          "- name: Write the logging snippet",
          "  ansible.legacy.template:",
          "    src: templates/logging.j2",
          "    dest: /etc/caddy/logging",
          "- name: Copy the error page",
          "  ansible.builtin.copy:",
          "    src: error.html",
          "    dest: /srv/error.html",
          "- name: Copy the static site, a directory",
          "  ansible.builtin.copy:",
          "    src: site/",
          "    dest: /srv/site/",
        ),
        "ansible/roles/caddy/templates/Caddyfile.j2": "{{ caddy_sites }}\n",
        "ansible/roles/caddy/templates/sites/grafana.caddy.j2": "grafana\n",
        "ansible/roles/caddy/templates/logging.j2": "log\n",
        "ansible/roles/caddy/files/error.html": "<h1>oops</h1>\n",
        "ansible/roles/caddy/files/site/index.html": "<h1>hi</h1>\n",
      },
    },
    {
      name: "what cannot be judged: templated, absolute, home-relative and leaving the repo; copy from the host or with content",
      files: {
        "roles/app/tasks/main.yml": lines(
          "- ansible.builtin.template:",
          '    src: "{{ app_config_template }}"',
          "    dest: /etc/app.conf",
          "- ansible.builtin.template:",
          "    src: /opt/templates/app.conf.j2",
          "    dest: /etc/app.conf",
          "- ansible.builtin.template:",
          "    src: ~/templates/app.conf.j2",
          "    dest: /etc/app.conf",
          "- ansible.builtin.template:",
          "    src: ../../../../shared/app.conf.j2",
          "    dest: /etc/app.conf",
          "- ansible.builtin.copy:",
          "    src: /var/backups/app.tar",
          "    dest: /srv/app.tar",
          "    remote_src: true",
          "- ansible.builtin.copy:",
          "    content: hello",
          "    dest: /srv/hello",
          "- ansible.builtin.template:",
          "    src: \"{{ item }}\"",
          "    dest: /etc/app/",
          "  with_fileglob: templates/*.j2",
        ),
      },
    },
    {
      name: "Ansible's other places: the role's own directory, its tasks/, and the playbook's templates/",
      files: {
        "site.yml": lines("- hosts: all", "  roles:", "    - app"),
        "templates/motd.j2": "hello\n",
        "roles/app/app.conf.j2": "x\n",
        "roles/app/tasks/unit.service.j2": "x\n",
        "roles/app/tasks/main.yml": lines(
          "- ansible.builtin.template:",
          "    src: app.conf.j2",
          "    dest: /etc/app.conf",
          "- ansible.builtin.template:",
          "    src: unit.service.j2",
          "    dest: /etc/systemd/system/app.service",
          "- ansible.builtin.template:",
          "    src: motd.j2",
          "    dest: /etc/motd",
        ),
      },
    },
    {
      name: "a template of the role that depends on this one, or includes it",
      files: {
        "roles/web/meta/main.yml": lines("dependencies:", "  - role: base"),
        "roles/web/templates/web-limits.conf.j2": "x\n",
        "roles/web/tasks/main.yml": lines("- ansible.builtin.include_role:", "    name: logging"),
        "roles/web/templates/web-logging.conf.j2": "x\n",
        "roles/base/tasks/main.yml": lines("- ansible.builtin.template:", "    src: web-limits.conf.j2", "    dest: /etc/security/limits.d/web.conf"),
        "roles/logging/tasks/main.yml": lines("- ansible.builtin.template:", "    src: web-logging.conf.j2", "    dest: /etc/rsyslog.d/web.conf"),
      },
    },
    {
      name: "free-form arguments, action: and args:",
      files: {
        "roles/app/templates/app.conf.j2": "x\n",
        "roles/app/files/app.key": "x\n",
        "roles/app/tasks/main.yml": lines(
          "- template: src=app.conf.j2 dest=/etc/app.conf mode=0644",
          "- action: copy src=app.key dest=/etc/app.key",
          "- ansible.builtin.template:",
          "  args:",
          "    src: app.conf.j2",
          "    dest: /etc/app.conf",
        ),
      },
    },
    {
      name: "task files: next to tasks/main.yml, in a subfolder, next to the including file, and in handlers/",
      files: {
        "roles/app/tasks/main.yml": lines(
          "- ansible.builtin.include_tasks: install.yml",
          "- ansible.builtin.import_tasks:",
          "    file: os/debian.yml",
          "- include_tasks:",
          '    file: "{{ ansible_os_family | lower }}.yml"',
        ),
        "roles/app/tasks/install.yml": "- ansible.builtin.debug:\n    msg: install\n",
        "roles/app/tasks/os/debian.yml": lines("- ansible.builtin.import_tasks: apt.yml"),
        "roles/app/tasks/os/apt.yml": "- ansible.builtin.debug:\n    msg: apt\n",
        "roles/app/handlers/main.yml": lines("- name: Restart app", "  ansible.builtin.include_tasks: restart.yml"),
        "roles/app/handlers/restart.yml": "- ansible.builtin.debug:\n    msg: restart\n",
      },
    },
    {
      name: "roles: of the repo, from a requirements.yml, from a collection, by path or templated",
      files: {
        "requirements.yml": lines(
          "roles:",
          "  - name: docker",
          "    src: https://github.com/example/ansible-role-docker.git",
          "  - src: https://github.com/example/ansible-role-nginx.git,v2.0.0",
          "collections:",
          "  - community.general",
        ),
        "playbooks/site.yml": lines(
          "- hosts: all",
          "  roles:",
          "    - caddy",
          "    - role: docker",
          "    - ansible-role-nginx",
          "    - community.general.proxmox",
          "    - geerlingguy.postgresql",
          "    - ../vendor/legacy",
          "  tasks:",
          "    - ansible.builtin.include_role:",
          "        name: static",
          "    - ansible.builtin.import_role:",
          '        name: "{{ app_role }}"',
        ),
        "playbooks/roles/caddy/tasks/main.yml": "- ansible.builtin.debug:\n    msg: caddy\n",
        // A role that has files only is still a role: it sits in a roles/ folder.
        "playbooks/roles/static/files/index.html": "<h1>hi</h1>\n",
      },
    },
    {
      name: "roles installed by a requirements file named otherwise (ansible-galaxy install -r takes any file)",
      files: {
        "ansible/galaxy-requirements.yml": lines("roles:", "  - name: restic", "    src: https://github.com/example/ansible-restic.git"),
        "ansible/site.yml": lines("- hosts: all", "  roles:", "    - restic"),
      },
    },
    {
      name: "a repo that is one role: its test playbooks name it as its checkout directory is named",
      files: {
        "tasks/main.yml": "- ansible.builtin.debug:\n    msg: role\n",
        "meta/main.yml": lines("galaxy_info:", "  role_name: restic", "  namespace: example"),
        "tests/test.yml": lines("- hosts: localhost", "  roles:", "    - ansible-role-restic"),
        "molecule/default/converge.yml": lines("- hosts: all", "  roles:", "    - role: restic"),
      },
    },
    {
      name: "a short role name where the play or the role lists collections: it may be one of theirs",
      files: {
        "playbooks/workstation.yml": lines(
          "- hosts: workstations",
          "  collections:",
          "    - example.mac",
          "  roles:",
          "    - homebrew",
          "  tasks:",
          "    - ansible.builtin.import_role:",
          "        name: dock",
          "- hosts: servers",
          "  collections: example.server",
          "  roles:",
          "    - hardening",
        ),
        "roles/desktop/meta/main.yml": lines("collections:", "  - example.mac"),
        "roles/desktop/tasks/main.yml": lines("- ansible.builtin.include_role:", "    name: mas"),
      },
    },
    {
      name: "tasks of a playbook: sources from the playbook's templates/ and files/, task files next to it",
      files: {
        "ansible/site.yml": lines(
          "- hosts: all",
          "  pre_tasks:",
          "    - ansible.builtin.template:",
          "        src: motd.j2",
          "        dest: /etc/motd",
          "  tasks:",
          "    - ansible.builtin.copy:",
          "        src: banner.txt",
          "        dest: /etc/issue",
          "    - block:",
          "        - ansible.builtin.import_tasks: tasks/common.yml",
        ),
        "ansible/templates/motd.j2": "hello\n",
        "ansible/files/banner.txt": "hello\n",
        "ansible/tasks/common.yml": "- ansible.builtin.debug:\n    msg: common\n",
      },
    },
    {
      name: "a file .gitignore keeps out of git may be generated before the run",
      files: {
        ".gitignore": "roles/app/files/generated/\n",
        "roles/app/tasks/main.yml": lines("- ansible.builtin.copy:", "    src: generated/app.tar", "    dest: /srv/app.tar"),
      },
    },
    {
      name: "tasks_from, vars_from, defaults_from and handlers_from found as Ansible finds them: .yml, .yaml, written with the extension, a vars directory",
      files: {
        "site.yml": lines(
          "- hosts: all",
          "  tasks:",
          "    - ansible.builtin.include_role:",
          "        name: app",
          "        tasks_from: install",
          "        vars_from: production",
          "        defaults_from: base.yml",
          "        handlers_from: restart",
          "    - ansible.builtin.import_role:",
          "        name: app",
          "        vars_from: site",
          "        tasks_from: nested/configure",
          "    - include_role: name=app tasks_from=install.yml",
        ),
        "roles/app/tasks/main.yml": "- ansible.builtin.debug:\n    msg: app\n",
        "roles/app/tasks/install.yml": "- ansible.builtin.debug:\n    msg: install\n",
        "roles/app/tasks/nested/configure.yml": "- ansible.builtin.debug:\n    msg: configure\n",
        "roles/app/vars/production.yaml": "app_env: production\n",
        "roles/app/vars/site/main.yml": "app_site: x\n",
        "roles/app/defaults/base.yml": "app_port: 80\n",
        "roles/app/handlers/restart.yml": "- name: Restart app\n  ansible.builtin.debug:\n    msg: restart\n",
      },
    },
    {
      name: "tasks_from of a role the repo does not hold (a collection's, a Galaxy role, a play with collections:) or templated is not judged",
      files: {
        "site.yml": lines(
          "- hosts: all",
          "  tasks:",
          "    - ansible.builtin.include_role:",
          "        name: community.general.app",
          "        tasks_from: nowhere",
          "    - ansible.builtin.import_role:",
          "        name: geerlingguy.docker",
          "        tasks_from: setup-Debian",
          "    - ansible.builtin.include_role:",
          "        name: app",
          '        tasks_from: "{{ ansible_os_family }}"',
          "- hosts: all",
          "  collections:",
          "    - example.apps",
          "  tasks:",
          "    - ansible.builtin.include_role:",
          "        name: app",
          "        tasks_from: from-the-collection",
        ),
        "roles/app/tasks/main.yml": "- ansible.builtin.debug:\n    msg: app\n",
      },
    },
  ],
  invalid: [
    {
      name: "a misspelt template: did you mean, at the src value",
      filename: "ansible/roles/caddy/tasks/main.yml",
      files: {
        "ansible/playbooks/indri.yml": playbook,
        "ansible/roles/caddy/tasks/main.yml": lines(
          "---",
          "- name: Write the Caddyfile",
          "  ansible.builtin.template:",
          "    src: Cadyfile.j2",
          "    dest: /etc/caddy/Caddyfile",
        ),
        "ansible/roles/caddy/templates/Caddyfile.j2": "{{ caddy_sites }}\n",
      },
      errors: [
        {
          messageId: "missingSourceDidYouMean",
          message:
            'ansible.builtin.template src "Cadyfile.j2" is in none of the places Ansible looks (ansible/roles/caddy/templates/, ansible/roles/caddy/, ansible/roles/caddy/tasks/templates/, ansible/roles/caddy/tasks/, ansible/playbooks/templates/, ansible/playbooks/); did you mean "Caddyfile.j2"? The task fails on every host with "Could not find or access \'Cadyfile.j2\'".',
          line: 4,
          column: 10,
          endLine: 4,
          endColumn: 21,
        },
      ],
    },
    {
      name: "a template written without its .j2",
      filename: "roles/app/tasks/main.yml",
      files: {
        "roles/app/tasks/main.yml": lines("- ansible.builtin.template:", "    src: application.conf", "    dest: /etc/app.conf"),
        "roles/app/templates/application.conf.j2": "x\n",
      },
      errors: [
        {
          messageId: "missingSourceDidYouMean",
          data: {
            module: "ansible.builtin.template",
            src: "application.conf",
            searched: "roles/app/templates/, roles/app/, roles/app/tasks/templates/, roles/app/tasks/",
            suggestion: "application.conf.j2",
          },
          line: 2,
          column: 10,
          endLine: 2,
          endColumn: 26,
        },
      ],
    },
    {
      name: "a template nowhere near any file: what the folder holds",
      filename: "roles/app/tasks/main.yml",
      files: {
        "roles/app/tasks/main.yml": lines("- ansible.builtin.template:", '    src: "oidc-credentials.env.j2"', "    dest: /etc/app/oidc.env"),
        "roles/app/templates/app.ini.j2": "x\n",
        "roles/app/templates/app.service.j2": "x\n",
      },
      errors: [
        {
          messageId: "missingSource",
          message:
            'ansible.builtin.template src "oidc-credentials.env.j2" is in none of the places Ansible looks (roles/app/templates/, roles/app/, roles/app/tasks/templates/, roles/app/tasks/): the task fails on every host with "Could not find or access \'oidc-credentials.env.j2\'". roles/app/templates/ holds "app.ini.j2", "app.service.j2". Add the file, or correct the path.',
          line: 2,
          column: 10,
          endLine: 2,
          endColumn: 35,
        },
      ],
    },
    {
      name: "copy looks in files/, not templates/",
      filename: "roles/app/tasks/main.yml",
      files: {
        "roles/app/tasks/main.yml": lines("- copy:", "    src: app.key", "    dest: /etc/app.key"),
        "roles/app/templates/app.key": "x\n",
      },
      errors: [
        {
          messageId: "missingSource",
          message:
            'copy src "app.key" is in none of the places Ansible looks (roles/app/files/, roles/app/, roles/app/tasks/files/, roles/app/tasks/): the task fails on every host with "Could not find or access \'app.key\'". roles/app/files/ does not exist. Add the file, or correct the path.',
          line: 2,
          column: 10,
          endLine: 2,
          endColumn: 17,
        },
      ],
    },
    {
      name: "free-form src: at the value inside the string",
      filename: "roles/app/tasks/main.yml",
      files: {
        "roles/app/tasks/main.yml": lines("- name: Write the config", "  template: src=app.cnf.j2 dest=/etc/app.conf"),
        "roles/app/templates/app.conf.j2": "x\n",
      },
      errors: [{ messageId: "missingSourceDidYouMean", line: 2, column: 17, endLine: 2, endColumn: 27 }],
    },
    {
      name: "a handler's template",
      filename: "roles/app/handlers/main.yml",
      files: {
        "roles/app/handlers/main.yml": lines("- name: Rewrite the unit", "  ansible.builtin.template:", "    src: app.service", "    dest: /etc/systemd/system/app.service"),
        "roles/app/templates/app.service.j2": "x\n",
      },
      errors: [
        {
          messageId: "missingSourceDidYouMean",
          data: {
            module: "ansible.builtin.template",
            src: "app.service",
            // A handler's own folder is handlers/.
            searched: "roles/app/templates/, roles/app/, roles/app/handlers/templates/, roles/app/handlers/",
            suggestion: "app.service.j2",
          },
          line: 3,
          column: 10,
          endLine: 3,
          endColumn: 21,
        },
      ],
    },
    {
      name: "task files that are not there, in a role and in a play",
      filename: "roles/app/tasks/main.yml",
      files: {
        "roles/app/tasks/main.yml": lines("- ansible.builtin.include_tasks: instal.yml", "- ansible.builtin.import_tasks:", "    file: configure.yml"),
        "roles/app/tasks/install.yml": "- ansible.builtin.debug:\n    msg: install\n",
      },
      errors: [
        {
          messageId: "missingTasksDidYouMean",
          message:
            'ansible.builtin.include_tasks "instal.yml" is in none of the places Ansible looks (roles/app/tasks/, roles/app/); did you mean "install.yml"? ansible-playbook fails when it reaches this task ("Could not find or access").',
          line: 1,
          column: 34,
          endLine: 1,
          endColumn: 44,
        },
        {
          messageId: "missingTasks",
          message:
            'ansible.builtin.import_tasks "configure.yml" is in none of the places Ansible looks (roles/app/tasks/, roles/app/): ansible-playbook fails before running any task ("Could not find or access"). roles/app/tasks/ holds "install.yml", "main.yml". Add the file, or correct the path.',
          line: 3,
          column: 11,
          endLine: 3,
          endColumn: 24,
        },
      ],
    },
    {
      name: "a play's task file, relative to the playbook",
      filename: "ansible/site.yml",
      files: {
        "ansible/site.yml": lines("- hosts: all", "  tasks:", "    - ansible.builtin.import_tasks: task/common.yml"),
        "ansible/tasks/common.yml": "- ansible.builtin.debug:\n    msg: common\n",
      },
      errors: [
        {
          messageId: "missingTasksDidYouMean",
          data: {
            module: "ansible.builtin.import_tasks",
            file: "task/common.yml",
            searched: "ansible/",
            suggestion: "tasks/common.yml",
            when: "before running any task",
          },
          line: 3,
          column: 37,
          endLine: 3,
          endColumn: 52,
        },
      ],
    },
    {
      name: "roles that are not in the repo: a play's roles and include_role",
      filename: "playbooks/site.yml",
      files: {
        "playbooks/site.yml": lines(
          "- hosts: all",
          "  roles:",
          "    - caddi",
          "    - role: monitoring",
          "  tasks:",
          "    - ansible.builtin.include_role:",
          "        name: zot",
        ),
        "roles/caddy/tasks/main.yml": "- ansible.builtin.debug:\n    msg: caddy\n",
        "roles/forgejo/tasks/main.yml": "- ansible.builtin.debug:\n    msg: forgejo\n",
      },
      errors: [
        {
          messageId: "unknownRoleDidYouMean",
          message:
            'role "caddi" is not a role of this repo nor listed in a requirements.yml; did you mean "caddy"? ansible-playbook fails before running any task ("the role \'caddi\' was not found").',
          line: 3,
          column: 7,
          endLine: 3,
          endColumn: 12,
        },
        {
          messageId: "unknownRole",
          message:
            'role "monitoring" is not a role of this repo (its roles: "caddy", "forgejo") nor listed in a requirements.yml: ansible-playbook fails before running any task ("the role \'monitoring\' was not found"). Correct the name, or add the role.',
          line: 4,
          column: 13,
          endLine: 4,
          endColumn: 23,
        },
        { messageId: "unknownRole", data: { role: "zot", available: 'its roles: "caddy", "forgejo"', when: "when it reaches this task" }, line: 7, column: 15, endLine: 7, endColumn: 18 },
      ],
    },
    {
      name: "a misspelt tasks_from: did you mean, in the form written",
      filename: "site.yml",
      files: {
        "site.yml": lines(
          "- hosts: all",
          "  tasks:",
          "    - ansible.builtin.include_role:",
          "        name: app",
          "        tasks_from: instal",
          "    - ansible.builtin.include_role:",
          "        name: app",
          "        tasks_from: install.yaml",
        ),
        "roles/app/tasks/main.yml": "- ansible.builtin.debug:\n    msg: app\n",
        "roles/app/tasks/install.yml": "- ansible.builtin.debug:\n    msg: install\n",
      },
      errors: [
        {
          messageId: "missingRoleFileDidYouMean",
          message:
            'ansible.builtin.include_role tasks_from "instal" is in none of the places Ansible looks (roles/app/tasks/ as "instal", "instal.yml", "instal.yaml", "instal.json"); did you mean "install"? ansible-playbook fails when it reaches this task ("Could not find specified file in role").',
          line: 5,
          column: 21,
          endLine: 5,
          endColumn: 27,
        },
        {
          messageId: "missingRoleFileDidYouMean",
          data: {
            module: "ansible.builtin.include_role",
            key: "tasks_from",
            file: "install.yaml",
            searched: 'roles/app/tasks/ as "install.yaml", "install.yaml.yml", "install.yaml.yaml", "install.yaml.json"',
            suggestion: "install.yml",
            when: "when it reaches this task",
          },
          line: 8,
          column: 21,
          endLine: 8,
          endColumn: 33,
        },
      ],
    },
    {
      name: "import_role vars_from and handlers_from that are not there, in a role's tasks",
      filename: "roles/web/tasks/main.yml",
      files: {
        "roles/web/tasks/main.yml": lines(
          "- ansible.builtin.import_role:",
          "    name: app",
          "    vars_from: production",
          "    handlers_from: restart",
        ),
        "roles/app/tasks/main.yml": "- ansible.builtin.debug:\n    msg: app\n",
        "roles/app/vars/main.yml": "app_env: dev\n",
        "roles/app/vars/staging.yml": "app_env: staging\n",
      },
      errors: [
        {
          messageId: "missingRoleFile",
          message:
            'ansible.builtin.import_role vars_from "production" is in none of the places Ansible looks (roles/app/vars/ as "production", "production.yml", "production.yaml", "production.json"): ansible-playbook fails before running any task ("Could not find specified file in role"). roles/app/vars/ holds "main", "staging". Add the file, or correct the name.',
          line: 3,
          column: 16,
          endLine: 3,
          endColumn: 26,
        },
        {
          messageId: "missingRoleFile",
          message:
            'ansible.builtin.import_role handlers_from "restart" is in none of the places Ansible looks (roles/app/handlers/ as "restart", "restart.yml", "restart.yaml", "restart.json"): ansible-playbook fails before running any task ("Could not find specified file in role"). roles/app/handlers/ does not exist. Add the file, or correct the name.',
          line: 4,
          column: 20,
          endLine: 4,
          endColumn: 27,
        },
      ],
    },
    {
      name: "free-form tasks_from, at the value inside the string",
      filename: "site.yml",
      files: {
        "site.yml": lines("- hosts: all", "  tasks:", "    - include_role: name=app tasks_from=setup"),
        "roles/app/tasks/main.yml": "- ansible.builtin.debug:\n    msg: app\n",
      },
      errors: [
        {
          messageId: "missingRoleFile",
          data: {
            module: "include_role",
            key: "tasks_from",
            file: "setup",
            searched: 'roles/app/tasks/ as "setup", "setup.yml", "setup.yaml", "setup.json"',
            available: 'roles/app/tasks/ holds "main"',
            when: "when it reaches this task",
          },
          line: 3,
          column: 41,
          endLine: 3,
          endColumn: 46,
        },
      ],
    },
  ],
});
