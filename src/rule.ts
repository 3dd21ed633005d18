/**
 * The rule type: an `@eslint/core` `RuleDefinition` specialised to gitops-lint's source code and
 * visitor events, so that `rules/` stay plain ESLint rules.
 */
import type { RuleDefinition } from "@eslint/core";
import type { GitopsSourceCode, GitopsVisitor, Reportable } from "./language/source-code.ts";

export interface GitopsRuleDocs {
  /**
   * Message ids reported as warnings even where the rule is an error, for findings that are
   * not certainly wrong: a link the tool cannot follow, or an `!Env` that has a default.
   * (Inside ESLint, which has no per-message severity, they keep the rule's severity.)
   */
  warningMessages?: readonly string[];
  /**
   * Message ids reported at a value that is itself a secret (a literal client secret, a token):
   * code frames mask the reported span, whatever the line looks like.
   */
  secretMessages?: readonly string[];
  /**
   * Message ids whose fix changes a value someone wrote (a redirect URI's host, a renamed key)
   * rather than adding a missing link: applied only with `--unsafe-fixes`, as ruff does.
   */
  unsafeFixMessages?: readonly string[];
}

export type GitopsRule<MessageIds extends string = string, Options extends unknown[] = []> = RuleDefinition<{
  LangOptions: Record<string, unknown>;
  Code: GitopsSourceCode;
  RuleOptions: Options;
  Visitor: GitopsVisitor;
  Node: Reportable;
  MessageIds: MessageIds;
  ExtRuleDocs: GitopsRuleDocs;
}>;

/** Where the documentation of each rule lives, relative to the package root. */
export function ruleDocsUrl(id: string): string {
  return `docs/rules/${id}.md`;
}
