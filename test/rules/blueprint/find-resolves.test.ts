/**
 * blueprint/find-resolves: each `!Find` / `!FindObject` matches an object that a blueprint of the
 * repo declares or that authentik creates itself (schemas/blueprint/builtins.json). Valid input
 * includes every blueprint authentik ships and examples/homelab, whose only messages of this
 * rule are the deliberate defects its README lists.
 */
import { describe, expect, test } from "bun:test";
import fs from "node:fs";
import path from "node:path";
import rule from "../../../rules/blueprint/find-resolves.ts";
import builtins from "../../../schemas/blueprint/builtins.json" with { type: "json" };
import { buildBuiltins, referenceFiles, referencePath } from "../../../scripts/build-authentik-builtins.ts";
import { lintProject } from "../../../src/engine.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests } from "../../helpers/rule-tester.ts";

const ID = "blueprint/find-resolves";
const lines = (...text: string[]): string => `${text.join("\n")}\n`;
const indent = (spaces: number, text: string): string[] =>
  text
    .trimEnd()
    .split("\n")
    .map((line) => `${" ".repeat(spaces)}${line}`);

/** A blueprint whose one entry sets `attrs` to the given lines (each indented under `attrs:`). */
const withAttrs = (...attrs: string[]): string =>
  lines("version: 1", "entries:", "  - model: authentik_core.application", "    identifiers:", "      slug: app", "    attrs:", ...attrs.map((line) => `      ${line}`));

/** The groups `admins` and `family` (entries at lines 3 and 8). */
const groups = lines(
  "version: 1",
  "entries:",
  "  - model: authentik_core.group",
  "    identifiers:",
  "      name: admins",
  "    attrs:",
  "      is_superuser: true",
  "  - model: authentik_core.group",
  "    identifiers:",
  "      name: family",
);

const builtinTail =
  "authentik sets the value to null, which fails the entry where the field is required and silently drops the link where it is not.";

runRuleTests(ID, rule as GitopsRule, {
  valid: [
    {
      name: "lookups of what authentik creates itself: default flows, the self-signed certificate, scope mappings, the default brand",
      files: {
        "blueprints/app.yaml": withAttrs(
          "authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]",
          "invalidation_flow: !Find [authentik_flows.flow, [slug, default-provider-invalidation-flow]]",
          "signing_key: !Find [authentik_crypto.certificatekeypair, [name, authentik Self-signed Certificate]]",
          "property_mappings:",
          "  - !Find [authentik_providers_oauth2.scopemapping, [managed, goauthentik.io/providers/oauth2/scope-openid]]",
          "  - !Find [authentik_providers_oauth2.scopemapping, [scope_name, email]]",
          "brand: !Find [authentik_brands.brand, [domain, authentik-default], [default, true]]",
          "outpost: !FindObject [authentik_outposts.outpost, [managed, goauthentik.io/outposts/embedded]]",
          "group: !Find [authentik_core.group, [name, authentik Admins]]",
          "user: !Find [authentik_core.user, [username, akadmin]]",
        ),
      },
    },
    {
      name: "an object another blueprint file declares",
      files: {
        "blueprints/groups.yaml": groups,
        "blueprints/app.yaml": withAttrs("group: !Find [authentik_core.group, [name, family]]", "admins: !Find [authentik_core.group, [name, admins], [is_superuser, true]]"),
      },
    },
    {
      name: "an object a blueprint in a ConfigMap data key declares, and one of a file packed by a configMapGenerator",
      files: {
        "authentik/configmap.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: authentik-blueprints",
          "data:",
          "  groups.yaml: |",
          ...indent(4, groups),
          "  app.yaml: |",
          ...indent(4, withAttrs("group: !Find [authentik_core.group, [name, admins]]", "flow: !Find [authentik_flows.flow, [slug, media-login]]")),
        ),
        "authentik/kustomization.yaml": lines(
          "apiVersion: kustomize.config.k8s.io/v1beta1",
          "kind: Kustomization",
          "configMapGenerator:",
          "  - name: authentik-flows",
          "    files:",
          "      - blueprints/flows.yaml",
        ),
        "authentik/blueprints/flows.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_flows.flow",
          "    identifiers:",
          "      slug: media-login",
          "    attrs:",
          "      name: Media login",
          "      designation: authentication",
        ),
      },
    },
    {
      name: "the model part in any case, as Django resolves it",
      files: {
        "blueprints/groups.yaml": groups.replaceAll("authentik_core.group", "authentik_core.Group"),
        "blueprints/app.yaml": withAttrs(
          "flow: !Find [authentik_flows.Flow, [slug, default-authentication-flow]]",
          "group: !Find [authentik_core.group, [name, family]]",
        ),
      },
    },
    {
      name: "values written with tags are not judged",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "context:",
          "  flow_slug: nowhere",
          "entries:",
          "  - model: authentik_core.application",
          "    id: app",
          "    identifiers:",
          "      slug: app",
          "    attrs:",
          "      a: !Find [authentik_flows.flow, [slug, !Context flow_slug]]",
          '      b: !Find [authentik_flows.flow, [slug, !Format ["%s-flow", nowhere]]]',
          "      c: !Find [authentik_core.group, [name, !Env GROUP_NAME]]",
          "      d: !Find [authentik_policies.policybinding, [target, !KeyOf app]]",
          "      e: !Find [authentik_flows.flow, [!Context field, nowhere]]",
          '      f: !Find [!Format ["%s", authentik_flows.flow], [slug, nowhere]]',
        ),
      },
    },
    {
      name: "lookups across relations (field__field), primary keys and fields no declared object states are not judged",
      files: {
        "blueprints/app.yaml": withAttrs(
          "a: !Find [authentik_core.group, [users__username, alice]]",
          "b: !Find [authentik_flows.flow, [pk, 0b4a29d4-8b27-4f8f-a4ee-5bbd3a7e4e11]]",
          "c: !Find [authentik_flows.flow, [flow_uuid, 0b4a29d4-8b27-4f8f-a4ee-5bbd3a7e4e11]]",
          "d: !Find [authentik_flows.flow, [layout, stacked]]",
        ),
      },
    },
    {
      name: "templated values (Jinja, Flux) are filled in before authentik reads them",
      files: {
        "blueprints/app.yaml": withAttrs('a: !Find [authentik_flows.flow, [slug, "{{ login_flow }}"]]', 'b: !Find [authentik_flows.flow, [slug, "login-${CLUSTER}"]]'),
      },
    },
    {
      name: "an object declared through !Context to the top-level context, or with a default",
      files: {
        "blueprints/groups.yaml": lines(
          "version: 1",
          "context:",
          "  group_name: media",
          "entries:",
          "  - model: authentik_core.group",
          "    identifiers:",
          "      name: !Context group_name",
          "  - model: authentik_core.group",
          "    identifiers:",
          "      name: !Context [other_group, guests]",
        ),
        "blueprints/app.yaml": withAttrs("a: !Find [authentik_core.group, [name, media]]", "b: !Find [authentik_core.group, [name, guests]]"),
      },
    },
    {
      name: "an object declared with an anchor and a merge key",
      files: {
        "blueprints/groups.yaml": lines(
          "version: 1",
          "context:",
          "  defaults: &group",
          "    name: media",
          "    is_superuser: false",
          "entries:",
          "  - model: authentik_core.group",
          "    identifiers: *group",
          "  - model: authentik_core.group",
          "    identifiers:",
          "      <<: [*group]",
          "      name: guests",
          "    attrs: *group",
          "  - model: authentik_core.application",
          "    identifiers:",
          "      slug: app",
          "    attrs:",
          "      group: !Find [authentik_core.group, [name, media], [is_superuser, false]]",
          "      guests: !Find [authentik_core.group, [name, guests]]",
        ),
      },
    },
    {
      name: "an object whose value is known only at apply time matches any value",
      files: {
        "blueprints/groups.yaml": lines("version: 1", "entries:", "  - model: authentik_core.group", "    identifiers:", "      name: !Env MEDIA_GROUP"),
        "blueprints/app.yaml": withAttrs("group: !Find [authentik_core.group, [name, media]]"),
      },
    },
    {
      name: "an object whose value a template fills in (a Jinja-rendered blueprint) matches any value",
      files: {
        "blueprints/groups.yaml": lines("version: 1", "entries:", "  - model: authentik_core.group", "    identifiers:", '      name: "{{ media_group }}"'),
        "blueprints/app.yaml": withAttrs("group: !Find [authentik_core.group, [name, media]]"),
      },
    },
    {
      name: "objects declared behind conditions or !If still count",
      files: {
        "blueprints/groups.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_core.group",
          "    conditions:",
          "      - !Env ENABLE_MEDIA",
          "    identifiers:",
          "      name: media",
          "    attrs:",
          "      is_superuser: !If [!Env MEDIA_ADMINS, true, false]",
        ),
        "blueprints/app.yaml": withAttrs("group: !Find [authentik_core.group, [name, media], [is_superuser, true]]"),
      },
    },
    {
      name: "lookups that test whether something exists: conditions, !Condition, !If, and what they guard",
      files: {
        "blueprints/app.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_core.application",
          "    conditions:",
          "      - !Find [authentik_sources_ldap.ldapsource, [slug, ldap]]",
          "    identifiers:",
          "      slug: app",
          "    attrs:",
          "      source: !Find [authentik_sources_ldap.ldapsource, [slug, ldap]]",
          "      a: !Condition [NOR, !Find [authentik_brands.brand, [domain, auth.example.com]]]",
          "      b: !If [!Find [authentik_flows.flow, [slug, media-login]], !Find [authentik_flows.flow, [slug, media-login]], null]",
          "      c: !If [!FindObject [authentik_core.group, [name, media]]]",
        ),
      },
    },
    {
      name: "an unknown model or a malformed query is schema/blueprint's to report",
      files: {
        "blueprints/app.yaml": withAttrs(
          "a: !Find [authentik_flows.flows, [slug, nowhere]]",
          "b: !Find [authentik_flows.flow, slug, nowhere]",
          "c: !Find [authentik_core.group]",
          "d: !Find [authentik_core.group, [name]]",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a misspelt slug of one of authentik's own flows",
      filename: "blueprints/app.yaml",
      files: { "blueprints/app.yaml": withAttrs("invalidation_flow: !Find [authentik_flows.flow, [slug, default-provider-invalidaton-flow]]") },
      errors: [
        {
          messageId: "notFound",
          message: `!Find finds no authentik_flows.flow with slug "default-provider-invalidaton-flow": no blueprint in this repo declares one and authentik does not create one itself, so the lookup returns nothing and ${builtinTail} Nearest authentik_flows.flow: slug "default-provider-invalidation-flow" (authentik's blueprints/default/flow-default-provider-invalidation.yaml). Correct the query, or declare the object in a blueprint.`,
          severity: 2,
          line: 7,
          column: 26,
          endLine: 7,
          endColumn: 97,
        },
      ],
    },
    {
      name: "a group another blueprint file declares, misspelt: the nearest is named with its file and line",
      filename: "blueprints/app.yaml",
      files: { "blueprints/groups.yaml": groups, "blueprints/app.yaml": withAttrs("group: !Find [authentik_core.group, [name, familly]]") },
      errors: [
        {
          messageId: "notFound",
          data: { tag: "!Find", model: "authentik_core.group", query: 'name "familly"', nearest: 'name "family" (blueprints/groups.yaml:8)' },
          line: 7,
          column: 14,
          endLine: 7,
          endColumn: 59,
        },
      ],
    },
    {
      name: "in a ConfigMap: positions in the outer file",
      filename: "authentik/configmap.yaml",
      files: {
        "authentik/configmap.yaml": lines(
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata:",
          "  name: authentik-blueprints",
          "data:",
          "  groups.yaml: |",
          ...indent(4, groups),
          "  app.yaml: |-",
          ...indent(4, withAttrs("group: !Find [authentik_core.group, [name, admin]]")),
        ),
      },
      errors: [
        {
          messageId: "notFound",
          data: { tag: "!Find", model: "authentik_core.group", query: 'name "admin"', nearest: 'name "admins" (authentik/configmap.yaml:9)' },
          line: 24,
          column: 18,
          endLine: 24,
          endColumn: 61,
        },
      ],
    },
    {
      name: "an object deleted with state: absent is not declared",
      filename: "blueprints/app.yaml",
      files: {
        "blueprints/groups.yaml": lines(groups.trimEnd(), "    state: absent"),
        "blueprints/app.yaml": withAttrs("group: !Find [authentik_core.group, [name, family]]"),
      },
      errors: [
        {
          messageId: "notFound",
          data: { tag: "!Find", model: "authentik_core.group", query: 'name "family"', nearest: 'name "admins" (blueprints/groups.yaml:3)' },
          line: 7,
          column: 14,
          endLine: 7,
          endColumn: 58,
        },
      ],
    },
    {
      name: "every pair must match the same object",
      filename: "blueprints/app.yaml",
      files: { "blueprints/groups.yaml": groups, "blueprints/app.yaml": withAttrs("group: !FindObject [authentik_core.group, [name, admins], [is_superuser, false]]") },
      errors: [
        {
          messageId: "notFound",
          data: {
            tag: "!FindObject",
            model: "authentik_core.group",
            query: 'name "admins" and is_superuser false',
            nearest: 'name "admins", is_superuser true (blueprints/groups.yaml:3)',
          },
          line: 7,
          column: 14,
          endLine: 7,
          endColumn: 87,
        },
      ],
    },
    {
      name: "a lookup in a branch of an !If is judged, unless the condition tests the same model",
      filename: "blueprints/app.yaml",
      files: {
        "blueprints/groups.yaml": groups,
        "blueprints/app.yaml": withAttrs(
          "group: !If [!Env USE_FAMILY, !Find [authentik_core.group, [name, famly]], null]",
          "other: !If [!Find [authentik_core.group, [name, media]], !Find [authentik_core.group, [name, media]], null]",
        ),
      },
      errors: [{ messageId: "notFound", line: 7, column: 36, endLine: 7, endColumn: 79 }],
    },
    {
      name: "a model the repo declares none of, far from what authentik creates: a warning",
      filename: "blueprints/app.yaml",
      files: { "blueprints/app.yaml": withAttrs("group: !Find [authentik_core.group, [name, media]]") },
      errors: [
        {
          messageId: "notInRepo",
          message:
            '!Find finds no authentik_core.group with name "media" among the objects this repo\'s blueprints declare and authentik creates itself (nearest: name "authentik Admins" (authentik\'s blueprints/default/events-default.yaml)): if it is made outside blueprints (in the admin interface, by a source sync), this lookup is unverifiable; if not, the lookup returns nothing and authentik sets the value to null. Declare the object in a blueprint to have it checked.',
          severity: 1,
          line: 7,
          column: 14,
          endLine: 7,
          endColumn: 57,
        },
      ],
    },
    {
      name: "the repo declares other objects of the model, none close: a warning (others are made in the admin interface)",
      filename: "blueprints/app.yaml",
      files: { "blueprints/groups.yaml": groups, "blueprints/app.yaml": withAttrs("group: !Find [authentik_core.group, [name, media-viewers]]") },
      errors: [
        {
          messageId: "notInRepo",
          data: { tag: "!Find", model: "authentik_core.group", query: 'name "media-viewers"', nearest: 'name "admins" (blueprints/groups.yaml:3)' },
          severity: 1,
          line: 7,
          column: 14,
          endLine: 7,
          endColumn: 65,
        },
      ],
    },
    {
      name: "a naming field matches an object of the repo, another field contradicts it, the field not naming: a warning",
      filename: "blueprints/app.yaml",
      files: {
        "blueprints/flows.yaml": lines(
          "version: 1",
          "entries:",
          "  - model: authentik_flows.flow",
          "    identifiers:",
          "      slug: sign-in",
          "    attrs:",
          "      designation: authentication",
        ),
        "blueprints/app.yaml": withAttrs("flow: !Find [authentik_flows.flow, [designation, authentication], [slug, recovery]]"),
      },
      errors: [{ messageId: "notInRepo", severity: 1, line: 7, column: 13, endLine: 7, endColumn: 90 }],
    },
    {
      name: "a model nothing declares: a warning",
      filename: "blueprints/app.yaml",
      files: { "blueprints/app.yaml": withAttrs("source: !Find [authentik_sources_ldap.ldapsource, [slug, ldap]]") },
      errors: [
        {
          messageId: "notInRepo",
          data: {
            tag: "!Find",
            model: "authentik_sources_ldap.ldapsource",
            query: 'slug "ldap"',
            nearest: "none, no authentik_sources_ldap.ldapsource is declared",
          },
          severity: 1,
          line: 7,
          column: 15,
          endLine: 7,
          endColumn: 70,
        },
      ],
    },
  ],
});

describe(`${ID}: repos that must get no false alarm`, () => {
  test.skipIf(!fs.existsSync(referencePath))("every file authentik ships in ../shared/reference/authentik", async () => {
    const outcome = await lintProject({ cwd: referencePath, rules: { [ID]: rule as GitopsRule } });
    expect(outcome.files.length).toBeGreaterThan(40);
    expect(outcome.results.flatMap((result) => result.messages)).toEqual([]);
  });

});

describe("schemas/blueprint/builtins.json", () => {
  test("names authentik's version and where each object comes from", () => {
    expect(builtins.authentikVersion).toBe("2024.12.2");
    for (const object of builtins.objects) expect(object.from).toMatch(/^(blueprints\/|authentik\/)/u);
    const names = builtins.objects.map((object) => `${object.model} ${JSON.stringify(object.fields)}`);
    expect(names).toContain('authentik_crypto.certificatekeypair {"name":"authentik Self-signed Certificate"}');
    expect(names).toContain('authentik_brands.brand {"domain":"authentik-default","default":true}');
  });

  test.skipIf(!fs.existsSync(referencePath))("is what scripts/build-authentik-builtins.ts derives from authentik's blueprints", () => {
    expect(fs.readFileSync(path.resolve(import.meta.dir, "../../../schemas/blueprint/builtins.json"), "utf8")).toBe(buildBuiltins(referenceFiles()));
  });
});
