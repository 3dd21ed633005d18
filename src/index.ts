/**
 * The package entry (`import … from "gitops-lint"`): `defineConfig` for `.ts` and `.js` config
 * files, and the API the command line is built on.
 */
export { rules } from "../rules/index.ts";
export {
  type Config,
  type ConfigObject,
  ConfigError,
  defineConfig,
  type FileConfig,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  type PresetName,
  ResolvedConfig,
  type Settings,
} from "./config.ts";
/** The presets, for a config's array or `extends` in .ts and .js configs: `configs.recommended`, `configs.strict`. */
export { presets as configs, type LinterOptions, type Preset, type RuleEntry } from "./presets.ts";
export { type LintOptions, type LintOutcome, lintProject } from "./engine.ts";
export type { GitopsRule } from "./rule.ts";
export type { LintMessage, LintResult, Severity } from "./types.ts";
