/**
 * Discovery, the first stage: turns the paths given on the command line into the sorted list of
 * files to lint and the root that cross-file links are resolved within, and lists every path
 * under the root, so that rules can tell whether a path a file names exists.
 *
 * One fast-glob walk per given directory finds every file: the lintable ones, the `.gitignore`
 * files and the rest; the ignore rules are then applied in memory, so a run costs one directory
 * walk plus work linear in the number of files found.
 */
import fs from "node:fs";
import path from "node:path";
import fg from "fast-glob";
import ignore from "ignore";

export type FileKind = "yaml" | "template";

export interface DiscoveredFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the root, with forward slashes. */
  relPath: string;
  kind: FileKind;
}

/** What is at a path. A symbolic link is not followed: what it points at is not known. */
export type PathKind = "file" | "directory" | "link";

/** The paths under the root, for rules that check that a path written in a file exists. */
export interface RepoPaths {
  /**
   * Every file and symbolic link that the walk found and .gitignore keeps, lintable or not, and
   * the directories holding them, by path relative to the root ("" is the root). As in a git
   * clone, a directory holding no kept file is not there.
   */
  paths: ReadonlyMap<string, PathKind>;
  /**
   * Whether `paths` can tell that a root-relative path is absent: the path lies in a directory
   * that was walked, not below a symbolic link, and .gitignore does not ignore it (an ignored
   * file may be present on one machine and absent from a clone).
   */
  covers(relPath: string): boolean;
}

export interface Discovery extends RepoPaths {
  /** The directory that cross-file links are resolved within and that relPath is relative to. */
  root: string;
  /** Sorted by relPath, no duplicates. */
  files: DiscoveredFile[];
}

/** A usage problem: a given path does not exist, is not lintable, or nothing lintable was found. */
export class DiscoveryError extends Error {
  override name = "DiscoveryError";
}

const GITIGNORE = ".gitignore";
const ALWAYS_SKIPPED = ["**/node_modules", "**/.git"];

/**
 * git sets `core.ignoreCase` when `git init` finds a case-insensitive file system, which is the
 * default on macOS and Windows; elsewhere ignore patterns are case-sensitive.
 */
const IGNORE_CASE = process.platform === "darwin" || process.platform === "win32";

interface Target {
  /** The path as the user wrote it, for messages. */
  given: string;
  absolute: string;
  isDirectory: boolean;
}

interface Candidate extends DiscoveredFile {
  realPath: string;
  /** Reached through a symbolic link: loses to the same file reached directly. */
  viaLink: boolean;
  /** Named on the command line: linted even when a .gitignore ignores it. */
  explicit: boolean;
}

export async function discover(paths: string[], options: { cwd: string }): Promise<Discovery> {
  return discoverSync(paths, options);
}

/**
 * The same walk, synchronously: ESLint's language plugins parse synchronously, so the ESLint
 * plugin builds its repo index this way. One implementation serves both.
 */
export function discoverSync(paths: string[], options: { cwd: string }): Discovery {
  const given = paths.length > 0 ? paths : [options.cwd];
  const targets = given.map((p) => resolveTarget(p, options.cwd));
  const root = commonAncestor(
    targets.map((t) => (t.isDirectory ? t.absolute : path.dirname(t.absolute))),
  );
  const realRoot = fs.realpathSync(root);
  const gitTop = findGitTop(realRoot);
  // Ignore rules are matched against paths relative to `base`, the git work tree's top when
  // there is one, so that the .gitignore files above the root apply as git applies them.
  const base = gitTop ?? realRoot;
  const rootFromBase = toPosix(path.relative(base, realRoot));

  const candidates: Candidate[] = [];
  // Every file and link walked, by root-relative path; and the root-relative directories walked.
  const walkedPaths: Array<[string, PathKind]> = [];
  const walkedDirectories: string[] = [];
  // base-relative directory → its .gitignore file
  const gitignores = new Map<string, string>();
  for (const target of targets) {
    if (!target.isDirectory) {
      candidates.push(explicitCandidate(target, toPosix(path.relative(root, target.absolute))));
      continue;
    }
    const relDir = toPosix(path.relative(root, target.absolute));
    // The .gitignore files between the base and a given directory are above the walk.
    for (const dir of properAncestors(joinRel(rootFromBase, relDir))) {
      if (!gitignores.has(dir)) gitignores.set(dir, path.join(base, dir, GITIGNORE));
    }
    const walked = walk(target.absolute, relDir, realRoot);
    candidates.push(...walked.candidates);
    walkedPaths.push(...walked.paths);
    walkedDirectories.push(relDir);
    for (const file of walked.gitignores) {
      gitignores.set(joinRel(rootFromBase, posixDirname(file.relPath)), file.path);
    }
  }

  const excludeFile = gitTop === undefined ? undefined : path.join(gitTop, ".git", "info", "exclude");
  const isIgnored = buildIgnoreMatcher(gitignores, excludeFile);
  // The root and every kept file's directories are directories; each path is tested once.
  const found = new Map<string, PathKind>([["", "directory"]]);
  const ignoredPaths = new Set<string>();
  const addPath = (relPath: string, kind: PathKind): void => {
    found.set(relPath, kind);
    for (let dir = posixDirname(relPath); !found.has(dir); dir = posixDirname(dir)) found.set(dir, "directory");
  };
  for (const [relPath, kind] of walkedPaths) {
    if (isIgnored(joinRel(rootFromBase, relPath))) ignoredPaths.add(relPath);
    else addPath(relPath, kind);
  }
  let ignoredCount = 0;
  const kept = candidates.filter((candidate) => {
    if (candidate.explicit) {
      addPath(candidate.relPath, candidate.viaLink ? "link" : "file");
      return true;
    }
    if (!ignoredPaths.has(candidate.relPath)) return true;
    ignoredCount++;
    return false;
  });
  const covers = (relPath: string): boolean => {
    if (relPath === "") return true;
    if (relPath === ".." || relPath.startsWith("../") || relPath.startsWith("/")) return false;
    if (!walkedDirectories.some((dir) => dir === "" || relPath === dir || relPath.startsWith(`${dir}/`))) return false;
    for (let dir = posixDirname(relPath); dir !== ""; dir = posixDirname(dir)) if (found.get(dir) === "link") return false;
    const basePath = joinRel(rootFromBase, relPath);
    return !isIgnored(basePath) && !isIgnored(basePath, true);
  };

  const files = dedupeByRealPath(kept);
  if (files.length === 0) {
    const where = targets.map((t) => `"${t.given}"`).join(", ");
    const note = ignoredCount > 0 ? ` (${ignoredCount} ignored by .gitignore)` : "";
    throw new DiscoveryError(`No YAML files found in ${where}${note}`);
  }
  return { root, files, paths: found, covers };
}

function resolveTarget(given: string, cwd: string): Target {
  const absolute = path.resolve(cwd, given);
  try {
    const stats = fs.statSync(absolute);
    return { given, absolute, isDirectory: stats.isDirectory() };
  } catch (error) {
    if (isMissing(error)) throw new DiscoveryError(`Path "${given}" does not exist`);
    throw error;
  }
}

function explicitCandidate(target: Target, relPath: string): Candidate {
  const kind = lintableKind(path.basename(target.absolute));
  if (kind === undefined) {
    throw new DiscoveryError(
      `"${target.given}" is not a YAML file (.yaml, .yml), a Kustomization or a .j2 template`,
    );
  }
  const realPath = fs.realpathSync(target.absolute);
  const linkStats = fs.lstatSync(target.absolute);
  return { path: target.absolute, relPath, kind, realPath, viaLink: linkStats.isSymbolicLink(), explicit: true };
}

/** A file named explicitly is a template when it is a `.j2`, wherever it lives. */
function lintableKind(fileName: string): FileKind | undefined {
  if (fileName.endsWith(".j2")) return "template";
  if (fileName.endsWith(".yaml") || fileName.endsWith(".yml") || fileName === "Kustomization") return "yaml";
  return undefined;
}

/** A path inside an Ansible `group_vars/` or `host_vars/` folder. */
const ansibleVars = /(?:^|\/)(?:group_vars|host_vars)\//u;

/**
 * The kind of a walked file that is linted, by its path relative to the walked directory: YAML,
 * `Kustomization` (the extensionless name kustomize accepts besides `kustomization.yaml`), and
 * `.j2` files under a `templates/` directory.
 */
function walkedKind(entryPath: string, name: string): FileKind | undefined {
  if (name.endsWith(".yaml") || name.endsWith(".yml") || name === "Kustomization") return "yaml";
  // Ansible's host_group_vars plugin also reads vars files with no extension or `.json`
  // (`group_vars/all`, `group_vars/web/vars`, `host_vars/web1.json`); dot files it skips.
  if (ansibleVars.test(entryPath) && !name.startsWith(".") && (!name.includes(".") || name.endsWith(".json"))) return "yaml";
  if (name.endsWith(".j2") && (entryPath.startsWith("templates/") || entryPath.includes("/templates/"))) return "template";
  return undefined;
}

interface Walked {
  candidates: Candidate[];
  gitignores: Array<{ path: string; relPath: string }>;
  /** Every file and link, lintable or not, by root-relative path. */
  paths: Array<[string, PathKind]>;
}

/**
 * Walks one given directory without following symbolic links. A link to a file is kept when its
 * real path is inside the root; a link to a directory is not descended: its target, when inside
 * the root, is walked where it really lives.
 */
function walk(dir: string, relDir: string, realRoot: string): Walked {
  const realDir = fs.realpathSync(dir);
  const entries = fg.sync("**", {
    cwd: dir,
    dot: true,
    followSymbolicLinks: false,
    // With links not followed, a link's entry is neither a file nor a directory, and
    // `onlyFiles` would drop it: links are sorted out below instead.
    onlyFiles: false,
    objectMode: true,
    ignore: ALWAYS_SKIPPED,
  });
  const walked: Walked = { candidates: [], gitignores: [], paths: [] };
  const add = (entryPath: string, name: string, realPath: string, viaLink: boolean): void => {
    const file = { path: path.join(dir, entryPath), relPath: joinRel(relDir, entryPath) };
    if (name === GITIGNORE) {
      walked.gitignores.push(file);
      return;
    }
    const kind = walkedKind(entryPath, name);
    if (kind !== undefined) walked.candidates.push({ ...file, kind, realPath, viaLink, explicit: false });
  };
  const links = entries.filter((entry) => entry.dirent.isSymbolicLink() && (entry.name === GITIGNORE || walkedKind(entry.path, entry.name) !== undefined));
  for (const entry of entries) {
    // Directories are known from the files they hold.
    if (entry.dirent.isFile()) {
      walked.paths.push([joinRel(relDir, entry.path), "file"]);
      add(entry.path, entry.name, path.join(realDir, entry.path), false);
    } else if (entry.dirent.isSymbolicLink()) {
      walked.paths.push([joinRel(relDir, entry.path), "link"]);
    }
  }
  // Only links cost a system call each; plain files are known from the walk alone.
  for (const entry of links) {
    const realPath = realFileInside(path.join(dir, entry.path), realRoot);
    if (realPath !== undefined) add(entry.path, entry.name, realPath, true);
  }
  return walked;
}

/** The real path of a link's target when it is a file inside the root; otherwise undefined. */
function realFileInside(link: string, realRoot: string): string | undefined {
  try {
    const realPath = fs.realpathSync(link);
    if (!isInside(realRoot, realPath)) return undefined;
    return fs.statSync(realPath).isFile() ? realPath : undefined;
  } catch {
    // A dangling link or a loop: nothing to lint.
    return undefined;
  }
}

/**
 * Returns whether a base-relative path is ignored. Each directory holding a .gitignore gets one
 * `ignore` matcher with the rules that apply below it, each pattern rebased onto the directory of
 * its file, in git's order of precedence: `info/exclude` first, then the .gitignore files from
 * the top down, so that the last matching rule (the one `ignore` applies) comes from the deepest
 * file. Rules from several levels share one matcher because git never re-includes a file whose
 * directory is excluded, and only a matcher holding every level's rules can tell whether it is.
 * A path is tested against its nearest such matcher only, which keeps the work per file bounded
 * by its depth rather than by the number of .gitignore files in the repo.
 */
function buildIgnoreMatcher(
  gitignores: Map<string, string>,
  excludeFile: string | undefined,
): (basePath: string, isDirectory?: boolean) => boolean {
  const sources = [...gitignores].sort(([a], [b]) => depth(a) - depth(b));
  const exclude = excludeFile === undefined ? undefined : readIfPresent(excludeFile);
  const texts = sources.map(([, file]) => readIfPresent(file));
  const top = ignore({ ignoreCase: IGNORE_CASE });
  if (exclude !== undefined) top.add(rebasePatterns(exclude, ""));
  // Directory → the matcher for paths in it; filled for every directory looked up.
  const matchers = new Map<string, ignore.Ignore>();
  const matcherFor = (dir: string): ignore.Ignore => {
    const known = matchers.get(dir);
    if (known !== undefined) return known;
    const matcher = dir === "" ? top : matcherFor(posixDirname(dir));
    matchers.set(dir, matcher);
    return matcher;
  };
  sources.forEach(([dir], index) => {
    const text = texts[index];
    if (text === undefined) return;
    const inherited = dir === "" ? top : matcherFor(posixDirname(dir));
    matchers.set(dir, ignore({ ignoreCase: IGNORE_CASE }).add(inherited).add(rebasePatterns(text, dir)));
  });
  // A pattern ending in `/` matches a directory only, which `ignore` knows by a trailing slash.
  return (basePath, isDirectory = false) => matcherFor(posixDirname(basePath)).ignores(isDirectory ? `${basePath}/` : basePath);
}

/**
 * Rewrites the patterns of the .gitignore in `dir` (base-relative) to match base-relative paths.
 * Per gitignore(5), a pattern with a slash at its start or middle is anchored to the .gitignore's
 * directory; any other pattern matches at any depth below it.
 */
function rebasePatterns(text: string, dir: string): string[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (dir === "") return lines;
  const prefix = escapeGlob(dir);
  const rebased: string[] = [];
  for (const line of lines) {
    if (line.startsWith("#")) continue;
    const negated = line.startsWith("!");
    // `\!` and `\#` only escape at the start of a pattern, which the body no longer is.
    const body = (negated ? line.slice(1) : line).replace(/^\\([!#])/, "$1");
    const trimmed = body.replace(/ +$/, "").replace(/\/$/, "");
    if (trimmed.replace(/^\//, "") === "") continue;
    const anchored = trimmed.includes("/");
    const pattern = anchored ? `${prefix}/${body.replace(/^\//, "")}` : `${prefix}/**/${body}`;
    rebased.push(negated ? `!${pattern}` : pattern);
  }
  return rebased;
}

/** Escapes a directory path so that `ignore` reads it literally. */
function escapeGlob(dir: string): string {
  return dir.replace(/[\\*?[\]]/g, "\\$&").replace(/^[!#]/, "\\$&");
}

/** The same file reached twice (two given paths, or a link and its target) is kept once. */
function dedupeByRealPath(candidates: Candidate[]): DiscoveredFile[] {
  const preferred = [...candidates].sort(
    (a, b) => Number(a.viaLink) - Number(b.viaLink) || compareStrings(a.relPath, b.relPath),
  );
  const seen = new Set<string>();
  const files: DiscoveredFile[] = [];
  for (const { path: absolute, relPath, kind, realPath } of preferred) {
    if (seen.has(realPath)) continue;
    seen.add(realPath);
    files.push({ path: absolute, relPath, kind });
  }
  return files.sort((a, b) => compareStrings(a.relPath, b.relPath));
}

/** The nearest directory at or above `dir` holding `.git`: the top of its git work tree. */
function findGitTop(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, ".git"))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/** The deepest directory holding every one of `dirs` (absolute paths). */
export function commonAncestor(dirs: readonly string[]): string {
  const [first, ...rest] = dirs.map((dir) => dir.split(path.sep));
  let common = first ?? [];
  for (const segments of rest) {
    let shared = 0;
    while (shared < common.length && shared < segments.length && common[shared] === segments[shared]) shared++;
    common = common.slice(0, shared);
  }
  return common.join(path.sep) || path.parse(dirs[0] ?? path.sep).root;
}

function isInside(dir: string, candidate: string): boolean {
  const rel = path.relative(dir, candidate);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** "", "a", "a/b" for "a/b/c": the directories whose .gitignore applies to "a/b/c" from above. */
function properAncestors(relDir: string): string[] {
  if (relDir === "") return [];
  const segments = relDir.split("/");
  return segments.map((_, index) => segments.slice(0, index).join("/"));
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function joinRel(dir: string, rel: string): string {
  if (dir === "") return rel;
  if (rel === "") return dir;
  return `${dir}/${rel}`;
}

function posixDirname(relPath: string): string {
  const slash = relPath.lastIndexOf("/");
  return slash < 0 ? "" : relPath.slice(0, slash);
}

function toPosix(relPath: string): string {
  return path.sep === "/" ? relPath : relPath.split(path.sep).join("/");
}

function depth(relDir: string): number {
  return relDir === "" ? 0 : relDir.split("/").length;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
