/**
 * Schemas with open parts: where a resource may hold fields gitops-lint does not read (a pod
 * spec's probes, affinity, securityContext…), any field is accepted, except a near miss of a
 * known one (`secretKeyref`, `volumeMount`, `lables`), which is reported with its "did you mean".
 */
import type { Node } from "yaml";
import { checkNode, type YamlReader } from "./index.ts";
import type { SchemaProblem } from "./problems.ts";

/** A schema as written, and a copy with every mapping that lists its fields closed. */
export interface NearMissSchema {
  schema: object;
  closed: object;
}

/** Schema keywords whose value maps names to schemas, rather than being a schema itself. */
const schemaMaps = new Set(["properties", "definitions", "patternProperties"]);

function closeMappings(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeMappings);
  if (typeof schema !== "object" || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    copy[keyword] =
      schemaMaps.has(keyword) && typeof value === "object" && value !== null
        ? Object.fromEntries(Object.entries(value).map(([name, member]) => [name, closeMappings(member)]))
        : closeMappings(value);
  }
  if ("properties" in copy) copy.additionalProperties = false;
  return copy;
}

/** Compiled once per run by `checkNode` (it caches by identity): build these at module load. */
export function nearMissSchema(schema: object): NearMissSchema {
  return { schema, closed: closeMappings(schema) as object };
}

/**
 * The problems of a manifest: every mistake in the strict parts, and in the open parts an
 * unknown field within edit distance 2 of a known one (`secretKeyref`, `volumeMount`,
 * `lables`). An unknown field far from every known one is accepted there: the open parts are
 * the ones where Kubernetes grows, and gitops-lint does not read them.
 */
export function problemsWithNearMisses(node: Node, { schema, closed }: NearMissSchema, reader: YamlReader = "parsed"): SchemaProblem[] {
  const problems = checkNode(node, schema, reader);
  // One message per mistake: a near miss whose value is already reported (`configmap: 1`) is not
  // reported again, nor is a strict part's unknown field, which the first pass found.
  const reportedNodes = new Set(problems.map((problem) => problem.node));
  const reportedPaths = problems.map((problem) => problem.path);
  const nearMisses = checkNode(node, closed, reader).filter((problem) => {
    if (problem.kind !== "unknownKey" || problem.suggestion === undefined || reportedNodes.has(problem.node)) return false;
    const member = problem.path === "" ? (problem.key ?? "") : `${problem.path}.${problem.key ?? ""}`;
    return !reportedPaths.some((path) => path === member || path.startsWith(`${member}.`) || path.startsWith(`${member}[`));
  });
  return [...problems, ...nearMisses].sort((a, b) => (a.node.range?.[0] ?? 0) - (b.node.range?.[0] ?? 0));
}
