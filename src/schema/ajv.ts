/**
 * The one ajv instance of a run. Schemas compile once, on first use, and are cached by identity.
 * `verbose` keeps each error's data and parent schema, which messages quote ("did you mean",
 * the allowed values).
 */
import Ajv, { type ValidateFunction } from "ajv";

// Formats are not validated: authentik's schema types primary keys as uuid strings, but its
// serializers accept integer keys as well, and the tags standing for them are placeholders.
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true, validateFormats: false });

const compiled = new WeakMap<object, ValidateFunction>();

export function validator(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}
