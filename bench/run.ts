/**
 * The bench: generates repos of several sizes and times, alternately within one run, the full
 * CLI and the parse floor (bench/floor.ts) on each, both as subprocesses so that both pay Bun's
 * start-up. Absolute times drift on shared machines; what we track is the ratio full/floor
 * measured in the same run, and how the full run scales with the repo against how the floor does.
 *
 * Usage: bun bench/run.ts [--services 100,1000] [--runs 5] [--seed 1] [--keep]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { discover } from "../src/discover.ts";
import { generateRepo } from "./generate.ts";

const projectRoot = path.resolve(import.meta.dir, "..");

interface SizeResult {
  services: number;
  files: number;
  megabytes: number;
  /** Medians in milliseconds. */
  floorMs: number;
  fullMs: number;
  ratio: number;
  floorRunsMs: number[];
  fullRunsMs: number[];
  /** The schema/* rules' share of one full run, from its TIMING report. */
  validationShare: number;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: bun bench/run.ts [--services 100,1000] [--runs 5] [--seed 1] [--keep]\n`);
  process.exit(2);
}

function wholeNumbers(value: string, flag: string): number[] {
  const numbers = value.split(",").map((part) => part.trim());
  if (numbers.some((part) => !/^[1-9]\d*$/u.test(part))) usage(`${flag} takes positive whole numbers, not "${value}"`);
  return numbers.map(Number);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A subprocess that failed: the bench stops rather than time the wrong thing. */
class RunFailed extends Error {}

/** Runs a command to completion and returns its wall time in milliseconds. */
function timed(command: string[]): number {
  const start = performance.now();
  const result = Bun.spawnSync({ cmd: command, cwd: projectRoot, stdout: "ignore", stderr: "pipe" });
  const elapsed = performance.now() - start;
  if (result.exitCode !== 0) {
    throw new RunFailed(`\`${command.join(" ")}\` exited with ${result.exitCode}\n${result.stderr.toString()}`);
  }
  return elapsed;
}

/**
 * One more full run with `TIMING=all`: the schema/* rules' time over the sum of the stages
 * (validation's share of a run, which issue 3 asks the bench to show).
 */
function schemaShare(command: string[]): number {
  const result = Bun.spawnSync({ cmd: command, cwd: projectRoot, stdout: "ignore", stderr: "pipe", env: { ...process.env, TIMING: "all" } });
  const rows = result.stderr.toString().split("\n").map((line) => line.split("|").map((cell) => cell.trim()));
  const stagesEnd = rows.findIndex((row) => row[0] === "");
  const sum = (list: string[][]): number => list.reduce((total, row) => total + Number(row[1] ?? 0), 0);
  const total = sum(rows.slice(1, stagesEnd));
  const schema = sum(rows.filter((row) => row[0]?.startsWith("schema/")));
  return total > 0 ? schema / total : 0;
}

async function repoSize(dir: string): Promise<{ files: number; megabytes: number }> {
  const { files } = await discover([dir], { cwd: projectRoot });
  const bytes = files.reduce((sum, file) => sum + fs.statSync(file.path).size, 0);
  return { files: files.length, megabytes: bytes / 1e6 };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ")).join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      services: { type: "string", default: "100,1000" },
      runs: { type: "string", default: "5" },
      seed: { type: "string", default: "1" },
      keep: { type: "boolean", default: false },
    },
  });
  const sizes = wholeNumbers(values.services, "--services");
  const [runs] = wholeNumbers(values.runs, "--runs");
  const [seed] = wholeNumbers(values.seed, "--seed");
  if (runs === undefined || seed === undefined) usage("--runs and --seed take one number");

  // Outside the project: the project's .gitignore ignores bench/out/, and discovery honours it.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-bench-"));
  const benchStart = performance.now();
  const results: SizeResult[] = [];
  try {
    for (const services of sizes) {
      const dir = path.join(workDir, `services-${services}`);
      generateRepo(dir, services, seed);
      const { files, megabytes } = await repoSize(dir);
      process.stderr.write(`${services} services: ${files} files, ${megabytes.toFixed(1)} MB; ${runs} runs each after a warm-up\n`);
      const floor = [process.execPath, "bench/floor.ts", dir];
      const full = [process.execPath, "src/bin.ts", dir, "--format", "json"];
      timed(floor);
      // A generated repo is clean by construction: an error there is a false alarm of a rule
      // (or a generator bug), and its run would not be the clean run this bench means to time.
      timed(full);
      const floorRunsMs: number[] = [];
      const fullRunsMs: number[] = [];
      // Alternating cancels drift: a slow minute slows both sides, not one.
      for (let run = 0; run < runs; run++) {
        floorRunsMs.push(timed(floor));
        fullRunsMs.push(timed(full));
      }
      const floorMs = median(floorRunsMs);
      const fullMs = median(fullRunsMs);
      const validationShare = schemaShare(full);
      results.push({ services, files, megabytes, floorMs, fullMs, ratio: fullMs / floorMs, floorRunsMs, fullRunsMs, validationShare });
    }
  } catch (error) {
    if (!(error instanceof RunFailed)) throw error;
    process.stderr.write(`${error.message}\nThe repos are kept in ${workDir}: run \`bun src/bin.ts <repo>\` there to see the messages.\n`);
    process.exit(1);
  }
  if (values.keep) process.stderr.write(`repos kept in ${workDir}\n`);
  else fs.rmSync(workDir, { recursive: true, force: true });

  const rows = [
    ["services", "files", "MB", "floor (median)", "full (median)", "full/floor", "validation"],
    ...results.map((r) => [
      String(r.services),
      String(r.files),
      r.megabytes.toFixed(1),
      seconds(r.floorMs),
      seconds(r.fullMs),
      r.ratio.toFixed(2),
      `${(r.validationShare * 100).toFixed(0)} %`,
    ]),
  ];
  process.stdout.write(`\n${table(rows)}\n`);

  const smallest = results[0];
  const largest = results.at(-1);
  let scaling: { services: number; full: number; floor: number } | undefined;
  if (smallest && largest && largest !== smallest) {
    scaling = {
      services: largest.services / smallest.services,
      full: largest.fullMs / smallest.fullMs,
      floor: largest.floorMs / smallest.floorMs,
    };
    process.stdout.write(
      `\nscaling ${smallest.services} → ${largest.services} services (×${scaling.services}): ` +
        `full ×${scaling.full.toFixed(2)}, floor ×${scaling.floor.toFixed(2)}, ` +
        `full's over floor's ×${(scaling.full / scaling.floor).toFixed(2)} ` +
        `(linear work: about ×${scaling.services}, less while Bun's JIT warms up; over 1 means the full run grows faster than parsing)\n`,
    );
  }
  const totalSeconds = (performance.now() - benchStart) / 1000;
  process.stdout.write(`bench took ${totalSeconds.toFixed(0)} s on ${os.availableParallelism()} cores\n\n`);
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  const line = {
    bun: Bun.version,
    cores: os.availableParallelism(),
    seed,
    runs,
    sizes: results.map((r) => ({
      services: r.services,
      files: r.files,
      megabytes: Math.round(r.megabytes * 10) / 10,
      floorMs: round(r.floorMs),
      fullMs: round(r.fullMs),
      ratio: Math.round(r.ratio * 1000) / 1000,
      validationShare: Math.round(r.validationShare * 1000) / 1000,
      floorRunsMs: r.floorRunsMs.map(round),
      fullRunsMs: r.fullRunsMs.map(round),
    })),
    scaling: scaling && {
      services: scaling.services,
      full: Math.round(scaling.full * 100) / 100,
      floor: Math.round(scaling.floor * 100) / 100,
    },
    totalSeconds: Math.round(totalSeconds),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

await main();
