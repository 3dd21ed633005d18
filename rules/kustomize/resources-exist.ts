/**
 * Every path a kustomization names is there: `resources` (and the deprecated `bases`) and
 * `components`, each a file or a directory holding a kustomization; the files of `patches`,
 * `patchesJson6902` and `patchesStrategicMerge`; the `files` and `envs` of configMapGenerator and
 * secretGenerator. `kustomize build` fails on the first that is not, and with it the Argo CD
 * Application or Flux Kustomization built from it, far from the commit that broke it.
 *
 * kustomize tries a path on disk first and as a remote target (a git URL, `github.com/…?ref=`)
 * only when nothing is there, so a missing path that looks like a URL is not judged; nor is an
 * absolute path, one leaving the repo, or one .gitignore keeps out of git (it may be generated).
 * Files in the folder that the kustomization does not list are not its business.
 */
import { Scalar } from "yaml";
import { type Named, type RepoIndex, resolvePath } from "../../src/index/index.ts";
import type { Kustomization } from "../../src/index/model.ts";
import { field, items, maps, named, namedField, text } from "../../src/index/read.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { involving, ruleDocsUrl } from "../../src/rule.ts";
import { closest } from "../../src/schema/suggest.ts";

type MessageId = "missing" | "missingDidYouMean" | "noKustomization";

/** kustomize reads a directory's kustomization from the first of these it finds. */
const kustomizationNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/**
 * What kustomize would fetch rather than read from disk: a URL (`https://`, `ssh://`,
 * `git::…`), scp-like `git@host:…`, `gh:`, a host-first path (`github.com/org/repo/…`) or a
 * query (`?ref=`).
 */
const remote = /^(?:[a-z][a-z0-9+.-]*:\/\/|[a-z][a-z0-9+.-]*::|git@|gh:|[^/.][^/]*\.[^/]+(?:\/|:))|\?/iu;
/** envsubst-style or Jinja placeholders: the path is only known after substitution. */
const placeholder = /\$\{|\{\{/u;
/** A `patchesStrategicMerge` entry may be the patch itself, written inline. */
const inlinePatch = /\n|^\s*(?:apiVersion|kind|metadata)\s*:/u;
const listed = 8;

/** A path a kustomization names: the field it is in, and whether a directory may stand for it. */
interface PathReference {
  field: string;
  path: Named;
  /** `resources`, `bases`, `components`: a file, or a directory holding a kustomization. */
  resource: boolean;
}

/** The path of a generator's `key=path` entry, positioned on `path` when written as it reads. */
function generatorFile(entry: Named, source: string): Named {
  const separator = entry.value.indexOf("=");
  if (separator === -1) return entry;
  const value = entry.value.slice(separator + 1);
  const node = entry.node;
  const [start, end] = node.range ?? [0, 0];
  const written = source.slice(start, end);
  const quoted = written.length === entry.value.length + 2 && /^["']/u.test(written) ? 1 : 0;
  if (written.slice(quoted, written.length - quoted) !== entry.value) return { value, node };
  const part = new Scalar(value);
  const at = start + quoted + separator + 1;
  part.range = [at, at + value.length, at + value.length];
  return { value, node: part };
}

function references(kustomization: Kustomization, source: string): PathReference[] {
  const node = kustomization.node;
  const list = (key: string): Named[] => items(field(node, key)).flatMap((item) => named(item) ?? []);
  const found: PathReference[] = [];
  for (const key of ["resources", "bases", "components"]) {
    for (const path of list(key)) found.push({ field: `${key} entry`, path, resource: true });
  }
  for (const key of ["patches", "patchesJson6902"]) {
    for (const patch of maps(field(node, key))) {
      const path = namedField(patch, "path");
      if (path) found.push({ field: `${key} path`, path, resource: false });
    }
  }
  for (const path of list("patchesStrategicMerge")) {
    if (!inlinePatch.test(path.value)) found.push({ field: "patchesStrategicMerge entry", path, resource: false });
  }
  for (const key of ["configMapGenerator", "secretGenerator"]) {
    for (const generator of maps(field(node, key))) {
      const name = text(field(generator, "name"));
      const label = name === undefined ? key : `${key} "${name}"`;
      for (const entry of items(field(generator, "files")).flatMap((item) => named(item) ?? [])) {
        found.push({ field: `${label} file`, path: generatorFile(entry, source), resource: false });
      }
      // `env` is the single-file spelling kustomize still reads.
      const env = namedField(generator, "env");
      const envs = [...items(field(generator, "envs")).flatMap((item) => named(item) ?? []), ...(env ? [env] : [])];
      for (const path of envs) found.push({ field: `${label} envs file`, path, resource: false });
    }
  }
  return found;
}

function join(directory: string, name: string): string {
  return directory === "" ? name : `${directory}/${name}`;
}

function hasKustomization(index: RepoIndex, directory: string): boolean | undefined {
  if (kustomizationNames.some((name) => index.exists(join(directory, name)))) return true;
  return kustomizationNames.every((name) => index.isMissing(join(directory, name))) ? false : undefined;
}

/**
 * The written path with its first missing segment replaced by the nearest name in the directory
 * above it, when that gives a path that is there.
 */
function suggest(index: RepoIndex, directory: string, written: string): string | undefined {
  const segments = written.split("/");
  for (let end = 1; end <= segments.length; end++) {
    const prefix = resolvePath(directory, segments.slice(0, end).join("/"));
    if (prefix === undefined) return undefined;
    if (index.exists(prefix)) continue;
    const segment = segments[end - 1]!;
    const parent = prefix.slice(0, Math.max(0, prefix.lastIndexOf("/")));
    const nearest = closest(segment, index.entries(parent).filter((name) => name !== segment));
    if (nearest === undefined) return undefined;
    const suggestion = [...segments.slice(0, end - 1), nearest, ...segments.slice(end)].join("/");
    const resolved = resolvePath(directory, suggestion);
    return resolved !== undefined && index.exists(resolved) ? suggestion : undefined;
  }
  return undefined;
}

function available(index: RepoIndex, resolved: string): string {
  let folder = resolved.slice(0, Math.max(0, resolved.lastIndexOf("/")));
  while (folder !== "" && !index.isDirectory(folder)) folder = folder.slice(0, Math.max(0, folder.lastIndexOf("/")));
  const names = index.entries(folder).map((name) => (index.isDirectory(join(folder, name)) ? `${name}/` : name));
  const shown = names.slice(0, listed).map((name) => `"${name}"`).join(", ");
  const where = folder === "" ? "the repo's root" : `${folder}/`;
  return `${where} holds ${shown}${names.length > listed ? ", …" : ""}`;
}

const rule: GitopsRule<MessageId> = {
  meta: {
    type: "problem",
    docs: {
      description:
        "Paths a kustomization names exist: resources, bases and components, patch files, and generator files and envs",
      url: ruleDocsUrl("kustomize/resources-exist"),
      recommended: true,
    },
    messages: {
      missing:
        '{{field}} "{{path}}" does not exist (nothing at {{resolved}}; {{available}}): `kustomize build` fails, and with it the Argo CD or Flux sync. Correct the path, or add what it names.',
      missingDidYouMean:
        '{{field}} "{{path}}" does not exist (nothing at {{resolved}}); did you mean "{{suggestion}}"? `kustomize build` fails, and with it the Argo CD or Flux sync.',
      noKustomization:
        '{{field}} "{{path}}" is a directory without a kustomization ({{resolved}}/ holds no kustomization.yaml, kustomization.yml or Kustomization): `kustomize build` fails, and with it the Argo CD or Flux sync. Add a kustomization there, or list its files one by one.',
    },
    schema: [],
  },
  create(context) {
    const { sourceCode } = context;
    const index = sourceCode.index;
    return {
      Kustomization(kustomization) {
        for (const { field: label, path, resource } of references(kustomization, sourceCode.text)) {
          const written = path.value;
          if (written === "" || placeholder.test(written)) continue;
          const resolved = resolvePath(kustomization.directory, written);
          if (resolved === undefined) continue;
          const data = { field: label, path: written, resolved };
          if (index.exists(resolved)) {
            if (resource && index.isDirectory(resolved) && hasKustomization(index, resolved) === false) {
              context.report(involving({ node: path, messageId: "noKustomization", data }, [resolved]));
            }
            continue;
          }
          if (remote.test(written) || !index.isMissing(resolved)) continue;
          const suggestion = suggest(index, kustomization.directory, written);
          // The chain: the path named (deleted, or renamed to the suggestion).
          if (suggestion !== undefined) {
            const renamed = resolvePath(kustomization.directory, suggestion);
            context.report(involving({ node: path, messageId: "missingDidYouMean", data: { ...data, suggestion } }, [resolved, renamed]));
          } else {
            context.report(involving({ node: path, messageId: "missing", data: { ...data, available: available(index, resolved) } }, [resolved]));
          }
        }
      },
    };
  },
};

export default rule;
