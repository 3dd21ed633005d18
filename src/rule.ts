/**
 * The rule type: an `@eslint/core` `RuleDefinition` specialised to gitops-lint's source code and
 * visitor events, so that `rules/` stay plain ESLint rules.
 */
import type { RuleDefinition } from "@eslint/core";
import type { JSONSchema4 } from "json-schema";
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
  /**
   * The rule judges the whole repo once per run (its findings are cached per index), so it
   * reads the run's settings (those of config objects without `files`), never a file's.
   */
  runSettings?: boolean;
}

/** What becomes of a rule's `warningMessages`: warnings (the default), the rule's severity, or nothing. */
export type Uncertain = "warn" | "error" | "off";

/** The `uncertain` option of every rule that has `warningMessages`. */
export interface UncertainOptions {
  uncertain?: Uncertain;
}

/**
 * The JSON-schema property of the `uncertain` option, for a rule's options object: rules with
 * `warningMessages` add it to theirs (or use `uncertainSchema` when they have no other option)
 * and set `meta.defaultOptions` to `uncertainDefaults`.
 */
export const uncertainProperty: Record<string, JSONSchema4> = { uncertain: { enum: ["warn", "error", "off"] } };

export const uncertainSchema: JSONSchema4[] = [{ type: "object", additionalProperties: false, properties: uncertainProperty }];

export const uncertainDefaults: [UncertainOptions] = [{ uncertain: "warn" }];

export type GitopsRule<MessageIds extends string = string, Options extends unknown[] = []> = RuleDefinition<{
  LangOptions: Record<string, unknown>;
  Code: GitopsSourceCode;
  RuleOptions: Options;
  Visitor: GitopsVisitor;
  Node: Reportable;
  MessageIds: MessageIds;
  ExtRuleDocs: GitopsRuleDocs;
}>;

/**
 * A file a problem's chain passes through: a file of the repo (a `ParsedFile`, or anything with
 * its absolute `path`), or a path a link names, relative to the linted root with `/` as the
 * index's paths are. Such a path may not exist (a deleted template, a renamed resource) or be a
 * directory (a kustomize base): it covers every file under it.
 */
export type InvolvedFile = { readonly path: string } | string;

const involvedFiles = Symbol("involvedFiles");

/**
 * A report descriptor that names the other files its problem involves: every link of the chain
 * the rule followed (`--only-files` and `--changed-since` keep a message when one of them is
 * among the files given). ESLint's descriptor has no such field; ESLint ignores the symbol, and
 * the descriptor keeps its type, so `context.report(involving({ node, messageId }, files))`
 * type-checks as the plain descriptor does.
 */
export function involving<Descriptor extends object>(descriptor: Descriptor, files: Iterable<InvolvedFile | undefined>): Descriptor {
  const list = [...files].filter((file): file is InvolvedFile => file !== undefined);
  return Object.assign(descriptor, { [involvedFiles]: list });
}

/** The files `involving` attached to a report descriptor. */
export function involvedFilesOf(descriptor: object): readonly InvolvedFile[] {
  return (descriptor as { [involvedFiles]?: readonly InvolvedFile[] })[involvedFiles] ?? [];
}

/** Where the documentation of each rule lives, relative to the package root. */
export function ruleDocsUrl(id: string): string {
  return `docs/rules/${id}.md`;
}
