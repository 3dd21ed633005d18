/**
 * The `sarif` format: one SARIF 2.1.0 log (OASIS) for code-scanning tools such as GitHub's
 * `upload-sarif`. `tool.driver.rules` lists every rule with its short description, its page as
 * `helpUri` (on the package's repository when package.json names one, else the installed file)
 * and as `help` (GitHub shows `help.markdown` with each alert); each message is a result with its
 * rule, level, text and physical location (a path relative to the working directory under the
 * `%SRCROOT%` base, and a 1-based region whose end column is exclusive, in UTF-16 units as the
 * run's `columnKind` says). A fixable message carries its fix: every file it edits as an
 * `artifactChange`, each edit a replacement of `charLength` characters at `charOffset`, and a
 * file the fix creates as an insertion at offset 0.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import packageJson from "../../package.json" with { type: "json" };
import { packageFile } from "../rule-docs.ts";
import type { LintMessage, LintResult } from "../types.ts";
import type { FormatOptions, RuleMetaInfo } from "./index.ts";

/** The package fields the log's `tool.driver` is built from. */
export interface ToolPackage {
  name?: string;
  version: string;
  homepage?: string;
  repository?: string | { type?: string; url?: string };
}

const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT = "%SRCROOT%";

interface SarifRegion {
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  charOffset?: number;
  charLength?: number;
}

interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

interface SarifRule {
  id: string;
  shortDescription?: { text: string };
  helpUri?: string;
  help?: { text: string; markdown?: string };
}

interface SarifFix {
  description: { text: string };
  artifactChanges: Array<{
    artifactLocation: SarifArtifactLocation;
    replacements: Array<{ deletedRegion: SarifRegion; insertedContent: { text: string } }>;
  }>;
  properties: { safety: "safe" | "unsafe" };
}

interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  level: "error" | "warning";
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: SarifArtifactLocation; region?: SarifRegion } }>;
  /** The other files of the problem's chain (`relatedFiles`). */
  relatedLocations?: Array<{ id: number; physicalLocation: { artifactLocation: SarifArtifactLocation } }>;
  fixes?: SarifFix[];
}

export function formatSarif(results: readonly LintResult[], options: FormatOptions, pkg: ToolPackage = packageJson): string {
  const repository = repositoryUrl(pkg);
  const informationUri = absoluteUri(pkg.homepage) ?? repository;

  // Every rule the run knows, then any rule id a result names that the metas do not.
  const metas = options.rules ?? {};
  const ruleIds = Object.keys(metas);
  for (const result of results) {
    for (const message of result.messages) {
      if (message.ruleId && !ruleIds.includes(message.ruleId)) ruleIds.push(message.ruleId);
    }
  }
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));

  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "gitops-lint",
            version: pkg.version,
            ...(informationUri !== undefined ? { informationUri } : {}),
            rules: ruleIds.map((id) => sarifRule(id, metas[id], repository)),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(path.join(options.cwd, "/")).href } },
        columnKind: "utf16CodeUnits",
        results: results.flatMap((result) =>
          result.messages.map((message) => sarifResult(result, message, ruleIndex, options.cwd)),
        ),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function sarifRule(id: string, meta: RuleMetaInfo | undefined, repository: string | undefined): SarifRule {
  const description = meta?.docs?.description;
  const url = meta?.docs?.url;
  const rule: SarifRule = { id };
  if (description !== undefined) rule.shortDescription = { text: description };
  if (url !== undefined) {
    // `docs.url` is a path inside the package (`docs/rules/<id>.md`); `helpUri` must be absolute.
    const page = absoluteUri(url) === undefined ? packageFile(url) : undefined;
    rule.helpUri = absoluteUri(url) ?? (repository !== undefined ? `${repository}/blob/HEAD/${url}` : pathToFileURL(page!).href);
    const markdown = page === undefined ? undefined : readIfPresent(page);
    if (markdown !== undefined) rule.help = { text: markdown, markdown };
  }
  return rule;
}

/** A page of the installed docs; undefined when the package was installed without them. */
function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function sarifResult(result: LintResult, message: LintMessage, ruleIndex: ReadonlyMap<string, number>, cwd: string): SarifResult {
  const region: SarifRegion = {};
  if (message.line >= 1) {
    region.startLine = message.line;
    if (message.column >= 1) region.startColumn = message.column;
    if (message.endLine !== undefined && message.endLine >= message.line) {
      region.endLine = message.endLine;
      if (message.endColumn !== undefined && message.endColumn >= 1) region.endColumn = message.endColumn;
    }
  }
  const fix = sarifFix(result, message, cwd);
  const index = message.ruleId ? ruleIndex.get(message.ruleId) : undefined;
  return {
    ...(message.ruleId ? { ruleId: message.ruleId } : {}),
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: message.fatal === true || message.severity === 2 ? "error" : "warning",
    message: { text: message.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(result.filePath, cwd),
          ...(region.startLine !== undefined ? { region } : {}),
        },
      },
    ],
    ...(message.relatedFiles !== undefined && message.relatedFiles.length > 0
      ? { relatedLocations: message.relatedFiles.map((file, id) => ({ id, physicalLocation: { artifactLocation: artifactLocation(file, cwd) } })) }
      : {}),
    ...(fix !== undefined ? { fixes: [fix] } : {}),
  };
}

function sarifFix(result: LintResult, message: LintMessage, cwd: string): SarifFix | undefined {
  const edits =
    message.edits ?? (message.fix !== undefined ? [{ file: result.filePath, range: message.fix.range, text: message.fix.text }] : []);
  if (edits.length === 0) return undefined;
  const byFile = new Map<string, SarifFix["artifactChanges"][number]["replacements"]>();
  for (const edit of edits) {
    let replacements = byFile.get(edit.file);
    if (replacements === undefined) byFile.set(edit.file, (replacements = []));
    const [start, end] = "create" in edit && edit.create ? [0, 0] : edit.range;
    replacements.push({ deletedRegion: { charOffset: start, charLength: end - start }, insertedContent: { text: edit.text } });
  }
  return {
    description: { text: message.message },
    artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: artifactLocation(file, cwd), replacements })),
    properties: { safety: message.unsafeFix ? "unsafe" : "safe" },
  };
}

/** A path under the working directory relative to `%SRCROOT%`; any other as a `file:` URI. */
function artifactLocation(file: string, cwd: string): SarifArtifactLocation {
  const relative = path.relative(cwd, file);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return { uri: pathToFileURL(file).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

/** The package's repository as an `https:` URL (`git+https://…/x.git` → `https://…/x`). */
function repositoryUrl(pkg: ToolPackage): string | undefined {
  const raw = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
  if (raw === undefined) return undefined;
  const github = /^(?:github:)?([\w.-]+\/[\w.-]+)$/u.exec(raw);
  const url = github ? `https://github.com/${github[1]}` : raw.replace(/^git\+/u, "").replace(/^git:\/\//u, "https://");
  return absoluteUri(url.replace(/\.git$/u, "").replace(/\/+$/u, ""));
}

function absoluteUri(value: string | undefined): string | undefined {
  if (value === undefined || !/^[a-z][a-z0-9+.-]*:/iu.test(value)) return undefined;
  try {
    return new URL(value).href === "" ? undefined : value;
  } catch {
    return undefined;
  }
}
