/**
 * The report stage's entry point: turns lint results into the text the CLI prints, in one of
 * the formats `--format` accepts.
 */
import type { LintResult } from "../types.ts";
import { formatJson } from "./json.ts";
import { formatStylish } from "./stylish.ts";

export type FormatName = "stylish" | "json";

export interface FormatOptions {
  /** Directory that stylish paths are shown relative to. */
  cwd: string;
  /** Whether to write ANSI colours; when false the output holds no escape sequence. */
  color: boolean;
}

type Formatter = (results: readonly LintResult[], options: FormatOptions) => string;

const formatters: Readonly<Record<FormatName, Formatter>> = {
  stylish: formatStylish,
  json: formatJson,
};

export const formatNames: readonly FormatName[] = ["stylish", "json"];

export function format(name: FormatName, results: LintResult[], options: FormatOptions): string {
  return formatters[name](results, options);
}
