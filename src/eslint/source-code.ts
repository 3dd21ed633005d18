/**
 * The source code ESLint sees: gitops-lint's own `GitopsSourceCode` (so rules get the same
 * `context.sourceCode`, repo index included), plus what ESLint asks of a language's source code
 * beyond traversal: the `# eslint-disable…` comments, as disable directives.
 *
 * Comments are found as the CLI finds `# gitops-lint-disable…` (src/directives.ts): YAML
 * comments outside scalars, those inside ConfigMap-embedded blueprints at the ConfigMap's lines,
 * and `{# … #}` comments in `.j2` templates.
 */
import type { Directive, DirectiveType, FileProblem } from "@eslint/core";
import { scanComments, splitJustification } from "../directives.ts";
import { GitopsSourceCode, type Reportable } from "../language/source-code.ts";
import type { SourceLocation, SourceRange } from "../types.ts";

/** A comment holding an `eslint-` directive: the node ESLint reports an unused directive at. */
export interface DirectiveComment {
  type: "Comment";
  /** The comment's text without `#` or `{# #}`. */
  value: string;
  range: SourceRange;
  loc: SourceLocation;
}

/**
 * ESLint's directive comments and their parts, as ESLint reads `/* eslint-disable a, b -- why *\/`:
 * the rule list (comma-separated) and, after `--` between blanks, a justification.
 */
const directivePattern = /^eslint-(disable-next-line|disable-line|disable|enable)(?=\s|$)([\s\S]*)$/u;

function isDirectiveComment(element: unknown): element is DirectiveComment {
  return typeof element === "object" && element !== null && (element as { type?: unknown }).type === "Comment" && "loc" in element;
}

export class EslintSourceCode extends GitopsSourceCode {
  override getLoc(element: Reportable | DirectiveComment): SourceLocation {
    return isDirectiveComment(element) ? element.loc : super.getLoc(element);
  }

  override getRange(element: Reportable | DirectiveComment): SourceRange {
    return isDirectiveComment(element) ? element.range : super.getRange(element);
  }

  /** Every `eslint-disable`, `eslint-disable-line`, `eslint-disable-next-line` and `eslint-enable` comment. */
  getDisableDirectives(): { directives: Directive[]; problems: FileProblem[] } {
    const directives: Directive[] = [];
    const { source } = this.file;
    for (const comment of scanComments(this.file, "eslint-").comments) {
      const match = directivePattern.exec(comment.body.trim());
      if (!match) continue;
      const { list, justification } = splitJustification(match[2]!);
      const node: DirectiveComment = {
        type: "Comment",
        value: comment.body,
        range: [comment.start, comment.end],
        loc: { start: source.position(comment.start), end: source.position(comment.end) },
      };
      directives.push({
        type: match[1] as DirectiveType,
        node,
        value: list.trim(),
        justification,
      });
    }
    return { directives, problems: [] };
  }
}
