/**
 * parseFile on the edges of a file: a byte-order mark (removed, and positions counted without
 * it, as ESLint does), and files with no document, only comments or only document markers.
 */
import { describe, expect, test } from "bun:test";
import { isScalar } from "yaml";
import { parseFile, type ParsedFile } from "../../src/parse/index.ts";
import { mappedTags } from "./helpers.ts";

function parse(text: string, relPath = "apps/file.yaml"): ParsedFile {
  return parseFile({ path: `/repo/${relPath}`, relPath, kind: "yaml" }, text);
}

const configMap = "kind: ConfigMap\ndata:\n  a.yaml: |\n    version: 1\n    entries:\n      - attrs: {name: !Env NAME}\n";

describe("byte-order mark", () => {
  test("without one, the text is kept as it is", () => {
    const parsed = parse(configMap);
    expect(parsed.bom).toBe(false);
    expect(parsed.text).toBe(configMap);
  });

  test("with one, it is removed and positions are counted without it", () => {
    const parsed = parse(`\uFEFF${configMap}`);
    expect(parsed.bom).toBe(true);
    expect(parsed.text).toBe(configMap);
    expect(parsed.problems).toEqual([]);
    const kind = parsed.documents[0]!.doc.get("kind", true);
    if (!isScalar(kind) || !kind.range) throw new Error("no kind scalar");
    expect(parsed.source.position(kind.range[0])).toEqual({ line: 1, column: 7 });
    expect(parsed.embedded).toHaveLength(1);
    expect(mappedTags(parsed.text, parsed.embedded[0]!)).toEqual([
      { tag: "!Env", text: "!Env NAME", start: { line: 6, column: 23 }, end: { line: 6, column: 32 } },
    ]);
  });

  test("in an Ansible file read as YAML 1.1", () => {
    const parsed = parse("\uFEFFbecome: yes\n", "group_vars/all.yml");
    expect(parsed).toMatchObject({ bom: true, text: "become: yes\n", version: "1.1", problems: [] });
    expect(parsed.documents[0]!.doc.toJS()).toEqual({ become: true });
  });

  test("a file that is only a byte-order mark is empty", () => {
    expect(parse("\uFEFF")).toMatchObject({ bom: true, text: "", documents: [], embedded: [], problems: [] });
  });
});

describe("files without content", () => {
  test("an empty file has no document and no problem", () => {
    expect(parse("")).toMatchObject({ text: "", documents: [], embedded: [], problems: [], variables: [] });
  });

  test("a file of only comments has no document", () => {
    expect(parse("# nothing here yet\n\n   # indented comment\n")).toMatchObject({ documents: [], problems: [] });
  });

  test("a file of only `---` is one empty document", () => {
    const parsed = parse("---\n");
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents.map((document) => [document.index, document.doc.contents?.toJSON()])).toEqual([[0, null]]);
    expect(parsed.embedded).toEqual([]);
  });

  test("markers and comments only: each `---` starts an empty document", () => {
    const parsed = parse("---\n# first\n---\n...\n");
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents.map((document) => [document.index, document.doc.contents?.toJSON()])).toEqual([
      [0, null],
      [1, null],
    ]);
  });

  test("an empty template has no variables", () => {
    const parsed = parseFile({ path: "/repo/roles/x/templates/empty.j2", relPath: "roles/x/templates/empty.j2", kind: "template" }, "");
    expect(parsed).toMatchObject({ text: "", documents: [], problems: [], variables: [] });
  });
});
