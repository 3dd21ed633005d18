/** Runs the CLI's `main` in-process and collects what it prints (no colour, no terminal). */
import path from "node:path";
import { type CliIo, main } from "../../src/cli.ts";

export const projectRoot = path.resolve(import.meta.dir, "../..");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `cwd` defaults to the project's root. */
export async function runCli(argv: string[], io: Partial<Omit<CliIo, "stdout" | "stderr">> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    cwd: projectRoot,
    env: {},
    isTTY: false,
    ...io,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}
