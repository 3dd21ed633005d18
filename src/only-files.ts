/**
 * Reporting on some files of a repo linted whole: `--only-files` (the files named, as a
 * pre-commit hook passes the staged ones) and `--changed-since REF` (the files git says changed).
 * Cross-file rules need the whole repo for context, but a commit should be judged only by the
 * problems it can have caused: those that involve one of its files, where a problem involves the
 * file it is reported in and every file of the chain the rule followed (`relatedFiles`).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { summarise } from "./engine.ts";
import type { LintMessage, LintResult } from "./types.ts";

/** The files to report on, by absolute path; a given path that is a directory covers its files. */
export class FileScope {
  private readonly files: ReadonlySet<string>;
  /** Every directory above a given path: a link to one of them holds a given file. */
  private readonly ancestors = new Set<string>();

  constructor(files: Iterable<string>) {
    this.files = new Set(files);
    for (const file of this.files) {
      for (let directory = path.dirname(file); !this.ancestors.has(directory); directory = path.dirname(directory)) {
        this.ancestors.add(directory);
        if (path.dirname(directory) === directory) break;
      }
    }
  }

  /**
   * Whether `candidate` (a file, or a directory a link names) is, holds or lies in a given path:
   * a look-up per directory above it, so filtering stays linear in the messages.
   */
  includes(candidate: string): boolean {
    if (this.files.has(candidate) || this.ancestors.has(candidate)) return true;
    for (let directory = path.dirname(candidate); ; directory = path.dirname(directory)) {
      if (this.files.has(directory)) return true;
      if (path.dirname(directory) === directory) return false;
    }
  }

  /** The message is reported in, or its chain passes through, one of the files. */
  involves(message: LintMessage, filePath: string): boolean {
    return this.includes(filePath) || (message.relatedFiles ?? []).some((file) => this.includes(file));
  }

  /**
   * The results with only the messages that involve the files, counts recomputed: a file given
   * keeps its (maybe empty) result, another file only where a message is kept.
   */
  filter(results: readonly LintResult[]): LintResult[] {
    return results.flatMap((result) => {
      const kept = result.messages.filter((message) => this.involves(message, result.filePath));
      if (kept.length === 0 && !this.includes(result.filePath)) return [];
      const filtered: LintResult = { ...result, ...summarise(result.filePath, kept, result.source) };
      // What the suppressions file covers is told of the same problems only.
      if (result.suppressedMessages) filtered.suppressedMessages = result.suppressedMessages.filter((message) => this.involves(message, result.filePath));
      return [filtered];
    });
  }
}

/** `git` could not say what changed: outside a repository, an unknown ref, no git at all. */
export class ChangedFilesError extends Error {}

function git(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const run = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new ChangedFilesError(missing ? "--changed-since needs git, which is not installed (or not on PATH)" : `--changed-since: git failed: ${run.error.message}`);
  }
  return { ok: run.status === 0, stdout: run.stdout, stderr: run.stderr.trim() };
}

/**
 * The files changed since the merge base of `ref` and HEAD, as a branch's pull request would
 * show them, plus what is not committed yet: staged and unstaged changes (deleted and renamed
 * files by both names) and untracked files that are not ignored. Absolute paths, under the
 * work tree as `cwd` names it.
 */
export function changedFiles(cwd: string, ref: string): string[] {
  // A ref starting with "-" would be read by git as an option.
  if (ref === "" || ref.startsWith("-")) throw new ChangedFilesError(`--changed-since: "${ref}" is not a commit, branch or tag`);
  const top = git(cwd, ["rev-parse", "--show-cdup"]);
  if (!top.ok) throw new ChangedFilesError(`--changed-since needs a git repository, and ${cwd} is not in one`);
  const root = path.resolve(cwd, top.stdout.trim());
  if (!git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).ok) {
    throw new ChangedFilesError(`--changed-since: "${ref}" is not a commit, branch or tag of the repository at ${root}`);
  }
  const base = git(root, ["merge-base", ref, "HEAD"]);
  if (!base.ok) {
    const reason = git(root, ["rev-parse", "--verify", "--quiet", "HEAD"]).ok ? `"${ref}" and HEAD have no common ancestor` : "HEAD has no commit yet";
    throw new ChangedFilesError(`--changed-since: ${reason}`);
  }
  const diff = git(root, ["diff", "--name-only", "--no-renames", "-z", base.stdout.trim(), "--"]);
  const untracked = git(root, ["ls-files", "--others", "--exclude-standard", "-z"]);
  if (!diff.ok || !untracked.ok) throw new ChangedFilesError(`--changed-since: git failed: ${diff.stderr || untracked.stderr}`);
  const names = [...diff.stdout.split("\0"), ...untracked.stdout.split("\0")].filter((name) => name !== "");
  return [...new Set(names)].map((name) => path.resolve(root, name));
}
