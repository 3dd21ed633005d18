/**
 * Ansible role templates (`templates/*.j2`) are Jinja text, not YAML: what matters to the rules is
 * which variables they read, and where.
 */
import type { SourceRange } from "../types.ts";

export interface TemplateVariable {
  /** The root variable name, e.g. `forgejo_oidc` for `{{ forgejo_oidc.client_secret | trim }}`. */
  name: string;
  range: SourceRange;
}

const jinjaWords = new Set([
  "and", "or", "not", "in", "is", "if", "else", "elif", "true", "false", "none", "True", "False", "None",
  "loop", "range", "lookup", "query", "q", "item",
]);

const expressionPattern = /\{\{-?([\s\S]*?)-?\}\}/gu;
const identifierPattern = /[A-Za-z_][A-Za-z0-9_]*/gu;

/**
 * Variables referenced in `{{ … }}` expressions: identifiers that are not attributes (`.x`),
 * filters or tests (`| x`, `is x`), calls (`x(`), keyword arguments (`x=`), string contents or
 * Jinja words. `{# … #}` comments and `{% raw %}` blocks are skipped.
 */
export function templateVariables(text: string): TemplateVariable[] {
  const masked = maskIgnored(text);
  const variables: TemplateVariable[] = [];
  for (const expression of masked.matchAll(expressionPattern)) {
    const body = expression[1] ?? "";
    const bodyStart = expression.index + expression[0].indexOf(body);
    const code = body.replace(/'[^']*'|"[^"]*"/gu, (quoted) => " ".repeat(quoted.length));
    for (const identifier of code.matchAll(identifierPattern)) {
      const name = identifier[0];
      const before = code.slice(0, identifier.index).trimEnd();
      const after = code.slice(identifier.index + name.length).trimStart();
      if (jinjaWords.has(name) || /(\.|\||\bis)$/u.test(before) || /^(\(|=(?!=))/u.test(after) || /[0-9]$/u.test(before)) continue;
      const start = bodyStart + identifier.index;
      variables.push({ name, range: [start, start + name.length] });
    }
  }
  return variables;
}

/** Replaces comments and raw blocks by spaces, keeping every offset. */
function maskIgnored(text: string): string {
  return text.replace(/\{#[\s\S]*?#\}|\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}/gu, (span) =>
    span.replace(/[^\n]/gu, " "),
  );
}
