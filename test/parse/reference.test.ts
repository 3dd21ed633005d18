/**
 * authentik's own blueprints and test fixtures (../shared/reference/authentik/, see
 * ../shared/reference/README.md) are valid input: each must load without a problem, and every
 * tag in `test-fixtures/tags.yaml` (authentik's `authentik/blueprints/tests/fixtures/tags.yaml`,
 * which uses each tag authentik knows) must keep its arguments and a range starting at its `!`.
 * The reference data lives outside the repo, so these tests skip when it is absent.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import fg from "fast-glob";
import { isMap, isScalar, isSeq } from "yaml";
import { parseFile, type ParsedFile } from "../../src/parse/index.ts";
import { isAuthentikTag } from "../../src/parse/tags.ts";
import type { TaggedNode } from "../../src/parse/yaml.ts";

const reference = path.resolve(import.meta.dir, "../../../shared/reference/authentik");
const absent = !fs.existsSync(reference);

function load(relPath: string): ParsedFile {
  const file = path.join(reference, relPath);
  return parseFile({ path: file, relPath, kind: "yaml" }, fs.readFileSync(file, "utf8"));
}

/** A node as plain data, tags included: `!Env [a, b]` is `{ "!Env": ["a", "b"] }`. */
function plain(node: unknown): unknown {
  const value = isScalar(node) ? node.value : isSeq(node) ? node.items.map(plain) : isMap(node) ? Object.fromEntries(node.items.map((pair) => [String(plain(pair.key)), plain(pair.value)])) : node;
  const tag = isScalar(node) || isSeq(node) || isMap(node) ? node.tag : undefined;
  return isAuthentikTag(tag) ? { [tag]: value } : value;
}

describe.skipIf(absent)("authentik's reference blueprints", () => {
  test("every shipped blueprint and test fixture loads as one blueprint document, without a problem", () => {
    const files = fg.sync(["blueprints/**/*.yaml", "test-fixtures/*.yaml"], { cwd: reference }).sort();
    expect(files).toHaveLength(46);
    expect(files).toContain("test-fixtures/tags.yaml");
    const outcomes = Object.fromEntries(
      files.map((relPath) => {
        const parsed = load(relPath);
        const contents = parsed.documents[0]?.doc.contents;
        const misplaced = parsed.documents.flatMap((document) => document.tags.filter((tag) => !parsed.text.startsWith(tag.tag, tag.range[0])));
        return [relPath, { problems: parsed.problems, documents: parsed.documents.length, blueprint: isMap(contents) && contents.has("version") && contents.has("entries"), misplaced: misplaced.length }];
      }),
    );
    for (const relPath of files) expect({ relPath, ...outcomes[relPath]! }).toEqual({ relPath, problems: [], documents: 1, blueprint: true, misplaced: 0 });
  });

  describe("test-fixtures/tags.yaml", () => {
    const parsed = absent ? undefined : load("test-fixtures/tags.yaml");
    const tags = (): TaggedNode[] => parsed!.documents[0]!.tags;
    /** The tags starting on 1-based `line`, as plain data. */
    const on = (line: number): unknown[] =>
      tags()
        .filter((tag) => parsed!.source.position(tag.range[0]).line === line)
        .map((tag) => ({ column: parsed!.source.position(tag.range[0]).column, ...(plain(tag.node) as object) }));

    test("every tag written in the file is found, in order, with a range starting at its `!`", () => {
      const written = [...parsed!.text.matchAll(/![A-Z][A-Za-z]+/gu)].map((match): [string, number] => [match[0], match.index]);
      expect(tags().map((tag): [string, number] => [tag.tag, tag.range[0]])).toEqual(written);
      expect(tags()).toHaveLength(99);
    });

    test("!Env as a scalar and as [name, default]", () => {
      expect(on(22)).toEqual([{ column: 25, "!Env": "foo" }]);
      const env = tags().find((tag) => parsed!.source.position(tag.range[0]).line === 23)!;
      expect(env.args.map(plain)).toEqual(["bar", "baz"]);
      expect(parsed!.text.slice(env.range[0], env.range[1])).toBe("!Env [bar, baz]");
      expect(on(39)).toEqual([{ column: 25, "!Env": ["bar-baz", null] }]);
    });

    test("!Find with the model and the pair, across lines and with a nested !Format", () => {
      const find = tags().find((tag) => parsed!.source.position(tag.range[0]).line === 25)!;
      expect(find.tag).toBe("!Find");
      expect(find.args.map(plain)).toEqual(["authentik_flows.Flow", ["slug", "default-source-authentication"]]);
      expect(parsed!.source.position(find.range[1])).toEqual({ line: 28, column: 16 });
      expect(on(30)).toEqual([
        { column: 15, "!Find": [{ "!Format": ["%s", "authentik_flows.Flow"] }, ["slug", "default-source-enrollment"]] },
        { column: 22, "!Format": ["%s", "authentik_flows.Flow"] },
      ]);
    });

    test("!Format, !Context and !KeyOf", () => {
      expect(on(13)).toEqual([{ column: 15, "!Context": "context1" }]);
      expect(on(34)[0]).toEqual({ column: 17, "!Format": ["foo-%s-%s-%s", { "!Context": "foo" }, { "!Context": "bar" }, "qux"] });
      expect(on(53)).toEqual([
        { column: 27, "!Format": ["%s-%s", { "!KeyOf": "policy" }, "suffix"] },
        { column: 45, "!KeyOf": "policy" },
      ]);
    });

    test("!Condition with its mode and operands, nested", () => {
      expect(on(55)[0]).toEqual({ column: 19, "!Condition": ["AND", { "!Context": "foo" }, { "!Format": ["%s", "a_string"] }, 1] });
      expect(on(77)).toEqual([
        {
          column: 19,
          "!Condition": ["XNOR", { "!Condition": ["AND", { "!Context": "non_existing" }] }, { "!Condition": ["NOR", "a string"] }, { "!Condition": ["XOR", null] }],
        },
      ]);
      expect(on(156)[0]).toEqual({ column: 13, "!Condition": ["AND", true, true, "text"] });
    });

    test("!If in full and short form", () => {
      expect(on(102)).toEqual([
        { column: 31, "!If": [{ "!Context": "foo" }, true, "text"] },
        { column: 36, "!Context": "foo" },
      ]);
      expect(on(103)).toEqual([
        { column: 25, "!If": [{ "!Context": "foo" }] },
        { column: 30, "!Context": "foo" },
      ]);
    });

    // A tagged scalar is not resolved by the core schema: `!Index 0` holds the string "0", as
    // the ScalarNode authentik's constructor reads with int(node.value).
    test("!Enumerate, !Index and !Value", () => {
      expect(on(120)[0]).toEqual({
        column: 46,
        "!Enumerate": [{ "!Context": "sequence" }, "MAP", [{ "!Format": ["index: %d", { "!Index": "0" }] }, { "!Value": "0" }]],
      });
      expect(on(136)[0]).toEqual({
        column: 35,
        "!Enumerate": [{ "!Value": "2" }, "SEQ", { "!Format": ["prefixed-%s", { "!Value": "0" }] }],
      });
    });

    test("!AtIndex with and without a default", () => {
      expect(on(149)[0]).toEqual({ column: 34, "!AtIndex": [{ "!Context": "sequence" }, 0] });
      expect(on(152)[0]).toEqual({ column: 41, "!AtIndex": [{ "!Context": "mapping" }, "invalid", "non existent"] });
    });
  });
});
