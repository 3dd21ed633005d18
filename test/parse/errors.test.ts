/**
 * Broken YAML is a problem with the 1-based line and column of the error (the engine turns the
 * first into ESLint's fatal message); the documents that did parse are kept, and an error inside
 * an embedded blueprint is reported where it is in the ConfigMap's file.
 */
import { describe, expect, test } from "bun:test";
import { parseYaml } from "../../src/parse/yaml.ts";
import { lines } from "./helpers.ts";

describe("syntax errors", () => {
  test("a compact nested mapping", () => {
    expect(parseYaml("a: b: c\n", "1.2")).toEqual({
      version: "1.2",
      documents: [],
      embedded: [],
      problems: [
        { message: "Parsing error: Nested mappings are not allowed in compact mappings", start: { line: 1, column: 4 }, end: { line: 1, column: 5 } },
      ],
    });
  });

  test.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
  ] as const)("a key out of line, with %s line endings", (_name, eol) => {
    const file = lines(eol, "apiVersion: v1", "kind: Service", "metadata:", "  name: web", " labels: {}");
    expect(parseYaml(file, "1.2").problems).toEqual([
      { message: "Parsing error: All mapping items must start at the same column", start: { line: 5, column: 1 }, end: { line: 5, column: 2 } },
    ]);
  });

  test("an unterminated quote is reported where the input ends", () => {
    expect(parseYaml('name: "web\n', "1.2").problems).toEqual([
      { message: 'Parsing error: Missing closing "quote', start: { line: 2, column: 1 }, end: { line: 2, column: 1 } },
    ]);
  });

  test("a duplicate key in a manifest, but not in Ansible YAML, where the last one wins", () => {
    expect(parseYaml("a: 1\na: 2\n", "1.2").problems).toEqual([
      { message: "Parsing error: Map keys must be unique", start: { line: 2, column: 1 }, end: { line: 2, column: 2 } },
    ]);
    const ansible = parseYaml("a: 1\na: 2\n", "1.1");
    expect(ansible.problems).toEqual([]);
    expect(ansible.documents[0]!.doc.toJS()).toEqual({ a: 2 });
  });

  test("an alias whose anchor is not set before it", () => {
    const parsed = parseYaml("a: *base\nb: &base {k: v}\nc: *base\n", "1.2");
    expect(parsed.documents).toEqual([]);
    expect(parsed.problems).toEqual([
      { message: "Parsing error: Unresolved alias (the anchor must be set before the alias): base", start: { line: 1, column: 4 }, end: { line: 1, column: 9 } },
    ]);
    expect(parseYaml("b: &base {k: v}\nc: *base\n", "1.2").problems).toEqual([]);
  });

  test("a multi-document file keeps the documents around a broken one, with their index in the file", () => {
    const parsed = parseYaml(lines("\n", "kind: Service", "---", "kind: Deployment", "spec: a: b", "---", "kind: Ingress"), "1.2");
    expect(parsed.problems).toEqual([
      { message: "Parsing error: Nested mappings are not allowed in compact mappings", start: { line: 4, column: 7 }, end: { line: 4, column: 8 } },
    ]);
    expect(parsed.documents.map((document) => [document.index, document.doc.toJS()])).toEqual([
      [0, { kind: "Service" }],
      [2, { kind: "Ingress" }],
    ]);
  });
});

describe("errors in embedded blueprints", () => {
  test("are reported at the ConfigMap file's line and column; the other keys' blueprints are kept", () => {
    const file = lines(
      "\n",
      "kind: ConfigMap",
      "data:",
      "  broken.yaml: |",
      "    version: 1",
      "    entries:",
      "      - model: authentik_core.group",
      "        attrs: {name: x",
      "        id: y",
      "  fine.yaml: |",
      "    version: 1",
      "    entries: []",
    );
    const parsed = parseYaml(file, "1.2");
    expect(parsed.problems).toEqual([
      {
        message: "Parsing error: Flow map in block collection must be sufficiently indented and end with a }",
        start: { line: 8, column: 9 },
        end: { line: 8, column: 10 },
      },
    ]);
    expect(parsed.documents).toHaveLength(1);
    expect(parsed.embedded.map((document) => document.embeddedIn?.key)).toEqual(["fine.yaml"]);
  });

  test("with CRLF and an explicit indentation indicator", () => {
    const file = lines("\r\n", "kind: ConfigMap", "data:", "  broken.yaml: |-2", "    version: 1", "    entries:", "      - model: x", "       id: y");
    expect(parseYaml(file, "1.2").problems).toEqual([
      { message: "Parsing error: Sequence item without - indicator", start: { line: 7, column: 5 }, end: { line: 7, column: 6 } },
    ]);
  });

  test("an unresolved alias in a blueprint is reported in the ConfigMap's file", () => {
    const file = lines("\n", "kind: ConfigMap", "data:", "  alias.yaml: |", "    version: 1", "    entries:", "      - model: x", "        attrs: *attrs");
    expect(parseYaml(file, "1.2").problems).toEqual([
      { message: "Parsing error: Unresolved alias (the anchor must be set before the alias): attrs", start: { line: 7, column: 16 }, end: { line: 7, column: 22 } },
    ]);
  });

  test("a text of another format under a key that is not a YAML file is no error", () => {
    const file = lines("\n", "kind: ConfigMap", "data:", "  app.ini: |", "    [main]", "    version: 2", "    entries: 3");
    expect(parseYaml(file, "1.2")).toMatchObject({ problems: [], embedded: [] });
  });
});
