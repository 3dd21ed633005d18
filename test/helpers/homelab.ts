/**
 * examples/homelab's deliberate defects, as its README's table lists them: the one place tests
 * learn where each rule must speak in the example (and that nothing else may).
 */
import fs from "node:fs";
import path from "node:path";

export const homelab = path.resolve(import.meta.dir, "../../examples/homelab");

export interface Defect {
  /** `file:line:column`, the file relative to examples/homelab. */
  at: string;
  ruleId: string;
}

export function homelabDefects(): Defect[] {
  const readme = fs.readFileSync(path.join(homelab, "README.md"), "utf8");
  return [...readme.matchAll(/^\|\s*\d+\s*\|\s*`([^`:]+):(\d+):(\d+)`[^|]*\|[^|]*\|\s*`([^`]+)`\s*\|$/gmu)].map((row) => ({
    at: `${row[1]}:${row[2]}:${row[3]}`,
    ruleId: row[4]!,
  }));
}
