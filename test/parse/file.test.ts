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

describe("templates of other tools under templates/", () => {
  const helmControl = [
    "{{- if .Values.route.enabled }}",
    "apiVersion: gateway.networking.k8s.io/v1",
    "kind: HTTPRoute",
    "metadata:",
    "  name: {{ .Release.Name }}",
    "{{- end }}",
    "",
  ].join("\n");
  const helmValues = ["apiVersion: external-secrets.io/v1", "kind: ExternalSecret", "metadata:", "  name: {{ include \"app.fullname\" . }}", ""].join("\n");
  const quoted = [
    "apiVersion: external-secrets.io/v1",
    "kind: ExternalSecret",
    "metadata:",
    "  name: app",
    "spec:",
    "  target:",
    "    template:",
    "      data:",
    '        URL: "postgres://{{ .user }}@db"',
    "        TOKEN: |",
    "          {{ .token | b64enc }}",
    "",
  ].join("\n");

  test("a Helm template whose actions stand on lines of their own is no YAML: no document, no problem", () => {
    expect(parse(helmControl, "charts/app/templates/httproute.yaml")).toMatchObject({ documents: [], embedded: [], problems: [] });
  });

  test("a Helm template that parses only because YAML reads {{ … }} as a flow mapping is no YAML either", () => {
    expect(parse(helmValues, "charts/app/templates/external-secret.yaml")).toMatchObject({ documents: [], problems: [] });
  });

  test("an Ansible role's YAML template with Jinja statements is no YAML", () => {
    const jinja = ["services:", "{% for service in services %}", "  {{ service.name }}:", "    image: {{ service.image }}", "{% endfor %}", ""].join("\n");
    expect(parse(jinja, "ansible/roles/compose/templates/docker-compose.yml")).toMatchObject({ documents: [], problems: [] });
  });

  test("templates in quoted strings and block scalars are YAML values: the file is read", () => {
    const parsed = parse(quoted, "charts/app/templates/external-secret.yaml");
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents).toHaveLength(1);
  });

  test("outside templates/, a file that does not parse is still a parsing error", () => {
    expect(parse(helmControl, "apps/route/httproute.yaml").problems).not.toEqual([]);
  });
});
