/**
 * Ansible reads its YAML as 1.1 with PyYAML: `mode: 0644` is the octal 420, `yes` and `on` are
 * true, `y` is a string. Files in Ansible's layout are read so; a list of plays anywhere else is
 * re-read so; Kubernetes manifests stay YAML 1.2.
 */
import { describe, expect, test } from "bun:test";
import { isScalar } from "yaml";
import { parseFile, type ParsedFile, yamlVersionFor } from "../../src/parse/index.ts";
import { parseYaml } from "../../src/parse/yaml.ts";

function parse(relPath: string, text: string): ParsedFile {
  return parseFile({ path: `/repo/${relPath}`, relPath, kind: "yaml" }, text);
}

const values = 'mode: 0644\nbecome: yes\nenabled: on\nanswer: y\nquiet: Off\nmessage: "{{ greeting }}"\n';

describe("YAML 1.1 by layout", () => {
  test.each([
    "roles/caddy/tasks/main.yml",
    "ansible/roles/caddy/handlers/main.yml",
    "roles/caddy/defaults/main.yml",
    "roles/caddy/vars/main.yml",
    "roles/caddy/meta/main.yml",
    "group_vars/all.yml",
    "inventory/group_vars/web/vars.yml",
    "host_vars/forgejo.yml",
    "ansible/playbooks/forgejo.yml",
  ])("%s", (relPath) => {
    const parsed = parse(relPath, values);
    expect(parsed.version).toBe("1.1");
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents[0]!.doc.toJS()).toEqual({ mode: 420, become: true, enabled: true, answer: "y", quiet: false, message: "{{ greeting }}" });
  });

  test("Kubernetes manifests and role templates' neighbours stay 1.2", () => {
    for (const relPath of ["argocd/manifests/grafana/configmap.yaml", "roles/caddy/files/compose.yml", "roles/caddy/templates/x.yml"]) {
      const parsed = parse(relPath, values);
      expect(parsed.version).toBe("1.2");
      expect(parsed.documents[0]!.doc.toJS()).toEqual({ mode: 644, become: "yes", enabled: "on", answer: "y", quiet: "Off", message: "{{ greeting }}" });
    }
    expect(yamlVersionFor("argocd/manifests/roles/x/tasks.yaml")).toBe("1.2");
  });
});

describe("YAML 1.1 by content", () => {
  test("a list of plays outside the layout is re-read as 1.1", () => {
    const parsed = parse("site.yml", "- hosts: all\n  become: yes\n  tasks:\n    - ansible.builtin.file: {path: /srv, mode: 0755}\n");
    expect(parsed.version).toBe("1.1");
    expect(parsed.documents[0]!.doc.toJS()).toEqual([{ hosts: "all", become: true, tasks: [{ "ansible.builtin.file": { path: "/srv", mode: 493 } }] }]);
  });

  test("a list of import_playbook entries is a playbook too", () => {
    const parsed = parse("site.yml", "- import_playbook: forgejo.yml\n- ansible.builtin.import_playbook: grafana.yml\n  when: on\n");
    expect(parsed.version).toBe("1.1");
    expect(parsed.documents[0]!.doc.toJS()).toEqual([{ import_playbook: "forgejo.yml" }, { "ansible.builtin.import_playbook": "grafana.yml", when: true }]);
  });

  test("a Kubernetes manifest, or a list that is not of plays, stays 1.2", () => {
    const manifest = parse("apps/cm.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  enabled: yes\n");
    expect(manifest.version).toBe("1.2");
    expect(manifest.documents[0]!.doc.toJS()).toEqual({ apiVersion: "v1", kind: "ConfigMap", data: { enabled: "yes" } });
    const list = parse("list.yaml", "- name: x\n  enabled: yes\n");
    expect(list.version).toBe("1.2");
    expect(list.documents[0]!.doc.toJS()).toEqual([{ name: "x", enabled: "yes" }]);
  });

  test("the re-read keeps every document of the file and its positions", () => {
    const parsed = parseYaml("# plays\n- hosts: all\n  gather_facts: no\n", "1.2");
    expect(parsed.version).toBe("1.1");
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents).toHaveLength(1);
    const hosts = parsed.documents[0]!.doc.getIn([0, "hosts"], true);
    if (!isScalar(hosts) || !hosts.range) throw new Error("no hosts scalar");
    expect(parsed.documents[0]!.source.position(hosts.range[0])).toEqual({ line: 2, column: 10 });
  });
});

describe("Jinja in Ansible YAML", () => {
  test('a quoted "{{ var }}" is a plain string, in tasks and vars', () => {
    const parsed = parse("roles/grafana/tasks/main.yml", '- name: Write "{{ grafana_config }}"\n  ansible.builtin.template:\n    src: "{{ item }}.j2"\n    dest: "/etc/{{ item }}"\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents[0]!.doc.toJS()).toEqual([
      { name: 'Write "{{ grafana_config }}"', "ansible.builtin.template": { src: "{{ item }}.j2", dest: "/etc/{{ item }}" } },
    ]);
  });
});
