/**
 * The report formats: stylish (ESLint's layout with actionlint's code frames) and json (ESLint's
 * result array), checked against exact output strings.
 */
import { describe, expect, test } from "bun:test";
import { format, formatNames, type FormatOptions } from "../src/formatters/index.ts";
import type { LintMessage, LintResult } from "../src/types.ts";

const cwd = "/repo";
const plain: FormatOptions = { cwd, color: false };
const colored: FormatOptions = { cwd, color: true };

/** A result whose counts are computed from its messages as ESLint computes them. */
function result(relativePath: string, source: string | undefined, messages: LintMessage[]): LintResult {
  const errors = messages.filter((message) => message.fatal === true || message.severity === 2);
  const warnings = messages.filter((message) => !errors.includes(message));
  return {
    filePath: `${cwd}/${relativePath}`,
    messages,
    errorCount: errors.length,
    warningCount: warnings.length,
    fatalErrorCount: messages.filter((message) => message.fatal === true).length,
    fixableErrorCount: errors.filter((message) => message.fix !== undefined).length,
    fixableWarningCount: warnings.filter((message) => message.fix !== undefined).length,
    ...(source === undefined ? {} : { source }),
  };
}

function message(fields: Partial<LintMessage> & Pick<LintMessage, "line" | "column">): LintMessage {
  return { ruleId: "blueprint/keyof-defined", severity: 2, message: "problem", ...fields };
}

const blueprint = [
  "version: 1",
  "metadata:",
  "  name: grafana",
  "entries:",
  "  - model: authentik_providers_oauth2.oauth2provider",
  "    id: grafana-provider",
  "    attrs:",
  "      name: Grafana",
  "      authorization_flow: !KeyOf default-authz",
  "      client_id: grafana",
  "      client_secret: !Env [GRAFANA_SECRET, changeme]",
  "      signing_key: !Find [authentik_crypto.certificatekeypair, [name, x]]",
  "",
].join("\n");

describe("stylish", () => {
  test("an error and a warning, aligned, each with its code frame", () => {
    const results = [
      result("argocd/manifests/authentik/configmap-blueprint.yaml", blueprint, [
        message({
          line: 9,
          column: 27,
          endLine: 9,
          endColumn: 45,
          message: 'no entry with id "default-authz" is defined before this !KeyOf.',
        }),
        message({
          ruleId: "blueprint/env-wired",
          severity: 1,
          line: 11,
          column: 22,
          endLine: 11,
          endColumn: 26,
          message: 'env var "GRAFANA_SECRET" has a default',
        }),
      ]),
    ];
    expect(format("stylish", results, plain)).toBe(
      [
        "",
        "argocd/manifests/authentik/configmap-blueprint.yaml",
        '   9:27  error    no entry with id "default-authz" is defined before this !KeyOf  blueprint/keyof-defined',
        "     9 |       authorization_flow: !KeyOf default-authz",
        "       |                           ^~~~~~~~~~~~~~~~~~",
        '  11:22  warning  env var "GRAFANA_SECRET" has a default                          blueprint/env-wired',
        "    11 |       client_secret: !Env [GRAFANA_SECRET, ********]",
        "       |                      ^~~~",
        "",
        "\u2716 2 problems (1 error, 1 warning)",
        "",
      ].join("\n"),
    );
  });

  test("a token of width 5 gets ^~~~~ under exactly that token", () => {
    const results = [
      result("a.yaml", "key: value\n", [message({ line: 1, column: 6, endLine: 1, endColumn: 11 })]),
    ];
    expect(format("stylish", results, plain)).toBe(
      [
        "",
        "a.yaml",
        "  1:6  error  problem  blueprint/keyof-defined",
        "    1 | key: value",
        "      |      ^~~~~",
        "",
        "\u2716 1 problem (1 error, 0 warnings)",
        "",
      ].join("\n"),
    );
  });

  test("spans of width 0 or 1, or with no end, get a single caret", () => {
    const source = "key: value\n";
    const results = [
      result("a.yaml", source, [
        message({ line: 1, column: 1, endLine: 1, endColumn: 1 }),
        message({ line: 1, column: 4, endLine: 1, endColumn: 5 }),
        message({ line: 1, column: 6 }),
      ]),
    ];
    expect(format("stylish", results, plain)).toBe(
      [
        "",
        "a.yaml",
        "  1:1  error  problem  blueprint/keyof-defined",
        "    1 | key: value",
        "      | ^",
        "  1:4  error  problem  blueprint/keyof-defined",
        "    1 | key: value",
        "      |    ^",
        "  1:6  error  problem  blueprint/keyof-defined",
        "    1 | key: value",
        "      |      ^",
        "",
        "\u2716 3 problems (3 errors, 0 warnings)",
        "",
      ].join("\n"),
    );
  });

  test("a span over several lines, or past the end of its line, is underlined to the end of the line", () => {
    const source = "data:\n  blueprint.yaml: |\n    version: 1\n";
    const results = [
      result("configmap.yaml", source, [
        message({ line: 2, column: 3, endLine: 3, endColumn: 15, message: "multi-line" }),
        message({ line: 3, column: 14, endLine: 3, endColumn: 40, message: "past the end" }),
      ]),
    ];
    expect(format("stylish", results, plain)).toBe(
      [
        "",
        "configmap.yaml",
        "  2:3   error  multi-line    blueprint/keyof-defined",
        "    2 |   blueprint.yaml: |",
        "      |   ^~~~~~~~~~~~~~~~~",
        "  3:14  error  past the end  blueprint/keyof-defined",
        "    3 |     version: 1",
        "      |              ^",
        "",
        "\u2716 2 problems (2 errors, 0 warnings)",
        "",
      ].join("\n"),
    );
  });

  test("tabs before the span stay tabs in the marker line", () => {
    const results = [
      result("roles/grafana/templates/grafana.ini.j2", "[auth]\n\tclient_id =\t{{ grafana_client_id }}\n", [
        message({ line: 2, column: 14, endLine: 2, endColumn: 37, message: "undefined variable" }),
      ]),
    ];
    expect(format("stylish", results, plain)).toBe(
      [
        "",
        "roles/grafana/templates/grafana.ini.j2",
        "  2:14  error  undefined variable  blueprint/keyof-defined",
        "    2 | \tclient_id =\t{{ grafana_client_id }}",
        "      | \t           \t^~~~~~~~~~~~~~~~~~~~~~~",
        "",
        "\u2716 1 problem (1 error, 0 warnings)",
        "",
      ].join("\n"),
    );
  });

  test("CRLF line endings do not reach the frame", () => {
    const results = [
      result("a.yaml", "a: 1\r\nb: 2\r\n", [message({ line: 2, column: 4, endLine: 2, endColumn: 99 })]),
    ];
    expect(format("stylish", results, plain)).toBe(
      [
        "",
        "a.yaml",
        "  2:4  error  problem  blueprint/keyof-defined",
        "    2 | b: 2",
        "      |    ^",
        "",
        "\u2716 1 problem (1 error, 0 warnings)",
        "",
      ].join("\n"),
    );
  });

  test("a fatal parse error has no rule id column, as in ESLint", () => {
    const results = [
      result("broken.yaml", "a: [1, 2\nb: 3\n", [
        {
          ruleId: null,
          fatal: true,
          severity: 2,
          message: "Flow sequence in block collection must be sufficiently indented and end with a ].",
          line: 2,
          column: 1,
        },
      ]),
    ];
    expect(format("stylish", results, plain)).toBe(
      [
        "",
        "broken.yaml",
        "  2:1  error  Flow sequence in block collection must be sufficiently indented and end with a ]",
        "    2 | b: 3",
        "      | ^",
        "",
        "\u2716 1 problem (1 error, 0 warnings)",
        "",
      ].join("\n"),
    );
  });

  test("only files with messages are printed, paths relative to cwd, no frame without source", () => {
    const results = [
      result("clean.yaml", "a: 1\n", []),
      result("one.yaml", undefined, [message({ line: 1, column: 1, message: "first" })]),
      result("two.yaml", undefined, [message({ line: 1, column: 1, message: "second", severity: 1 })]),
    ];
    expect(format("stylish", results, plain)).toBe(
      [
        "",
        "one.yaml",
        "  1:1  error  first  blueprint/keyof-defined",
        "",
        "two.yaml",
        "  1:1  warning  second  blueprint/keyof-defined",
        "",
        "\u2716 2 problems (1 error, 1 warning)",
        "",
      ].join("\n"),
    );
  });

  test("a run without problems prints nothing", () => {
    expect(format("stylish", [], plain)).toBe("");
    expect(format("stylish", [result("a.yaml", "a: 1\n", []), result("b.yaml", "b: 2\n", [])], colored)).toBe("");
  });

  test("the summary is singular or plural by count", () => {
    const summary = (messages: LintMessage[]): string | undefined =>
      format("stylish", [result("a.yaml", undefined, messages)], plain).split("\n").at(-2);
    const error = message({ line: 1, column: 1 });
    const warning = message({ line: 1, column: 1, severity: 1 });
    expect(summary([error])).toBe("\u2716 1 problem (1 error, 0 warnings)");
    expect(summary([warning])).toBe("\u2716 1 problem (0 errors, 1 warning)");
    expect(summary([error, error, warning, warning])).toBe("\u2716 4 problems (2 errors, 2 warnings)");
  });

  test("a fixable line follows the summary when something is fixable", () => {
    const fix = { range: [0, 1] as [number, number], text: "b" };
    const results = [
      result("a.yaml", undefined, [
        message({ line: 1, column: 1, fix }),
        message({ line: 2, column: 1, fix, severity: 1 }),
        message({ line: 3, column: 1, fix, severity: 1 }),
      ]),
    ];
    expect(format("stylish", results, plain).split("\n").slice(-3)).toEqual([
      "\u2716 3 problems (1 error, 2 warnings)",
      "  1 error and 2 warnings potentially fixable with the `--fix` option.",
      "",
    ]);
    const unfixable = [result("a.yaml", undefined, [message({ line: 1, column: 1 })])];
    expect(format("stylish", unfixable, plain)).not.toContain("--fix");
  });

  test("colours: none at all when off, ESLint's and actionlint's when on", () => {
    const results = [
      result("a.yaml", "key: value\n", [
        message({ line: 1, column: 6, endLine: 1, endColumn: 11, message: "bad" }),
        message({ line: 1, column: 1, endLine: 1, endColumn: 4, severity: 1, ruleId: null, message: "meh" }),
      ]),
    ];
    expect(format("stylish", results, plain)).not.toContain("\u001b");
    expect(format("stylish", results, colored)).toBe(
      [
        "",
        "\u001b[4ma.yaml\u001b[24m",
        "  \u001b[2m1:6\u001b[22m  \u001b[31merror\u001b[39m    bad  \u001b[2mblueprint/keyof-defined\u001b[22m",
        "    \u001b[2m1 |\u001b[22m key: value",
        "    \u001b[2m  |\u001b[22m      \u001b[31m^~~~~\u001b[39m",
        "  \u001b[2m1:1\u001b[22m  \u001b[33mwarning\u001b[39m  meh",
        "    \u001b[2m1 |\u001b[22m key: value",
        "    \u001b[2m  |\u001b[22m \u001b[33m^~~\u001b[39m",
        "",
        "\u001b[31m\u001b[1m\u2716 2 problems (1 error, 1 warning)\u001b[22m\u001b[39m",
        "",
      ].join("\n"),
    );
    const warningsOnly = [result("a.yaml", undefined, [message({ line: 1, column: 1, severity: 1 })])];
    expect(format("stylish", warningsOnly, colored)).toContain(
      "\u001b[33m\u001b[1m\u2716 1 problem (0 errors, 1 warning)\u001b[22m\u001b[39m",
    );
  });

  // The message column is padded by the whole message's length, newlines included, as
  // text-table pads it in ESLint's stylish.
  test("messages are printed as-is but for one trailing period", () => {
    const results = [
      result("a.yaml", undefined, [
        message({ line: 1, column: 1, message: "first line\nsecond line." }),
        message({ line: 2, column: 1, message: "ends with a spaced ." }),
        message({ line: 3, column: 1, message: "ellipsis..." }),
      ]),
    ];
    const rows = format("stylish", results, plain).split("\n").slice(2, 6);
    expect(rows).toEqual([
      "  1:1  error  first line",
      "second line  blueprint/keyof-defined",
      "  2:1  error  ends with a spaced .    blueprint/keyof-defined",
      "  3:1  error  ellipsis..              blueprint/keyof-defined",
    ]);
  });
});

describe("json", () => {
  const fix = { range: [10, 15] as [number, number], text: "grafana" };
  const suggestion = { desc: "Use an existing id", messageId: "useExisting", fix };
  const results = [
    result("a.yaml", "secret source text", [
      message({ line: 9, column: 27, endLine: 9, endColumn: 45, messageId: "undefinedId", fix }),
      message({ line: 10, column: 3, severity: 1, suggestions: [suggestion] }),
      message({ line: 11, column: 1, severity: 1, suggestions: [] }),
    ]),
    result("broken.yaml", "a: [", [
      { ruleId: null, fatal: true, severity: 2, message: "Unexpected end of flow sequence", line: 1, column: 5 },
    ]),
    result("clean.yaml", "a: 1\n", []),
  ];

  test("is ESLint's result array, every result included, with no source", () => {
    const output = format("json", results, plain);
    expect(output).not.toContain("secret source text");
    const parsed: unknown = JSON.parse(output);
    expect(parsed).toEqual([
      {
        filePath: "/repo/a.yaml",
        messages: [
          {
            ruleId: "blueprint/keyof-defined",
            severity: 2,
            message: "problem",
            line: 9,
            column: 27,
            messageId: "undefinedId",
            endLine: 9,
            endColumn: 45,
            fix: { range: [10, 15], text: "grafana" },
          },
          {
            ruleId: "blueprint/keyof-defined",
            severity: 1,
            message: "problem",
            line: 10,
            column: 3,
            suggestions: [{ desc: "Use an existing id", messageId: "useExisting", fix: { range: [10, 15], text: "grafana" } }],
          },
          { ruleId: "blueprint/keyof-defined", severity: 1, message: "problem", line: 11, column: 1 },
        ],
        errorCount: 1,
        fatalErrorCount: 0,
        warningCount: 2,
        fixableErrorCount: 1,
        fixableWarningCount: 0,
      },
      {
        filePath: "/repo/broken.yaml",
        messages: [
          { ruleId: null, fatal: true, severity: 2, message: "Unexpected end of flow sequence", line: 1, column: 5 },
        ],
        errorCount: 1,
        fatalErrorCount: 1,
        warningCount: 0,
        fixableErrorCount: 0,
        fixableWarningCount: 0,
      },
      {
        filePath: "/repo/clean.yaml",
        messages: [],
        errorCount: 0,
        fatalErrorCount: 0,
        warningCount: 0,
        fixableErrorCount: 0,
        fixableWarningCount: 0,
      },
    ]);
  });

  test("writes exactly the listed keys, in ESLint's order", () => {
    const parsed = JSON.parse(format("json", results, plain)) as Array<Record<string, unknown>>;
    for (const entry of parsed) {
      expect(Object.keys(entry)).toEqual([
        "filePath",
        "messages",
        "errorCount",
        "fatalErrorCount",
        "warningCount",
        "fixableErrorCount",
        "fixableWarningCount",
      ]);
    }
    const messages = parsed.flatMap((entry) => entry["messages"] as Array<Record<string, unknown>>);
    expect(messages.map((entry) => Object.keys(entry))).toEqual([
      ["ruleId", "severity", "message", "line", "column", "messageId", "endLine", "endColumn", "fix"],
      ["ruleId", "severity", "message", "line", "column", "suggestions"],
      ["ruleId", "severity", "message", "line", "column"],
      ["ruleId", "fatal", "severity", "message", "line", "column"],
    ]);
  });

  test("is one line, uncoloured whatever the colour option", () => {
    expect(format("json", results, colored)).toBe(format("json", results, plain));
    expect(format("json", results, colored)).not.toContain("\n");
    expect(format("json", [], plain)).toBe("[]");
  });
});

test("formatNames lists every format", () => {
  expect(formatNames).toEqual(["stylish", "json", "sarif", "github", "junit", "gitlab"]);
});
