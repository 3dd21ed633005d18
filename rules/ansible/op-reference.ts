/**
 * 1Password references in Ansible (`op read "op://vault/item/field"`, and the
 * `community.general.onepassword` lookup): each `op://` is well formed, reads a vault the repo
 * knows, names its item and field as the rest of the repo does, and, in a vault the cluster's
 * 1Password store reads, a field some ExternalSecret reads too. A secret only a host reads may be
 * meant so, but it is worth saying: it is often the host's half of a secret the cluster shares.
 */
import type { OnePasswordJoin, OnePasswordUse, OpUriFinding } from "../../src/index/onepassword.ts";
import { isMisspelling, onePasswordJoin } from "../../src/index/onepassword.ts";
import type { GitopsRule, UncertainOptions } from "../../src/rule.ts";
import { involving, ruleDocsUrl, uncertainDefaults, uncertainSchema } from "../../src/rule.ts";
import type { ParsedFile } from "../../src/parse/index.ts";
import type { SourceLocation } from "../../src/types.ts";

type MessageId =
  | "unquotedSpace"
  | "wrongSegmentCount"
  | "emptySegment"
  | "unknownVault"
  | "vaultOutsideCluster"
  | "misspeltItem"
  | "misspeltField"
  | "ambiguousItem"
  | "ambiguousField"
  | "notReadInCluster";

const shape = "a 1Password secret reference is op://vault/item/field or op://vault/item/section/field";
const listIt = 'If that is intended, list "{{canonical}}" in settings.onepassword.references.';

/** What each path segment is, by how many there are. */
const segmentNames: Record<number, string[]> = {
  3: ["vault", "item", "field"],
  4: ["vault", "item", "section", "field"],
};

const rule: GitopsRule<MessageId, [UncertainOptions?]> = {
  meta: {
    type: "problem",
    docs: {
      description: "Each 1Password reference in Ansible is well formed and reads a field the repo knows",
      url: ruleDocsUrl("ansible/op-reference"),
      recommended: true,
      warningMessages: ["vaultOutsideCluster", "notReadInCluster"],
    },
    messages: {
      unquotedSpace:
        'the 1Password reference "{{reference}}" ends at the space before "{{next}}": a reference with a space in a name must be quoted, as in op read "{{reference}} {{next}}".',
      wrongSegmentCount: `"{{reference}}" has {{count}} path segment(s): ${shape}.`,
      emptySegment: `"{{reference}}" has an empty {{part}}: ${shape}, every name non-empty.`,
      unknownVault:
        '{{reference}} reads vault "{{vault}}", which no 1Password store of the repo reads (they read {{vaults}}): did you mean "{{suggestion}}"?',
      vaultOutsideCluster: `{{reference}} reads vault "{{vault}}", which no 1Password store of the repo reads (they read {{vaults}}): nothing in the cluster reads this secret. ${listIt}`,
      misspeltItem:
        '{{reference}} names item "{{written}}", which {{otherFile}} spells "{{other}}", and "{{written}}" is written nowhere else: 1Password finds items by exact name, so one of the two reads nothing. Use "{{other}}".',
      misspeltField:
        '{{reference}} names field "{{written}}" of item "{{item}}", which {{otherFile}} spells "{{other}}", and "{{written}}" is written nowhere else: 1Password finds fields by exact name, so one of the two reads nothing. Use "{{other}}".',
      ambiguousItem:
        '{{reference}} names item "{{written}}", which {{otherFile}} spells "{{other}}": 1Password finds items by exact name, so one of the two reads nothing. Use one spelling in both places.',
      ambiguousField:
        '{{reference}} names field "{{written}}" of item "{{item}}", which {{otherFile}} spells "{{other}}": 1Password finds fields by exact name, so one of the two reads nothing. Use one spelling in both places.',
      notReadInCluster: `{{reference}} reads item "{{item}}" field "{{field}}" of vault "{{vault}}", which {{store}} ({{storeFile}}) serves to the cluster, but no ExternalSecret reads that field: the secret may be meant for this host only, but nothing in the cluster reads it. ${listIt}`,
    },
    schema: uncertainSchema,
    defaultOptions: uncertainDefaults,
  },
  create(context) {
    const { index } = context.sourceCode;
    const settings = context.settings as Record<string, unknown>;

    const at = (use: { node: OnePasswordUse["node"]; loc?: SourceLocation }): { loc: SourceLocation } | { node: OnePasswordUse["node"] } =>
      use.loc ? { loc: use.loc } : { node: use.node };

    /** Reports a malformed `op://`; true when it is well formed. */
    function checkShape(finding: OpUriFinding): boolean {
      const { occurrence, reference, rest } = finding;
      const { segments } = occurrence;
      const where = at(finding);
      const next = /^ +([^\s"'`]+)/u.exec(rest)?.[1];
      if (occurrence.quote === undefined && segments.length < 3 && next?.includes("/")) {
        context.report({ ...where, messageId: "unquotedSpace", data: { reference, next } });
        return false;
      }
      const empty = segments.findIndex((segment) => segment.trim() === "");
      if (empty !== -1) {
        const part = segmentNames[segments.length]?.[empty];
        context.report({ ...where, messageId: "emptySegment", data: { reference, part: part ? `${part} name` : "segment" } });
        return false;
      }
      if (segments.length < 3 || segments.length > 4) {
        context.report({ ...where, messageId: "wrongSegmentCount", data: { reference, count: segments.length } });
        return false;
      }
      return true;
    }

    /** The chain of a reference the cluster is compared with: the repo's 1Password stores. */
    const storeFiles = (): ParsedFile[] => index.secretStores.filter((store) => store.vaults.length > 0).map((store) => store.file);

    function checkUse(join: OnePasswordJoin, use: OnePasswordUse, reference: string): void {
      const vault = use.vault?.written ?? "?";
      const canonical = `op://${vault}/${use.item.written}/${use.field.written}`;
      const status = join.clusterStatus(use);
      if (status.status === "otherVault") {
        const vaults = status.vaults.map((known) => `"${known}"`).join(", ");
        const suggestion = status.vaults.find((known) => isMisspelling(vault, known));
        if (suggestion !== undefined) {
          context.report(involving({ ...at(use), messageId: "unknownVault", data: { reference, vault, vaults, suggestion } }, storeFiles()));
        } else {
          context.report(involving({ ...at(use), messageId: "vaultOutsideCluster", data: { reference, vault, vaults, canonical } }, storeFiles()));
        }
        return;
      }
      const misspelling = join.misspellingOf(use);
      if (misspelling) {
        const item = misspelling.component === "item";
        context.report(involving({
          ...at(use),
          messageId: item ? (misspelling.ambiguous ? "ambiguousItem" : "misspeltItem") : misspelling.ambiguous ? "ambiguousField" : "misspeltField",
          data: { reference, written: misspelling.written, other: misspelling.other, item: misspelling.item, otherFile: misspelling.otherFile },
        }, [misspelling.otherFile]));
        return;
      }
      if (status.status === "notRead") {
        context.report(involving({
          ...at(use),
          messageId: "notReadInCluster",
          data: { reference, item: use.item.written, field: use.field.written, vault, store: status.store, storeFile: status.file, canonical },
        }, storeFiles()));
      }
    }

    return {
      File(file) {
        const join = onePasswordJoin(index, settings);
        for (const finding of join.opUris.get(file) ?? []) {
          if (!checkShape(finding) || !finding.use) continue;
          checkUse(join, finding.use, `"${finding.reference}"`);
        }
        for (const use of join.lookups.get(file) ?? []) checkUse(join, use, `the onepassword lookup of "${use.item.written}"`);
      },
    };
  },
};

export default rule;
