/**
 * What `--fix-dry-run` prints with the stylish format: a unified diff of every file the fixes
 * would change or create, as `git diff` prints it, so it can be read or piped to `git apply`.
 */
import { createTwoFilesPatch } from "diff";
import path from "node:path";
import type { FileChange } from "../fix.ts";

export function unifiedDiffs(changes: ReadonlyMap<string, FileChange>, cwd: string): string {
  return [...changes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, { before, after }]) => {
      const name = path.relative(cwd, file).split(path.sep).join("/");
      return createTwoFilesPatch(before === undefined ? "/dev/null" : `a/${name}`, `b/${name}`, before ?? "", after, undefined, undefined, {
        context: 3,
      }).replace(/^=+\n/u, "");
    })
    .join("");
}
