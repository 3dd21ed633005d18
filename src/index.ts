/**
 * The package entry (`import … from "gitops-lint"`): `defineConfig` for `.ts` and `.js` config
 * files, and the API the command line is built on.
 */
export { rules } from "../rules/index.ts";
export { type Config, type ConfigObject, ConfigError, defineConfig, type LoadConfigOptions, type LoadedConfig, loadConfig, type Settings } from "./config.ts";
export { type LintOptions, type LintOutcome, lintProject } from "./engine.ts";
export type { GitopsRule } from "./rule.ts";
export type { LintMessage, LintResult, Severity } from "./types.ts";
