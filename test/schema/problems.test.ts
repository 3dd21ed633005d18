import { expect, test } from "bun:test";
import { parseDocument } from "yaml";
import { authentikCustomTags } from "../../src/parse/tags.ts";
import { checkNode, closest, editDistance, readablePath } from "../../src/schema/index.ts";

const schema = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string" },
    client_secret: { type: "string" },
    client_type: { enum: ["confidential", "public"] },
    redirect_uris: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["matching_mode", "url"],
        properties: { matching_mode: { enum: ["strict", "regex"] }, url: { type: "string" } },
      },
    },
    hosts: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
    signing_key: { type: "string", format: "uuid" },
  },
};

function problems(text: string) {
  const doc = parseDocument(text, { customTags: authentikCustomTags });
  return checkNode(doc.contents, schema).map((problem) => {
    const start = problem.node.range![0];
    const line = text.slice(0, start).split("\n").length;
    const column = start - text.lastIndexOf("\n", start - 1);
    return { kind: problem.kind, at: `${line}:${column}`, path: problem.path, detail: problem.detail, suggestion: problem.suggestion };
  });
}

test("an unknown key is reported at the key, with the closest known one", () => {
  expect(problems("name: a\nclient_secrets: x\n")).toEqual([
    { kind: "unknownKey", at: "2:1", path: "", detail: 'unknown key "client_secrets"', suggestion: "client_secret" },
  ]);
});

test("a wrong enum value is reported at the value, with a suggestion when close", () => {
  expect(problems("name: a\nredirect_uris:\n  - matching_mode: strickt\n    url: x\n")).toEqual([
    { kind: "wrongValue", at: "3:20", path: "redirect_uris[0].matching_mode", detail: '"strickt" is not one of "strict", "regex"', suggestion: "strict" },
  ]);
  expect(problems("name: a\nclient_type: secret\n")[0]?.suggestion).toBeUndefined();
});

test("a missing required key is reported at the mapping's first key", () => {
  expect(problems("client_type: public\nclient_secret: x\n")).toEqual([
    { kind: "missingKey", at: "1:1", path: "", detail: 'missing required key "name"', suggestion: undefined },
  ]);
});

test("alternatives give one message: the fitting branch's, or one listing every type", () => {
  expect(problems("name: a\nhosts: {a: 1}\n")).toEqual([
    { kind: "wrongType", at: "2:8", path: "hosts", detail: "must be a string or a list, not a mapping", suggestion: undefined },
  ]);
  expect(problems("name: a\nhosts: [a, 1]\n")).toEqual([
    { kind: "wrongType", at: "2:12", path: "hosts[1]", detail: "must be a string, not the integer 1", suggestion: undefined },
  ]);
});

test("tagged values satisfy any schema; everything else is still checked", () => {
  expect(problems("name: !Format [\"%s\", x]\nclient_secret: !Env [X, 1]\nsigning_key: !Find [authentik_crypto.certificatekeypair, [name, x]]\nclient_type: !Context t\n")).toEqual([]);
  expect(problems("name: !Env N\nclient_typ: public\n").map((problem) => problem.suggestion)).toEqual(["client_type"]);
});

test("helpers", () => {
  expect(readablePath("/spec/data/0/remote~1Ref")).toBe("spec.data[0].remote/Ref");
  expect(editDistance("kitten", "sitting")).toBe(3);
  expect(closest("secretKeyref", ["secretKeyRef", "configMapKeyRef"])).toBe("secretKeyRef");
  expect(closest("zzz", ["secretKeyRef"])).toBeUndefined();
});
