/**
 * Schema checks for rules: a YAML node validated against a JSON schema, with one problem per
 * mistake at the exact node. Rules choose the schema (by kind, by blueprint model) and the
 * message; this module does the rest.
 */
import type { Node } from "yaml";
import { validator } from "./ajv.ts";
import { schemaProblems, type SchemaProblem } from "./problems.ts";
import { valueTree, type YamlReader } from "./tree.ts";

export type { ProblemKind, SchemaProblem } from "./problems.ts";
export { readablePath } from "./problems.ts";
export { closest, editDistance } from "./suggest.ts";
export { valueTree, type ValueTree, type YamlReader } from "./tree.ts";

/**
 * The problems of `node` against `schema` as `reader` reads it (Kubernetes reads plain scalars
 * by YAML 1.1's rules); tagged nodes satisfy any schema.
 */
export function checkNode(node: Node | null | undefined, schema: object, reader: YamlReader = "parsed"): SchemaProblem[] {
  return schemaProblems(validator(schema), valueTree(node, reader));
}
