/**
 * Every rule has a page, `docs/rules/<id>.md`, with the same sections in the same order, and the
 * page agrees with the rule: its summary is the rule's description, its Options section names
 * exactly the option properties of the rule's schema (read from the rule when the test runs),
 * its Fix section says "no fix" exactly when the rule has none, its Messages section names every
 * message id, and it has a Settings section exactly when the rule reads settings. The config
 * file examples of Options and Settings load as the CLI loads a config file.
 *
 * The examples are run: each "Incorrect" example is a set of files ("`path`:" lines, each
 * followed by a fenced yaml block) and a fenced `text` block of what gitops-lint reports on them,
 * `path:line:column: severity: message` per line, compared exactly; each "Correct" example is
 * clean.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { rules } from "../rules/index.ts";
import { loadConfig } from "../src/config.ts";
import { ruleDocFile } from "../src/rule-docs.ts";
import type { GitopsRule } from "../src/rule.ts";
import { lintWith } from "./helpers/rule-tester.ts";

const projectRoot = path.resolve(import.meta.dir, "..");

/**
 * The `##` sections of every rule page, in this order. `Settings` is there only for a rule
 * that reads settings; the others are always there.
 */
const ruleDocSections = ["Why", "What is checked", "Messages", "Examples", "Options", "Fix", "Settings", "Limits"] as const;

/** The whole text of a Fix section for a rule that offers none. */
const noFixText = "This rule has no fix.";
/** The whole text of an Options section for a rule that takes none. */
const noOptionsText = "This rule has no options.";

interface RuleDoc {
  /** The `# ` heading: the rule id. */
  title: string;
  /** The first paragraph under the title: the rule's `meta.docs.description`. */
  summary: string;
  /** `##` sections in the order written, each with its text (subsections included), trimmed. */
  sections: { heading: string; body: string }[];
}

/** Splits a page into its title, summary and `##` sections; headings inside code fences are text. */
function parseRuleDoc(markdown: string): RuleDoc {
  const lines = markdown.replace(/\r\n/gu, "\n").split("\n");
  let title = "";
  const preamble: string[] = [];
  const sections: { heading: string; lines: string[] }[] = [];
  let fenced = false;
  for (const line of lines) {
    if (/^(```|~~~)/u.test(line)) fenced = !fenced;
    if (!fenced && line.startsWith("# ") && title === "" && sections.length === 0) title = line.slice(2).trim();
    else if (!fenced && line.startsWith("## ")) sections.push({ heading: line.slice(3).trim(), lines: [] });
    else (sections.at(-1)?.lines ?? preamble).push(line);
  }
  const summary = preamble.join("\n").trim().split(/\n\s*\n/u)[0] ?? "";
  return { title, summary, sections: sections.map(({ heading, lines: body }) => ({ heading, body: body.join("\n").trim() })) };
}

/** The text of a `###` subsection of a section. */
function subsection(body: string, heading: string): string {
  return body.split(/^### /mu).find((part) => part.startsWith(`${heading}\n`)) ?? "";
}

function exampleFiles(section: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const match of section.matchAll(/^`([^`]+)`:\n```ya?ml\n([\s\S]*?)^```$/gmu)) files[match[1]!] = match[2]!;
  return files;
}

/** The lines of the example's fenced `text` block: what gitops-lint reports. */
function reported(section: string): string[] | undefined {
  const block = /^```text\n([\s\S]*?)^```$/mu.exec(section);
  return block ? block[1]!.trimEnd().split("\n") : undefined;
}

function section(doc: RuleDoc, heading: string): string {
  return doc.sections.find((candidate) => candidate.heading === heading)?.body ?? "";
}

/** The option properties a rule's `meta.schema` accepts (ESLint's array form, or one object schema). */
function schemaOptions(rule: GitopsRule): string[] {
  const schema = rule.meta?.schema;
  const schemas = Array.isArray(schema) ? schema : schema ? [schema] : [];
  return schemas.flatMap((item) => Object.keys((item as { properties?: Record<string, unknown> }).properties ?? {})).sort();
}

/** Options are documented one per bullet: "- `name`: …". */
function documentedOptions(body: string): string[] {
  return [...body.matchAll(/^- `([^`]+)`/gmu)].map((match) => match[1]!).sort();
}

/** The section's config file example: a fenced yaml block whose first line is "# gitops-lint.config.yaml". */
function configExample(body: string): string | undefined {
  return /^```yaml\n(# gitops-lint\.config\.yaml\n[\s\S]*?)^```$/mu.exec(body)?.[1];
}

/** Loads a config file example as the CLI would; a config error (an unknown option, a wrong value) throws. */
async function loadExample(text: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-docs-config-"));
  try {
    fs.writeFileSync(path.join(dir, "gitops-lint.config.yaml"), text);
    return await loadConfig({ cwd: dir, root: dir, configFile: "gitops-lint.config.yaml", lookup: false });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function readsSettings(id: string): boolean {
  return fs.readFileSync(path.join(projectRoot, "rules", `${id}.ts`), "utf8").includes("context.settings");
}

describe("rule docs", () => {
  for (const [id, rule] of Object.entries(rules)) {
    const file = ruleDocFile(rule, id);
    const markdown = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const doc = parseRuleDoc(markdown);

    test(`${id} has a page at its meta.docs.url`, () => {
      expect(rule.meta?.docs?.url).toBe(`docs/rules/${id}.md`);
      expect(fs.existsSync(file)).toBe(true);
      expect(doc.title).toBe(id);
    });

    test(`${id}: the summary is the rule's description`, () => {
      expect(doc.summary).toBe(rule.meta?.docs?.description ?? "");
    });

    test(`${id}: the sections are there, in order`, () => {
      const expected = ruleDocSections.filter((heading) => heading !== "Settings" || readsSettings(id));
      expect(doc.sections.map((candidate) => candidate.heading)).toEqual([...expected]);
      for (const candidate of doc.sections) expect(candidate.body).not.toBe("");
      const examples = section(doc, "Examples");
      expect(examples.split(/^### /mu).slice(1).map((part) => part.split("\n")[0])).toEqual(["Incorrect", "Correct"]);
    });

    test(`${id}: the Messages section names every message id`, () => {
      const messages = section(doc, "Messages");
      for (const messageId of Object.keys(rule.meta?.messages ?? {})) expect(messages).toContain(`\`${messageId}\``);
    });

    test(`${id}: the Options section documents exactly the schema's options`, () => {
      const options = section(doc, "Options");
      const properties = schemaOptions(rule);
      expect(documentedOptions(options)).toEqual(properties);
      if (properties.length === 0) expect(options).toBe(noOptionsText);
      else expect(options).not.toContain(noOptionsText);
    });

    test(`${id}: the config examples of Options and Settings are valid config files`, async () => {
      const options = configExample(section(doc, "Options"));
      if (schemaOptions(rule).length === 0) expect(options).toBeUndefined();
      else {
        expect(options).toBeDefined();
        expect(Object.keys((parseYaml(options!) as { rules: object }).rules)).toEqual([id]);
        await loadExample(options!);
      }
      if (readsSettings(id)) {
        const settings = configExample(section(doc, "Settings"));
        expect(settings).toBeDefined();
        expect(Object.keys((await loadExample(settings!)).settings).length).toBeGreaterThan(0);
      }
    });

    test(`${id}: the Fix section says what the fix writes, or that there is none`, () => {
      const fix = section(doc, "Fix");
      if (rule.meta?.fixable === undefined) expect(fix).toBe(noFixText);
      else {
        expect(fix).not.toContain(noFixText);
        expect(fix).toContain("--fix");
        expect(fix).toContain("safe");
      }
      // Fixes that change a value someone wrote are named, as unsafe.
      for (const messageId of rule.meta?.docs?.unsafeFixMessages ?? []) expect(fix).toContain(`\`${messageId}\``);
      if ((rule.meta?.docs?.unsafeFixMessages ?? []).length > 0) expect(fix).toContain("--unsafe-fixes");
    });

    test(`${id}: the incorrect example reports exactly what the page says`, async () => {
      const incorrect = subsection(section(doc, "Examples"), "Incorrect");
      const files = exampleFiles(incorrect);
      expect(Object.keys(files).length).toBeGreaterThan(0);
      const expected = reported(incorrect);
      expect(expected).toBeDefined();
      const results = await lintWith(id, rule, files);
      const actual = [...results].flatMap(([relative, messages]) =>
        messages.map((message) => `${relative}:${message.line}:${message.column}: ${message.severity === 2 ? "error" : "warning"}: ${message.message}`),
      );
      expect(actual).toEqual(expected!);
      expect([...results.values()].flat().every((message) => message.ruleId === id && !message.fatal)).toBe(true);
    });

    test(`${id}: the correct example is clean`, async () => {
      const files = exampleFiles(subsection(section(doc, "Examples"), "Correct"));
      expect(Object.keys(files).length).toBeGreaterThan(0);
      expect([...(await lintWith(id, rule, files)).values()].flat()).toEqual([]);
    });
  }
});

describe("the docs test's readers", () => {
  test("a page's sections, summary and examples are read as written", async () => {
    const doc = parseRuleDoc(
      [
        "# blueprint/unique-ids",
        "",
        "No entry `id` appears twice in one blueprint",
        "",
        "More words.",
        "",
        "## Examples",
        "",
        "### Incorrect",
        "",
        "`b.yaml`:",
        "```yaml",
        "## not a heading",
        "```",
        "",
        "```text",
        "b.yaml:1:1: error: one",
        "```",
        "",
        "## Limits",
        "",
        "None.",
      ].join("\n"),
    );
    expect(doc.summary).toBe("No entry `id` appears twice in one blueprint");
    expect(doc.sections.map((candidate) => candidate.heading)).toEqual(["Examples", "Limits"]);
    const incorrect = subsection(section(doc, "Examples"), "Incorrect");
    expect(exampleFiles(incorrect)).toEqual({ "b.yaml": "## not a heading\n" });
    expect(reported(incorrect)).toEqual(["b.yaml:1:1: error: one"]);
    expect(documentedOptions("- `uncertain`: `\"warn\"`\n- `allowFields`: …\n  - `nested` is not one")).toEqual(["allowFields", "uncertain"]);
  });
});
