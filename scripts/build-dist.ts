/**
 * Builds `dist/`: the package as JavaScript, for Node ≥ 20.19 (editors run ESLint in Node, which
 * cannot load the TypeScript in `src/`). Under Bun, package.json's `exports` still point to
 * `src/` (the `bun` condition); everywhere else to the entries built here:
 *
 *   dist/index.js          "gitops-lint"
 *   dist/eslint/index.js   "gitops-lint/eslint"
 *
 *   bun scripts/build-dist.ts [outdir]     (`bun run build`; package.json's `prepare` runs it)
 *
 * Bun's bundler, not tsc: it needs nothing but Bun, so `prepare` works where a package manager
 * installs a git dependency without its devDependencies (Bun does). The modules of the package,
 * its JSON (package.json, the schemas) and the precompiled validators (schemas/validators.js) are
 * bundled; the dependencies stay imports of node_modules. Shared modules go to chunks at the top
 * of the output directory, one level below the package's root, as `src/` is (src/rule-docs.ts
 * finds the docs from there).
 */
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dir, "..");

export const entrypoints = ["src/index.ts", "src/eslint/index.ts"];

/** Builds into `outdir` (emptied first); throws with the bundler's messages when it fails. */
export async function buildDist(outdir: string): Promise<string[]> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const result = await Bun.build({
    entrypoints: entrypoints.map((entry) => path.join(root, entry)),
    root: path.join(root, "src"),
    outdir,
    target: "node",
    format: "esm",
    packages: "external",
    splitting: true,
    naming: { entry: "[dir]/[name].[ext]", chunk: "chunk-[hash].[ext]" },
  });
  if (!result.success) throw new AggregateError(result.logs, `build failed:\n${result.logs.join("\n")}`);
  return result.outputs.map((output) => path.relative(outdir, output.path)).sort();
}

if (import.meta.main) {
  const outdir = path.resolve(process.argv[2] ?? path.join(root, "dist"));
  const outputs = await buildDist(outdir);
  process.stdout.write(`wrote ${outputs.length} files to ${path.relative(process.cwd(), outdir) || "."}: ${outputs.join(", ")}\n`);
}
