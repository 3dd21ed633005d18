/**
 * The one ajv instance of a run. A schema is validated by a function compiled once per run, on
 * first use, or, for the schemas every run meets, by one precompiled with ajv's standalone code
 * generation (`schemas/validators.js`, written by scripts/build-validators.ts): compiling them
 * took about half a second of every run, a cost a pre-commit hook pays on every commit.
 * Precompiled functions are found by a hash of the schema's content, so an edited schema is
 * compiled afresh, never validated by a stale function. The hash is node:crypto's, not Bun's, so
 * that the JavaScript build (scripts/build-dist.ts, which bundles the precompiled module) finds
 * the same functions under Node.
 *
 * `verbose` keeps each error's data and parent schema, which messages quote ("did you mean",
 * the allowed values).
 */
import Ajv, { type Options, type ValidateFunction } from "ajv";
import { createHash } from "node:crypto";

// Formats are not validated: authentik's schema types primary keys as uuid strings, but its
// serializers accept integer keys as well, and the tags standing for them are placeholders.
export const ajvOptions: Options = { allErrors: true, strict: false, allowUnionTypes: true, verbose: true, validateFormats: false };

let ajv: Ajv | undefined;

const compiled = new WeakMap<object, ValidateFunction>();

/** Every schema this process validated with: what scripts/build-validators.ts precompiles. */
export const usedSchemas = new Set<object>();

let precompiled: Record<string, ValidateFunction> | null | undefined;

function precompiledValidators(): Record<string, ValidateFunction> | null {
  if (precompiled === undefined) {
    try {
      precompiled = require("../../schemas/validators.js") as Record<string, ValidateFunction>;
    } catch {
      precompiled = null;
    }
  }
  return precompiled;
}

/** The key of a schema's content, as the precompiled module names its functions. */
export function schemaKey(schema: object): string {
  return `v${createHash("sha256").update(JSON.stringify(schema)).digest("hex").slice(0, 16)}`;
}

export function validator(schema: object): ValidateFunction {
  usedSchemas.add(schema);
  let validate = compiled.get(schema);
  if (!validate) {
    validate = precompiledValidators()?.[schemaKey(schema)];
    if (!validate) {
      ajv ??= new Ajv(ajvOptions);
      validate = ajv.compile(schema);
    }
    compiled.set(schema, validate);
  }
  return validate;
}
