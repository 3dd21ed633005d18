/**
 * The `gitlab` format (GitLab's Code Quality report): exact output for a small result set, the
 * fingerprints' stability and uniqueness, and validity against a JSON schema written from
 * GitLab's "Code Quality report format" (docs/ci/testing/code_quality.md) and the Code Climate
 * spec it is a subset of; then through the CLI on the example repo and on a clean one.
 */
import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv from "ajv";
import { format, type FormatOptions } from "../src/formatters/index.ts";
import type { LintMessage, LintResult } from "../src/types.ts";
import { projectRoot, runCli } from "./helpers/cli.ts";

/**
 * GitLab's report: one JSON array; each issue has `description`, `check_name`, `fingerprint`,
 * `severity` (one of five) and `location.path`, and its line as `location.lines.begin` or
 * `location.positions.begin.line`, integers (GitLab shows nothing when a line is not one).
 * From Code Climate: a description is one line, lines and columns are 1-based, and a location is
 * a path with either a line range or positions.
 */
const codeQualitySchema = {
  type: "array",
  items: {
    type: "object",
    required: ["description", "check_name", "fingerprint", "severity", "location"],
    properties: {
      description: { type: "string", minLength: 1, pattern: "^[^\\r\\n]*$" },
      check_name: { type: "string", minLength: 1 },
      fingerprint: { type: "string", minLength: 1 },
      severity: { enum: ["info", "minor", "major", "critical", "blocker"] },
      location: {
        type: "object",
        required: ["path"],
        properties: {
          path: { type: "string", minLength: 1, not: { pattern: "^/|\\\\" } },
          lines: {
            type: "object",
            required: ["begin"],
            properties: { begin: { $ref: "#/$defs/line" }, end: { $ref: "#/$defs/line" } },
            additionalProperties: false,
          },
          positions: {
            type: "object",
            required: ["begin"],
            properties: { begin: { $ref: "#/$defs/position" }, end: { $ref: "#/$defs/position" } },
            additionalProperties: false,
          },
        },
        oneOf: [{ required: ["lines"] }, { required: ["positions"] }],
      },
    },
  },
  $defs: {
    line: { type: "integer", minimum: 1 },
    position: {
      type: "object",
      required: ["line", "column"],
      properties: { line: { $ref: "#/$defs/line" }, column: { type: "integer", minimum: 1 } },
      additionalProperties: false,
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(codeQualitySchema);

interface Issue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines?: { begin: number; end: number }; positions?: { begin: { line: number; column: number }; end: { line: number; column: number } } };
}

/** Parses a report, failing with ajv's errors when it does not match the schema. */
function parseReport(output: string): Issue[] {
  const report: unknown = JSON.parse(output);
  if (!validate(report)) throw new Error(`not a Code Quality report: ${JSON.stringify(validate.errors, null, 2)}`);
  return report as Issue[];
}

const cwd = "/repo";
const options: FormatOptions = { cwd, color: false };

function result(relativePath: string, messages: LintMessage[]): LintResult {
  const errors = messages.filter((message) => message.fatal === true || message.severity === 2);
  return {
    filePath: `${cwd}/${relativePath}`,
    messages,
    errorCount: errors.length,
    warningCount: messages.length - errors.length,
    fatalErrorCount: messages.filter((message) => message.fatal === true).length,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    source: "client_secret: hunter2-is-not-printed\n",
  };
}

const keyofError: LintMessage = {
  ruleId: "blueprint/keyof-defined",
  severity: 2,
  message: '!KeyOf "nope" refers to no entry:\r\n  define an entry with id "nope"',
  line: 3,
  column: 12,
  endLine: 3,
  endColumn: 22,
};
const multiLineWarning: LintMessage = { ruleId: "oidc/client-wiring", severity: 1, message: "a warning over two lines", line: 1, column: 3, endLine: 2, endColumn: 4 };
const directiveWarning: LintMessage = { ruleId: null, severity: 1, message: "Unused gitops-lint-disable-line directive (no problems were reported).", line: 4, column: 20, endLine: 4, endColumn: 58 };
const fatal: LintMessage = { ruleId: null, fatal: true, severity: 2, message: "Parsing error: Nested mappings are not allowed in compact mappings", line: 2, column: 1 };
const ignored: LintMessage = { ruleId: null, severity: 1, message: "File ignored because of a matching ignore pattern in gitops-lint.config.yaml.", line: 0, column: 0 };

describe("gitlab", () => {
  test("one issue per message: rule, one-line description, severity, path relative to the working directory, span", () => {
    const results = [
      result("argocd/blueprint.yaml", [multiLineWarning, keyofError, directiveWarning]),
      result("apps/broken.yaml", [fatal]),
      result("clean.yaml", []),
      result("vendor/ignored.yaml", [ignored]),
    ];
    const output = format("gitlab", results, options);
    expect(output).toBe(`[
  {
    "description": "a warning over two lines",
    "check_name": "oidc/client-wiring",
    "fingerprint": "664b6575baa5c77ac476b4bebe20c8f47d3488a17d57dbf4f80d4bd330eec76f",
    "severity": "minor",
    "location": {
      "path": "argocd/blueprint.yaml",
      "positions": {
        "begin": {
          "line": 1,
          "column": 3
        },
        "end": {
          "line": 2,
          "column": 4
        }
      }
    }
  },
  {
    "description": "!KeyOf \\"nope\\" refers to no entry: define an entry with id \\"nope\\"",
    "check_name": "blueprint/keyof-defined",
    "fingerprint": "ea412fdcaef624b93160ebb0e70f342901262cea4f9e27b2d4905ce006a3edfa",
    "severity": "major",
    "location": {
      "path": "argocd/blueprint.yaml",
      "positions": {
        "begin": {
          "line": 3,
          "column": 12
        },
        "end": {
          "line": 3,
          "column": 22
        }
      }
    }
  },
  {
    "description": "Unused gitops-lint-disable-line directive (no problems were reported).",
    "check_name": "gitops-lint",
    "fingerprint": "3806892fe0152fe5792e7406ee302584978f447b0fe2ef9fa7c7a3a53ee97c68",
    "severity": "minor",
    "location": {
      "path": "argocd/blueprint.yaml",
      "positions": {
        "begin": {
          "line": 4,
          "column": 20
        },
        "end": {
          "line": 4,
          "column": 58
        }
      }
    }
  },
  {
    "description": "Parsing error: Nested mappings are not allowed in compact mappings",
    "check_name": "fatal",
    "fingerprint": "d559fb078222ef11c06dbf402ef95a3b2028f197190f4cb2ca4fe04a2ad570f9",
    "severity": "critical",
    "location": {
      "path": "apps/broken.yaml",
      "positions": {
        "begin": {
          "line": 2,
          "column": 1
        },
        "end": {
          "line": 2,
          "column": 1
        }
      }
    }
  },
  {
    "description": "File ignored because of a matching ignore pattern in gitops-lint.config.yaml.",
    "check_name": "gitops-lint",
    "fingerprint": "89d4fdf39139720cb1bf2d0bcc6cc764c1e147d83052fe35553eab7a087501ed",
    "severity": "minor",
    "location": {
      "path": "vendor/ignored.yaml",
      "lines": {
        "begin": 1,
        "end": 1
      }
    }
  }
]
`);
    parseReport(output);
    // Code frames are not part of the report: the source's secret never is.
    expect(output).not.toContain("hunter2");
  });

  test("a fingerprint is SHA-256 of the path, the check, the message (a line it quotes masked) and the occurrence, NUL-separated", () => {
    const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
    const quoting: LintMessage = { ...keyofError, ruleId: "blueprint/unique-ids", message: 'id "x" is already used by the entry at line 13.', line: 19 };
    const [first, second, third] = parseReport(format("gitlab", [result("argocd/blueprint.yaml", [keyofError, quoting, quoting])], options));
    const message = '!KeyOf "nope" refers to no entry: define an entry with id "nope"';
    expect(first!.fingerprint).toBe(sha256(`argocd/blueprint.yaml\u0000blueprint/keyof-defined\u0000${message}\u00000`));
    expect(second!.fingerprint).toBe(sha256('argocd/blueprint.yaml\u0000blueprint/unique-ids\u0000id "x" is already used by the entry at line N.\u00000'));
    expect(third!.fingerprint).toBe(sha256('argocd/blueprint.yaml\u0000blueprint/unique-ids\u0000id "x" is already used by the entry at line N.\u00001'));
  });

  test("nothing to report is an empty array, which GitLab reads as no problems", () => {
    expect(format("gitlab", [], options)).toBe("[]\n");
    expect(format("gitlab", [result("clean.yaml", [])], options)).toBe("[]\n");
    expect(parseReport("[]\n")).toEqual([]);
  });

  test("the schema refuses what GitLab refuses", () => {
    const good = { description: "d", check_name: "c", fingerprint: "f", severity: "major", location: { path: "a.yaml", lines: { begin: 1 } } };
    expect(validate([good])).toBe(true);
    expect(validate([{ ...good, severity: "error" }])).toBe(false);
    expect(validate([{ ...good, location: { path: "a.yaml" } }])).toBe(false);
    expect(validate([{ ...good, location: { path: "a.yaml", lines: { begin: "1" } } }])).toBe(false);
    expect(validate([{ ...good, location: { path: "/repo/a.yaml", lines: { begin: 1 } } }])).toBe(false);
    expect(validate([{ ...good, description: "two\nlines" }])).toBe(false);
    const { fingerprint: _fingerprint, ...withoutFingerprint } = good;
    expect(validate([withoutFingerprint])).toBe(false);
    expect(validate(good)).toBe(false);
  });
});

describe("gitlab fingerprints", () => {
  const duplicate = (line: number, otherLine: number): LintMessage => ({
    ruleId: "blueprint/unique-ids",
    severity: 2,
    message: `id "admins-group" is already used by the entry at line ${otherLine}: !KeyOf "admins-group" can refer to only one of them.`,
    line,
    column: 13,
    endLine: line,
    endColumn: 25,
  });
  const fingerprints = (results: LintResult[]): string[] => parseReport(format("gitlab", results, options)).map((issue) => issue.fingerprint);

  test("are the same from run to run", () => {
    const results = () => [result("a.yaml", [keyofError, multiLineWarning]), result("b.yaml", [fatal])];
    expect(fingerprints(results())).toEqual(fingerprints(results()));
  });

  test("do not change when lines are added above a problem, even one whose message quotes a line", () => {
    const before = fingerprints([result("a.yaml", [duplicate(19, 13), { ...keyofError, line: 30, endLine: 30 }])]);
    const after = fingerprints([result("a.yaml", [duplicate(21, 15), { ...keyofError, line: 32, endLine: 32, column: 2, endColumn: 12 }])]);
    expect(after).toEqual(before);
  });

  test("do not depend on the severity or on the other files of the report", () => {
    const alone = fingerprints([result("a.yaml", [keyofError])]);
    expect(fingerprints([result("a.yaml", [{ ...keyofError, severity: 1 }])])).toEqual(alone);
    expect(fingerprints([result("0.yaml", [keyofError]), result("a.yaml", [keyofError])])[1]).toBe(alone[0]!);
  });

  test("differ with the file, the rule or the message", () => {
    const all = fingerprints([
      result("a.yaml", [keyofError]),
      result("b.yaml", [keyofError]),
      result("a.yaml", [{ ...keyofError, ruleId: "blueprint/unique-ids" }]),
      result("a.yaml", [{ ...keyofError, message: '!KeyOf "other" refers to no entry' }]),
    ]);
    expect(new Set(all).size).toBe(4);
  });

  test("are unique in a report: the same problem twice in a file is counted, in report order", () => {
    const twice = fingerprints([result("a.yaml", [duplicate(19, 13), duplicate(25, 13), duplicate(31, 13)])]);
    expect(new Set(twice).size).toBe(3);
    // Fixing the last one leaves the first two as they were: GitLab reports one problem fixed.
    expect(fingerprints([result("a.yaml", [duplicate(19, 13), duplicate(25, 13)])])).toEqual(twice.slice(0, 2));
  });
});

describe("--format gitlab", () => {
  test("the example repo: one issue per problem, valid, fingerprints unique, paths relative to the working directory", async () => {
    const { code, stdout } = await runCli(["examples/homelab", "--format", "gitlab"]);
    const json = JSON.parse((await runCli(["examples/homelab", "--format", "json"])).stdout) as Array<{ filePath: string; messages: LintMessage[] }>;
    expect(code).toBe(1);
    const issues = parseReport(stdout);
    const messages = json.flatMap((entry) => entry.messages.map((message) => ({ entry, message })));
    expect(issues).toHaveLength(messages.length);
    expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(issues.length);
    issues.forEach((issue, index) => {
      const { entry, message } = messages[index]!;
      expect(issue.location.path).toBe(path.relative(projectRoot, entry.filePath));
      expect(issue.location.path).toStartWith("examples/homelab/");
      expect(issue.check_name).toBe(message.ruleId ?? "fatal");
      expect(issue.description).toBe(message.message);
      expect(issue.location.positions?.begin).toEqual({ line: message.line, column: message.column });
    });
    expect(issues[0]).toMatchObject({ check_name: "oidc/client-wiring", severity: "major", location: { path: "examples/homelab/ansible/playbooks/indri.yml" } });
  });

  test("from inside the repo, paths are relative to it; a clean repo writes [] to the output file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-gitlab-"));
    try {
      fs.cpSync(path.join(projectRoot, "examples/homelab"), path.join(dir, "homelab"), { recursive: true });
      const broken = await runCli(["--format", "gitlab"], { cwd: path.join(dir, "homelab") });
      expect(parseReport(broken.stdout)[0]!.location.path).toBe("ansible/playbooks/indri.yml");
      fs.cpSync(path.join(projectRoot, "test/projects/clean/repo"), path.join(dir, "clean"), { recursive: true });
      const clean = await runCli(["-f", "gitlab", "-o", "reports/codequality.json"], { cwd: path.join(dir, "clean") });
      expect(clean).toEqual({ code: 0, stdout: "", stderr: "" });
      expect(fs.readFileSync(path.join(dir, "clean/reports/codequality.json"), "utf8")).toBe("[]\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
