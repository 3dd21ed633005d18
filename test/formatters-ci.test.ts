/**
 * The CI formats: `sarif` (valid against the OASIS SARIF 2.1.0 schema, from
 * ../shared/reference/sarif/sarif-schema-2.1.0.json when that folder is there), `github`
 * (workflow commands, then the stylish report) and `junit` (ESLint's layout), checked against
 * exact output; and `--output-file`.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv from "ajv-draft-04";
import packageJson from "../package.json" with { type: "json" };
import { rules } from "../rules/index.ts";
import { format, formatNames, type FormatOptions } from "../src/formatters/index.ts";
import { formatSarif } from "../src/formatters/sarif.ts";
import type { LintMessage, LintResult } from "../src/types.ts";
import { pathToFileURL } from "node:url";
import { projectRoot, runCli as run } from "./helpers/cli.ts";

/** A rule's documentation page, as the package holds it. */
const page = (id: string): string => fs.readFileSync(path.join(projectRoot, `docs/rules/${id}.md`), "utf8");

const sarifSchemaFile = path.join(projectRoot, "test/reference/sarif-schema-2.1.0.json");
const cwd = "/repo";
const options: FormatOptions = {
  cwd,
  color: false,
  rules: {
    "blueprint/keyof-defined": { docs: { description: "Every !KeyOf names an entry defined before it", url: "docs/rules/blueprint/keyof-defined.md" } },
    "oidc/client-wiring": { docs: { description: "Clients are wired", url: "docs/rules/oidc/client-wiring.md" } },
  },
};

function result(relativePath: string, messages: LintMessage[], source?: string): LintResult {
  const errors = messages.filter((message) => message.fatal === true || message.severity === 2);
  return {
    filePath: `${cwd}/${relativePath}`,
    messages,
    errorCount: errors.length,
    warningCount: messages.length - errors.length,
    fatalErrorCount: messages.filter((message) => message.fatal === true).length,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    ...(source === undefined ? {} : { source }),
  };
}

function message(fields: Partial<LintMessage> & Pick<LintMessage, "line" | "column">): LintMessage {
  return { ruleId: "blueprint/keyof-defined", severity: 2, message: "problem", ...fields };
}

const source = "version: 1\nentries:\n  - attrs: !KeyOf nope\n";
const keyofError = message({ line: 3, column: 12, endLine: 3, endColumn: 22, message: 'no entry "nope": 100% wrong,\r\nfix it' });
const multiLineWarning = message({ ruleId: "oidc/client-wiring", severity: 1, line: 1, column: 3, endLine: 2, endColumn: 4, message: "a warning" });
const fatal: LintMessage = { ruleId: null, fatal: true, severity: 2, message: "YAML <syntax> & 'error'", line: 2, column: 1 };

describe("formats are registered", () => {
  test("sarif, github, junit and gitlab are formats", () => {
    expect(formatNames).toEqual(["stylish", "json", "sarif", "github", "junit", "gitlab"]);
  });
});

describe("github", () => {
  test("one command per message, escaped, then the stylish report without colour", () => {
    const results = [result("a,b:c%.yaml", [keyofError, multiLineWarning], source), result("clean.yaml", [])];
    const output = format("github", results, { ...options, color: true });
    const [first, second, ...rest] = output.split("\n");
    expect(first).toBe(
      "::error file=a%2Cb%3Ac%25.yaml,line=3,col=12,endLine=3,endColumn=22,title=blueprint/keyof-defined::" +
        'no entry "nope": 100%25 wrong,%0D%0Afix it',
    );
    // GitHub refuses `col`/`endColumn` on a span over several lines.
    expect(second).toBe("::warning file=a%2Cb%3Ac%25.yaml,line=1,endLine=2,title=oidc/client-wiring::a warning");
    const stylish = format("stylish", results, { ...options, color: false });
    expect(rest.join("\n")).toBe(stylish);
    expect(stylish).toContain("3 |   - attrs: !KeyOf nope");
    expect(output).not.toContain("\u001b[");
  });

  test("a message without a rule or a position has neither title nor line", () => {
    const output = format("github", [result("x.yaml", [{ ...fatal, line: 0, column: 0 }])], options);
    expect(output.split("\n")[0]).toBe("::error file=x.yaml::YAML <syntax> & 'error'");
  });

  test("nothing to report is no output", () => {
    expect(format("github", [result("clean.yaml", [])], options)).toBe("");
  });
});

describe("junit", () => {
  test("a testsuite per file, a testcase per message, a clean file as one passing testcase", () => {
    const results = [result("dir/a&b.yaml", [keyofError, { ...multiLineWarning, message: "tab\there ]]> \u0001 😀" }, fatal]), result("clean.yaml", [])];
    expect(format("junit", results, options)).toBe(
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<testsuites>",
        '<testsuite package="gitops-lint" time="0" tests="3" errors="1" failures="2" name="dir/a&amp;b.yaml">',
        '<testcase time="0" name="gitops-lint.blueprint/keyof-defined" classname="dir/a&amp;b">' +
          '<failure message="no entry &quot;nope&quot;: 100% wrong,&#13;&#10;fix it">' +
          "line 3, col 12, Error - no entry &quot;nope&quot;: 100% wrong,&#13;&#10;fix it (blueprint/keyof-defined)</failure></testcase>",
        '<testcase time="0" name="gitops-lint.oidc/client-wiring" classname="dir/a&amp;b">' +
          '<failure message="tab&#9;here ]]&gt;  😀">line 1, col 3, Warning - tab&#9;here ]]&gt;  😀 (oidc/client-wiring)</failure></testcase>',
        '<testcase time="0" name="gitops-lint.unknown" classname="dir/a&amp;b">' +
          "<error message=\"YAML &lt;syntax&gt; &amp; &apos;error&apos;\">line 2, col 1, Error - YAML &lt;syntax&gt; &amp; &apos;error&apos;</error></testcase>",
        "</testsuite>",
        '<testsuite package="gitops-lint" time="0" tests="1" errors="0" failures="0" name="clean.yaml">',
        '<testcase time="0" name="clean.yaml" classname="clean" />',
        "</testsuite>",
        "</testsuites>",
        "",
      ].join("\n"),
    );
  });
});

describe("sarif", () => {
  const fixable: LintMessage = {
    ...message({ ruleId: "oidc/client-wiring", line: 1, column: 1, endLine: 1, endColumn: 8, message: "wire it" }),
    edits: [
      { file: `${cwd}/dir/a b.yaml`, range: [8, 10], text: "2" },
      { file: `${cwd}/dir/a b.yaml`, range: [20, 20], text: "x: 1\n" },
      { file: `${cwd}/new/file.yaml`, range: [0, 0], text: "created: true\n", create: true },
    ],
    unsafeFix: true,
  };
  const results = [result("dir/a b.yaml", [keyofError, fixable, { ...multiLineWarning, ruleId: "other/rule" }]), result("clean.yaml", [])];

  test("tool.driver, rules and results with regions and fixes", () => {
    const log = JSON.parse(format("sarif", results, options));
    expect(log.version).toBe("2.1.0");
    const [run] = log.runs;
    expect(run.tool.driver).toEqual({
      name: "gitops-lint",
      version: packageJson.version,
      rules: [
        {
          id: "blueprint/keyof-defined",
          shortDescription: { text: "Every !KeyOf names an entry defined before it" },
          // Without a repository in package.json: the page where the package is installed, and its text.
          helpUri: pathToFileURL(path.join(projectRoot, "docs/rules/blueprint/keyof-defined.md")).href,
          help: { text: page("blueprint/keyof-defined"), markdown: page("blueprint/keyof-defined") },
        },
        {
          id: "oidc/client-wiring",
          shortDescription: { text: "Clients are wired" },
          helpUri: pathToFileURL(path.join(projectRoot, "docs/rules/oidc/client-wiring.md")).href,
          help: { text: page("oidc/client-wiring"), markdown: page("oidc/client-wiring") },
        },
        { id: "other/rule" },
      ],
    });
    expect(run.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///repo/" } });
    const location = { artifactLocation: { uri: "dir/a%20b.yaml", uriBaseId: "%SRCROOT%" } };
    expect(run.results).toEqual([
      {
        ruleId: "blueprint/keyof-defined",
        ruleIndex: 0,
        level: "error",
        message: { text: 'no entry "nope": 100% wrong,\r\nfix it' },
        locations: [{ physicalLocation: { ...location, region: { startLine: 3, startColumn: 12, endLine: 3, endColumn: 22 } } }],
      },
      {
        ruleId: "oidc/client-wiring",
        ruleIndex: 1,
        level: "error",
        message: { text: "wire it" },
        locations: [{ physicalLocation: { ...location, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 8 } } }],
        fixes: [
          {
            description: { text: "wire it" },
            artifactChanges: [
              {
                ...location,
                replacements: [
                  { deletedRegion: { charOffset: 8, charLength: 2 }, insertedContent: { text: "2" } },
                  { deletedRegion: { charOffset: 20, charLength: 0 }, insertedContent: { text: "x: 1\n" } },
                ],
              },
              {
                artifactLocation: { uri: "new/file.yaml", uriBaseId: "%SRCROOT%" },
                replacements: [{ deletedRegion: { charOffset: 0, charLength: 0 }, insertedContent: { text: "created: true\n" } }],
              },
            ],
            properties: { safety: "unsafe" },
          },
        ],
      },
      {
        ruleId: "other/rule",
        ruleIndex: 2,
        level: "warning",
        message: { text: "a warning" },
        locations: [{ physicalLocation: { ...location, region: { startLine: 1, startColumn: 3, endLine: 2, endColumn: 4 } } }],
      },
    ]);
  });

  test("helpUri and informationUri come from the package's repository when it names one", () => {
    const pkg = { version: "9.9.9", repository: { type: "git", url: "git+https://example.org/team/gitops-lint.git" } };
    const log = JSON.parse(formatSarif(results, options, pkg));
    const { driver } = log.runs[0].tool;
    expect(driver.version).toBe("9.9.9");
    expect(driver.informationUri).toBe("https://example.org/team/gitops-lint");
    expect(driver.rules[0]).toEqual({
      id: "blueprint/keyof-defined",
      shortDescription: { text: "Every !KeyOf names an entry defined before it" },
      helpUri: "https://example.org/team/gitops-lint/blob/HEAD/docs/rules/blueprint/keyof-defined.md",
      help: { text: page("blueprint/keyof-defined"), markdown: page("blueprint/keyof-defined") },
    });
  });

  test("a file outside the working directory is a file: URI", () => {
    const log = JSON.parse(format("sarif", [{ ...result("x.yaml", [fatal]), filePath: "/elsewhere/x.yaml" }], options));
    expect(log.runs[0].results[0]).toEqual({
      level: "error",
      message: { text: "YAML <syntax> & 'error'" },
      locations: [{ physicalLocation: { artifactLocation: { uri: "file:///elsewhere/x.yaml" }, region: { startLine: 2, startColumn: 1 } } }],
    });
  });

  describe("valid against the SARIF 2.1.0 schema (test/reference)", () => {
    function validator() {
      const ajv = new Ajv({ allErrors: true, strict: false });
      ajv.addFormat("uri", (value: string) => /^[a-z][a-z0-9+.-]*:/iu.test(value) && URL.canParse(value));
      ajv.addFormat("uri-reference", (value: string) => !/\s/u.test(value));
      ajv.addFormat("date-time", (value: string) => !Number.isNaN(Date.parse(value)));
      return ajv.compile(JSON.parse(fs.readFileSync(sarifSchemaFile, "utf8")));
    }

    test("the small results, with and without a repository URL", () => {
      const validate = validator();
      for (const text of [
        format("sarif", results, options),
        formatSarif(results, options, { version: "1.0.0", repository: "github:someone/gitops-lint" }),
        format("sarif", [], options),
      ]) {
        const valid = validate(JSON.parse(text));
        expect(validate.errors ?? []).toEqual([]);
        expect(valid).toBe(true);
      }
    });

    test("the CLI's report on examples/homelab, fixes included", async () => {
      const { code, stdout } = await run(["examples/homelab", "--format", "sarif"]);
      expect(code).toBe(1);
      const log = JSON.parse(stdout);
      const validate = validator();
      const valid = validate(log);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
      const driverRules = log.runs[0].tool.driver.rules;
      expect(driverRules.map((rule: { id: string }) => rule.id)).toEqual(Object.keys(rules));
      expect(log.runs[0].results.length).toBeGreaterThan(0);
      expect(log.runs[0].results.some((entry: { fixes?: unknown[] }) => entry.fixes !== undefined)).toBe(true);
      for (const entry of log.runs[0].results) expect(driverRules[entry.ruleIndex].id).toBe(entry.ruleId);
    });
  });
});


describe("--output-file", () => {
  test("writes the report to the file, creating its folders; stdout stays empty; the exit code is kept", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-output-"));
    try {
      for (const name of formatNames) {
        const file = path.join(dir, "reports", "nested", `report.${name}`);
        const written = await run(["examples/homelab", "--format", name, "--output-file", file], { isTTY: true, env: { FORCE_COLOR: "1" } });
        const printed = await run(["examples/homelab", "--format", name]);
        expect(written.code).toBe(1);
        expect(written.stdout).toBe("");
        expect(written.stderr).toBe("");
        expect(fs.readFileSync(file, "utf8")).toBe(printed.stdout);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a path relative to the working directory, and -o", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-output-"));
    try {
      fs.cpSync(path.join(projectRoot, "examples/homelab"), path.join(dir, "homelab"), { recursive: true });
      const { code, stdout } = await run(["homelab", "-f", "junit", "-o", "out/report.xml"], { cwd: dir });
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(fs.readFileSync(path.join(dir, "out/report.xml"), "utf8")).toStartWith('<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a file that cannot be written is exit 2 with a message", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-output-"));
    try {
      fs.writeFileSync(path.join(dir, "file"), "");
      const { code, stdout, stderr } = await run(["examples/homelab", "--output-file", path.join(dir, "file", "report.txt")]);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toStartWith(`gitops-lint: cannot write ${path.join(dir, "file", "report.txt")}: `);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
