/**
 * SecretStores and ClusterSecretStores checked against External Secrets' own CRD schema, version
 * by version (`schemas/external-secrets/`, derived from upstream): the provider's name, and the
 * 1Password Connect, 1Password SDK, Kubernetes and Vault providers in full (other providers are
 * accepted as any mapping), and an apiVersion the operator does not serve.
 *
 * A store the API server rejects, or one the operator cannot use, fails every ExternalSecret
 * that references it: none of their Secrets appears, and the workloads that read them do not
 * start.
 */
import v1 from "../../schemas/external-secrets/secret-store.v1.json" with { type: "json" };
import v1beta1 from "../../schemas/external-secrets/secret-store.v1beta1.json" with { type: "json" };
import type { GitopsRule } from "../../src/rule.ts";
import { ruleDocsUrl } from "../../src/rule.ts";
import { type ExternalSecretsMessageId, reportResourceProblems, wrongApiVersion } from "./external-secret.ts";

const rule: GitopsRule<ExternalSecretsMessageId> = {
  meta: {
    type: "problem",
    docs: {
      description: "SecretStores and ClusterSecretStores match External Secrets' CRD schema (v1 and v1beta1), apiVersion included",
      url: ruleDocsUrl("schema/secret-store"),
      recommended: true,
    },
    messages: {
      unknownKey:
        '{{at}}unknown key "{{key}}" (known: {{allowed}}): under strict field validation (kubectl\'s default) the API server rejects the store, otherwise it drops the field and the operator connects without it. Remove or rename it.',
      unknownKeyDidYouMean:
        '{{at}}unknown key "{{key}}"; did you mean "{{suggestion}}"? Under strict field validation (kubectl\'s default) the API server rejects the store, otherwise it drops the field and the operator connects without it. Rename it to "{{suggestion}}".',
      missingKey:
        '{{at}}{{detail}}: the API server rejects the store, so every ExternalSecret that references it fails to sync and none of their Secrets appears. Add "{{key}}".',
      wrongValue:
        "{{at}}{{detail}}: the API server rejects the store, so every ExternalSecret that references it fails to sync. Use one of the allowed values (they are case-sensitive).",
      wrongValueDidYouMean:
        '{{at}}{{detail}}; did you mean "{{suggestion}}"? The API server rejects the store (values are case-sensitive), so every ExternalSecret that references it fails to sync.',
      wrongType:
        "{{at}}{{detail}}: the API server rejects the store, so every ExternalSecret that references it fails to sync. Write the value as that type.",
      invalid: "{{at}}{{detail}}: the API server rejects the store, so every ExternalSecret that references it fails to sync.",
      notStringInYaml11:
        "{{at}}{{written}} is read as {{reading}} by Kubernetes (YAML 1.1), but the field must be a string: the API server rejects the store, so every ExternalSecret that references it fails to sync. Quote it: {{quoted}}.",
      onlyInV1:
        '{{at}}"{{key}}" exists only in external-secrets.io/v1, not in v1beta1: under strict field validation (kubectl\'s default) the API server rejects the store, otherwise it drops the field and the operator connects without it. Change apiVersion to "external-secrets.io/v1" (External Secrets 0.17 and later serve only v1).',
      wrongApiVersion:
        'apiVersion "{{apiVersion}}" is not served by External Secrets: the API server has no {{kind}} there ("no matches for kind"), so every ExternalSecret that references the store fails to sync and none of their Secrets appears. Use "external-secrets.io/v1" ("external-secrets.io/v1beta1" is served only before External Secrets 0.17).',
    },
    schema: [],
  },
  create(context) {
    return {
      Document(document) {
        const wrong = wrongApiVersion(document, ["SecretStore", "ClusterSecretStore"]);
        if (wrong) context.report({ node: wrong.node, messageId: "wrongApiVersion", data: { apiVersion: wrong.apiVersion, kind: wrong.kind } });
      },
      SecretStore(resource) {
        // SecretStore and ClusterSecretStore share one spec upstream, so one schema per version.
        reportResourceProblems(context, resource, { v1, v1beta1 });
      },
    };
  },
};

export default rule;
