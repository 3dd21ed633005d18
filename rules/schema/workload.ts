/**
 * Deployments, StatefulSets and DaemonSets (apps/v1) checked against the parts of the Kubernetes
 * API that gitops-lint reads: the workload's spec and pod template, containers' env, envFrom,
 * volumeMounts, ports and resources, and volumes, strictly; the rest of a pod spec, a container
 * and metadata is open (probes, securityContext, affinity, tolerations are never flagged), and
 * only a near miss of a known field is reported there.
 *
 * With strict field validation (kubectl's default, and Argo CD's) the API server rejects an
 * unknown field; without it the field is dropped: a misspelt `secretKeyRef` leaves the env var
 * unset, with no error anywhere.
 *
 * Values are read as Kubernetes reads them, by YAML 1.1's rules: an unquoted `yes`, `on` or
 * `0755` where a string is due (an env var's value, an argument) is a boolean or number there.
 */
import workloads from "../../schemas/kubernetes/workload.json" with { type: "json" };
import { patchFiles } from "../../src/index/kubernetes.ts";
import type { Workload } from "../../src/index/model.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { ruleDocsUrl } from "../../src/rule.ts";
import { type NearMissSchema, nearMissSchema, problemsWithNearMisses } from "../../src/schema/near-miss.ts";
import { problemsOfPatch, reportSchemaProblems, type SchemaMessageId, type Yaml11MessageId } from "../../src/schema/report.ts";

const schemas: Record<Workload["kind"], NearMissSchema> = {
  Deployment: nearMissSchema({ ...workloads, $ref: "#/definitions/Deployment" }),
  StatefulSet: nearMissSchema({ ...workloads, $ref: "#/definitions/StatefulSet" }),
  DaemonSet: nearMissSchema({ ...workloads, $ref: "#/definitions/DaemonSet" }),
};

const rule: GitopsRule<SchemaMessageId | Yaml11MessageId> = {
  meta: {
    type: "problem",
    docs: {
      description:
        "Deployments, StatefulSets and DaemonSets match the Kubernetes API where gitops-lint reads them: containers, env, envFrom, volumeMounts, ports, resources, volumes",
      url: ruleDocsUrl("schema/workload"),
      recommended: true,
    },
    messages: {
      unknownKey:
        '{{at}}unknown field "{{key}}" (known here: {{allowed}}): kubectl and Argo CD reject it under strict field validation, and otherwise the API server drops it, so the setting never takes effect. Remove it or move it where it belongs.',
      unknownKeyDidYouMean:
        '{{at}}unknown field "{{key}}"; did you mean "{{suggestion}}"? kubectl and Argo CD reject it under strict field validation, and otherwise the API server drops it, so the setting never takes effect. Rename it to "{{suggestion}}".',
      missingKey: '{{at}}missing required field "{{key}}": the API server rejects the manifest without it, and the sync fails. Add "{{key}}".',
      wrongValue: "{{at}}{{detail}}: the API server rejects any other value, and the sync fails.",
      wrongValueDidYouMean:
        '{{at}}{{detail}}; did you mean "{{suggestion}}"? The API server rejects any other value (values are case-sensitive), and the sync fails.',
      wrongType:
        '{{at}}{{detail}}: the API server cannot decode the manifest and rejects it. Write the value as that type, quoting a number or boolean meant as a string (value: "true").',
      invalid: "{{at}}{{detail}}: the API server rejects the manifest.",
      notStringInYaml11:
        "{{at}}{{written}} is read as {{reading}} by Kubernetes (YAML 1.1), but the field must be a string: the API server rejects the manifest and the sync fails. Quote it: {{quoted}}.",
    },
    schema: [],
  },
  create(context) {
    return {
      Workload(workload) {
        // The beta API groups (extensions/v1beta1, apps/v1beta2) are no longer served at all.
        if (workload.apiVersion !== "apps/v1") return;
        const problems = problemsWithNearMisses(workload.node, schemas[workload.kind], "kubernetes");
        const patch = patchFiles(context.sourceCode.index.files).has(workload.file.relPath);
        reportSchemaProblems(context, patch ? problemsOfPatch(problems) : problems);
      },
    };
  },
};

export default rule;
