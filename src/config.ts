/**
 * The config file, `gitops-lint.config.{ts,js,mjs,json,yaml,yml}`: found in the linted root or
 * the nearest directory above it that has one (or named with `--config`), read, checked against
 * `schemas/config.json` and each rule's options schema, and resolved per file as ESLint's flat
 * config is (docs/config.md): the `recommended` preset, then the config's objects whose `files`
 * match and whose `ignores` do not, then `--rule`.
 *
 * A config that cannot be read or is wrong is a `ConfigError` (exit 2), naming the file, the
 * config object and the key, and saying what is allowed.
 */
import type { ErrorObject } from "ajv";
import type { JSONSchema4 } from "json-schema";
import { Minimatch } from "minimatch";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseDocument } from "yaml";
import configSchema from "../schemas/config.json" with { type: "json" };
import { rules as registry } from "../rules/index.ts";
import { commonAncestor } from "./discover.ts";
import { type LinterOptions, presets, type RuleEntry } from "./presets.ts";
import type { GitopsRule } from "./rule.ts";
import { validator } from "./schema/ajv.ts";
import { closest } from "./schema/suggest.ts";

/** In the order they are looked for; two in one directory is an error, so the order never decides. */
export const configFileNames = [
  "gitops-lint.config.ts",
  "gitops-lint.config.js",
  "gitops-lint.config.mjs",
  "gitops-lint.config.json",
  "gitops-lint.config.yaml",
  "gitops-lint.config.yml",
] as const;

/** The settings the rules read (README, "Settings"); rules read them defensively, any key is kept. */
export interface Settings {
  /** Host names (a DNS `*` allowed) served outside the repo: `oidc/redirect-uri-host`. */
  hosts?: string[];
  externalSecrets?: {
    /** Stores managed outside the repo. */
    stores?: Array<{ name: string; kind?: "SecretStore" | "ClusterSecretStore"; namespace?: string; provider?: string; vault?: string; vaults?: string[] }>;
    [key: string]: unknown;
  };
  onepassword?: {
    /** Vault titles by 1Password id. */
    vaults?: Record<string, string>;
    /** Item titles by 1Password id. */
    items?: Record<string, string>;
    /** `op://vault/item/field` references nothing in the cluster needs to read. */
    references?: string[];
    [key: string]: unknown;
  };
  oidc?: {
    clients?: Record<string, { consumer?: boolean; [key: string]: unknown }>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * One config object, as in ESLint's flat config. `languageOptions`, `plugins`, `processor` and
 * `language` are accepted so that a config shared with ESLint is not an error, and not read.
 */
export interface ConfigObject {
  name?: string;
  /** Glob patterns, relative to the config file's directory; an inner array matches when all its patterns do. */
  files?: Array<string | string[]>;
  /** Files this object does not apply to; alone (or with `name`), files that are not linted at all. */
  ignores?: string[];
  /** Presets this object builds on, applied before it with its `files` and `ignores`. */
  extends?: Array<PresetName | ConfigObject>;
  rules?: Record<string, RuleEntry>;
  settings?: Settings;
  linterOptions?: LinterOptions;
  languageOptions?: Record<string, unknown>;
  plugins?: Record<string, unknown>;
  processor?: string | object;
  language?: string;
}

export type Config = ConfigObject | ConfigObject[];

export type PresetName = keyof typeof presets;

/** For `.ts` and `.js` configs: returns its argument, typed, so that a misspelt key does not compile. */
export function defineConfig(config: Config): Config {
  return config;
}

/** A config file that cannot be read or has the wrong shape; each line of the message is one problem. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface LoadConfigOptions {
  /** Where `configFile` and the paths in messages are relative to. */
  cwd: string;
  /** The linted root (see `lintedRoot`): the search starts there. */
  root: string;
  /** `--config FILE`: this file, and no search. */
  configFile?: string;
  /** `--no-config-lookup` sets this to false: no search, and no config unless `configFile` is given. */
  lookup: boolean;
  /** `--rule` values ("id: severity" or "id: [severity, options]"), applied after the config file. */
  ruleFlags?: readonly string[];
}

export interface LoadedConfig {
  /** Absolute path of the config file read; undefined when there is none. */
  file?: string;
  /** The run's settings: those of every config object without `files`, merged deeply in array order. */
  settings: Settings;
  /** The config each file gets (presets, the file's objects, `--rule`). */
  config: ResolvedConfig;
}

const allowedKeys = Object.keys(configSchema.definitions.configObject.properties);

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const file =
    options.configFile !== undefined ? path.resolve(options.cwd, options.configFile) : options.lookup ? findConfigFile(options.root, options.cwd) : undefined;
  const shown = file === undefined ? undefined : shownPath(options.cwd, file);
  const objects = file === undefined || shown === undefined ? undefined : validate(await readConfig(file, shown), shown);
  const config = new ResolvedConfig({
    objects: objects?.objects,
    array: objects?.array,
    file,
    shown,
    basePath: file === undefined ? options.root : path.dirname(file),
    ruleFlags: options.ruleFlags ?? [],
  });
  return { ...(file === undefined ? {} : { file }), settings: config.settings, config };
}

/** A path as messages show it: relative to the current directory, as stylish shows files. */
function shownPath(cwd: string, file: string): string {
  return path.relative(cwd, file) || file;
}

/**
 * The directory discovery resolves links within (`discover`'s root) for these command-line
 * paths: the deepest directory holding every given directory and the directory of every given
 * file. A missing path counts as a directory; discovery reports it.
 */
export function lintedRoot(cwd: string, paths: readonly string[]): string {
  const directories = (paths.length > 0 ? paths : ["."]).map((given) => {
    const absolute = path.resolve(cwd, given);
    return isFile(absolute) ? path.dirname(absolute) : absolute;
  });
  return commonAncestor(directories);
}

/** Whether `file` is a file; anything that cannot be looked at (missing, no permission) is not. */
function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}


/** The config file of `root` or of the nearest directory above it that has one. */
function findConfigFile(root: string, cwd: string): string | undefined {
  for (let directory = path.resolve(root); ; directory = path.dirname(directory)) {
    const found = configFileNames.map((name) => path.join(directory, name)).filter(isFile);
    if (found.length > 1) {
      const names = found.map((file) => shownPath(cwd, file));
      throw new ConfigError(`${names.slice(0, -1).join(", ")} and ${names.at(-1)} are config files of the same directory: keep one, or choose one with --config`);
    }
    if (found.length === 1) return found[0];
    if (path.dirname(directory) === directory) return undefined;
  }
}

/** The config file's value, before its shape is checked. */
async function readConfig(file: string, shown: string): Promise<unknown> {
  const extension = path.extname(file);
  if (![".ts", ".js", ".mjs", ".json", ".yaml", ".yml"].includes(extension)) {
    throw new ConfigError(`${shown}: a config file is .ts, .js, .mjs, .json, .yaml or .yml`);
  }
  let text: string;
  try {
    // Read whatever the type, so that a missing or unreadable file gets one message.
    text = await fs.promises.readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(`${shown}: cannot read it (${readFailure(error)})`);
  }
  if (extension === ".json") {
    try {
      return JSON.parse(text.replace(/^\uFEFF/u, "")) as unknown;
    } catch (error) {
      throw new ConfigError(`${shown}: syntax error: ${messageOf(error).replace(/^JSON Parse error: /u, "")}`);
    }
  }
  if (extension === ".yaml" || extension === ".yml") {
    const document = parseDocument(text);
    const error = document.errors[0];
    if (error) {
      const at = error.linePos ? `:${error.linePos[0].line}:${error.linePos[0].col}` : "";
      throw new ConfigError(`${shown}${at}: syntax error: ${error.message.replace(/ at line \d+, column \d+:[\s\S]*$/u, "")}`);
    }
    try {
      // A file with only comments configures nothing, as an empty .eslintrc.yaml did.
      return document.toJS() ?? {};
    } catch (aliasError) {
      // yaml refuses to expand an alias bomb ("Excessive alias count").
      throw new ConfigError(`${shown}: ${messageOf(aliasError)}`);
    }
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(importFailure(error, shown));
  }
  const exported = module.default !== undefined ? module.default : module.config;
  if (exported === undefined) {
    throw new ConfigError(`${shown}: exports no config: export it as the default export (export default defineConfig({ … })) or as "config"`);
  }
  try {
    return await exported;
  } catch (error) {
    throw new ConfigError(importFailure(error, shown));
  }
}

function messageOf(error: unknown): string {
  return typeof error === "object" && error !== null && "message" in error ? String(error.message) : String(error);
}

function readFailure(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return messageOf(error);
}

/** Bun reports a syntax error as a `BuildMessage` with a position, several of them in an `AggregateError`. */
function importFailure(error: unknown, shown: string): string {
  const first = error instanceof AggregateError && error.errors.length > 0 ? (error.errors[0] as unknown) : error;
  if (first instanceof BuildMessage) {
    const at = first.position ? `:${first.position.line}:${first.position.column}` : "";
    return `${shown}${at}: syntax error: ${first.message}`;
  }
  return `${shown}: importing it failed: ${messageOf(first)}`;
}

/** The config's objects, or a `ConfigError` listing every mistake of their shape. */
function validate(config: unknown, shown: string): { objects: ConfigObject[]; array: boolean } {
  const validateConfig = validator(configSchema);
  if (validateConfig(config)) return Array.isArray(config) ? { objects: config as ConfigObject[], array: true } : { objects: [config as ConfigObject], array: false };
  const problems = (validateConfig.errors ?? []).flatMap((error) => (error.keyword === "if" ? [] : [problem(error, config)]));
  throw new ConfigError([...new Set(problems)].map((text) => `${shown}: ${text}`).join("\n"));
}

function problem(error: ErrorObject, config: unknown): string {
  const segments = error.instancePath.split("/").slice(1).map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
  let where = "";
  if (Array.isArray(config)) {
    const index = Number(segments.shift());
    const name = (config[index] as { name?: unknown } | null)?.name;
    where = `config object at index ${index}${typeof name === "string" ? ` ("${name}")` : ""}`;
  }
  const key = segments.map((segment, position) => (/^\d+$/u.test(segment) ? `[${segment}]` : position === 0 ? segment : `.${segment}`)).join("");
  const prefix = where === "" ? "" : `${where}: `;
  if (error.keyword === "additionalProperties" && key !== "") {
    const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    return `${prefix}"${key}.${String(error.params.additionalProperty)}" is not a key of ${key} (allowed: ${allowed.join(", ")})`;
  }
  if (error.keyword === "additionalProperties") {
    return `${prefix}"${String(error.params.additionalProperty)}" is not a config key (allowed: ${allowedKeys.join(", ")})`;
  }
  if (error.keyword === "enum") {
    return `${prefix}"${key}" must be ${listed((error.params.allowedValues as unknown[]).map(quoted))}, not ${quoted(error.data)}`;
  }
  if (error.keyword === "type") {
    const expected = ([] as string[]).concat(error.params.type as string | string[]).map((type) => article(type)).join(" or ");
    if (key === "") {
      return where === ""
        ? `the config must be an object or an array of objects, not ${typeName(error.data)}`
        : `${where} must be an object, not ${typeName(error.data)}`;
    }
    return `${prefix}"${key}" must be ${expected}, not ${typeName(error.data)}`;
  }
  return `${prefix}"${key}" ${error.message ?? "is not valid"}`;
}

function article(type: string): string {
  return /^[aeiou]/u.test(type) ? `an ${type}` : `a ${type}`;
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  return article(typeof value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * ESLint's merge of `settings`: objects are merged key by key, any other value (an array
 * included) replaces the earlier one, and an undefined value keeps it.
 */
function mergeDeep(first: Record<string, unknown>, second: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...first };
  for (const [key, value] of Object.entries(second)) {
    // A "__proto__" key (JSON.parse makes one an own property) would replace the prototype.
    if (value === undefined || key === "__proto__") continue;
    const earlier = merged[key];
    merged[key] = isRecord(earlier) && isRecord(value) ? mergeDeep(earlier, value) : value;
  }
  return merged;
}

/** ESLint's numeric severities. */
export type SeverityLevel = 0 | 1 | 2;

/** A rule as a file's config has it: a severity, and its options with `meta.defaultOptions` merged in. */
export interface ResolvedRule {
  severity: SeverityLevel;
  options: unknown[];
}

/** What one file is linted with. */
export interface FileConfig {
  /** Every rule of the registry, by id, in the registry's order. */
  rules: ReadonlyMap<string, ResolvedRule>;
  /** The settings of every object applying to the file, merged deeply in order. */
  settings: Settings;
  linterOptions: { reportUnusedDisableDirectives: SeverityLevel; noInlineConfig: boolean };
}

/** A rule entry as written: `options` undefined when it gives a severity alone. */
interface LayerRule {
  severity: SeverityLevel;
  options?: unknown[];
}

/** A config object reduced to what resolution needs. */
interface Layer {
  /** `files` conditions that must all match (an object's own, and an extending object's). */
  files: Array<Array<string | string[]>>;
  /** `ignores` lists none of which may match. */
  ignores: string[][];
  rules: Map<string, LayerRule>;
  settings?: Settings;
  linterOptions?: LinterOptions;
}

const severityNames = { off: 0, warn: 1, error: 2 } as const;
const severityText = '"off", "warn", "error", 0, 1 or 2';

/**
 * The config of a run, resolved per file: which files are ignored, and each file's rules,
 * settings and linter options. Files with the same matching objects share one `FileConfig`.
 */
export class ResolvedConfig {
  /** Absolute path of the config file; undefined when there is none. */
  readonly file: string | undefined;
  /** Where `files` and `ignores` patterns are relative to: the config file's directory, or the linted root. */
  readonly basePath: string;
  /** The settings of every config object without `files`: what rules judging the whole repo at once read. */
  readonly settings: Settings;
  private readonly shown: string | undefined;
  private readonly layers: Layer[];
  private readonly globalIgnores: string[];
  private readonly byMatch = new Map<string, FileConfig>();

  constructor(options: {
    /** The config file's objects, shape-checked. */
    objects?: readonly ConfigObject[];
    /** Whether the file holds an array (messages then name the object by its index). */
    array?: boolean;
    file?: string;
    /** The config file as messages show it. */
    shown?: string;
    basePath: string;
    ruleFlags?: readonly string[];
  }) {
    this.file = options.file;
    this.shown = options.shown;
    this.basePath = options.basePath;
    const problems: string[] = [];
    this.layers = [layerOf(presets.recommended, [], [], "", problems)];
    this.globalIgnores = [];
    (options.objects ?? []).forEach((object, index) => {
      const where = `${options.shown ?? "config"}: ${options.array ? `${objectName(object, index)}: ` : ""}`;
      if (isGlobalIgnore(object)) {
        this.globalIgnores.push(...object.ignores!);
        return;
      }
      const files = object.files === undefined ? [] : [object.files];
      const ignores = object.ignores === undefined ? [] : [object.ignores];
      (object.extends ?? []).forEach((extended, position) => {
        const preset = extendedObject(extended, `${where}extends[${position}]`, problems);
        if (!preset) return;
        const presetFiles = preset.files === undefined ? files : [...files, preset.files];
        const presetIgnores = preset.ignores === undefined ? ignores : [...ignores, preset.ignores];
        this.layers.push(layerOf(preset, presetFiles, presetIgnores, `${where}extends[${position}]: `, problems));
      });
      this.layers.push(layerOf(object, files, ignores, where, problems));
    });
    for (const flag of options.ruleFlags ?? []) {
      const where = `--rule '${flag}': `;
      const flagRules = parseRuleFlag(flag, where, problems);
      if (flagRules) this.layers.push(layerOf({ rules: flagRules }, [], [], where, problems));
    }
    if (problems.length > 0) throw new ConfigError([...new Set(problems)].join("\n"));
    this.settings = this.layers.reduce<Settings>((merged, layer) => (layer.files.length === 0 && layer.settings ? mergeDeep(merged, layer.settings) : merged), {});
  }

  /** A path relative to the base path with forward slashes; undefined when it lies outside. */
  private relative(file: string): string | undefined {
    const relative = path.relative(this.basePath, path.resolve(this.basePath, file)).split(path.sep).join("/");
    return relative === "" || relative.startsWith("../") || relative === ".." || path.isAbsolute(relative) ? undefined : relative;
  }

  /**
   * Whether a global `ignores` pattern ignores the file (or a directory holding it), as ESLint's:
   * patterns in order, a `!` pattern unignoring, and a file in an ignored directory ignored
   * whatever comes after. A file outside the base path is never ignored.
   */
  isIgnored(file: string): boolean {
    if (this.globalIgnores.length === 0) return false;
    const relative = this.relative(file);
    if (relative === undefined) return false;
    const parts = relative.split("/");
    for (let depth = 1; depth < parts.length; depth++) {
      const directory = parts.slice(0, depth).join("/");
      if (ignoredBy(this.globalIgnores, directory, true)) return true;
    }
    return ignoredBy(this.globalIgnores, relative, false);
  }

  /** The file's config; the same object for every file the same config objects apply to. */
  forFile(file: string): FileConfig {
    const relative = this.relative(file);
    const matching = this.layers.flatMap((layer, index) => (applies(layer, relative) ? [index] : []));
    const key = matching.join(",");
    let resolved = this.byMatch.get(key);
    if (!resolved) {
      resolved = this.resolve(matching.map((index) => this.layers[index]!));
      this.byMatch.set(key, resolved);
    }
    return resolved;
  }

  /** What the engine reports for a file named on the command line that a global ignore ignores. */
  ignoredMessage(): string {
    return `File ignored because of a matching ignore pattern in ${this.shown ?? "the config"}: it is read for the links of the other files but not reported on. Remove the pattern from "ignores" to lint it.`;
  }

  /** `--print-config`: the file's config in ESLint's shape, or undefined when the file is ignored. */
  print(file: string): { linterOptions: FileConfig["linterOptions"]; settings: Settings; rules: Record<string, unknown[]> } | undefined {
    if (this.isIgnored(file)) return undefined;
    const { linterOptions, settings, rules } = this.forFile(file);
    return { linterOptions: { ...linterOptions }, settings, rules: Object.fromEntries([...rules].map(([id, rule]) => [id, [rule.severity, ...rule.options]])) };
  }

  private resolve(layers: readonly Layer[]): FileConfig {
    const entries = new Map<string, { severity: SeverityLevel; options: unknown[] }>();
    let settings: Settings | undefined;
    const linterOptions: FileConfig["linterOptions"] = { reportUnusedDisableDirectives: 0, noInlineConfig: false };
    for (const layer of layers) {
      for (const [id, entry] of layer.rules) {
        // As ESLint: a severity alone keeps the options an earlier object gave.
        entries.set(id, { severity: entry.severity, options: entry.options ?? entries.get(id)?.options ?? [] });
      }
      if (layer.settings) settings = mergeDeep(settings ?? {}, layer.settings);
      const unused = layer.linterOptions?.reportUnusedDisableDirectives;
      if (unused !== undefined) linterOptions.reportUnusedDisableDirectives = typeof unused === "boolean" ? (unused ? 1 : 0) : severityLevel(unused)!;
      if (layer.linterOptions?.noInlineConfig !== undefined) linterOptions.noInlineConfig = layer.linterOptions.noInlineConfig;
    }
    const rules = new Map<string, ResolvedRule>();
    for (const [id, rule] of Object.entries(registry)) {
      const entry = entries.get(id) ?? { severity: 2, options: [] };
      rules.set(id, { severity: entry.severity, options: withDefaultOptions(rule, entry.options) });
    }
    // A file whose settings are exactly the run's shares the run's object, so that caches keyed by it hold.
    const withSettings = layers.filter((layer) => layer.settings);
    const runWide = this.layers.filter((layer) => layer.settings && layer.files.length === 0);
    const runSettings = withSettings.length === runWide.length && withSettings.every((layer) => layer.files.length === 0);
    return { rules, settings: runSettings ? this.settings : (settings ?? {}), linterOptions };
  }
}

const ruleIds = Object.keys(registry);

/** How messages name an object of an array config. */
function objectName(object: ConfigObject, index: number): string {
  return `config object at index ${index}${typeof object.name === "string" ? ` ("${object.name}")` : ""}`;
}

/** As ESLint's: an object with `ignores` and nothing else but a `name` ignores files for every object. */
function isGlobalIgnore(object: ConfigObject): boolean {
  return object.ignores !== undefined && Object.keys(object).every((key) => key === "ignores" || key === "name");
}

const presetNames = Object.keys(presets);

/** What an `extends` item names: a preset by name, or (in .ts and .js configs) a config object. */
function extendedObject(extended: unknown, where: string, problems: string[]): ConfigObject | undefined {
  if (typeof extended === "string") {
    const preset = (presets as Record<string, ConfigObject>)[extended];
    if (preset) return preset;
    const suggestion = closest(extended, presetNames);
    problems.push(`${where} must be ${listed(presetNames)}, not "${extended}"${suggestion ? `; did you mean "${suggestion}"?` : ""}`);
    return undefined;
  }
  const validateObject = validator(configSchema.definitions.configObject);
  if (!validateObject(extended)) {
    problems.push(...(validateObject.errors ?? []).map((error) => `${where}: ${problem(error, extended)}`));
    return undefined;
  }
  if ((extended as ConfigObject).extends !== undefined) {
    problems.push(`${where}: an extended object has no "extends" of its own: put its presets in this object's "extends"`);
    return undefined;
  }
  return extended as ConfigObject;
}

function layerOf(object: ConfigObject, files: Layer["files"], ignores: Layer["ignores"], where: string, problems: string[]): Layer {
  const rules: Layer["rules"] = new Map();
  for (const [id, entry] of Object.entries(object.rules ?? {})) {
    const checked = checkRuleEntry(id, entry, `${where}rules["${id}"]`, problems);
    if (checked) rules.set(id, checked);
  }
  return { files, ignores, rules, settings: object.settings, linterOptions: object.linterOptions };
}

export function severityLevel(value: unknown): SeverityLevel | undefined {
  if (value === 0 || value === 1 || value === 2) return value;
  return typeof value === "string" && Object.hasOwn(severityNames, value) ? severityNames[value as keyof typeof severityNames] : undefined;
}

/** One `rules` entry checked as ESLint checks it; undefined (and a problem) when it is wrong. */
function checkRuleEntry(id: string, entry: unknown, key: string, problems: string[]): LayerRule | undefined {
  const rule = registry[id];
  if (!rule) {
    const suggestion = closest(id, ruleIds);
    problems.push(suggestion ? `${key}: no such rule; did you mean "${suggestion}"?` : `${key}: no such rule (rules: ${ruleIds.join(", ")})`);
    return undefined;
  }
  if (!Array.isArray(entry) && typeof entry === "object" && entry !== null) {
    problems.push(`${key} must be a severity (${severityText}) or an array [severity, ...options], not an object`);
    return undefined;
  }
  if (Array.isArray(entry) && entry.length === 0) {
    problems.push(`${key} must be a severity (${severityText}) or an array [severity, ...options], not an empty array`);
    return undefined;
  }
  const [written, ...options] = Array.isArray(entry) ? (entry as unknown[]) : [entry];
  const severity = severityLevel(written);
  if (severity === undefined) {
    problems.push(`${key}${Array.isArray(entry) ? "[0]" : ""} must be a severity, ${severityText}, not ${quoted(written)}`);
    return undefined;
  }
  if (options.length === 0) return { severity };
  const before = problems.length;
  checkOptions(id, rule, options, key, problems);
  return problems.length === before ? { severity, options } : undefined;
}

/**
 * Options checked against the rule's `meta.schema` as ESLint checks them: an array schema
 * describes the options one by one (`[]`: no options), an object schema the options array.
 */
function checkOptions(id: string, rule: GitopsRule, options: unknown[], key: string, problems: string[]): void {
  const schema = rule.meta?.schema;
  if (schema === false) return;
  if (schema === undefined || Array.isArray(schema)) {
    const positional: JSONSchema4[] = schema ?? [];
    if (positional.length === 0) {
      problems.push(`${key} takes no options: write the severity alone, not [severity, ...options]`);
      return;
    }
    if (options.length > positional.length) {
      problems.push(`${key}[${positional.length + 1}]: ${id} takes ${positional.length === 1 ? "one option" : `${positional.length} options`}, not ${options.length}`);
    }
    options.slice(0, positional.length).forEach((option, index) => {
      const validateOption = validator(positional[index]!);
      if (!validateOption(option)) problems.push(...optionProblems(validateOption.errors ?? [], `${key}[${index + 1}]`, id));
    });
    return;
  }
  const validateOptions = validator(schema);
  if (!validateOptions(options)) {
    // The schema describes the options array, whose first item is the entry's second.
    problems.push(...optionProblems(validateOptions.errors ?? [], key, id, 1));
  }
}

function optionProblems(errors: readonly ErrorObject[], key: string, id: string, shift = 0): string[] {
  return errors.flatMap((error) => {
    if (error.keyword === "if") return [];
    const segments = error.instancePath.split("/").slice(1).map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
    const at =
      key +
      segments
        .map((segment, position) => {
          if (/^\d+$/u.test(segment)) return `[${Number(segment) + (position === 0 ? shift : 0)}]`;
          return /^[A-Za-z_$][\w$]*$/u.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
        })
        .join("");
    if (error.keyword === "additionalProperties") {
      const option = String(error.params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = closest(option, allowed);
      return [`${at}: "${option}" is not an option of ${id} (allowed: ${allowed.join(", ")})${suggestion ? `; did you mean "${suggestion}"?` : ""}`];
    }
    if (error.keyword === "enum") return [`${at} must be ${listed((error.params.allowedValues as unknown[]).map(quoted))}, not ${quoted(error.data)}`];
    if (error.keyword === "type") {
      const expected = ([] as string[]).concat(error.params.type as string | string[]).map((type) => article(type)).join(" or ");
      return [`${at} must be ${expected}, not ${typeName(error.data)}`];
    }
    return [`${at} ${error.message ?? "is not valid"}`];
  });
}

/** `"a", "b" or "c"`. */
function listed(values: readonly string[]): string {
  const quoted = values.map((value) => (value.startsWith('"') || /^[\d-]/u.test(value) || value === "true" || value === "false" ? value : `"${value}"`));
  return quoted.length <= 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

/** A written value as messages quote it. */
function quoted(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? JSON.stringify(value) : typeName(value);
}

/** A `--rule` value: ESLint's syntax, "id: severity" or "id: [severity, options]", read as a YAML flow mapping. */
function parseRuleFlag(flag: string, where: string, problems: string[]): Record<string, RuleEntry> | undefined {
  const document = parseDocument(flag.trim().startsWith("{") ? flag : `{${flag}}`);
  const error = document.errors[0];
  let value: unknown;
  try {
    value = error ? undefined : document.toJS();
  } catch {
    value = undefined;
  }
  if (!isRecord(value) || Object.keys(value).length === 0) {
    const reason = error ? ` (${error.message.replace(/ at line \d+, column \d+:[\s\S]*$/u, "")})` : "";
    problems.push(`${where}write it as "rule-id: severity" or "rule-id: [severity, {option: value}]"${reason}`);
    return undefined;
  }
  return value as Record<string, RuleEntry>;
}

const globs = new Map<string, Minimatch>();

/** ESLint's matching, with ESLint's matcher (minimatch, dot files matched), on a path relative to the base path. */
function globMatches(pattern: string, relative: string): boolean {
  let glob = globs.get(pattern);
  if (!glob) {
    glob = new Minimatch(pattern, { dot: true });
    globs.set(pattern, glob);
  }
  return glob.match(relative);
}

/**
 * Whether `patterns`, in order, ignore a path: a `!` pattern unignores what an earlier one
 * ignored. A directory is matched by `dir`, `dir/` and `dir/**` (a global ignore's `dir` ignores
 * the directory), a file only by patterns not ending in "/".
 */
function ignoredBy(patterns: readonly string[], relative: string, directory: boolean): boolean {
  let ignored = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith("!");
    if (negated !== ignored) continue;
    const glob = negated ? pattern.slice(1) : pattern;
    // `dir/` and `dir/**` name the directory itself; `dir/*` only what is in it (so "!dir/file" can unignore).
    const asDirectory = glob.endsWith("/") || glob.endsWith("/**");
    const matched = directory ? globMatches(glob, asDirectory ? `${relative}/` : relative) : !glob.endsWith("/") && globMatches(glob, relative);
    if (matched) ignored = !negated;
  }
  return ignored;
}

/** Whether a layer applies to a file: every `files` condition matches and no `ignores` list does. Outside the base path only layers without `files` apply. */
function applies(layer: Layer, relative: string | undefined): boolean {
  if (relative === undefined) return layer.files.length === 0;
  const filesMatch = layer.files.every((patterns) => patterns.some((pattern) => (typeof pattern === "string" ? globMatches(pattern, relative) : pattern.every((part) => globMatches(part, relative)))));
  return filesMatch && !layer.ignores.some((patterns) => ignoredBy(patterns, relative, false));
}

/** ESLint's merge of `meta.defaultOptions` under the options given: objects merged key by key, the rest taken from the options. */
export function withDefaultOptions(rule: GitopsRule, options: readonly unknown[]): unknown[] {
  const defaults = rule.meta?.defaultOptions as unknown[] | undefined;
  if (!defaults || defaults.length === 0) return [...options];
  return [...defaults.map((value, index) => mergeDefault(value, options[index])), ...options.slice(defaults.length)];
}

function mergeDefault(first: unknown, second: unknown): unknown {
  if (second === undefined) return first;
  if (!isRecord(first) || !isRecord(second)) return second;
  const merged: Record<string, unknown> = { ...first, ...second };
  for (const key of Object.keys(second)) if (Object.hasOwn(first, key)) merged[key] = mergeDefault(first[key], second[key]);
  return merged;
}
