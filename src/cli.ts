/**
 * The command line: parses flags, runs the engine, prints a report and chooses the exit code
 * (0 clean, 1 lint errors or too many warnings, 2 usage or internal error), as ESLint does.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import packageJson from "../package.json" with { type: "json" };
import { rules } from "../rules/index.ts";
import { ConfigError, lintedRoot, loadConfig } from "./config.ts";
import { DiscoveryError } from "./discover.ts";
import { lintProject, Timing } from "./engine.ts";
import path from "node:path";
import type { RuleType } from "@eslint/core";
import { fixTypes, lintAndFix } from "./fix.ts";
import { unifiedDiffs } from "./formatters/diff.ts";
import { format, type FormatName, formatNames } from "./formatters/index.ts";
import { ChangedFilesError, changedFiles, FileScope } from "./only-files.ts";
import { runRuleDocs } from "./rule-docs.ts";
import { applyBaseline, openBaseline, unusedSuppressionsReport } from "./suppressions.ts";
import type { LintMessage, LintResult } from "./types.ts";

export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal: colour's default. */
  isTTY: boolean;
}

const help = `gitops-lint [options] [paths…]

Lint a GitOps repository: Authentik blueprints, External Secrets, Kubernetes workloads and
Ansible, each file and every link between them. Paths default to the current directory.

Options:
  -c, --config <file>     Read this config file instead of looking for one
  --no-config-lookup      Do not look for gitops-lint.config.* in the linted directory and
                          the directories above it
  --rule <rule>           Set a rule after the config, as ESLint: 'oidc/issuer-slug: off' or
                          'schema/blueprint: [warn, {uncertain: error}]' (repeatable)
  --print-config <file>   Print the config this file is linted with, as JSON, and exit
  -f, --format <name>     Output format: ${formatNames.join(", ")}
                          (default: stylish)
  -o, --output-file <file>
                          Write the report to this file (and its folders) instead of stdout
  --fix                   Apply the fixes rules offer, then report what remains
  --fix-dry-run           Compute the fixes without writing; with stylish, print their diffs
  --fix-type <types>      Fix only rules of these types: problem, suggestion, layout
  --unsafe-fixes          Also apply fixes that change a value someone wrote
  --quiet                 Report errors only, not warnings
  --report-unused-disable-directives
                          Report gitops-lint-disable comments that silence nothing, as errors
  --report-unused-disable-directives-severity <level>
                          The same at a chosen level: off, warn or error (or 0, 1, 2)
  --max-warnings <n>      Exit 1 when there are more than n warnings
  --suppress-all          Record every current error in gitops-lint-suppressions.json (the
                          baseline): later runs report a file's errors of a rule only when
                          there are more than it records
  --suppress-rule <id>    Record the current errors of this rule only (repeatable)
  --suppressions-location <file>
                          The suppressions file (default: gitops-lint-suppressions.json in the
                          current directory; a directory holds a file of that name)
  --prune-suppressions    Drop or lower the suppressions that no longer occur
  --pass-on-unpruned-suppressions
                          Do not exit 2 when suppressions no longer occur
  --only-files            Lint the current directory, but report only problems involving the
                          files given as paths (a problem involves every file of its chain;
                          the config file or the suppressions file involves every problem)
  --changed-since <ref>   Report only problems involving files changed since the merge base
                          with <ref>, uncommitted and untracked files included (from git)
  --color, --no-color     Force colour on or off (default: on for a terminal; NO_COLOR and
                          FORCE_COLOR are honoured)
  --list-rules            List every rule (with --format json: as JSON) and exit
  --explain <rule-id>     Print a rule's documentation and exit
  -h, --help              Show this help
  -v, --version           Show the version

Exit codes: 0 no errors, 1 lint errors (or warnings over --max-warnings), 2 usage, config or
internal error.
`;

class UsageError extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: "string", short: "c" },
        "no-config-lookup": { type: "boolean", default: false },
        rule: { type: "string", multiple: true, default: [] },
        "print-config": { type: "string" },
        format: { type: "string", short: "f", default: "stylish" },
        "output-file": { type: "string", short: "o" },
        fix: { type: "boolean", default: false },
        "fix-dry-run": { type: "boolean", default: false },
        "fix-type": { type: "string" },
        "unsafe-fixes": { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        "report-unused-disable-directives": { type: "boolean", default: false },
        "report-unused-disable-directives-severity": { type: "string" },
        "max-warnings": { type: "string" },
        "suppress-all": { type: "boolean", default: false },
        "suppress-rule": { type: "string", multiple: true, default: [] },
        "suppressions-location": { type: "string" },
        "prune-suppressions": { type: "boolean", default: false },
        "pass-on-unpruned-suppressions": { type: "boolean", default: false },
        "only-files": { type: "boolean", default: false },
        "changed-since": { type: "string" },
        color: { type: "boolean" },
        "no-color": { type: "boolean" },
        "list-rules": { type: "boolean", default: false },
        explain: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseFixTypes(value: string | undefined): ReadonlySet<RuleType> | undefined {
  if (value === undefined) return undefined;
  const types = value.split(",").map((type) => type.trim());
  const unknown = types.filter((type) => !fixTypes.includes(type as RuleType));
  if (unknown.length > 0) throw new UsageError(`unknown fix type "${unknown[0]}": use ${fixTypes.join(", ")}`);
  return new Set(types as RuleType[]);
}

function useColor(values: { color?: boolean; "no-color"?: boolean }, io: CliIo): boolean {
  if (values["no-color"]) return false;
  if (values.color) return true;
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR !== undefined) return io.env.FORCE_COLOR !== "0" && io.env.FORCE_COLOR !== "false";
  return io.isTTY;
}

/** As ESLint's: the flag alone reports errors; `-severity` chooses off, warn or error; neither: the config's `linterOptions`. */
function unusedDirectiveSeverity(flag: boolean | undefined, level: string | undefined): 0 | 1 | 2 | undefined {
  if (level === undefined) return flag ? 2 : undefined;
  const severity = ({ off: 0, "0": 0, warn: 1, "1": 1, error: 2, "2": 2 } as const)[level as "off"];
  if (severity === undefined) throw new UsageError(`--report-unused-disable-directives-severity takes off, warn or error, not "${level}"`);
  return severity;
}

function maxWarnings(value: string | undefined): number {
  if (value === undefined) return -1;
  if (!/^\d+$/u.test(value)) throw new UsageError(`--max-warnings takes a whole number, not "${value}"`);
  return Number(value);
}

/** `--only-files` (the paths given) or `--changed-since REF` (what git says changed): the files to report on. */
function reportScope(onlyFiles: boolean, since: string | undefined, positionals: string[], cwd: string): FileScope | undefined {
  if (onlyFiles && since !== undefined) throw new UsageError("--only-files and --changed-since cannot be used together");
  // A file named that no longer exists (deleted, renamed away) is no error: a chain may name it.
  if (onlyFiles) return new FileScope(positionals.map((file) => path.resolve(cwd, file)));
  return since === undefined ? undefined : new FileScope(changedFiles(cwd, since));
}

function onlyErrors(results: LintResult[]): LintResult[] {
  return results.map((result) => ({
    ...result,
    messages: result.messages.filter((message) => message.severity === 2),
    warningCount: 0,
    fixableWarningCount: 0,
  }));
}

/**
 * `TIMING=1` (or a number: how many rules to list, 10 by default; `all` for every one) prints
 * where the time went, as ESLint does, on stderr so that a JSON report stays valid.
 */
function timingTable(timing: Timing, setting: string | undefined): string {
  const total = [...timing.stages.values()].reduce((sum, ms) => sum + ms, 0);
  const count = setting === "all" ? Number.POSITIVE_INFINITY : Number(setting) > 1 ? Number(setting) : 10;
  const rules = [...timing.rules].sort((a, b) => b[1] - a[1]).slice(0, count);
  const rows = [
    ["Stage", "Time (ms)", "Relative"],
    ...[...timing.stages].map(([name, ms]) => [name, ms.toFixed(1), `${((ms / total) * 100).toFixed(1)}%`]),
    ["", "", ""],
    ["Rule", "Time (ms)", "Relative"],
    ...rules.map(([name, ms]) => [name, ms.toFixed(1), `${((ms / total) * 100).toFixed(1)}%`]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return `${rows
    .map((row) => (row[0] === "" ? "" : `${row[0]!.padEnd(widths[0]!)} | ${row[1]!.padStart(widths[1]!)} | ${row[2]!.padStart(widths[2]!)}`))
    .join("\n")}\n`;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    if (values.help) {
      io.stdout(help);
      return 0;
    }
    if (values.version) {
      io.stdout(`${packageJson.version}\n`);
      return 0;
    }
    if (values["list-rules"] || values.explain !== undefined) {
      const request = { listRules: values["list-rules"], explain: values.explain, format: values.format, outputFile: values["output-file"] };
      return runRuleDocs(request, rules, io);
    }
    const formatName = values.format as FormatName;
    if (!formatNames.includes(formatName)) {
      throw new UsageError(`unknown format "${values.format}": use one of ${formatNames.join(", ")}`);
    }
    const limit = maxWarnings(values["max-warnings"]);
    const requestedScope = reportScope(values["only-files"], values["changed-since"], positionals, io.cwd);
    // With --only-files the paths name the files to report on; the repo is linted whole.
    const lintPaths = values["only-files"] ? [] : positionals;
    const timing = io.env.TIMING ? new Timing() : undefined;
    const printConfig = values["print-config"];
    const { config, file: configFile } = await loadConfig({
      cwd: io.cwd,
      root: lintedRoot(io.cwd, printConfig !== undefined ? [printConfig] : lintPaths),
      configFile: values.config,
      lookup: !values["no-config-lookup"],
      ruleFlags: values.rule,
    });
    const reportUnusedDisableDirectives = unusedDirectiveSeverity(values["report-unused-disable-directives"], values["report-unused-disable-directives-severity"]);
    if (printConfig !== undefined) {
      const printed = config.print(path.resolve(io.cwd, printConfig));
      if (printed && reportUnusedDisableDirectives !== undefined) printed.linterOptions.reportUnusedDisableDirectives = reportUnusedDisableDirectives;
      // As ESLint: an ignored file has no config, printed as `undefined`.
      if (!printed) io.stderr(`gitops-lint: ${printConfig} is ignored by the config's global "ignores": it is not linted\n`);
      io.stdout(`${printed ? JSON.stringify(printed, null, 2) : "undefined"}\n`);
      return 0;
    }
    const baseline = await openBaseline({
      cwd: io.cwd,
      location: values["suppressions-location"],
      suppressAll: values["suppress-all"],
      suppressRules: values["suppress-rule"],
      prune: values["prune-suppressions"],
      dryRun: values["fix-dry-run"],
      ruleIds: Object.keys(rules),
    });
    // The config and the baseline judge every file: a change to either involves every problem.
    const judgesAll = [configFile, baseline?.file].some((file) => file !== undefined && requestedScope?.includes(file));
    const scope = judgesAll ? undefined : requestedScope;
    // With --fix, only the messages reported are fixed.
    const keepFix = scope && ((message: LintMessage, file: string) => scope.involves(message, file));
    const options = { cwd: io.cwd, paths: lintPaths, rules, config, timing, reportUnusedDisableDirectives, keepFix };
    const fixing = values.fix || values["fix-dry-run"];
    let outcome;
    let diffs = "";
    let refusedWrites = 0;
    if (fixing) {
      const report = await lintAndFix({
        ...options,
        dryRun: values["fix-dry-run"],
        unsafeFixes: values["unsafe-fixes"],
        types: parseFixTypes(values["fix-type"]),
      });
      for (const { file, reason } of report.refused) {
        io.stderr(`gitops-lint: not fixing ${path.relative(io.cwd, file) || file}: ${reason}\n`);
      }
      refusedWrites = report.refused.length;
      if (values["fix-dry-run"]) diffs = unifiedDiffs(report.changes, io.cwd);
      outcome = report.outcome;
    } else {
      if (values["fix-type"] !== undefined) throw new UsageError("--fix-type needs --fix or --fix-dry-run");
      outcome = await lintProject(options);
    }
    // The baseline applies to every result, before the report is narrowed to some files.
    const suppressed = baseline && applyBaseline(outcome.results, baseline);
    const all = suppressed ? suppressed.results : outcome.results;
    const reported = scope ? scope.filter(all) : all;
    const results = values.quiet ? onlyErrors(reported) : reported;
    const ruleMetas = Object.fromEntries(Object.entries(rules).map(([id, rule]) => [id, rule.meta ?? {}]));
    const outputFile = values["output-file"];
    // A report written to a file has no colour unless --color asks for it.
    const color = outputFile === undefined ? useColor(values, io) : values.color === true && !values["no-color"];
    const output = format(formatName, results, { cwd: io.cwd, color, rules: ruleMetas, suppressionsFile: baseline?.name });
    const report =
      (diffs !== "" && formatName === "stylish" ? diffs : "") + (output === "" || output.endsWith("\n") ? output : `${output}\n`);
    if (outputFile !== undefined) {
      const target = path.resolve(io.cwd, outputFile);
      try {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, report);
      } catch (error) {
        io.stderr(`gitops-lint: cannot write ${outputFile}: ${error instanceof Error ? error.message : String(error)}\n`);
        return 2;
      }
    } else if (report !== "") {
      io.stdout(report);
    }
    if (timing) io.stderr(timingTable(timing, io.env.TIMING));
    const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
    const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
    if (outcome.internalErrors > 0 || refusedWrites > 0) return 2;
    if (suppressed && Object.keys(suppressed.unused).length > 0 && !values["pass-on-unpruned-suppressions"]) {
      io.stderr(unusedSuppressionsReport(suppressed));
      return 2;
    }
    if (errors > 0) return 1;
    if (limit >= 0 && warnings > limit) {
      io.stderr(`gitops-lint found too many warnings (maximum: ${limit}).\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof ChangedFilesError) {
      io.stderr(`gitops-lint: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(error.message.split("\n").map((line) => `gitops-lint: ${line}\n`).join(""));
      return 2;
    }
    if (error instanceof UsageError || error instanceof DiscoveryError) {
      io.stderr(`gitops-lint: ${error.message}\nRun gitops-lint --help for usage.\n`);
      return 2;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`gitops-lint: internal error: ${detail}\n`);
    return 2;
  }
}
