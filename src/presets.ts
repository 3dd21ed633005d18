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

export interface Preset {
  name: string;
  rules: Record<string, RuleEntry>;
}

/** Every rule on, as an error; findings a rule cannot be sure of stay warnings. */
export const recommended: Preset = {
  name: "gitops-lint/recommended",
  rules: Object.fromEntries(Object.keys(rules).map((id) => [id, "error"])),
};

export const presets = { recommended } as const satisfies Record<string, Preset>;
