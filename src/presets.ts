/**
 * The presets: `recommended` (what runs when there is no config, and the base of every config)
 * and `strict`. A preset is a flat-config object; configs name one with `extends`, and the
 * ESLint plugin exports them as `configs`.
 */
import { rules } from "../rules/index.ts";

export type SeverityName = "off" | "warn" | "error";
export type SeverityValue = SeverityName | 0 | 1 | 2;
/** A rule's entry in a config's `rules`: a severity, or a severity and the rule's options. */
export type RuleEntry = SeverityValue | [SeverityValue, ...unknown[]];

/** ESLint's `linterOptions`, as far as gitops-lint reads them. */
export interface LinterOptions {
  /** Report inline disable comments that silence nothing; `true` is "warn", `false` is "off". */
  reportUnusedDisableDirectives?: SeverityValue | boolean;
  /** Ignore inline `gitops-lint-disable` comments. */
  noInlineConfig?: boolean;
}

export interface Preset {
  name: string;
  rules: Record<string, RuleEntry>;
  linterOptions?: LinterOptions;
}

/** Every rule on, as an error; findings a rule cannot be sure of stay warnings. */
export const recommended: Preset = {
  name: "gitops-lint/recommended",
  rules: Object.fromEntries(Object.keys(rules).map((id) => [id, "error"])),
};

/**
 * Every rule an error, findings a rule cannot be sure of included (`uncertain: "error"` where a
 * rule has `warningMessages`), and a disable comment that silences nothing is an error too.
 */
export const strict: Preset = {
  name: "gitops-lint/strict",
  rules: Object.fromEntries(
    Object.entries(rules).map(([id, rule]): [string, RuleEntry] => [id, (rule.meta?.docs?.warningMessages?.length ?? 0) > 0 ? ["error", { uncertain: "error" }] : "error"]),
  ),
  linterOptions: { reportUnusedDisableDirectives: "error" },
};

export const presets = { recommended, strict } as const satisfies Record<string, Preset>;
