/**
 * Discovery on small trees written to a temp dir: which files are found, with which kind, under
 * which root, and which are left out by .gitignore, node_modules, .git and symbolic links.
 */
import { afterAll, expect, test } from "bun:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { discover, DiscoveryError, type Discovery } from "../src/discover.ts";

const tempDirs: string[] = [];

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path → content) into a fresh temp dir and returns the dir. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-discover-"));
  tempDirs.push(dir);
  for (const [relPath, content] of Object.entries(files)) {
    const file = path.join(dir, relPath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

function relPaths(discovery: Discovery): string[] {
  return discovery.files.map((file) => file.relPath);
}

async function discoveryError(paths: string[], cwd: string): Promise<DiscoveryError> {
  try {
    await discover(paths, { cwd });
  } catch (error) {
    if (error instanceof DiscoveryError) return error;
    throw error;
  }
  throw new Error("discover did not fail");
}

test("with no paths, discovers the current directory, which is the root", async () => {
  const dir = tree({
    "kustomization.yaml": "resources: []\n",
    "apps/grafana/deployment.yml": "kind: Deployment\n",
    "README.md": "# repo\n",
  });
  const discovery = await discover([], { cwd: dir });
  expect(discovery.root).toBe(dir);
  expect(discovery.files).toEqual([
    { path: path.join(dir, "apps/grafana/deployment.yml"), relPath: "apps/grafana/deployment.yml", kind: "yaml" },
    { path: path.join(dir, "kustomization.yaml"), relPath: "kustomization.yaml", kind: "yaml" },
  ]);
});

test("Ansible vars files with no extension or .json are read, as Ansible's host_group_vars plugin reads them", async () => {
  const dir = tree({
    "ansible/group_vars/all": "ntp_server: time.example.org\n",
    "ansible/group_vars/web/vars": "http_port: 80\n",
    "ansible/group_vars/web/vault": "$ANSIBLE_VAULT;1.1;AES256\n3633\n",
    "ansible/host_vars/web1.json": '{"http_port": 8080}\n',
    "ansible/host_vars/.web1.swp": "",
    "ansible/group_vars/README.md": "# vars\n",
    "ansible/files/motd": "hello\n",
  });
  expect(relPaths(await discover([], { cwd: dir }))).toEqual([
    "ansible/group_vars/all",
    "ansible/group_vars/web/vars",
    "ansible/group_vars/web/vault",
    "ansible/host_vars/web1.json",
  ]);
});

test("a relative path resolves against cwd, and one directory given is the root", async () => {
  const dir = tree({ "argocd/app.yaml": "", "other.yaml": "" });
  const discovery = await discover(["argocd"], { cwd: dir });
  expect(discovery.root).toBe(path.join(dir, "argocd"));
  expect(relPaths(discovery)).toEqual(["app.yaml"]);
});

test("nested .gitignore files apply relative to their own directory, negations included", async () => {
  const dir = tree({
    ".gitignore": "*.yml\ngenerated/\nbuild/\n",
    "a.yaml": "",
    "b.yml": "",
    "sub/.gitignore": "# keep this one\n!keep.yml\n/local.yaml\n",
    "sub/keep.yml": "",
    "sub/other.yml": "",
    "sub/local.yaml": "",
    "sub/deeper/local.yaml": "",
    // git never re-includes a file whose directory is excluded, whatever the deeper file says.
    "generated/.gitignore": "!x.yaml\n",
    "generated/x.yaml": "",
    // A deeper .gitignore can re-include a directory a shallower one excludes.
    "apps/.gitignore": "!build/\n",
    "apps/build/manifest.yaml": "",
    "build/manifest.yaml": "",
  });
  const discovery = await discover([dir], { cwd: os.tmpdir() });
  expect(relPaths(discovery)).toEqual(["a.yaml", "apps/build/manifest.yaml", "sub/deeper/local.yaml", "sub/keep.yml"]);
});

test("a given subdirectory still honours the .gitignore files above it in the tree", async () => {
  const dir = tree({
    ".gitignore": "*.generated.yaml\n",
    "apps/app.yaml": "",
    "apps/app.generated.yaml": "",
    "other/x.yaml": "",
  });
  const discovery = await discover(["apps/app.yaml", "apps", "other"], { cwd: dir });
  expect(discovery.root).toBe(dir);
  expect(relPaths(discovery)).toEqual(["apps/app.yaml", "other/x.yaml"]);
});

test("the root's ancestors' .gitignore files apply up to the git work tree's top, with info/exclude", async () => {
  const outer = tree({
    // Above the work tree's top: git never reads it.
    ".gitignore": "*.yaml\n",
    "repo/.git/info/exclude": "excluded.yaml\n",
    "repo/.gitignore": "secret-*.yaml\n/cluster/top-anchored.yaml\n",
    "repo/cluster/.gitignore": "!secret-allowed.yaml\n",
    "repo/cluster/ok.yaml": "",
    "repo/cluster/secret-x.yaml": "",
    "repo/cluster/secret-allowed.yaml": "",
    "repo/cluster/top-anchored.yaml": "",
    "repo/cluster/excluded.yaml": "",
    "repo/cluster/nested/top-anchored.yaml": "",
  });
  const root = path.join(outer, "repo/cluster");
  const discovery = await discover([], { cwd: root });
  expect(discovery.root).toBe(root);
  expect(relPaths(discovery)).toEqual(["nested/top-anchored.yaml", "ok.yaml", "secret-allowed.yaml"]);
});

test("without a git work tree, .gitignore files above the root do not apply", async () => {
  const outer = tree({ ".gitignore": "*.yaml\n", "project/app.yaml": "" });
  const discovery = await discover(["project"], { cwd: outer });
  expect(relPaths(discovery)).toEqual(["app.yaml"]);
});

test("node_modules and .git are skipped at any depth; dotfiles and dot directories are not", async () => {
  const dir = tree({
    "node_modules/pkg/a.yaml": "",
    "tools/node_modules/pkg/b.yaml": "",
    ".git/c.yaml": "",
    "vendor/sub/.git/d.yml": "",
    ".github/workflows/ci.yml": "",
    ".pre-commit-config.yaml": "",
    "vendor/sub/e.yaml": "",
  });
  const discovery = await discover([], { cwd: dir });
  expect(relPaths(discovery)).toEqual([".github/workflows/ci.yml", ".pre-commit-config.yaml", "vendor/sub/e.yaml"]);
});

test(".j2 files are templates only under a templates/ directory", async () => {
  const dir = tree({
    "ansible/roles/caddy/templates/Caddyfile.j2": "{{ caddy_hosts }}\n",
    "ansible/roles/grafana/templates/oidc/grafana.ini.j2": "",
    "ansible/roles/grafana/files/static.j2": "",
    "ansible/roles/grafana/defaults/main.yml": "",
    "loose.j2": "",
  });
  const discovery = await discover([], { cwd: dir });
  expect(discovery.files.map(({ relPath, kind }) => [relPath, kind])).toEqual([
    ["ansible/roles/caddy/templates/Caddyfile.j2", "template"],
    ["ansible/roles/grafana/defaults/main.yml", "yaml"],
    ["ansible/roles/grafana/templates/oidc/grafana.ini.j2", "template"],
  ]);
});

test("an extensionless Kustomization file is YAML; other extensionless files are not", async () => {
  const dir = tree({
    "overlays/prod/Kustomization": "resources: [../../base]\n",
    "overlays/prod/Makefile": "",
    "base/kustomization.yaml": "",
  });
  const discovery = await discover([], { cwd: dir });
  expect(discovery.files.map(({ relPath, kind }) => [relPath, kind])).toEqual([
    ["base/kustomization.yaml", "yaml"],
    ["overlays/prod/Kustomization", "yaml"],
  ]);
});

test("symbolic links are kept inside the root, deduplicated by real path, and never followed out", async () => {
  const outside = tree({ "outside.yaml": "", "dir/elsewhere.yaml": "" });
  const dir = tree({ "real/a.yaml": "", "data/b.txt": "" });
  fs.symlinkSync(path.join(dir, "real/a.yaml"), path.join(dir, "link-to-a.yaml"));
  fs.symlinkSync("../data/b.txt", path.join(dir, "real/b.yaml"));
  fs.symlinkSync(path.join(dir, "real"), path.join(dir, "real-dir-link"));
  fs.symlinkSync(path.join(outside, "outside.yaml"), path.join(dir, "out.yaml"));
  fs.symlinkSync(path.join(outside, "dir"), path.join(dir, "out-dir"));
  fs.symlinkSync(path.join(dir, "missing.yaml"), path.join(dir, "dangling.yaml"));
  fs.symlinkSync(path.join(dir, "loop.yaml"), path.join(dir, "loop.yaml"));
  const discovery = await discover([], { cwd: dir });
  // a.yaml is found once, where it really lives; b.yaml is only reachable through its link.
  expect(discovery.files).toEqual([
    { path: path.join(dir, "real/a.yaml"), relPath: "real/a.yaml", kind: "yaml" },
    { path: path.join(dir, "real/b.yaml"), relPath: "real/b.yaml", kind: "yaml" },
  ]);
});

test("a file given explicitly is linted even when .gitignore ignores it", async () => {
  const dir = tree({
    ".gitignore": "rendered/\n",
    "rendered/out.yaml": "",
    "app.yaml": "",
    "scripts/render.j2": "",
  });
  expect(relPaths(await discover([], { cwd: dir }))).toEqual(["app.yaml"]);
  const discovery = await discover(["rendered/out.yaml", "scripts/render.j2", "."], { cwd: dir });
  expect(discovery.root).toBe(dir);
  expect(discovery.files.map(({ relPath, kind }) => [relPath, kind])).toEqual([
    ["app.yaml", "yaml"],
    ["rendered/out.yaml", "yaml"],
    ["scripts/render.j2", "template"],
  ]);
});

test("a single file given explicitly has its directory as the root", async () => {
  const dir = tree({ "apps/app.yml": "" });
  const discovery = await discover([path.join(dir, "apps/app.yml")], { cwd: os.tmpdir() });
  expect({ root: discovery.root, files: discovery.files }).toEqual({
    root: path.join(dir, "apps"),
    files: [{ path: path.join(dir, "apps/app.yml"), relPath: "app.yml", kind: "yaml" }],
  });
  // Nothing was walked: the file is known, and the absence of any other proves nothing.
  expect([...discovery.paths]).toEqual([["", "directory"], ["app.yml", "file"]]);
  expect(discovery.covers("other.yml")).toBe(false);
});

test("a missing path, a file of another type and an empty result are usage errors", async () => {
  const dir = tree({
    ".git/HEAD": "ref: refs/heads/main\n",
    ".gitignore": "ignored/\n",
    "README.md": "",
    "empty/.keep": "",
    "ignored/x.yaml": "",
  });
  expect((await discoveryError(["nope"], dir)).message).toBe('Path "nope" does not exist');
  expect((await discoveryError(["README.md"], dir)).message).toBe(
    '"README.md" is not a YAML file (.yaml, .yml), a Kustomization or a .j2 template',
  );
  expect((await discoveryError(["empty"], dir)).message).toBe('No YAML files found in "empty"');
  expect((await discoveryError(["ignored"], dir)).message).toBe(
    'No YAML files found in "ignored" (1 ignored by .gitignore)',
  );
});

test("several paths: root is their deepest common ancestor; output sorted, forward slashes, no duplicates", async () => {
  const dir = tree({
    "argocd/manifests/zot/b.yaml": "",
    "argocd/manifests/authentik/z.yaml": "",
    "argocd/manifests/authentik/a.yaml": "",
    "argocd/manifests/authentik/blueprints/x.yml": "",
    "ansible/roles/caddy/tasks/main.yml": "",
  });
  const discovery = await discover(
    ["argocd/manifests/zot", "argocd/manifests/authentik", "argocd/manifests/authentik/a.yaml", "argocd/manifests"],
    { cwd: dir },
  );
  expect(discovery.root).toBe(path.join(dir, "argocd/manifests"));
  expect(relPaths(discovery)).toEqual(["authentik/a.yaml", "authentik/blueprints/x.yml", "authentik/z.yaml", "zot/b.yaml"]);
  for (const file of discovery.files) {
    expect(path.isAbsolute(file.path)).toBe(true);
    expect(file.path).toBe(path.join(discovery.root, ...file.relPath.split("/")));
  }
});

test("paths: every kept file of any kind, links unfollowed, and the directories holding them", async () => {
  const dir = tree({
    ".gitignore": "*.env\nrendered/\n",
    "ansible/roles/caddy/tasks/main.yml": "",
    "ansible/roles/caddy/templates/Caddyfile.j2": "",
    "ansible/roles/caddy/files/error.html": "",
    "apps/grafana/kustomization.yaml": "",
    "apps/grafana/dashboards/node.json": "",
    "apps/grafana/grafana.env": "",
    "rendered/chart.yaml": "",
    "node_modules/pkg/index.js": "",
    "only-ignored/secrets.env": "",
  });
  fs.symlinkSync(path.join(dir, "apps/grafana"), path.join(dir, "grafana-link"));
  const discovery = await discover([], { cwd: dir });
  expect(Object.fromEntries(discovery.paths)).toEqual({
    "": "directory",
    ".gitignore": "file",
    ansible: "directory",
    "ansible/roles": "directory",
    "ansible/roles/caddy": "directory",
    "ansible/roles/caddy/files": "directory",
    "ansible/roles/caddy/files/error.html": "file",
    "ansible/roles/caddy/tasks": "directory",
    "ansible/roles/caddy/tasks/main.yml": "file",
    "ansible/roles/caddy/templates": "directory",
    "ansible/roles/caddy/templates/Caddyfile.j2": "file",
    apps: "directory",
    "apps/grafana": "directory",
    "apps/grafana/dashboards": "directory",
    "apps/grafana/dashboards/node.json": "file",
    "apps/grafana/kustomization.yaml": "file",
    "grafana-link": "link",
  });
  // The lintable files are the same as ever.
  expect(relPaths(discovery)).toEqual(["ansible/roles/caddy/tasks/main.yml", "ansible/roles/caddy/templates/Caddyfile.j2", "apps/grafana/kustomization.yaml"]);
});

test("covers: an absent path is known missing only where the walk looked and .gitignore does not ignore it", async () => {
  const dir = tree({
    ".git/HEAD": "ref: refs/heads/main\n",
    ".gitignore": "*.env\nrendered/\n",
    "apps/grafana/kustomization.yaml": "",
    "other/app.yaml": "",
  });
  fs.symlinkSync(path.join(dir, "other"), path.join(dir, "apps/linked"));
  const discovery = await discover(["apps"], { cwd: dir });
  expect(discovery.root).toBe(path.join(dir, "apps"));
  expect(
    ["grafana/deployment.yaml", "grafana/new/dir", "grafana/secrets.env", "grafana/rendered", "rendered/x.yaml", "linked/app.yaml", "../other/app.yaml", "/etc/hosts", ""].map(
      (relPath) => [relPath, discovery.covers(relPath)],
    ),
  ).toEqual([
    ["grafana/deployment.yaml", true],
    ["grafana/new/dir", true],
    ["grafana/secrets.env", false],
    ["grafana/rendered", false],
    ["rendered/x.yaml", false],
    ["linked/app.yaml", false],
    ["../other/app.yaml", false],
    ["/etc/hosts", false],
    ["", true],
  ]);
  // Two given directories: only they are walked.
  const two = await discover(["apps/grafana", "other"], { cwd: dir });
  expect(two.root).toBe(dir);
  expect([two.covers("apps/grafana/x.yaml"), two.covers("other/x.yaml"), two.covers("apps/x.yaml"), two.covers("x.yaml")]).toEqual([true, true, false, false]);
});
