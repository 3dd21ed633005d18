/**
 * ExternalSecrets checked against External Secrets' own CRD schema, version by version
 * (`schemas/external-secrets/`, derived from upstream): unknown keys, missing `secretKey` or
 * `remoteRef.key`, wrong enum values (`creationPolicy`, `mergePolicy`, …), and an apiVersion the
 * operator does not serve.
 *
 * None of these fails at commit time: the API server rejects the ExternalSecret when it is
 * applied (or prunes an unknown field when field validation is not strict), the operator never
 * syncs it, and the Secret the workloads read never appears.
 */
import type { Node } from "yaml";
import v1 from "../../schemas/external-secrets/external-secret.v1.json" with { type: "json" };
import v1beta1 from "../../schemas/external-secrets/external-secret.v1beta1.json" with { type: "json" };
import { patchFiles } from "../../src/index/kubernetes.ts";
import type { ExternalSecret, SecretStore } from "../../src/index/model.ts";
import { field, text } from "../../src/index/read.ts";
import type { YamlDocument } from "../../src/parse/yaml.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { ruleDocsUrl } from "../../src/rule.ts";
import { checkNode, editDistance, type SchemaProblem } from "../../src/schema/index.ts";
import {
  yaml11MessageIdOf,
  messageData,
  problemsOfPatch,
  type reportSchemaProblems,
  type SchemaMessageId,
  type Yaml11MessageId,
} from "../../src/schema/report.ts";

const group = "external-secrets.io";

/** The message ids of both External Secrets schema rules. */
export type ExternalSecretsMessageId = SchemaMessageId | Yaml11MessageId | "onlyInV1" | "wrongApiVersion";

/** One kind's schema for each version External Secrets serves. */
export interface VersionedSchemas {
  v1: object;
  v1beta1: object;
}

/**
 * The versions External Secrets serves, by apiVersion: `v1` since 0.16, `v1beta1` until 0.16
 * (0.17 stopped serving it). Each has a schema of its own: `v1` added fields `v1beta1` rejects.
 */
const servedVersions = new Map<string, keyof VersionedSchemas>([
  [`${group}/v1`, "v1"],
  [`${group}/v1beta1`, "v1beta1"],
]);

type SchemaContext = Parameters<typeof reportSchemaProblems>[0];

export interface WrongApiVersion {
  node: Node;
  apiVersion: string;
  kind: string;
}

/**
 * A document of one of `kinds` whose apiVersion External Secrets does not serve: a version it
 * never had (`external-secrets.io/v2`) or a misspelt group (`externalsecrets.io/v1`). The index
 * reads only `external-secrets.io/` documents, so this looks at the document itself. A group far
 * from External Secrets' is another project's resource of the same kind, and is left alone.
 */
export function wrongApiVersion(document: YamlDocument, kinds: readonly string[]): WrongApiVersion | undefined {
  const root = document.doc.contents;
  const kind = text(field(root, "kind"));
  if (kind === undefined || !kinds.includes(kind)) return undefined;
  const node = field(root, "apiVersion");
  const apiVersion = text(node);
  if (!node || apiVersion === undefined || servedVersions.has(apiVersion)) return undefined;
  const written = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : apiVersion;
  return editDistance(written.toLowerCase(), group, 2) <= 2 ? { node, apiVersion, kind } : undefined;
}

/**
 * Checks a resource against the schema of its apiVersion and reports each problem (but for
 * required fields, in a kustomize patch, which holds only what it changes). Under
 * v1beta1, a key that only v1 knows (`nullBytePolicy`, the 1Password SDK provider's `cache`) gets a message
 * of its own: the fix is the apiVersion, not the key. Any other apiVersion is left to
 * `wrongApiVersion`: fields cannot be judged against a version that does not exist.
 */
export function reportResourceProblems(context: SchemaContext, resource: ExternalSecret | SecretStore, schemas: VersionedSchemas): void {
  const { node, apiVersion } = resource;
  const version = servedVersions.get(apiVersion);
  if (!version) return;
  // The API server reads the manifest by YAML 1.1's rules: an unquoted `yes` is a boolean.
  const all = checkNode(node, schemas[version], "kubernetes");
  const problems = patchFiles(context.sourceCode.index.files).has(resource.file.relPath) ? problemsOfPatch(all) : all;
  const identity = (problem: SchemaProblem): string => `${problem.path}|${problem.key ?? ""}`;
  const unknownInV1 =
    version === "v1beta1" && problems.some((problem) => problem.kind === "unknownKey")
      ? new Set(checkNode(node, schemas.v1, "kubernetes").filter((problem) => problem.kind === "unknownKey").map(identity))
      : undefined;
  for (const problem of problems) {
    const onlyInV1 = unknownInV1 !== undefined && problem.kind === "unknownKey" && !unknownInV1.has(identity(problem));
    context.report({ node: problem.node, messageId: onlyInV1 ? "onlyInV1" : yaml11MessageIdOf(problem), data: messageData(problem) });
  }
}

const rule: GitopsRule<ExternalSecretsMessageId> = {
  meta: {
    type: "problem",
    docs: {
      description: "ExternalSecrets match External Secrets' CRD schema (v1 and v1beta1), apiVersion included",
      url: ruleDocsUrl("schema/external-secret"),
      recommended: true,
    },
    messages: {
      unknownKey:
        '{{at}}unknown key "{{key}}" (known: {{allowed}}): under strict field validation (kubectl\'s default) the API server rejects the ExternalSecret, otherwise it drops the field and the operator syncs without it. Remove or rename it.',
      unknownKeyDidYouMean:
        '{{at}}unknown key "{{key}}"; did you mean "{{suggestion}}"? Under strict field validation (kubectl\'s default) the API server rejects the ExternalSecret, otherwise it drops the field and the operator syncs without it. Rename it to "{{suggestion}}".',
      missingKey:
        '{{at}}{{detail}}: the API server rejects the ExternalSecret, so the operator never syncs it and the Secret never appears (a workload that reads it does not start). Add "{{key}}".',
      wrongValue:
        "{{at}}{{detail}}: the API server rejects the ExternalSecret, so the operator never syncs it and the Secret is not created or updated. Use one of the allowed values (they are case-sensitive).",
      wrongValueDidYouMean:
        '{{at}}{{detail}}; did you mean "{{suggestion}}"? The API server rejects the ExternalSecret (values are case-sensitive), so the operator never syncs it and the Secret is not created or updated.',
      wrongType:
        "{{at}}{{detail}}: the API server rejects the ExternalSecret, so the operator never syncs it and the Secret is not created or updated. Write the value as that type.",
      invalid:
        "{{at}}{{detail}}: the API server rejects the ExternalSecret, so the operator never syncs it and the Secret is not created or updated.",
      notStringInYaml11:
        "{{at}}{{written}} is read as {{reading}} by Kubernetes (YAML 1.1), but the field must be a string: the API server rejects the ExternalSecret, so the operator never syncs it and the Secret is not created or updated. Quote it: {{quoted}}.",
      onlyInV1:
        '{{at}}"{{key}}" exists only in external-secrets.io/v1, not in v1beta1: under strict field validation (kubectl\'s default) the API server rejects the ExternalSecret, otherwise it drops the field and the operator syncs without it. Change apiVersion to "external-secrets.io/v1" (External Secrets 0.17 and later serve only v1).',
      wrongApiVersion:
        'apiVersion "{{apiVersion}}" is not served by External Secrets: the API server has no {{kind}} there ("no matches for kind"), so the operator never syncs it, the Secret never appears and a workload that reads it does not start. Use "external-secrets.io/v1" ("external-secrets.io/v1beta1" is served only before External Secrets 0.17).',
    },
    schema: [],
  },
  create(context) {
    return {
      Document(document) {
        const wrong = wrongApiVersion(document, ["ExternalSecret"]);
        if (wrong) context.report({ node: wrong.node, messageId: "wrongApiVersion", data: { apiVersion: wrong.apiVersion, kind: wrong.kind } });
      },
      ExternalSecret(resource) {
        reportResourceProblems(context, resource, { v1, v1beta1 });
      },
    };
  },
};

export default rule;
