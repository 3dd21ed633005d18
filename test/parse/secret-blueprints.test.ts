/**
 * Blueprints kept in Secrets: a `stringData:` block scalar is parsed as a ConfigMap's `data:` is,
 * with exact positions in the Secret's file; a base64 `data:` value is decoded for the index only
 * (`encoded`), every position on the value's first line, and never walked or reported in. The
 * index knows the Secret holding a blueprint and the worker that mounts it.
 */
import { describe, expect, test } from "bun:test";
import { authentikWorkers } from "../../src/index/wiring.ts";
import { parseYaml } from "../../src/parse/yaml.ts";
import { buildIndex } from "../index/build.ts";
import { lines, mapped, mappedTags, misplacedScalars, parseClean, scalarOf } from "./helpers.ts";

const blueprintLines = [
  "version: 1",
  "entries:",
  "  - model: authentik_core.group",
  "    id: operators",
  "    identifiers:",
  "      name: vault-operators",
  "    attrs:",
  "      attributes: {token: !Env VAULT_TOKEN}",
];
const blueprintText = blueprintLines.join("\n") + "\n";
const base64 = Buffer.from(blueprintText).toString("base64");

describe.each([
  ["LF", "\n"],
  ["CRLF", "\r\n"],
] as const)("a Secret's stringData with %s line endings", (_name, eol) => {
  test("a literal block scalar is a blueprint with exact positions", () => {
    const file = lines(
      eol,
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: authentik-blueprints",
      "type: Opaque",
      "stringData:",
      "  password: not-a-blueprint",
      "  groups.yaml: |",
      ...blueprintLines.map((line) => `    ${line}`),
    );
    const parsed = parseClean(file);
    expect(parsed.encoded).toBeUndefined();
    expect(parsed.embedded).toHaveLength(1);
    const blueprint = parsed.embedded[0]!;
    expect(blueprint.embeddedIn).toMatchObject({ kind: "Secret", field: "stringData", key: "groups.yaml", configMap: undefined });
    expect(mappedTags(file, blueprint)).toEqual([
      { tag: "!Env", text: "!Env VAULT_TOKEN", start: { line: 16, column: 31 }, end: { line: 16, column: 47 } },
    ]);
    expect(mapped(file, blueprint.source, scalarOf(blueprint, "operators").range!)).toEqual({
      text: "operators",
      start: { line: 12, column: 13 },
      end: { line: 12, column: 22 },
    });
    expect(misplacedScalars(file, blueprint)).toEqual([]);
  });
});

describe("Secrets in lists", () => {
  test("a SecretList's items may omit their kind; a List's Secret is read too", () => {
    const body = blueprintLines.map((line) => `        ${line}`);
    const file = lines(
      "\n",
      "apiVersion: v1",
      "kind: SecretList",
      "items:",
      "  - metadata:",
      "      name: listed",
      "    stringData:",
      "      a.yaml: |",
      ...body,
      "---",
      "apiVersion: v1",
      "kind: List",
      "items:",
      "  - kind: Secret",
      "    metadata:",
      "      name: in-list",
      "    stringData:",
      "      b.yaml: |",
      ...body,
    );
    const parsed = parseClean(file);
    expect(parsed.embedded.map((document) => [document.embeddedIn?.kind, document.embeddedIn?.key])).toEqual([
      ["Secret", "a.yaml"],
      ["Secret", "b.yaml"],
    ]);
    expect(mappedTags(file, parsed.embedded[1]!).map((tag) => tag.start)).toEqual([{ line: 32, column: 35 }]);
  });
});

describe("a Secret's base64 data", () => {
  const secret = (value: string, key = "groups.yaml"): string =>
    lines("\n", "apiVersion: v1", "kind: Secret", "metadata:", "  name: sealed-blueprints", "data:", `  ${key}: ${value}`);

  test("is decoded for the index only: kept apart, every position on the value's first line", () => {
    const parsed = parseClean(secret(base64));
    expect(parsed.embedded).toEqual([]);
    expect(parsed.encoded).toHaveLength(1);
    const blueprint = parsed.encoded![0]!;
    expect(blueprint.embeddedIn).toMatchObject({ kind: "Secret", field: "data", key: "groups.yaml" });
    expect(blueprint.tags.map((tag) => tag.tag)).toEqual(["!Env"]);
    const tag = blueprint.tags[0]!;
    expect([blueprint.source.position(tag.range[0]), blueprint.source.position(tag.range[1])]).toEqual([
      { line: 6, column: 16 },
      { line: 6, column: 16 },
    ]);
  });

  test("a value folded over several lines is decoded too", () => {
    const folded = base64.match(/.{1,60}/gu)!.map((chunk) => `    ${chunk}`);
    const file = lines("\n", "kind: Secret", "metadata:", "  name: folded", "data:", "  groups.yaml: >-", ...folded);
    expect(parseClean(file).encoded).toHaveLength(1);
  });

  test.each([
    ["not base64", "\"entries and version, not base64!\""],
    ["base64 of something else", Buffer.from("hello world, no blueprint here").toString("base64")],
    ["base64 of bytes that are not UTF-8", Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString("base64")],
    ["base64 of broken YAML", Buffer.from("version: 1\nentries: [\n  - a: b: c\n").toString("base64")],
  ])("%s: nothing, and no message that could quote it", (_name, value) => {
    const parsed = parseYaml(secret(value), "1.2");
    expect(parsed.problems).toEqual([]);
    expect(parsed.encoded).toBeUndefined();
    expect(parsed.embedded).toEqual([]);
  });

  test("a ConfigMap's data is text, never decoded", () => {
    const file = lines("\n", "kind: ConfigMap", "metadata:", "  name: x", "data:", `  groups.yaml: ${base64}`);
    expect(parseClean(file)).toMatchObject({ embedded: [] });
    expect(parseClean(file).encoded).toBeUndefined();
  });
});

describe("the index", () => {
  const stringDataSecret = (name: string, namespace?: string): string =>
    lines(
      "\n",
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      `  name: ${name}`,
      ...(namespace ? [`  namespace: ${namespace}`] : []),
      "stringData:",
      "  groups.yaml: |",
      ...blueprintLines.map((line) => `    ${line}`),
    );
  const worker = (name: string, volume: string[]): string =>
    lines(
      "\n",
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      `  name: ${name}`,
      "  namespace: authentik",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: worker",
      "          image: ghcr.io/goauthentik/server:2025.2.1",
      "          args: [worker]",
      "      volumes:",
      "        - name: blueprints",
      ...volume.map((line) => `          ${line}`),
    );

  test("a blueprint knows the Secret holding it and its namespace; a base64 one is in no file's views", () => {
    const index = buildIndex([
      ["authentik/secret.yaml", stringDataSecret("authentik-blueprints", "authentik")],
      ["authentik/sealed.yaml", lines("\n", "kind: Secret", "metadata:", "  name: sealed", "data:", `  groups.yaml: ${base64}`)],
    ]);
    expect(index.blueprints.map((blueprint) => [blueprint.file.relPath, blueprint.secret, blueprint.configMap, blueprint.encoded])).toEqual([
      ["authentik/secret.yaml", { name: "authentik-blueprints", key: "groups.yaml", namespace: "authentik" }, undefined, false],
      ["authentik/sealed.yaml", { name: "sealed", key: "groups.yaml", namespace: undefined }, undefined, true],
    ]);
    expect(index.entriesByModel.get("authentik_core.group")).toHaveLength(2);
    expect(index.viewsOf(index.files[1]!).blueprints).toEqual([]);
  });

  test("a blueprint file in a kustomize secretGenerator knows its Secret", () => {
    const index = buildIndex([
      ["authentik/kustomization.yaml", lines("\n", "namespace: authentik", "secretGenerator:", "  - name: authentik-blueprints", "    files:", "      - groups.yaml")],
      ["authentik/groups.yaml", blueprintText],
    ]);
    expect(index.blueprints.map((blueprint) => blueprint.secret)).toEqual([{ name: "authentik-blueprints", key: "groups.yaml", namespace: "authentik" }]);
  });

  test("the worker is the Deployment mounting the Secret (secret or projected volume), not another one", () => {
    for (const volume of [
      ["secret:", "  secretName: authentik-blueprints"],
      ["projected:", "  sources:", "    - secret:", "        name: authentik-blueprints"],
    ]) {
      const index = buildIndex([
        ["authentik/secret.yaml", stringDataSecret("authentik-blueprints", "authentik")],
        ["authentik/worker.yaml", worker("authentik-worker", volume)],
        ["authentik/other-worker.yaml", worker("authentik-worker-other", ["configMap:", "  name: other-blueprints"])],
      ]);
      const workers = authentikWorkers(index, index.blueprints[0]!);
      expect(workers.map((found) => found.workload.name?.value)).toEqual(["authentik-worker"]);
    }
  });

  test("installed by the chart: the install listing the Secret in blueprints.secrets applies it", () => {
    const helmRelease = (name: string, values: string[]): string =>
      lines(
        "\n",
        "apiVersion: helm.toolkit.fluxcd.io/v2",
        "kind: HelmRelease",
        "metadata:",
        `  name: ${name}`,
        "spec:",
        "  chart:",
        "    spec:",
        "      chart: authentik",
        "  values:",
        ...values.map((line) => `    ${line}`),
      );
    const index = buildIndex([
      ["authentik/secret.yaml", stringDataSecret("authentik-blueprints")],
      ["authentik/helmrelease.yaml", helmRelease("authentik", ["blueprints:", "  secrets:", "    - authentik-blueprints"])],
      ["authentik/staging.yaml", helmRelease("authentik-staging", ["blueprints:", "  configMaps:", "    - authentik-blueprints"])],
      ["authentik/volume.yaml", helmRelease("authentik-volume", ["worker:", "  volumes:", "    - name: b", "      secret:", "        secretName: authentik-blueprints"])],
    ]);
    const workers = authentikWorkers(index, index.blueprints[0]!);
    expect(workers.map((found) => found.chart?.install)).toEqual(['HelmRelease "authentik"', 'HelmRelease "authentik-volume"']);
  });
});

test("a key in both stringData and data is read from stringData only, as the API server writes it", () => {
  const file = lines(
    "\n",
    "kind: Secret",
    "metadata:",
    "  name: both",
    "stringData:",
    "  groups.yaml: |",
    ...blueprintLines.map((line) => `    ${line}`),
    "data:",
    `  groups.yaml: ${base64}`,
    `  other.yaml: ${base64}`,
  );
  const parsed = parseClean(file);
  expect(parsed.embedded.map((document) => [document.embeddedIn?.field, document.embeddedIn?.key])).toEqual([["stringData", "groups.yaml"]]);
  expect(parsed.encoded?.map((document) => [document.embeddedIn?.field, document.embeddedIn?.key])).toEqual([["data", "other.yaml"]]);
});
