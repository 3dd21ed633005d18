/**
 * Blueprints kept in a ConfigMap's `data:` are parsed as documents of their own; every position
 * in them must be the exact line and column of the ConfigMap's file, for each block scalar style,
 * line ending and depth, because messages, code frames and fixes all speak of the file on disk.
 */
import { describe, expect, test } from "bun:test";
import { isMap, isSeq } from "yaml";
import { parseYaml } from "../../src/parse/yaml.ts";
import { lines, mapped, mappedTags, misplacedScalars, parseClean, scalarOf } from "./helpers.ts";

const endings = [
  ["LF", "\n"],
  ["CRLF", "\r\n"],
] as const;

describe.each(endings)("literal block scalars with %s line endings", (_name, eol) => {
  test("`|` directly under data: with blank, short and trailing-space lines", () => {
    const file = lines(
      eol,
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: blueprints",
      "data:",
      "  groups.yaml: |",
      "    version: 1",
      "    entries:",
      "      - model: authentik_core.group",
      "        id: admins",
      "  ",
      "",
      "        identifiers:   ",
      "          name: !Env GROUP_NAME",
      "        attrs:",
      "          parent: !Find [authentik_core.group, [name, !Context root]]",
      "  other: value",
    );
    const parsed = parseClean(file);
    expect(parsed.documents).toHaveLength(1);
    expect(parsed.embedded).toHaveLength(1);
    const blueprint = parsed.embedded[0]!;
    expect(blueprint.embeddedIn?.key).toBe("groups.yaml");
    expect(blueprint.index).toBe(0);
    expect(mappedTags(file, blueprint)).toEqual([
      { tag: "!Env", text: "!Env GROUP_NAME", start: { line: 14, column: 17 }, end: { line: 14, column: 32 } },
      {
        tag: "!Find",
        text: "!Find [authentik_core.group, [name, !Context root]]",
        start: { line: 16, column: 19 },
        end: { line: 16, column: 70 },
      },
      { tag: "!Context", text: "!Context root", start: { line: 16, column: 55 }, end: { line: 16, column: 68 } },
    ]);
    const id = scalarOf(blueprint, "admins");
    expect(mapped(file, blueprint.source, id.range!)).toEqual({ text: "admins", start: { line: 10, column: 13 }, end: { line: 10, column: 19 } });
    const identifiers = scalarOf(blueprint, "identifiers");
    expect(mapped(file, blueprint.source, identifiers.range!)).toEqual({
      text: "identifiers",
      start: { line: 13, column: 9 },
      end: { line: 13, column: 20 },
    });
    expect(misplacedScalars(file, blueprint)).toEqual([]);
  });

  test("`|-` at 4-space indentation, with a tag at the start of its own line", () => {
    const file = lines(
      eol,
      "kind: ConfigMap",
      "data:",
      "    flows.yaml: |-",
      "        version: 1",
      "        entries:",
      "            -   model: authentik_flows.flow",
      "                id: flow",
      "                attrs:",
      "                    name:",
      "                        !Env FLOW_NAME",
      "    after: x",
    );
    const blueprint = parseClean(file).embedded[0]!;
    expect(mappedTags(file, blueprint)).toEqual([
      { tag: "!Env", text: "!Env FLOW_NAME", start: { line: 10, column: 25 }, end: { line: 10, column: 39 } },
    ]);
    const model = scalarOf(blueprint, "authentik_flows.flow");
    expect(mapped(file, blueprint.source, model.range!)).toEqual({
      text: "authentik_flows.flow",
      start: { line: 6, column: 24 },
      end: { line: 6, column: 44 },
    });
    expect(misplacedScalars(file, blueprint)).toEqual([]);
  });

  test("`|+` keeps trailing blank lines; the next key's blueprint maps to its own lines", () => {
    const file = lines(
      eol,
      "kind: ConfigMap",
      "data:",
      "  a.yaml: |+",
      "    version: 1",
      "    entries:",
      "      - model: authentik_core.group",
      "        attrs: {name: !Env A}",
      "",
      "",
      "  b.yaml: |+",
      "    version: 1",
      "    entries: [{model: x, id: y, attrs: {k: !KeyOf y}}]",
    );
    const parsed = parseClean(file);
    expect(parsed.embedded.map((document) => document.embeddedIn?.key)).toEqual(["a.yaml", "b.yaml"]);
    expect(mappedTags(file, parsed.embedded[0]!)).toEqual([
      { tag: "!Env", text: "!Env A", start: { line: 7, column: 23 }, end: { line: 7, column: 29 } },
    ]);
    expect(mappedTags(file, parsed.embedded[1]!)).toEqual([
      { tag: "!KeyOf", text: "!KeyOf y", start: { line: 12, column: 44 }, end: { line: 12, column: 52 } },
    ]);
    for (const blueprint of parsed.embedded) expect(misplacedScalars(file, blueprint)).toEqual([]);
  });

  /**
   * An explicit indentation indicator counts from the key's indentation (2 here); the first body
   * line may then be more indented than the rest, which auto-detection would get wrong.
   */
  describe.each([
    ["|2", 4],
    ["|4", 6],
    ["|2-", 4],
    ["|-2", 4],
    ["|+4", 6],
  ] as const)("explicit indentation indicator %s", (header, indent) => {
    const pad = " ".repeat(indent);
    const file = lines(
      eol,
      "kind: ConfigMap",
      "data:",
      `  explicit.yaml: ${header}`,
      `${pad}  # a comment more indented than the body`,
      `${pad}version: 1`,
      `${pad}entries:`,
      `${pad}  - model: authentik_core.group`,
      `${pad}    attrs: {name: !Env A}`,
      "  after: x",
    );

    test("tags and nodes map to the outer file", () => {
      const blueprint = parseClean(file).embedded[0]!;
      expect(blueprint.source.text.startsWith("  # a comment")).toBe(true);
      expect(mappedTags(file, blueprint)).toEqual([
        { tag: "!Env", text: "!Env A", start: { line: 8, column: indent + 19 }, end: { line: 8, column: indent + 25 } },
      ]);
      const version = scalarOf(blueprint, 1);
      expect(mapped(file, blueprint.source, version.range!)).toEqual({
        text: "1",
        start: { line: 5, column: indent + 10 },
        end: { line: 5, column: indent + 11 },
      });
      expect(misplacedScalars(file, blueprint)).toEqual([]);
    });
  });

  test.each(["| # note", "|- # note", "|+2 # note"])("a comment after the header `%s`", (header) => {
    const file = lines(
      eol,
      "kind: ConfigMap",
      "data:",
      `  noted.yaml: ${header}`,
      "    version: 1",
      "    entries:",
      "      - model: authentik_core.group",
      "        id: noted",
      "        attrs: {name: !Env NOTED}",
    );
    const blueprint = parseClean(file).embedded[0]!;
    expect(mappedTags(file, blueprint)).toEqual([
      { tag: "!Env", text: "!Env NOTED", start: { line: 8, column: 23 }, end: { line: 8, column: 33 } },
    ]);
    expect(mapped(file, blueprint.source, scalarOf(blueprint, "noted").range!)).toEqual({
      text: "noted",
      start: { line: 7, column: 13 },
      end: { line: 7, column: 18 },
    });
  });

  test("blank lines more indented than the body are content, and still map", () => {
    const file = lines(
      eol,
      "kind: ConfigMap",
      "data:",
      "  spaced.yaml: |",
      "    version: 1",
      "        ",
      "    entries:",
      " ",
      "      - model: authentik_core.group",
      "        attrs: {name: !Env SPACED}   ",
    );
    const blueprint = parseClean(file).embedded[0]!;
    expect(blueprint.source.text).toBe("version: 1\n    \nentries:\n\n  - model: authentik_core.group\n    attrs: {name: !Env SPACED}   ");
    expect(mappedTags(file, blueprint)).toEqual([
      { tag: "!Env", text: "!Env SPACED", start: { line: 9, column: 23 }, end: { line: 9, column: 34 } },
    ]);
    // The offset at the end of the more-indented blank line, and on the short blank line.
    const source = blueprint.source;
    expect(source.position(source.text.indexOf("\n    \n") + 5)).toEqual({ line: 5, column: 9 });
    expect(source.position(source.text.indexOf("\n\n") + 1)).toEqual({ line: 7, column: 2 });
    expect(misplacedScalars(file, blueprint)).toEqual([]);
  });

  test("a ConfigMap in a List's items, at deeper indentation", () => {
    const file = lines(
      eol,
      "apiVersion: v1",
      "kind: List",
      "items:",
      "  - apiVersion: v1",
      "    kind: ConfigMap",
      "    metadata:",
      "      name: listed",
      "    data:",
      "      nested.yaml: |",
      "        version: 1",
      "        entries:",
      "          - model: authentik_core.group",
      "            id: listed-group",
      "            attrs:",
      "              name: !Env LISTED",
      "  - apiVersion: v1",
      "    kind: Service",
    );
    const parsed = parseClean(file);
    expect(parsed.embedded).toHaveLength(1);
    const blueprint = parsed.embedded[0]!;
    expect(blueprint.embeddedIn?.key).toBe("nested.yaml");
    const configMap = blueprint.embeddedIn?.configMap;
    expect(isMap(configMap) ? configMap.getIn(["metadata", "name"]) : undefined).toBe("listed");
    expect(mappedTags(file, blueprint)).toEqual([
      { tag: "!Env", text: "!Env LISTED", start: { line: 15, column: 21 }, end: { line: 15, column: 32 } },
    ]);
    expect(mapped(file, blueprint.source, scalarOf(blueprint, "listed-group").range!)).toEqual({
      text: "listed-group",
      start: { line: 13, column: 17 },
      end: { line: 13, column: 29 },
    });
    expect(misplacedScalars(file, blueprint)).toEqual([]);
  });

  test("tags after a key, after a sequence dash, and inside flow sequences across lines", () => {
    const file = lines(
      eol,
      "kind: ConfigMap",
      "data:",
      "  flow.yaml: |",
      "    version: 1",
      "    entries:",
      "      - model: authentik_policies_expression.expressionpolicy",
      "        conditions:",
      "          - !Condition [AND, !Context enabled]",
      "        attrs:",
      "          list: [!Context a,",
      "            !Format [\"%s-x\", !KeyOf b]]",
    );
    const blueprint = parseClean(file).embedded[0]!;
    expect(mappedTags(file, blueprint)).toEqual([
      { tag: "!Condition", text: "!Condition [AND, !Context enabled]", start: { line: 8, column: 13 }, end: { line: 8, column: 47 } },
      { tag: "!Context", text: "!Context enabled", start: { line: 8, column: 30 }, end: { line: 8, column: 46 } },
      { tag: "!Context", text: "!Context a", start: { line: 10, column: 18 }, end: { line: 10, column: 28 } },
      { tag: "!Format", text: '!Format ["%s-x", !KeyOf b]', start: { line: 11, column: 13 }, end: { line: 11, column: 39 } },
      { tag: "!KeyOf", text: "!KeyOf b", start: { line: 11, column: 30 }, end: { line: 11, column: 38 } },
    ]);
    // The untagged flow sequence spans two lines: its range maps to both.
    const list = blueprint.doc.getIn(["entries", 0, "attrs", "list"], true);
    if (!isSeq(list) || !list.range) throw new Error("no list node");
    expect(mapped(file, blueprint.source, list.range)).toEqual({
      text: `[!Context a,${eol}            !Format ["%s-x", !KeyOf b]]`,
      start: { line: 10, column: 17 },
      end: { line: 11, column: 40 },
    });
    expect(misplacedScalars(file, blueprint)).toEqual([]);
  });
});

describe("data: values that are not literal blueprints", () => {
  test("a JSON dashboard and a plain config file are not blueprints and raise nothing", () => {
    const file = lines(
      "\n",
      "kind: ConfigMap",
      "data:",
      "  dashboard.json: |",
      '    {"title": "x", "version": 3, "entries": [], "panels": []}',
      "  app.ini: |",
      "    [main]",
      "    version: 2",
      "    entries: [a, b",
      "  settings.yaml: |",
      "    version: 2",
      "    entries: 3",
      "    name: not a blueprint's shape, but YAML",
    );
    const parsed = parseYaml(file, "1.2");
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents).toHaveLength(1);
    // settings.yaml is a mapping with version and entries: by the definition a blueprint.
    expect(parsed.embedded.map((document) => document.embeddedIn?.key)).toEqual(["settings.yaml"]);
  });

  test("a value that is not a ConfigMap's data is never parsed", () => {
    // A ConfigMap has no `stringData:` (a Secret's `stringData:` is read: test/parse/secret-blueprints.test.ts).
    const file = lines("\n", "kind: ConfigMap", "stringData:", "  a.yaml: |", "    version: 1", "    entries: []");
    expect(parseClean(file).embedded).toEqual([]);
  });

  test.each([
    [
      "folded",
      lines(
        "\n",
        "kind: ConfigMap",
        "data:",
        "  folded.yaml: >",
        "    version: 1",
        "",
        "    entries:",
        "      - model: authentik_core.group",
        "        attrs: {name: !Env FOLDED}",
        "  after: x",
      ),
      { line: 3, column: 16 },
    ],
    [
      "double-quoted",
      lines(
        "\n",
        "kind: ConfigMap",
        "data:",
        '  quoted.yaml: "version: 1\\nentries:\\n  - model: authentik_core.group\\n    attrs: {name: !Env FOLDED}\\n"',
        "  after: x",
      ),
      { line: 3, column: 16 },
    ],
  ] as const)("a %s value still yields a blueprint, every position on the value's first line", (_style, file, start) => {
    const parsed = parseClean(file);
    expect(parsed.embedded).toHaveLength(1);
    const blueprint = parsed.embedded[0]!;
    expect(blueprint.tags.map((tag) => tag.tag)).toEqual(["!Env"]);
    const tag = blueprint.tags[0]!;
    expect(blueprint.source.position(tag.range[0])).toEqual(start);
    expect(blueprint.source.position(tag.range[1])).toEqual(start);
    expect(blueprint.source.position(blueprint.source.text.length)).toEqual(start);
    const valueStart = blueprint.embeddedIn!.valueNode.range![0];
    expect(blueprint.source.fileOffset(tag.range[0])).toBe(valueStart);
  });
});
