/**
 * Reporting schema problems the same way in every `schema/*` rule: one message id per kind of
 * problem, the same placeholders, each rule writing its own text (why it matters differs:
 * authentik drops an unknown attribute silently, Kubernetes rejects an unknown field).
 */
import type { RuleContext } from "@eslint/core";
import type { GitopsSourceCode, Reportable } from "../language/source-code.ts";
import type { SchemaProblem } from "./problems.ts";

/** The message ids a schema rule defines. Placeholders: `at`, `key`, `detail`, `suggestion`, `allowed`. */
export type SchemaMessageId =
  | "unknownKey"
  | "unknownKeyDidYouMean"
  | "missingKey"
  | "wrongValue"
  | "wrongValueDidYouMean"
  | "wrongType"
  | "invalid";

/**
 * The message id of a plain scalar Kubernetes or authentik reads as a boolean or number where a
 * string is due (`value: yes`), which only rules reading for them define. Placeholders: `at`,
 * `written`, `reading`, `quoted`.
 */
export type Yaml11MessageId = "notStringInYaml11";

/** How many known keys or values a message lists before "…". */
const listed = 12;

/**
 * The message id of a problem. A tree read as parsed has no `notStringInYaml11` problem; should
 * one reach a rule that does not define its message, it is the wrong type it is.
 */
export function messageIdOf(problem: SchemaProblem): SchemaMessageId {
  const id = yaml11MessageIdOf(problem);
  return id === "notStringInYaml11" ? "wrongType" : id;
}

/** The message id of a problem found in a tree read for Kubernetes or authentik. */
export function yaml11MessageIdOf(problem: SchemaProblem): SchemaMessageId | Yaml11MessageId {
  switch (problem.kind) {
    case "unknownKey":
      return problem.suggestion ? "unknownKeyDidYouMean" : "unknownKey";
    case "wrongValue":
      return problem.suggestion ? "wrongValueDidYouMean" : "wrongValue";
    default:
      return problem.kind;
  }
}

/**
 * The placeholders of a problem's message. `at` names where the problem is, followed by ": ", or
 * is "": for a key problem the mapping (`spec.data[0]: `), for a value problem the value itself
 * (`spec.data[0].remoteRef.key: `, `containers[0].args[1]: `).
 */
export function messageData(problem: SchemaProblem, prefix = ""): Record<string, string> {
  const where = [prefix, problem.path].filter((part) => part !== "").join(".");
  const allowed = problem.allowed.length > listed ? [...problem.allowed.slice(0, listed), "…"] : problem.allowed;
  return {
    at: where === "" ? "" : `${where}: `,
    key: problem.key ?? "",
    detail: problem.detail,
    suggestion: problem.suggestion ?? "",
    allowed: allowed.map((value) => (value === "…" ? value : `"${value}"`)).join(", "),
    written: problem.written ?? "",
    reading: problem.reading ?? "",
    quoted: JSON.stringify(problem.written ?? ""),
  };
}

type SchemaContext = RuleContext<{
  LangOptions: Record<string, unknown>;
  Code: GitopsSourceCode;
  RuleOptions: unknown[];
  Node: Reportable;
  MessageIds: string;
}>;

/**
 * The keys of a strategic merge patch's directives, which kustomize reads and removes before the
 * resource reaches the API server: `$patch` (delete, replace or merge the mapping or list item
 * it stands in), `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.
 */
const patchDirective = /^\$(?:patch|retainKeys|setElementOrder\/.+|deleteFromPrimitiveList\/.+)$/u;

/**
 * The problems that stand in a kustomize patch: it is merged into a resource written elsewhere
 * and holds only the fields it changes, so a required field it leaves out is no problem, and
 * neither is a patch directive (`- name: config` with `$patch: delete` removes that volume).
 */
export function problemsOfPatch(problems: readonly SchemaProblem[]): SchemaProblem[] {
  return problems.filter((problem) => problem.kind !== "missingKey" && !(problem.key !== undefined && patchDirective.test(problem.key)));
}

/**
 * Reports each problem with the message id of its kind; a rule that reads for Kubernetes or
 * authentik defines `notStringInYaml11` too.
 */
export function reportSchemaProblems(context: SchemaContext, problems: readonly SchemaProblem[], prefix = ""): void {
  for (const problem of problems) {
    context.report({ node: problem.node, messageId: yaml11MessageIdOf(problem), data: messageData(problem, prefix) });
  }
}
