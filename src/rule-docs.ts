/**
 * The rules' documentation in the terminal: `--list-rules` (a table, or JSON) and
 * `--explain <rule-id>` (a rule's doc page). The pages are `docs/rules/<id>.md`, found relative
 * to this module so that they are found where the package is installed, not where it is run.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { GitopsRule } from "./rule.ts";
import { editDistance, suggestionDistance } from "./schema/suggest.ts";

/** The package's root: `src/` is one level below it, as is `dist/`, where scripts/build-dist.ts bundles this module. */
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The absolute path of a file of the package (`docs/rules/<id>.md`), wherever it is installed. */
export function packageFile(relativePath: string): string {
  return path.join(packageRoot, relativePath);
}

/** The absolute path of a rule's page, wherever the package is installed. */
export function ruleDocFile(rule: GitopsRule, id: string): string {
  return packageFile(rule.meta?.docs?.url ?? `docs/rules/${id}.md`);
}

export interface RuleListEntry {
  id: string;
  type: string;
  fixable: boolean;
  description: string;
  /** The rule's page in the installed package, as a `file:` URL. */
  url: string;
}

export function ruleList(rules: Readonly<Record<string, GitopsRule>>): RuleListEntry[] {
  return Object.entries(rules)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, rule]) => ({
      id,
      type: rule.meta?.type ?? "problem",
      fixable: rule.meta?.fixable !== undefined,
      description: rule.meta?.docs?.description ?? "",
      url: pathToFileURL(ruleDocFile(rule, id)).href,
    }));
}

const fixMarker = "🔧";

/**
 * The table `--list-rules` prints. The marker column is three terminal cells wide, as its
 * heading (the emoji takes two), so rows stay aligned whether a rule is fixable or not.
 */
export function ruleTable(rules: Readonly<Record<string, GitopsRule>>): string {
  const entries = ruleList(rules);
  const idWidth = Math.max("Rule".length, ...entries.map((entry) => entry.id.length));
  const typeWidth = Math.max("Type".length, ...entries.map((entry) => entry.type.length));
  const row = (id: string, type: string, marker: string, description: string) =>
    `${id.padEnd(idWidth)}  ${type.padEnd(typeWidth)}  ${marker}  ${description}`.trimEnd();
  const fixable = entries.filter((entry) => entry.fixable).length;
  return [
    row("Rule", "Type", "Fix", "Description"),
    ...entries.map((entry) => row(entry.id, entry.type, entry.fixable ? `${fixMarker} ` : "   ", entry.description)),
    "",
    `${entries.length} rules. ${fixMarker} ${fixable} can fix some of their problems with --fix (some fixes need --unsafe-fixes).`,
    "gitops-lint --explain <rule-id> prints a rule's documentation.",
    "",
  ].join("\n");
}

/**
 * A page as the terminal shows it, without a Markdown renderer: headings and code fences stay as
 * written, tables are aligned, and a link keeps its text with its target in parentheses
 * (a link to another rule's page becomes that rule's `--explain` command). `id` is the page's
 * rule, against which relative links are resolved.
 */
export function renderForTerminal(markdown: string, id = ""): string {
  const out: string[] = [];
  let table: string[][] = [];
  let fenced = false;
  const flush = () => {
    if (table.length === 0) return;
    const widths = table[0]!.map((_, column) => Math.max(...table.map((cells) => (cells[column] ?? "").length)));
    for (const cells of table) {
      const divider = cells.every((cell) => /^-+$/u.test(cell));
      out.push(
        divider
          ? widths.map((width) => "-".repeat(width)).join("  ")
          : cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd(),
      );
    }
    table = [];
  };
  for (const line of markdown.replace(/\r\n/gu, "\n").split("\n")) {
    if (/^(```|~~~)/u.test(line)) fenced = !fenced;
    if (!fenced && /^\|.*\|\s*$/u.test(line)) {
      table.push(tableCells(line).map((cell) => links(cell, id)));
      continue;
    }
    flush();
    out.push(fenced || line.startsWith("```") ? line : links(line, id));
  }
  flush();
  return `${out.join("\n").trimEnd()}\n`;
}

/** A table row's cells; `\|` inside a cell is a literal bar. */
function tableCells(line: string): string[] {
  const inner = line.trim().replace(/^\|/u, "").replace(/\|$/u, "");
  return inner.split(/(?<!\\)\|/u).map((cell) => cell.trim().replaceAll("\\|", "|").replace(/^:?-+:?$/u, (dashes) => "-".repeat(dashes.length)));
}

function links(text: string, id: string): string {
  return text.replace(/\[([^\]]+)\]\(([^)\s]+)\)/gu, (_, label: string, target: string) => {
    if (!/^[a-z]+:/u.test(target) && target.endsWith(".md")) {
      const page = path.posix.join(path.posix.dirname(id), target).slice(0, -".md".length);
      if (/^[a-z-]+\/[a-z-]+$/u.test(page)) return `${label} (gitops-lint --explain ${page})`;
    }
    return label === target ? label : `${label} (${target})`;
  });
}

/** The rules nearest an unknown id: within two edits of the id, or of its name without group. */
export function nearestRules(written: string, ids: readonly string[]): string[] {
  const lower = written.toLowerCase();
  const name = lower.slice(lower.lastIndexOf("/") + 1);
  const scored = ids
    .map((id) => ({
      id,
      distance: Math.min(editDistance(lower, id, suggestionDistance), editDistance(name, id.slice(id.indexOf("/") + 1), suggestionDistance)),
    }))
    .filter(({ distance }) => distance <= suggestionDistance);
  return scored.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id)).map(({ id }) => id);
}

export interface RuleDocsRequest {
  listRules: boolean;
  explain?: string;
  /** `--format`: stylish (the table) or json. */
  format: string;
  /** `--output-file`, relative to `cwd`: where to write instead of stdout. */
  outputFile?: string;
}

export interface RuleDocsIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs `--list-rules` or `--explain`; returns the exit code (2: an unknown rule, a bad format, a missing page). */
export function runRuleDocs(request: RuleDocsRequest, rules: Readonly<Record<string, GitopsRule>>, io: RuleDocsIo): number {
  const usage = (message: string) => {
    io.stderr(`gitops-lint: ${message}\nRun gitops-lint --list-rules for every rule.\n`);
    return 2;
  };
  if (request.listRules && request.explain !== undefined) return usage("--list-rules and --explain cannot be used together");
  const print = (text: string): number => {
    if (request.outputFile === undefined) {
      io.stdout(text);
      return 0;
    }
    try {
      const target = path.resolve(io.cwd, request.outputFile);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
      return 0;
    } catch (error) {
      io.stderr(`gitops-lint: cannot write ${request.outputFile}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  };
  if (request.listRules) {
    if (request.format === "json") return print(`${JSON.stringify(ruleList(rules), null, 2)}\n`);
    if (request.format === "stylish") return print(ruleTable(rules));
    return usage(`--list-rules prints a table (the default format, stylish) or json, not "${request.format}"`);
  }
  const id = request.explain ?? "";
  const rule = rules[id];
  if (rule === undefined) {
    const near = nearestRules(id, Object.keys(rules));
    const hint = near.length > 0 ? `: did you mean ${near.map((other) => `"${other}"`).join(" or ")}?` : "";
    return usage(`unknown rule "${id}"${hint}`);
  }
  if (request.format !== "stylish") return usage(`--explain prints its rule's page as text; --format ${request.format} does not apply`);
  const file = ruleDocFile(rule, id);
  let markdown: string;
  try {
    markdown = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
    io.stderr(`gitops-lint: cannot read the documentation of ${id} (${file}: ${reason}): is the package's docs folder installed?\n`);
    return 2;
  }
  return print(renderForTerminal(markdown, id));
}
