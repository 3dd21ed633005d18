/**
 * ajv's errors → one problem per mistake, each at the exact node: an unknown key at the key, a
 * wrong value at the value, a missing key at the mapping's first key. Alternatives (`anyOf`,
 * `oneOf`) are collapsed: when the value's type fits one branch, only that branch's errors
 * count; when it fits none, one "must be a string or a list" problem replaces them all.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { isMap, isPair, type Node } from "yaml";
import { closest } from "./suggest.ts";
import { type PointerNodes, underTag, type ValueTree } from "./tree.ts";

export type ProblemKind = "unknownKey" | "missingKey" | "wrongType" | "wrongValue" | "invalid" | "notStringInYaml11";

export interface SchemaProblem {
  kind: ProblemKind;
  /** Where to report. */
  node: Node;
  /** The value's path in the document, e.g. `spec.data[0].remoteRef`, or "" for the root. */
  path: string;
  /** The key concerned: the unknown or missing one, or the key of the wrong value. */
  key?: string;
  /** What is wrong, e.g. `"exact" is not one of "strict", "regex"`. */
  detail: string;
  /** A known key or value within edit distance 2 of the one written. */
  suggestion?: string;
  /** Known keys or allowed values. */
  allowed: string[];
  /** For `notStringInYaml11`: the scalar as written (`yes`) and what Kubernetes reads (`the boolean true`). */
  written?: string;
  reading?: string;
}

/** `/spec/data/0/remoteRef` → `spec.data[0].remoteRef`. */
export function readablePath(pointer: string): string {
  if (pointer === "") return "";
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/gu, "/").replace(/~0/gu, "~"))
    .reduce((path, segment) => (/^\d+$/u.test(segment) ? `${path}[${segment}]` : path === "" ? segment : `${path}.${segment}`), "");
}

function lastSegment(pointer: string): string | undefined {
  if (pointer === "") return undefined;
  return pointer.slice(pointer.lastIndexOf("/") + 1).replace(/~1/gu, "/").replace(/~0/gu, "~");
}

const typeNames: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  object: "a mapping",
  array: "a list",
  null: "null",
};

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === "number" ? (Number.isInteger(value) ? "the integer" : "the number") : "the boolean"} ${String(value)}`;
}

function describeTypes(types: readonly string[]): string {
  const names = [...new Set(types)].map((type) => typeNames[type] ?? type);
  return names.length <= 1 ? (names[0] ?? "valid") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(", ");
}

/** The combinator (`anyOf`/`oneOf`) an error's schema path goes through first, and its branch. */
function combinatorOf(error: ErrorObject): { at: string; branch: number } | undefined {
  const match = /^(.*?\/(?:anyOf|oneOf))\/(\d+)(?:\/|$)/u.exec(error.schemaPath);
  return match ? { at: match[1]!, branch: Number(match[2]) } : undefined;
}

/**
 * Collapses alternatives, innermost last: errors inside a combinator are kept only from the
 * branch whose type fits the value (the one with fewest errors); when no branch fits, they
 * become one `type` error listing every branch's type.
 */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const combinators = errors.filter((error) => error.keyword === "anyOf" || error.keyword === "oneOf");
  if (combinators.length === 0) return errors;
  let kept = errors.filter((error) => error.keyword !== "anyOf" && error.keyword !== "oneOf");
  // Outer combinators first: their schema paths are the shortest.
  for (const combinator of combinators.sort((a, b) => a.schemaPath.length - b.schemaPath.length)) {
    const inside = kept.filter((error) => {
      const found = combinatorOf(error);
      return found?.at === combinator.schemaPath && error.instancePath.startsWith(combinator.instancePath);
    });
    if (inside.length === 0) continue;
    const branches = new Map<number, ErrorObject[]>();
    for (const error of inside) {
      const branch = combinatorOf(error)!.branch;
      branches.set(branch, [...(branches.get(branch) ?? []), error]);
    }
    const typeFailed = (list: ErrorObject[]): boolean =>
      list.some((error) => error.keyword === "type" && error.instancePath === combinator.instancePath);
    const fitting = [...branches.values()].filter((list) => !typeFailed(list)).sort((a, b) => a.length - b.length);
    const replacement: ErrorObject[] = fitting[0]
      ? fitting[0]
      : [
          {
            keyword: "type",
            instancePath: combinator.instancePath,
            schemaPath: combinator.schemaPath,
            params: {
              type: inside.filter((error) => error.keyword === "type").flatMap((error) => [error.params.type as string | string[]].flat()),
            },
            data: inside[0]?.data,
          },
        ];
    kept = [...kept.filter((error) => !inside.includes(error)), ...replacement];
  }
  return kept;
}

function firstKeyNode(nodes: PointerNodes | undefined): Node | undefined {
  const value = nodes?.value;
  if (isMap(value)) {
    const first = value.items.find((pair) => isPair(pair));
    if (first) return first.key as Node;
  }
  return value ?? nodes?.key;
}

/**
 * Drops errors that only repeat another: `if` ("must match the then schema", whose own errors
 * are reported), and a `type` error where an `enum` or `const` at the same place says more.
 */
function withoutEchoes(errors: ErrorObject[]): ErrorObject[] {
  const valued = new Set(errors.filter((error) => error.keyword === "enum" || error.keyword === "const").map((error) => error.instancePath));
  return errors.filter((error) => error.keyword !== "if" && !(error.keyword === "type" && valued.has(error.instancePath)));
}

/** Validates `tree` and returns one problem per mistake, in document order. */
export function schemaProblems(validate: ValidateFunction, tree: ValueTree): SchemaProblem[] {
  if (validate(tree.value)) return [];
  const errors = withoutEchoes(collapse((validate.errors ?? []).filter((error) => !underTag(tree, error.instancePath))));
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const problem = toProblem(error, tree);
    if (!problem) continue;
    const identity = `${problem.kind}|${problem.path}|${problem.key ?? ""}|${problem.detail}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    problems.push(problem);
  }
  return oneMessagePerMistake(problems).sort((a, b) => (a.node.range?.[0] ?? 0) - (b.node.range?.[0] ?? 0));
}

/** A misspelt required key is one mistake: the unknown key's "did you mean" names the missing one. */
function oneMessagePerMistake(problems: SchemaProblem[]): SchemaProblem[] {
  const misspelt = new Set(
    problems.flatMap((problem) => (problem.kind === "unknownKey" && problem.suggestion ? [`${problem.path}|${problem.suggestion}`] : [])),
  );
  return problems.filter((problem) => !(problem.kind === "missingKey" && misspelt.has(`${problem.path}|${problem.key ?? ""}`)));
}

function toProblem(error: ErrorObject, tree: ValueTree): SchemaProblem | undefined {
  const here = tree.nodes.get(error.instancePath);
  const path = readablePath(error.instancePath);
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(error.params.additionalProperty);
      const pointer = `${error.instancePath}/${key.replace(/~/gu, "~0").replace(/\//gu, "~1")}`;
      const member = tree.nodes.get(pointer);
      const known = Object.keys((error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {}).sort();
      const node = member?.key ?? member?.value ?? here?.value;
      if (!node) return undefined;
      return { kind: "unknownKey", node, path, key, detail: `unknown key "${key}"`, suggestion: closest(key, known), allowed: known };
    }
    case "required": {
      const key = String(error.params.missingProperty);
      const node = firstKeyNode(here);
      if (!node) return undefined;
      return { kind: "missingKey", node, path, key, detail: `missing required key "${key}"`, allowed: [] };
    }
    case "enum":
    case "const": {
      const allowed = (error.keyword === "enum" ? (error.params.allowedValues as unknown[]) : [error.params.allowedValue]) ?? [];
      const node = here?.value;
      if (!node) return undefined;
      const written = typeof error.data === "string" ? error.data : undefined;
      const suggestion = written === undefined ? undefined : closest(written, allowed.filter((value): value is string => typeof value === "string"));
      return {
        kind: "wrongValue",
        node,
        path,
        key: lastSegment(error.instancePath),
        detail: `${JSON.stringify(error.data)} is not ${allowed.length === 1 ? quoteList(allowed) : `one of ${quoteList(allowed)}`}`,
        suggestion,
        allowed: allowed.map(String),
      };
    }
    case "type": {
      const node = here?.value;
      if (!node) return undefined;
      const types = [error.params.type as string | string[]].flat();
      const written = tree.yaml11Readings.get(error.instancePath);
      if (written !== undefined && types.includes("string")) {
        return {
          kind: "notStringInYaml11",
          node,
          path,
          key: lastSegment(error.instancePath),
          detail: `${written} is read as ${describeValue(error.data)}, not a string`,
          allowed: types,
          written,
          reading: describeValue(error.data),
        };
      }
      return {
        kind: "wrongType",
        node,
        path,
        key: lastSegment(error.instancePath),
        detail: `must be ${describeTypes(types)}, not ${describeValue(error.data)}`,
        allowed: types,
      };
    }
    default: {
      const node = here?.value ?? here?.key;
      if (!node) return undefined;
      return { kind: "invalid", node, path, key: lastSegment(error.instancePath), detail: error.message ?? error.keyword, allowed: [] };
    }
  }
}
