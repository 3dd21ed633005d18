/**
 * An ExternalSecret on a 1Password store reads each `data[].remoteRef` the way its provider
 * understands it (Connect: item `key`, field `property`; SDK: `key` as `item/[section/]field`),
 * and names each 1Password item and field the way the rest of the repo names them: a name
 * spelt here, and only here, a little differently than in another ExternalSecret or Ansible
 * reference means one of the two reads nothing.
 */
import { findStore, onePasswordJoin, onePasswordStoreOf, readRemoteRef, storeSettings } from "../../src/index/onepassword.ts";
import { field, isTemplated, keysOf } from "../../src/index/read.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { involving, ruleDocsUrl } from "../../src/rule.ts";

type MessageId =
  | "sdkKeyWithoutField"
  | "sdkPropertyIgnored"
  | "sdkVaultInKey"
  | "sdkMalformedKey"
  | "connectSlashKey"
  | "sdkFindUnsupported"
  | "misspeltItem"
  | "misspeltField"
  | "ambiguousItem"
  | "ambiguousField";

const sdk = "the 1Password SDK provider of {{store}} ({{file}}) reads key as item/[section/]field and ignores property";

const rule: GitopsRule<MessageId> = {
  meta: {
    type: "problem",
    docs: {
      description: "Each remoteRef on a 1Password store names an item and a field, spelt as elsewhere in the repo",
      url: ruleDocsUrl("external-secret/onepassword-ref"),
      recommended: true,
    },
    messages: {
      sdkKeyWithoutField: `remoteRef key "{{key}}" names no field: ${sdk}. Write key: "{{suggestion}}".`,
      sdkPropertyIgnored: `property "{{property}}" is not read: ${sdk}, so this reads field "{{field}}". Write key: "{{suggestion}}", or drop property.`,
      sdkVaultInKey:
        'remoteRef key "{{key}}" names vault "{{vault}}", but the 1Password SDK provider of {{store}} ({{file}}) already prefixes op://<its vault>/ and reads key as item/[section/]field. Write key: "{{suggestion}}".',
      sdkMalformedKey: `remoteRef key "{{key}}" has an empty segment or more than three: ${sdk}.`,
      sdkFindUnsupported:
        'dataFrom.find cannot be read from {{store}} ({{file}}): its 1Password SDK provider does not implement find, so the ExternalSecret fails to sync ("not implemented") and writes no Secret. Read each item with dataFrom.extract (key: the item title) or data[].remoteRef.',
      connectSlashKey:
        'the 1Password Connect provider of {{store}} ({{file}}) reads key "{{key}}" as the title of one item, not as item/field, so it finds no item. Write key: "{{item}}" and property: "{{field}}".',
      misspeltItem:
        'item "{{written}}" is spelt "{{other}}" in {{otherFile}}, and "{{written}}" nowhere else: 1Password finds items by exact name, so one of the two reads nothing. Use "{{other}}".',
      misspeltField:
        'field "{{written}}" of item "{{item}}" is spelt "{{other}}" in {{otherFile}}, and "{{written}}" nowhere else: 1Password finds fields by exact name, so one of the two reads nothing. Use "{{other}}".',
      ambiguousItem:
        'item "{{written}}" is spelt "{{other}}" in {{otherFile}}: 1Password finds items by exact name, so one of the two reads nothing. Use one spelling in both places.',
      ambiguousField:
        'field "{{written}}" of item "{{item}}" is spelt "{{other}}" in {{otherFile}}: 1Password finds fields by exact name, so one of the two reads nothing. Use one spelling in both places.',
    },
    schema: [],
  },
  create(context) {
    const { index } = context.sourceCode;
    const settings = context.settings as Record<string, unknown>;
    const stores = storeSettings(settings);

    return {
      ExternalSecret(secret) {
        const store = onePasswordStoreOf(index, secret, stores);
        if (!store) return;
        const join = onePasswordJoin(index, settings);
        const where = { store: store.description, file: store.file };
        // The chain: the store, whose provider decides how a remoteRef is read.
        const lookup = findStore(index, secret, stores);
        const storeFiles = lookup.status === "found" ? lookup.stores.map((found) => found.file) : [];
        const report = (descriptor: Parameters<typeof context.report>[0], ...others: string[]): void =>
          context.report(involving(descriptor, [...storeFiles, ...others]));
        if (store.provider === "onepasswordSDK") {
          // ESO's onepasswordSDK provider answers GetAllSecrets, which dataFrom.find calls, with
          // "not implemented"; extract (GetSecretMap) and remoteRef (GetSecret) are read. An
          // entry with its own sourceRef reads another store or a generator.
          for (const entry of secret.dataFrom) {
            if (field(entry, "sourceRef") !== undefined) continue;
            const find = keysOf(entry).find((key) => key.value === "find");
            if (find) report({ node: find.node, messageId: "sdkFindUnsupported", data: where });
          }
        }
        for (const item of secret.data) {
          const key = item.remoteKey;
          if (!key || field(item.node, "sourceRef") !== undefined || isTemplated(key.value)) continue;
          const property = item.property;
          const reading = readRemoteRef(store.provider, key.value, property?.value, store.vaults);
          switch (reading.kind) {
            case "noField":
              report({
                node: key,
                messageId: "sdkKeyWithoutField",
                data: { ...where, key: key.value, suggestion: `${key.value}/${property?.value ?? "<field>"}` },
              });
              continue;
            case "malformed":
              report({ node: key, messageId: "sdkMalformedKey", data: { ...where, key: key.value } });
              continue;
            case "vaultInKey":
              report({ node: key, messageId: "sdkVaultInKey", data: { ...where, key: key.value, vault: reading.vault, suggestion: reading.suggestion } });
              continue;
            case "slashKey":
              report({ node: key, messageId: "connectSlashKey", data: { ...where, key: key.value, item: reading.item, field: reading.field } });
              continue;
            case "field":
              break;
          }
          if (store.provider === "onepasswordSDK" && property && property.value.toLowerCase() !== reading.field.toLowerCase()) {
            const path = key.value.split("?")[0]!.replace(/^\//u, "").split("/");
            const suggestion = [...path.slice(0, -1), property.value].join("/");
            report({
              node: property,
              messageId: "sdkPropertyIgnored",
              data: { ...where, property: property.value, field: reading.field, suggestion },
            });
            continue;
          }
          const use = join.dataUses.get(item);
          const misspelling = use ? join.misspellingOf(use) : undefined;
          if (!use || !misspelling) continue;
          const itemComponent = misspelling.component === "item";
          report({
            node: (itemComponent ? use.itemNode : use.fieldNode) ?? key.node,
            messageId: itemComponent
              ? misspelling.ambiguous ? "ambiguousItem" : "misspeltItem"
              : misspelling.ambiguous ? "ambiguousField" : "misspeltField",
            data: { written: misspelling.written, other: misspelling.other, item: misspelling.item, otherFile: misspelling.otherFile },
          }, misspelling.otherFile);
        }
      },
    };
  },
};

export default rule;
