import { expect, test } from "bun:test";
import { isScalar } from "yaml";
import { interpolate, lintProject } from "../src/engine.ts";
import type { GitopsRule } from "../src/rule.ts";
import { writeRepo } from "./helpers/rule-tester.ts";

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: blueprints
data:
  a.yaml: |
    version: 1
    entries:
      - model: authentik_core.group
        id: admins
`;

test("rules see documents, embedded blueprints and YAML nodes, with outer positions", async () => {
  const seen: string[] = [];
  const rule: GitopsRule<"scalar"> = {
    meta: { type: "problem", messages: { scalar: "scalar {{value}}" }, schema: [] },
    create(context) {
      return {
        Document(document) {
          seen.push(document.embeddedIn ? `embedded ${document.embeddedIn.key}` : "document");
        },
        Scalar(node) {
          if (isScalar(node) && node.value === "admins") context.report({ node, messageId: "scalar", data: { value: node.value } });
        },
        BlueprintEntry(entry) {
          seen.push(`entry ${entry.id?.value}`);
        },
      };
    },
  };
  const root = writeRepo({ "cm.yaml": configMap });
  const outcome = await lintProject({ cwd: root, rules: { "test/rule": rule as GitopsRule } });
  expect(seen).toEqual(["document", "embedded a.yaml", "entry admins"]);
  expect(outcome.results[0]!.messages).toEqual([
    { ruleId: "test/rule", severity: 2, message: "scalar admins", messageId: "scalar", line: 10, column: 13, endLine: 10, endColumn: 19 },
  ]);
});

test("a rule that throws is one internal error; other rules and files still run", async () => {
  const throwing: GitopsRule = {
    meta: { type: "problem", messages: {}, schema: [] },
    create() {
      return {
        Blueprint() {
          throw new Error("boom");
        },
      };
    },
  };
  const counting: GitopsRule<"found"> = {
    meta: { type: "problem", messages: { found: "blueprint" }, schema: [] },
    create(context) {
      return { Blueprint: (blueprint) => context.report({ node: blueprint.node, messageId: "found" }) };
    },
  };
  const root = writeRepo({ "a.yaml": configMap, "b.yaml": configMap });
  const outcome = await lintProject({ cwd: root, rules: { "test/throws": throwing, "test/counts": counting as GitopsRule } });
  expect(outcome.internalErrors).toBe(2);
  for (const result of outcome.results) {
    const relative = result.filePath.slice(root.length + 1);
    expect(result.messages.map((message) => [message.ruleId, message.message])).toEqual([
      ["test/throws", `Internal error in rule test/throws while linting ${relative}: boom`],
      ["test/counts", "blueprint"],
    ]);
  }
});

test("interpolate fills ESLint placeholders and keeps unknown ones", () => {
  expect(interpolate("a {{ x }} {{y}} {{z}}", { x: 1, y: "b" })).toBe("a 1 b {{z}}");
});
