/**
 * The config file, `gitops-lint.config.{ts,js,mjs,json,yaml,yml}`: found in the linted root or
 * the nearest directory above it that has one (or named with `--config`), read, checked against
 * `schemas/config.json`, and reduced to what this release reads: `settings`.
 *
 * Its shape is ESLint's flat config, one object or an array of objects, so that rules,
 * `files` and `ignores` can be added later without changing the file format. A config that
 * cannot be read or has the wrong shape is a `ConfigError` (exit 2), naming the file and the key.
 */
import type { ErrorObject } from "ajv";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseDocument } from "yaml";
import configSchema from "../schemas/config.json" with { type: "json" };
import { commonAncestor } from "./discover.ts";
import { validator } from "./schema/ajv.ts";

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
 * One config object. Only `settings` is read in this release; the other keys are ESLint's flat
 * config keys, accepted so that a config written for a later release is not an error.
 */
export interface ConfigObject {
  name?: string;
  files?: Array<string | string[]>;
  ignores?: string[];
  rules?: Record<string, unknown>;
  settings?: Settings;
  languageOptions?: Record<string, unknown>;
  linterOptions?: Record<string, unknown>;
  plugins?: Record<string, unknown>;
  processor?: string | object;
  language?: string;
}

export type Config = ConfigObject | ConfigObject[];

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
}

export interface LoadedConfig {
  /** Absolute path of the config file read; undefined when there is none. */
  file?: string;
  /** The `settings` of every config object, merged deeply in array order. */
  settings: Settings;
}

const allowedKeys = Object.keys(configSchema.definitions.configObject.properties);

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const file =
    options.configFile !== undefined ? path.resolve(options.cwd, options.configFile) : options.lookup ? findConfigFile(options.root, options.cwd) : undefined;
  if (file === undefined) return { settings: {} };
  const shown = shownPath(options.cwd, file);
  const objects = validate(await readConfig(file, shown), shown);
  return { file, settings: objects.reduce<Settings>((merged, object) => (object.settings ? mergeDeep(merged, object.settings) : merged), {}) };
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

/** The config's objects, or a `ConfigError` listing every mistake. */
function validate(config: unknown, shown: string): ConfigObject[] {
  const validateConfig = validator(configSchema);
  if (validateConfig(config)) return Array.isArray(config) ? (config as ConfigObject[]) : [config as ConfigObject];
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
  if (error.keyword === "additionalProperties") {
    return `${prefix}"${String(error.params.additionalProperty)}" is not a config key (allowed: ${allowedKeys.join(", ")})`;
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
