/**
 * A user's GitOps repo in a temporary folder, with gitops-lint "installed" as `bun add` installs
 * it, but offline: `node_modules/gitops-lint` links to this checkout and `node_modules/.bin` holds
 * its executable, so `bun run lint` and `bunx gitops-lint` there run the code under test. Shell
 * commands run in a real `bash`, as CI runners and users run them. Also the README's and the
 * docs' code blocks, read by heading, so that tests run what the docs say.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import { projectRoot } from "./cli.ts";

export interface ShellRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A new git work tree holding a copy of `fixture` (a folder of this project), or nothing. */
export function makeUserRepo(fixture?: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-user-"));
  if (fixture !== undefined) fs.cpSync(path.join(projectRoot, fixture), root, { recursive: true });
  const init = Bun.spawnSync(["git", "init", "--quiet", root]);
  if (init.exitCode !== 0) throw new Error(`git init failed: ${init.stderr.toString()}`);
  return root;
}

/** What `bun add -d` leaves in node_modules: the package and a link to each of its executables. */
export function installGitopsLint(root: string): void {
  const bin = path.join(root, "node_modules/.bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(projectRoot, path.join(root, "node_modules/gitops-lint"), "dir");
  for (const [name, target] of Object.entries(packageJson.bin)) {
    fs.symlinkSync(path.join("../gitops-lint", target), path.join(bin, name));
  }
}

/**
 * Runs `script` with `bash -eo pipefail` (as GitHub's and Forgejo's `run:` steps and GitLab's
 * scripts do) in `cwd`, with this Bun first on PATH, no colour variables from the environment
 * that runs the tests, and `env` on top (a CI's variables).
 */
export function shell(script: string, cwd: string, env: Record<string, string> = {}): ShellRun {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of ["NO_COLOR", "FORCE_COLOR", "TIMING", "CI", "GITHUB_ACTIONS", "GITLAB_CI", "FORGEJO_ACTIONS"]) delete base[name];
  const run = Bun.spawnSync(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
    cwd,
    env: { ...base, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: run.exitCode ?? -1, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
}

/**
 * The text under a Markdown heading (`## X` or `### X`), up to the next heading of its level or
 * above; a `#` line inside a fenced code block is no heading.
 */
export function markdownSection(markdown: string, heading: string): string {
  const level = /^#+/u.exec(heading)![0].length;
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  let fenced = false;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const line = lines[end]!;
    if (line.startsWith("```")) fenced = !fenced;
    const hashes = fenced ? undefined : /^(#+) /u.exec(line)?.[1];
    if (hashes !== undefined && hashes.length <= level) break;
  }
  return lines.slice(start + 1, end).join("\n");
}

/** The README's `package.json` for a user's repo: the `lint` script and the dependency. */
export function readmePackageJson(): string {
  const blocks = codeBlocks(markdownSection(readProjectFile("README.md"), "## Three ways to use it"), "json");
  if (blocks.length !== 1) throw new Error(`expected one json block under "## Three ways to use it", found ${blocks.length}`);
  return blocks[0]!;
}

/** The fenced code blocks of `markdown` in `language`, in order, each with its final newline. */
export function codeBlocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, "gmu"))].map((match) => match[1]!);
}

export function readProjectFile(relativePath: string): string {
  return fs.readFileSync(path.join(projectRoot, relativePath), "utf8");
}
