/**
 * `.j2` role templates: the root variables their `{{ … }}` expressions read, each with the exact
 * range of its name in the file.
 */
import { expect, test } from "bun:test";
import { parseFile } from "../../src/parse/index.ts";
import { templateVariables } from "../../src/parse/template.ts";

/** Each variable as its name and the text its range covers, which must be the name itself. */
function read(text: string): Array<[string, number]> {
  return templateVariables(text).map((variable) => {
    expect(text.slice(variable.range[0], variable.range[1])).toBe(variable.name);
    return [variable.name, variable.range[0]];
  });
}

test.each([
  ["{{ a }}", [["a", 3]]],
  ["x {{a}} y", [["a", 4]]],
  ["{{- a -}}", [["a", 4]]],
  ["{{ a.b | default(c) }}", [["a", 3], ["c", 17]]],
  ["{{ a['b'].c }}", [["a", 3]]],
  ["{{ a == b }}", [["a", 3], ["b", 8]]],
  ["{{ a != b and not c }}", [["a", 3], ["b", 8], ["c", 18]]],
  ["{{ x | replace('a', y) | regex_replace('^(.*)$', '\\\\1') }}", [["x", 3], ["y", 20]]],
  ["{{ items | selectattr('enabled', 'equalto', wanted) | map(attribute='name') | join(', ') }}", [["items", 3], ["wanted", 44]]],
  ["{{ lookup('env', 'X') }}", []],
  ["{{ query('community.general.onepassword', 'item', field='password') }}", []],
  ["{# comment {{ x }} #}", []],
  ["{#\n {{ x }}\n#}{{ y }}", [["y", 17]]],
  ["{% raw %}{{ y }}{% endraw %}", []],
  ["{%- raw -%}{{ y }}{%- endraw -%} {{ z }}", [["z", 36]]],
  ["{{ a ~ '}}' ~ b }}", [["a", 3], ["b", 14]]],
  ['{{ "{{ not_a_variable }}" ~ c }}', [["c", 28]]],
  ['{{ "say \\"x\\"" ~ d }}', [["d", 17]]],
  ["{{ x is defined and y is not none and z is not defined }}", [["x", 3], ["y", 20], ["z", 38]]],
  ["{{ v if v is string else w }}", [["v", 3], ["v", 8], ["w", 25]]],
  ["{{ item.name }} {{ loop.index }}", []],
  ["{{ 0x1F + n }}", [["n", 10]]],
  ["{{ dict(a=1, b=other) }}", [["other", 15]]],
] as const)("%s", (text, expected) => {
  expect(read(text)).toEqual(expected.map(([name, start]) => [name, start]));
});

test("an unterminated expression does not hide the ones after it", () => {
  expect(read('{{ "open }}\n{{ later }}')).toEqual([["later", 15]]);
});

test("parseFile reads a template's variables, with positions in the file", () => {
  const text = "[auth]\nclient_id = {{ forgejo_oidc.client_id }}\nsecret = {{ forgejo_oidc_secret | trim }}\n";
  const parsed = parseFile({ path: "/repo/roles/forgejo/templates/app.ini.j2", relPath: "roles/forgejo/templates/app.ini.j2", kind: "template" }, text);
  expect(parsed.documents).toEqual([]);
  expect(parsed.problems).toEqual([]);
  expect(parsed.variables.map((variable) => [variable.name, parsed.source.position(variable.range[0]), parsed.source.position(variable.range[1])])).toEqual([
    ["forgejo_oidc", { line: 2, column: 16 }, { line: 2, column: 28 }],
    ["forgejo_oidc_secret", { line: 3, column: 13 }, { line: 3, column: 32 }],
  ]);
});
