/**
 * Issue 5's second acceptance bullet: a homelab-shaped repo (test/fixes/stub-chain/before/,
 * examples/homelab with its deliberate defects but no gitops-lint.config.yaml) where zot has
 * only a minimal provider stub in the blueprint ConfigMap (model, name, client_id, one redirect
 * URI) and no settings. `--fix` with every rule completes the same chain as a client declared in
 * settings: the blueprint, the worker env var, the ExternalSecret item, and, since a role named
 * like the client id exists, the credentials template, its task and the playbook's pre_task.
 * `after/` holds every file the fix changes or creates, byte for byte those of
 * test/fixes/homelab-zot/after (the completed stub gets the siblings' `# OAuth2 provider for …`
 * comment as a new blueprint does). `UPDATE_GOLDEN=1 bun test test/fixes/stub-chain.test.ts`
 * rewrites `after/`.
 */
import { expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import { rules } from "../../rules/index.ts";
import { lintProject } from "../../src/engine.ts";
import { lintAndFix } from "../../src/fix.ts";
import { homelabDefects } from "../helpers/homelab.ts";
import { writeRepo } from "../helpers/rule-tester.ts";

const before = path.join(import.meta.dir, "stub-chain/before");
const golden = path.join(import.meta.dir, "stub-chain/after");
const homelabZot = path.join(import.meta.dir, "homelab-zot/after");
const blueprint = "argocd/manifests/authentik/configmap-blueprint.yaml";

const relative = (root: string, file: string): string => path.relative(root, file).split(path.sep).join("/");
const treeOf = (root: string): string[] => [...new Bun.Glob("**/*").scanSync({ cwd: root, dot: true })].map((file) => file.split(path.sep).join("/")).sort();

test("--fix completes a minimal provider stub's whole chain, as a declared client's, and a second run changes nothing", async () => {
  const root = writeRepo({});
  fs.cpSync(before, root, { recursive: true });
  expect(fs.existsSync(path.join(root, "gitops-lint.config.yaml"))).toBe(false);

  const first = await lintAndFix({ cwd: root, rules, settings: {} });
  expect(first.refused).toEqual([]);
  const changed = [...first.changes.keys()].map((file) => relative(root, file)).sort();
  if (process.env.UPDATE_GOLDEN) {
    fs.rmSync(golden, { recursive: true, force: true });
    for (const file of changed) {
      fs.mkdirSync(path.dirname(path.join(golden, file)), { recursive: true });
      fs.copyFileSync(path.join(root, file), path.join(golden, file));
    }
  }
  const expected = treeOf(golden);
  expect(changed).toEqual(expected);
  for (const file of expected) expect(`${file}\n${fs.readFileSync(path.join(root, file), "utf8")}`).toBe(`${file}\n${fs.readFileSync(path.join(golden, file), "utf8")}`);

  // The same chain as zot declared in settings: the same files, byte for byte.
  expect(expected).toEqual(treeOf(homelabZot));
  for (const file of expected.filter((file) => file !== blueprint)) {
    expect(`${file}\n${fs.readFileSync(path.join(root, file), "utf8")}`).toBe(`${file}\n${fs.readFileSync(path.join(homelabZot, file), "utf8")}`);
  }
  // The completed stub gets the siblings' comment too: the blueprint ends up the same as well.
  expect(fs.readFileSync(path.join(root, blueprint), "utf8")).toBe(fs.readFileSync(path.join(homelabZot, blueprint), "utf8"));

  // What remains is what remains in homelab-zot: examples/homelab's deliberate defects but
  // defect 3 (its env var, fixed) and zot's links (rows 16-19); defect 4's fix is unsafe.
  const remaining = first.outcome.results.flatMap((result) => result.messages.map((message) => `${relative(root, result.filePath)} ${message.ruleId}`));
  const fixedRows = new Set([3, 16, 17, 18, 19]);
  const expectedRemaining = homelabDefects()
    .filter((_, row) => !fixedRows.has(row + 1))
    .map((defect) => `${defect.at.split(":")[0]} ${defect.ruleId}`);
  expect(remaining.sort()).toEqual(expectedRemaining.sort());

  const second = await lintAndFix({ cwd: root, rules, settings: {} });
  expect(second.changes.size).toBe(0);
  expect(second.passes).toBe(0);
});

test("the stub alone wants the Ansible side: each missing link is its own error with a fix", async () => {
  const root = writeRepo({});
  fs.cpSync(before, root, { recursive: true });
  const outcome = await lintProject({ cwd: root, rules, settings: {} });
  const zot = outcome.results.flatMap((result) =>
    result.messages
      .filter((message) => message.ruleId === "oidc/client-wiring" && /"zot"/u.test(message.message))
      .map((message) => `${relative(root, result.filePath)}:${message.line}:${message.column} ${message.messageId} ${message.severity} ${message.edits !== undefined}`),
  );
  expect(zot.sort()).toEqual([
    "ansible/playbooks/indri.yml:26:7 ansibleSecretNotRead 2 true",
    "ansible/roles/zot/tasks/main.yml:1:1 ansibleTemplateMissing 2 true",
    "ansible/roles/zot/tasks/main.yml:38:3 ansibleTaskMissing 2 true",
    `${blueprint}:270:16 clientIncomplete 2 true`,
  ]);
});

test("a complete provider whose secret no service receives wants the Ansible side of the role named like its id, instead of noConsumer", async () => {
  const root = writeRepo({});
  fs.cpSync(before, root, { recursive: true });
  // The authentik side done, the Ansible side not: the golden blueprint, env var and item.
  for (const file of treeOf(golden).filter((file) => file.startsWith("argocd/"))) fs.copyFileSync(path.join(golden, file), path.join(root, file));
  const outcome = await lintProject({ cwd: root, rules, settings: {} });
  const zot = outcome.results.flatMap((result) =>
    result.messages.filter((message) => message.ruleId === "oidc/client-wiring" && /"zot"/u.test(message.message)).map((message) => message.messageId),
  );
  expect(zot.sort()).toEqual(["ansibleSecretNotRead", "ansibleTaskMissing", "ansibleTemplateMissing"]);
  await lintAndFix({ cwd: root, rules, settings: {} });
  for (const file of treeOf(golden)) expect(`${file}\n${fs.readFileSync(path.join(root, file), "utf8")}`).toBe(`${file}\n${fs.readFileSync(path.join(golden, file), "utf8")}`);
});
