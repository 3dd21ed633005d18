/**
 * The ESLint language `gitops-lint/yaml`: GitOps YAML files and Ansible `.j2` templates, parsed
 * by gitops-lint's parser into the `ParsedFile` its rules read, each linted against the index of
 * its whole repo (src/eslint/repo.ts). Positions are 1-based lines and columns, as ours are, so
 * ESLint reports them unchanged.
 */
import type { File, Language, OkParseResult, ParseResult } from "@eslint/core";
import type { Reportable } from "../language/source-code.ts";
import type { ParsedFile } from "../parse/index.ts";
import { findRoot, indexFor, parseForEslint } from "./repo.ts";
import { EslintSourceCode } from "./source-code.ts";

export interface GitopsLanguageOptions {
  /**
   * The repo root cross-file links are resolved within (absolute, or relative to the current
   * directory). Default: the nearest directory above the file holding `.git`, else the current
   * directory.
   */
  root?: string;
  [key: string]: unknown;
}

type GitopsLanguage = Language<{ LangOptions: GitopsLanguageOptions; Code: EslintSourceCode; RootNode: ParsedFile; Node: Reportable }>;

function textOf(file: File): string {
  const body = typeof file.body === "string" ? file.body : new TextDecoder().decode(file.body);
  return file.bom ? `\uFEFF${body}` : body;
}

function rootOf(file: File, options: GitopsLanguageOptions): string {
  return findRoot(file.physicalPath ?? file.path, options.root, process.cwd());
}

export const yaml: GitopsLanguage = {
  fileType: "text",
  lineStart: 1,
  columnStart: 1,
  // The traversal emits call steps only (`Blueprint`, `Workload`, `Scalar`, …): no node is visited by type.
  nodeTypeKey: "type",
  visitorKeys: {},
  defaultLanguageOptions: {},

  validateLanguageOptions(languageOptions) {
    const root = languageOptions.root;
    if (root !== undefined && (typeof root !== "string" || root === "")) {
      throw new TypeError(`gitops-lint/yaml: languageOptions.root must be a directory path (a non-empty string), not ${JSON.stringify(root)}`);
    }
  },

  parse(file, context): ParseResult<ParsedFile> {
    const parsed = parseForEslint(file.physicalPath ?? file.path, textOf(file), rootOf(file, context.languageOptions));
    const problem = parsed.problems[0];
    // As in the CLI, a file with broken YAML gets one fatal message and no rule runs on it.
    // ESLint puts "Parsing error: " before the message, which ours already starts with.
    if (problem) {
      const message = problem.message.replace(/^Parsing error: /u, "");
      return { ok: false, errors: [{ message, line: problem.start.line, column: problem.start.column }] };
    }
    return { ok: true, ast: parsed };
  },

  createSourceCode(file, input: OkParseResult<ParsedFile>, context) {
    return new EslintSourceCode(input.ast, indexFor(input.ast, rootOf(file, context.languageOptions)));
  },
};
