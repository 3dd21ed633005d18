/**
 * `gitops-lint/eslint`: gitops-lint as an ESLint plugin, for ESLint 9 and 10. The plugin brings
 * the language `gitops-lint/yaml`, every rule (as `gitops-lint/<rule id>`) and a flat config
 * per preset (`configs.recommended`):
 *
 *     // eslint.config.js
 *     import gitopsLint from "gitops-lint/eslint";
 *     export default [gitopsLint.configs.recommended];
 *
 * The rules are the CLI's own. What ESLint cannot express is adapted here: ESLint has no
 * per-message severity, so a rule's `warningMessages` take the rule's severity (or are dropped
 * when its options say `uncertain: "off"`), and ESLint 10 runs a rule only on the languages its
 * `meta.languages` names.
 */
import type { Plugin } from "@eslint/core";
import packageJson from "../../package.json" with { type: "json" };
import { rules as gitopsRules } from "../../rules/index.ts";
import { presets, type Preset, type RuleEntry } from "../presets.ts";
import type { GitopsRule, UncertainOptions } from "../rule.ts";
import { yaml } from "./language.ts";

const namespace = "gitops-lint";
const languageId = `${namespace}/yaml`;

/** What an editor shows for a fix that `--fix` does not apply. */
const unsafeFixDescription = "Apply gitops-lint's fix (it changes a value someone wrote: check it before you commit)";

/**
 * The rule as ESLint runs it: for the plugin's language; uncertain findings dropped when its
 * options say `uncertain: "off"`; and a fix that changes a value someone wrote (applied by the
 * CLI only with `--unsafe-fixes`) offered as a suggestion, which `eslint --fix` never applies
 * and an editor offers as a quick fix.
 */
function forEslint(rule: GitopsRule): GitopsRule {
  const uncertain = new Set(rule.meta?.docs?.warningMessages ?? []);
  const unsafe = new Set(rule.meta?.docs?.unsafeFixMessages ?? []);
  return {
    ...rule,
    meta: { ...rule.meta, languages: [languageId], ...(unsafe.size > 0 ? { hasSuggestions: true } : {}) },
    create(context) {
      const options = (context.options as unknown[])[0] as UncertainOptions | undefined;
      const dropUncertain = uncertain.size > 0 && options?.uncertain === "off";
      if (!dropUncertain && unsafe.size === 0) return rule.create(context);
      const report: typeof context.report = (descriptor) => {
        const messageId = "messageId" in descriptor ? descriptor.messageId : undefined;
        if (messageId === undefined) return context.report(descriptor);
        if (dropUncertain && uncertain.has(messageId)) return;
        if (!unsafe.has(messageId) || !descriptor.fix) return context.report(descriptor);
        context.report({ ...descriptor, fix: null, suggest: [{ desc: unsafeFixDescription, fix: descriptor.fix }] });
      };
      // ESLint's context is frozen: a child object with its own `report` keeps everything else.
      return rule.create(Object.create(context, { report: { value: report } }) as typeof context);
    },
  };
}

const rules: Record<string, GitopsRule> = Object.fromEntries(Object.entries(gitopsRules).map(([id, rule]) => [id, forEslint(rule)]));

/** A flat config object, as ESLint 9 and 10 read it. */
export interface EslintConfig {
  name: string;
  files: string[];
  plugins: Record<string, Plugin>;
  language: string;
  rules: Record<string, RuleEntry>;
  linterOptions?: Preset["linterOptions"];
}

/** The files the CLI lints: YAML (kustomize's extensionless `Kustomization` included) and role templates. */
export const files = ["**/*.yaml", "**/*.yml", "**/Kustomization", "**/templates/**/*.j2"];

const plugin = {
  meta: { name: packageJson.name, version: packageJson.version, namespace },
  languages: { yaml },
  rules,
  configs: {} as Record<keyof typeof presets, EslintConfig>,
};

for (const [name, preset] of Object.entries(presets) as Array<[keyof typeof presets, Preset]>) {
  plugin.configs[name] = {
    name: preset.name,
    files,
    plugins: { [namespace]: plugin as Plugin },
    language: languageId,
    rules: Object.fromEntries(Object.entries(preset.rules).map(([id, entry]) => [`${namespace}/${id}`, entry])),
    ...(preset.linterOptions ? { linterOptions: preset.linterOptions } : {}),
  };
}

export type { GitopsLanguageOptions } from "./language.ts";
export default plugin;
