/**
 * kustomize's Kustomization files checked against kustomize's own types: every field name, at
 * every level, and the values kustomize reads (generator behaviors, image tags, replica counts).
 *
 * kustomize decodes a kustomization with unknown fields disallowed, so `resource:` for
 * `resources:` fails `kustomize build`, and with it the Argo CD or Flux sync, far from the
 * commit. An unknown generator `behavior` is worse: kustomize reads it as unset (create).
 */
import kustomizationSchema from "../../schemas/kubernetes/kustomization.json" with { type: "json" };
import { field, text } from "../../src/index/read.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { ruleDocsUrl } from "../../src/rule.ts";
import type { SchemaMessageId } from "../../src/schema/report.ts";
import { nearMissSchema, problemsWithNearMisses } from "../../src/schema/near-miss.ts";
import { reportSchemaProblems } from "../../src/schema/report.ts";

type MessageId = SchemaMessageId | "wrongApiVersion";

/**
 * The one apiVersion kustomize accepts for each kind: it fails the build with "apiVersion for
 * Component should be kustomize.config.k8s.io/v1alpha1" (and the same for Kustomization).
 */
const apiVersions = {
  Kustomization: "kustomize.config.k8s.io/v1beta1",
  Component: "kustomize.config.k8s.io/v1alpha1",
} as const;

const kustomization = nearMissSchema(kustomizationSchema);
/** A kustomize Component has a kustomization's fields under its own apiVersion and kind. */
const component = nearMissSchema({
  ...kustomizationSchema,
  title: `Component (${apiVersions.Component})`,
  properties: { ...kustomizationSchema.properties, apiVersion: { enum: [apiVersions.Component] }, kind: { enum: ["Component"] } },
});

const rule: GitopsRule<MessageId> = {
  meta: {
    type: "problem",
    docs: {
      description: "Kustomization files use only kustomize's fields, with values kustomize accepts",
      url: ruleDocsUrl("schema/kustomization"),
      recommended: true,
    },
    messages: {
      unknownKey:
        '{{at}}unknown field "{{key}}" (known here: {{allowed}}): kustomize reads kustomization files with unknown fields disallowed, so `kustomize build` fails, and with it the Argo CD or Flux sync. Remove it or move it where it belongs.',
      unknownKeyDidYouMean:
        '{{at}}unknown field "{{key}}"; did you mean "{{suggestion}}"? kustomize reads kustomization files with unknown fields disallowed, so `kustomize build` fails, and with it the Argo CD or Flux sync. Rename it to "{{suggestion}}".',
      missingKey: '{{at}}missing required field "{{key}}": `kustomize build` fails without it. Add "{{key}}".',
      wrongValue:
        '{{at}}{{detail}}: `kustomize build` fails on an unknown value, except for a generator\'s behavior, which it reads as unset ("create"): the generated object then collides with the one it was meant to merge into or replace.',
      wrongValueDidYouMean:
        '{{at}}{{detail}}; did you mean "{{suggestion}}"? `kustomize build` fails on an unknown value, except for a generator\'s behavior, which it reads as unset ("create"): the generated object then collides with the one it was meant to merge into or replace.',
      wrongType:
        '{{at}}{{detail}}: kustomize cannot decode the kustomization, so `kustomize build` fails. Write the value as that type, quoting a number meant as a string (newTag: "1.25").',
      invalid: "{{at}}{{detail}}: `kustomize build` fails.",
      wrongApiVersion:
        'apiVersion "{{apiVersion}}" is not the one kustomize reads for a {{kind}}: it accepts only "{{expected}}" (a {{otherKind}} takes "{{other}}"), so `kustomize build` fails, and with it the Argo CD or Flux sync. Write apiVersion: {{expected}}.',
    },
    schema: [],
  },
  create(context) {
    return {
      Kustomization(resource) {
        const kind = text(field(resource.node, "kind")) === "Component" ? "Component" : "Kustomization";
        const otherKind = kind === "Component" ? "Kustomization" : "Component";
        const problems = problemsWithNearMisses(resource.node, kind === "Component" ? component : kustomization);
        const apiVersion = problems.find((problem) => problem.path === "apiVersion" && problem.kind === "wrongValue");
        const written = apiVersion && text(apiVersion.node);
        if (apiVersion && written !== undefined) {
          context.report({
            node: apiVersion.node,
            messageId: "wrongApiVersion",
            data: { apiVersion: written, kind, expected: apiVersions[kind], otherKind, other: apiVersions[otherKind] },
          });
        }
        reportSchemaProblems(
          context,
          problems.filter((problem) => problem !== apiVersion || written === undefined),
        );
      },
    };
  },
};

export default rule;
