/**
 * An ExternalSecret syncs only if its `secretStoreRef` names a store that exists: a SecretStore
 * in the ExternalSecret's own namespace (`kind` defaults to SecretStore), or a
 * ClusterSecretStore. Stores the repo does not define may be listed in
 * `settings.externalSecrets.stores`. A repo that defines no store at all is not judged.
 */
import { findStore, storeRefKind, storeSettings } from "../../src/index/onepassword.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { involving, ruleDocsUrl } from "../../src/rule.ts";

type MessageId =
  | "clusterStoreWithoutKind"
  | "wrongKind"
  | "storeInOtherNamespace"
  | "unknownStore"
  | "unknownStoreDidYouMean";

const settingsHint = 'If the store is managed outside this repo, list it in settings.externalSecrets.stores ({ name: "{{name}}", kind: {{kind}} }).';

const rule: GitopsRule<MessageId> = {
  meta: {
    type: "problem",
    docs: {
      description: "Each ExternalSecret's `secretStoreRef` names a SecretStore or ClusterSecretStore the repo defines, with the right kind",
      url: ruleDocsUrl("external-secret/store-exists"),
      recommended: true,
    },
    messages: {
      clusterStoreWithoutKind:
        'secretStoreRef names "{{name}}" without a kind, so External Secrets looks for a SecretStore "{{name}}" in {{namespace}}; but "{{name}}" is a ClusterSecretStore ({{file}}). Add `kind: ClusterSecretStore` to secretStoreRef.',
      wrongKind:
        'secretStoreRef names {{kind}} "{{name}}", but "{{name}}" is a {{actualKind}} ({{file}}): External Secrets looks stores up by kind and name, so this one is never found. Set `kind: {{actualKind}}`.',
      storeInOtherNamespace:
        'secretStoreRef names SecretStore "{{name}}", which is defined in namespace "{{storeNamespace}}" ({{file}}), but this ExternalSecret is in namespace "{{namespace}}": a SecretStore serves its own namespace only. Define the store in "{{namespace}}" too, or use a ClusterSecretStore.',
      unknownStore: `no {{kind}} "{{name}}" in this repo (its stores: {{stores}}): the ExternalSecret cannot sync. Name one of them, or define the store. ${settingsHint}`,
      unknownStoreDidYouMean: `no {{kind}} "{{name}}" in this repo: the ExternalSecret cannot sync. Did you mean {{suggestion}} ({{file}})? ${settingsHint}`,
    },
    schema: [],
  },
  create(context) {
    const { index } = context.sourceCode;
    const stores = storeSettings(context.settings as Record<string, unknown>);

    return {
      ExternalSecret(secret) {
        const name = secret.storeRef?.name;
        const kind = secret.storeRef?.kind ?? "SecretStore";
        if (!name) return;
        const lookup = findStore(index, secret, stores);
        const data = { name: name.value, kind };
        // The chain: the stores of that name, or, for one that is missing, every store (one renamed).
        const storeFiles = "stores" in lookup ? lookup.stores.map((store) => store.file) : index.secretStores.map((store) => store.file);
        const report: typeof context.report = (descriptor) => context.report(involving(descriptor, storeFiles));
        switch (lookup.status) {
          // A repo that defines no store at all (and settings list none) keeps its stores
          // elsewhere, a Helm chart's values or another repo: nothing to compare with. A store
          // written inside another document (a chart's `extraObjects`) is defined.
          case "noStores":
          case "embedded":
          case "found":
          case "listed":
          case "skip":
            return;
          case "wrongKind": {
            const [store] = lookup.stores;
            const written = storeRefKind(secret);
            const file = store!.file.relPath;
            if (!written) {
              const namespace = secret.namespace === undefined ? "the ExternalSecret's namespace" : `namespace "${secret.namespace}"`;
              report({ node: name, messageId: "clusterStoreWithoutKind", data: { name: name.value, namespace, file } });
            } else {
              report({ node: written, messageId: "wrongKind", data: { ...data, actualKind: store!.kind, file } });
            }
            return;
          }
          case "otherNamespace": {
            const [store] = lookup.stores;
            report({
              node: name,
              messageId: "storeInOtherNamespace",
              data: { name: name.value, storeNamespace: store!.namespace ?? "?", namespace: secret.namespace ?? "?", file: store!.file.relPath },
            });
            return;
          }
          case "missing": {
            const { suggestion } = lookup;
            if (suggestion) {
              report({
                node: name,
                messageId: "unknownStoreDidYouMean",
                data: {
                  ...data,
                  suggestion: `${suggestion.kind ?? "store"} "${suggestion.name}"`,
                  file: suggestion.file ?? "settings.externalSecrets.stores",
                },
              });
              return;
            }
            const names = [
              ...index.secretStores.flatMap((store) => (store.name ? [`${store.kind} "${store.name.value}"`] : [])),
              ...stores.map((store) => `${store.kind ?? "store"} "${store.name}"`),
            ];
            report({ node: name, messageId: "unknownStore", data: { ...data, stores: [...new Set(names)].join(", ") || "none" } });
            return;
          }
        }
      },
    };
  },
};

export default rule;
