/**
 * The repo index behind the ESLint plugin. ESLint lints one file at a time, synchronously; the
 * cross-file rules need the whole repo. So each repo root is discovered, read, parsed and
 * indexed once per process (synchronously: ESLint's `Language#parse` cannot wait), and every
 * file ESLint lints under that root is looked up in it.
 *
 * In an editor ESLint passes the unsaved buffer. When that text differs from what the index
 * read, the one file is re-parsed and the index rebuilt with it in place of the file on disk
 * (an overlay, as `lintProject`'s `overlay` for `--fix-dry-run`), so the diagnostics follow the
 * buffer. The last few overlays are kept, so that linting the same text again (ESLint's fix
 * passes, an editor's repeated requests) reuses the index. When the text is what the disk now
 * holds (the file was saved), the repo's own index takes it, and every other file sees it.
 *
 * An editor's ESLint lives for hours while files change on disk behind it (a `git pull`, another
 * editor). So a repo used again after `refreshInterval` ms is checked against the disk: files
 * found again, each one's size and modification time compared, and only changed files re-read
 * and re-parsed before the index is rebuilt. A whole run of the CLI takes less than the interval
 * and never checks.
 */
import fs from "node:fs";
import path from "node:path";
import { type DiscoveredFile, DiscoveryError, discoverSync, type FileKind, type RepoPaths } from "../discover.ts";
import { RepoIndex } from "../index/index.ts";
import { type ParsedFile, parseFile } from "../parse/index.ts";

interface Repo {
  root: string;
  /** When the disk was last compared with what was read (`performance.now()`). */
  checkedAt: number;
  /** Size and modification time of each file read, by absolute path. */
  stamps: Map<string, string>;
  files: readonly ParsedFile[];
  byPath: Map<string, ParsedFile>;
  paths: RepoPaths;
  index: RepoIndex;
  /** Index rebuilt with one file's unsaved text, most recent last. */
  overlays: Map<string, { file: ParsedFile; index: RepoIndex }>;
}

/** How many buffers with unsaved changes keep their rebuilt index. */
const OVERLAYS_KEPT = 8;

const repos = new Map<string, Repo>();

/** How long a repo's index is used before the disk is checked for changes again, in ms. */
let refreshInterval = 2000;

/** For tests: how often the disk is checked (0: at every file). */
export function setRefreshInterval(milliseconds: number): void {
  refreshInterval = milliseconds;
}

/**
 * The root cross-file links are resolved within: `languageOptions.root` (relative to `cwd`),
 * else the nearest directory at or above the file holding `.git`, else `cwd`.
 */
export function findRoot(filePath: string, configured: string | undefined, cwd: string): string {
  if (configured !== undefined) return path.resolve(cwd, configured);
  if (path.isAbsolute(filePath)) {
    for (let dir = path.dirname(filePath); ; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, ".git"))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  return cwd;
}

/** A file's kind as discovery decides it: `.j2` templates, everything else YAML. */
function kindOf(relPath: string): FileKind {
  return relPath.endsWith(".j2") ? "template" : "yaml";
}

function toRelPath(root: string, filePath: string): string {
  return path.relative(root, path.resolve(root, filePath)).split(path.sep).join("/");
}

const noPaths: RepoPaths = { paths: new Map([["", "directory"]]), covers: () => false };

/** What a file's size and modification time were; undefined when it cannot be looked at. */
function stampOf(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

function discoverFiles(root: string): { discovered: DiscoveredFile[]; paths: RepoPaths } {
  try {
    const discovery = discoverSync([root], { cwd: root });
    return { discovered: discovery.files, paths: discovery };
  } catch (error) {
    // A root without YAML files: the linted file is then the whole repo.
    if (!(error instanceof DiscoveryError)) throw error;
    return { discovered: [], paths: noPaths };
  }
}

/**
 * Reads and parses the repo's files; a file whose stamp is what `previous` read keeps its parse.
 * A file that cannot be read (deleted since the walk, no permission) is left out.
 */
function load(root: string, previous?: Repo): Repo {
  const { discovered, paths } = discoverFiles(root);
  const stamps = new Map<string, string>();
  const files = discovered.flatMap((file) => {
    const stamp = stampOf(file.path);
    const known = previous?.byPath.get(file.path);
    if (stamp !== undefined && known && previous?.stamps.get(file.path) === stamp) {
      stamps.set(file.path, stamp);
      return [known];
    }
    const text = readIfPresent(file.path);
    if (text === undefined) return [];
    if (stamp !== undefined) stamps.set(file.path, stamp);
    return [parseFile(file, text)];
  });
  const byPath = new Map(files.map((file) => [file.path, file]));
  return { root, checkedAt: performance.now(), stamps, files, byPath, paths, index: new RepoIndex(files, paths), overlays: new Map() };
}

/** Whether the disk still holds what `repo` read: the same files, each with the same stamp. */
function unchanged(repo: Repo): boolean {
  const { discovered } = discoverFiles(repo.root);
  if (discovered.length !== repo.stamps.size) return false;
  return discovered.every((file) => repo.stamps.get(file.path) === stampOf(file.path));
}

function repoAt(root: string): Repo {
  let repo = repos.get(root);
  if (!repo) {
    repo = load(root);
    repos.set(root, repo);
  } else if (performance.now() - repo.checkedAt >= refreshInterval) {
    if (unchanged(repo)) repo.checkedAt = performance.now();
    else {
      repo = load(root, repo);
      repos.set(root, repo);
    }
  }
  return repo;
}

/**
 * The parsed file for ESLint's text of `filePath`: the index's own when the text is what the
 * index read, otherwise a fresh parse (not indexed yet: see `indexFor`).
 */
export function parseForEslint(filePath: string, text: string, root: string): ParsedFile {
  const repo = repoAt(root);
  const absolute = path.resolve(root, filePath);
  const known = repo.byPath.get(absolute);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (known && known.text === body) return known;
  const relPath = toRelPath(root, absolute);
  const parse = () => parseFile({ path: absolute, relPath, kind: known?.kind ?? kindOf(relPath) }, text);
  // A file saved since the index was built: the index takes it, so that the other files see it too.
  if (known && readIfPresent(absolute) === text) {
    const saved = parse();
    repo.files = repo.files.map((file) => (file === known ? saved : file));
    repo.byPath.set(absolute, saved);
    const stamp = stampOf(absolute);
    if (stamp !== undefined) repo.stamps.set(absolute, stamp);
    repo.index = new RepoIndex(repo.files, repo.paths);
    repo.overlays.clear();
    return saved;
  }
  const overlay = repo.overlays.get(absolute);
  return overlay && overlay.file.text === body ? overlay.file : parse();
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** The index a parsed file is linted against: the repo's, or the repo with this file's text in place. */
export function indexFor(file: ParsedFile, root: string): RepoIndex {
  const repo = repoAt(root);
  if (repo.byPath.get(file.path) === file) return repo.index;
  const cached = repo.overlays.get(file.path);
  if (cached?.file === file) return cached.index;
  const files = repo.byPath.has(file.path) ? repo.files.map((other) => (other.path === file.path ? file : other)) : [...repo.files, file];
  const index = new RepoIndex(files, repo.paths);
  repo.overlays.delete(file.path);
  repo.overlays.set(file.path, { file, index });
  if (repo.overlays.size > OVERLAYS_KEPT) repo.overlays.delete(repo.overlays.keys().next().value!);
  return index;
}
