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

const identifierPattern = /[A-Za-z_][A-Za-z0-9_]*/gu;
const stringPattern = /'(?:[^'\\]|\\[\s\S])*'|"(?:[^"\\]|\\[\s\S])*"/gu;

/**
 * Variables referenced in `{{ … }}` expressions: identifiers that are not attributes (`.x`),
 * filters or tests (`| x`, `is x`, `is not x`), calls (`x(`), keyword arguments (`x=`), string
 * contents or Jinja words. `{# … #}` comments and `{% raw %}` blocks are skipped.
 */
export function templateVariables(text: string): TemplateVariable[] {
  const masked = maskIgnored(text);
  const variables: TemplateVariable[] = [];
  let open = masked.indexOf("{{");
  while (open !== -1) {
    const bodyStart = masked[open + 2] === "-" ? open + 3 : open + 2;
    const close = expressionEnd(masked, bodyStart);
    if (close === -1) {
      // An unterminated string or expression: what follows is still searched.
      open = masked.indexOf("{{", open + 2);
      continue;
    }
    const bodyEnd = close > bodyStart && masked[close - 1] === "-" ? close - 1 : close;
    const code = masked.slice(bodyStart, bodyEnd).replace(stringPattern, (quoted) => " ".repeat(quoted.length));
    for (const identifier of code.matchAll(identifierPattern)) {
      const name = identifier[0];
      const before = code.slice(0, identifier.index).trimEnd();
      const after = code.slice(identifier.index + name.length).trimStart();
      if (jinjaWords.has(name) || /(\.|\||\bis(\s+not)?)$/u.test(before) || /^(\(|=(?!=))/u.test(after) || /[0-9]$/u.test(before)) continue;
      const start = bodyStart + identifier.index;
      variables.push({ name, range: [start, start + name.length] });
    }
    open = masked.indexOf("{{", close + 2);
  }
  return variables;
}

/** Offset of the `}}` closing an expression whose body starts at `from`: a `}}` inside a string literal does not close it. */
function expressionEnd(text: string, from: number): number {
  let quote = "";
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (quote !== "") {
      if (char === "\\") index++;
      else if (char === quote) quote = "";
    } else if (char === "'" || char === '"') quote = char;
    else if (char === "}" && text[index + 1] === "}") return index;
  }
  return -1;
}

/** Replaces comments and raw blocks by spaces, keeping every offset. */
function maskIgnored(text: string): string {
  return text.replace(/\{#[\s\S]*?#\}|\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}/gu, (span) =>
    span.replace(/[^\n]/gu, " "),
  );
}
