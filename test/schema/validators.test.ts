import { expect, test } from "bun:test";
import path from "node:path";
import { rules } from "../../rules/index.ts";
import { lintProject } from "../../src/engine.ts";
import { schemaKey, usedSchemas } from "../../src/schema/ajv.ts";

test("the precompiled validators cover every schema a run of examples/homelab uses", async () => {
  usedSchemas.clear();
  await lintProject({ cwd: path.resolve(import.meta.dir, "../../examples/homelab"), rules });
  const precompiled = require("../../schemas/validators.js") as Record<string, unknown>;
  const missing = [...usedSchemas].map(schemaKey).filter((key) => typeof precompiled[key] !== "function");
  // When this fails, a schema changed: run `bun scripts/build-validators.ts`.
  expect(missing).toEqual([]);
});
