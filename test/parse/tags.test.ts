/**
 * authentik's tags in every form the parser accepts (scalar, sequence, mapping), including the
 * ones authentik's tags.yaml fixture does not use (`!FindObject`, `!ParseJSON`, `!File`): each
 * keeps its tag, its arguments and a range from its `!` to the end of its node.
 */
import { expect, test } from "bun:test";
import { isScalar } from "yaml";
import { authentikTags } from "../../src/parse/tags.ts";
import { parseYaml } from "../../src/parse/yaml.ts";
import { lines } from "./helpers.ts";

function tagsOf(text: string, version: "1.1" | "1.2" = "1.2") {
  const parsed = parseYaml(text, version);
  expect(parsed.problems).toEqual([]);
  const document = parsed.documents[0]!;
  return document.tags.map((tag) => ({
    tag: tag.tag,
    text: text.slice(tag.range[0], tag.range[1]),
    start: document.source.position(tag.range[0]),
    args: tag.args.map((arg) => (isScalar(arg) ? arg.value : (arg as { toJSON(): unknown }).toJSON())),
  }));
}

test("every tag authentik documents is recognised", () => {
  expect(authentikTags).toEqual([
    "!KeyOf", "!Env", "!Find", "!FindObject", "!Context", "!Format", "!If", "!Condition", "!Enumerate", "!Index", "!Value", "!AtIndex", "!ParseJSON", "!File",
  ]);
});

test("!FindObject, !ParseJSON and !File", () => {
  const text = lines(
    "\n",
    "version: 1",
    "entries:",
    "  - attrs:",
    "      flow: !FindObject [authentik_flows.flow, [slug, default-authentication-flow]]",
    "      settings: !ParseJSON '{\"a\": 1}'",
    "      certificate: !File /certs/tls.crt",
    "      key: !File [/certs/tls.key, fallback]",
  );
  expect(tagsOf(text)).toEqual([
    {
      tag: "!FindObject",
      text: "!FindObject [authentik_flows.flow, [slug, default-authentication-flow]]",
      start: { line: 4, column: 13 },
      args: ["authentik_flows.flow", ["slug", "default-authentication-flow"]],
    },
    { tag: "!ParseJSON", text: "!ParseJSON '{\"a\": 1}'", start: { line: 5, column: 17 }, args: ['{"a": 1}'] },
    { tag: "!File", text: "!File /certs/tls.crt", start: { line: 6, column: 20 }, args: ["/certs/tls.crt"] },
    { tag: "!File", text: "!File [/certs/tls.key, fallback]", start: { line: 7, column: 12 }, args: ["/certs/tls.key", "fallback"] },
  ]);
});

test("a mapping argument, an anchor before the node, and a block sequence argument", () => {
  const text = lines(
    "\n",
    "version: 1",
    "entries:",
    "  - attrs:",
    "      a: !Format {not: usual}",
    "      b: !Env &name NAME",
    "      c: !Condition",
    "        - AND",
    "        - !Context x",
  );
  expect(tagsOf(text)).toEqual([
    { tag: "!Format", text: "!Format {not: usual}", start: { line: 4, column: 10 }, args: [{ not: "usual" }] },
    { tag: "!Env", text: "!Env &name NAME", start: { line: 5, column: 10 }, args: ["NAME"] },
    { tag: "!Condition", text: "!Condition\n        - AND\n        - !Context x\n", start: { line: 6, column: 10 }, args: ["AND", "x"] },
    { tag: "!Context", text: "!Context x", start: { line: 8, column: 11 }, args: ["x"] },
  ]);
});

test("!Find and !FindObject side by side each start at their own `!`", () => {
  expect(tagsOf("a: [!FindObject [m, [k, v]], !Find [m, [k, v]]]\n").map((tag) => [tag.tag, tag.start.column, tag.text])).toEqual([
    ["!FindObject", 5, "!FindObject [m, [k, v]]"],
    ["!Find", 30, "!Find [m, [k, v]]"],
  ]);
});

test("tags are kept in YAML 1.1 files too, and an unknown tag is no tag of authentik's", () => {
  expect(tagsOf("a: !Env NAME\nb: !Unknown x\nc: yes\n", "1.1").map((tag) => [tag.tag, tag.args])).toEqual([["!Env", ["NAME"]]]);
});
