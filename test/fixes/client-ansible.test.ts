/**
 * oidc/client-wiring's fixes of the Ansible side of a declared client, as golden files: each
 * folder under `test/fixes/client-ansible/` is one scenario, the repo before `--fix`
 * (`before/`) and every file after (`after/`, byte for byte). Only oidc/client-wiring runs.
 *
 * - homelab: examples/homelab's Ansible tree, zot declared with `ansibleRole: zot`: the
 *   credentials template, the task deploying it (after the last template task, shaped like
 *   Forgejo's) and the 1Password pre_task and set_fact (after Forgejo's), each its own message.
 *
 * After a deliberate change, `UPDATE_GOLDEN=1 bun test test/fixes/client-ansible.test.ts`
 * rewrites the `after/` trees; review the diff before committing it.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import clientWiring from "../../rules/oidc/client-wiring.ts";
import { lintProject } from "../../src/engine.ts";
import { lintAndFix } from "../../src/fix.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { writeRepo } from "../helpers/rule-tester.ts";

const fixtures = path.join(import.meta.dir, "client-ansible");
const rules = { "oidc/client-wiring": clientWiring as GitopsRule };
const ansibleIds = new Set(["ansibleTemplateMissing", "ansibleTaskMissing", "ansibleSecretNotRead"]);

const zot = {
  redirectUris: ["https://registry.ops.eblu.me/zot/auth/callback/oidc"],
  launchUrl: "https://registry.ops.eblu.me",
  name: "Zot Registry",
  groups: ["admins"],
  ansibleRole: "zot",
};
const settings = { oidc: { clients: { zot } } };

function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    files[path.relative(root, absolute).split(path.sep).join("/")] = fs.readFileSync(absolute, "utf8");
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

function writeTree(root: string, files: Record<string, string>): void {
  fs.rmSync(root, { recursive: true, force: true });
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  }
}

async function ansibleMessages(root: string, lintSettings: Record<string, unknown> = settings) {
  const outcome = await lintProject({ cwd: root, rules, settings: lintSettings });
  return outcome.results.flatMap((result) =>
    result.messages
      .filter((message) => ansibleIds.has(message.messageId ?? ""))
      .map((message) => ({ ...message, file: path.relative(root, result.filePath).split(path.sep).join("/") })),
  );
}

const folder = path.join(fixtures, "homelab");
const before = readTree(path.join(folder, "before"));

describe("oidc/client-wiring writes the Ansible side of a declared client", () => {
  test("each missing link is reported at its place, with a fix", async () => {
    const messages = await ansibleMessages(writeRepo(before));
    expect(messages.map((message) => `${message.file}:${message.line}:${message.column} ${message.messageId}`).sort()).toEqual([
      "ansible/playbooks/indri.yml:26:7 ansibleSecretNotRead",
      "ansible/roles/zot/tasks/main.yml:1:1 ansibleTemplateMissing",
      "ansible/roles/zot/tasks/main.yml:38:3 ansibleTaskMissing",
    ]);
    expect(messages.every((message) => message.severity === 2 && message.edits !== undefined && !message.unsafeFix)).toBe(true);
  });

  test("fixed as after/ holds it, and a second run changes nothing", async () => {
    const root = writeRepo(before);
    const report = await lintAndFix({ cwd: root, rules, settings });
    expect(report.refused).toEqual([]);
    const fixed = readTree(root);
    if (process.env.UPDATE_GOLDEN === "1") writeTree(path.join(folder, "after"), fixed);
    expect(fixed).toEqual(readTree(path.join(folder, "after")));
    expect(await ansibleMessages(root)).toEqual([]);

    const again = await lintAndFix({ cwd: root, rules, settings });
    expect(again.changes.size).toBe(0);
    expect(readTree(root)).toEqual(fixed);
  });

  test("no secret value is written: the template reads a variable, the playbook an op:// reference", async () => {
    const after = readTree(path.join(folder, "after"));
    expect(after["ansible/roles/zot/templates/oidc-credentials.json.j2"]).toBe('{"clientid": "zot", "clientsecret": "{{ zot_oidc_client_secret }}"}\n');
    const playbook = after["ansible/playbooks/indri.yml"]!;
    expect(playbook).toContain('op read "op://homelab/zot-oidc/client-secret"');
    expect(playbook).toContain("zot_oidc_client_secret: \"{{ zot_oidc_client_secret_op.stdout }}\"");
  });

  test("each link is fixed on its own: a repo with only the template gets the task and the pre_task", async () => {
    const root = writeRepo({ ...before, "ansible/roles/zot/templates/oidc-credentials.json.j2": '{"clientid": "zot", "clientsecret": "{{ zot_oidc_client_secret }}"}\n' });
    expect((await ansibleMessages(root)).map((message) => message.messageId).sort()).toEqual(["ansibleSecretNotRead", "ansibleTaskMissing"]);
    await lintAndFix({ cwd: root, rules, settings });
    expect(readTree(root)).toEqual(readTree(path.join(folder, "after")));
  });

  test("a client without ansibleRole uses the role named like its id; one with no role has no Ansible side", async () => {
    const { ansibleRole: _, ...withoutRole } = zot;
    expect((await ansibleMessages(writeRepo(before), { oidc: { clients: { zot: withoutRole } } })).length).toBe(3);
    expect(await ansibleMessages(writeRepo(before), { oidc: { clients: { registry: withoutRole } } })).toEqual([]);
  });
});
