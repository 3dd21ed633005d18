/**
 * The report stage's entry point: turns lint results into the text the CLI prints, in one of
 * the formats `--format` accepts.
 */
import type { LintResult } from "../types.ts";
import { formatGithub } from "./github.ts";
import { formatGitlab } from "./gitlab.ts";
import { formatJson } from "./json.ts";
import { formatJunit } from "./junit.ts";
import { formatSarif } from "./sarif.ts";
import { formatStylish } from "./stylish.ts";

export type FormatName = "stylish" | "json" | "sarif" | "github" | "junit" | "gitlab";

/** What a format may say about a rule: its rule meta's documentation fields. */
export interface RuleMetaInfo {
  docs?: { description?: string; url?: string };
}

export interface FormatOptions {
  /** Directory that stylish paths are shown relative to. */
  cwd: string;
  /** Whether to write ANSI colours; when false the output holds no escape sequence. */
  color: boolean;
  /** Every rule's meta by rule id, for formats that describe the rules (SARIF). */
  rules?: Readonly<Record<string, RuleMetaInfo>>;
  /** The suppressions file in use, as stylish names it in its count of suppressed problems. */
  suppressionsFile?: string;
}

type Formatter = (results: readonly LintResult[], options: FormatOptions) => string;

const formatters: Readonly<Record<FormatName, Formatter>> = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  junit: formatJunit,
  gitlab: formatGitlab,
};

export const formatNames: readonly FormatName[] = ["stylish", "json", "sarif", "github", "junit", "gitlab"];

export function format(name: FormatName, results: LintResult[], options: FormatOptions): string {
  return formatters[name](results, options);
}
