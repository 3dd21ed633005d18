/**
 * Ingresses (networking.k8s.io/v1) and Gateway API HTTPRoutes (gateway.networking.k8s.io v1 and
 * v1beta1) checked against their schemas: hosts, paths and backends, where a mistake means a
 * route that does not exist. An Ingress spec is small and stable and is checked in full; an
 * HTTPRoute's spec, rules and filters are open (the Gateway API still grows there), with near
 * misses of known fields reported.
 *
 * With strict field validation (kubectl's default, and Argo CD's) the API server rejects an
 * unknown field; without it the field is dropped: `hosts:` in an Ingress rule leaves the rule
 * matching every host.
 *
 * Values are read as Kubernetes reads them, by YAML 1.1's rules (an unquoted `on` is a boolean).
 */
import httpRouteSchema from "../../schemas/kubernetes/httproute.json" with { type: "json" };
import ingressSchema from "../../schemas/kubernetes/ingress.json" with { type: "json" };
import { patchFiles } from "../../src/index/kubernetes.ts";
import type { HTTPRoute, Ingress } from "../../src/index/model.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { ruleDocsUrl } from "../../src/rule.ts";
import type { SchemaProblem } from "../../src/schema/index.ts";
import type { SchemaMessageId, Yaml11MessageId } from "../../src/schema/report.ts";
import { nearMissSchema, problemsWithNearMisses } from "../../src/schema/near-miss.ts";
import { problemsOfPatch, reportSchemaProblems } from "../../src/schema/report.ts";

const ingress = nearMissSchema(ingressSchema);
const httpRoute = nearMissSchema(httpRouteSchema);

/** The HTTPRoute versions with this shape; v1alpha2 differs in its details and is not checked. */
const httpRouteVersions: ReadonlySet<string> = new Set(["gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1beta1"]);

const rule: GitopsRule<SchemaMessageId | Yaml11MessageId> = {
  meta: {
    type: "problem",
    docs: {
      description: "Ingresses and HTTPRoutes match their APIs: hosts, paths, path types, backends, TLS",
      url: ruleDocsUrl("schema/ingress"),
      recommended: true,
    },
    messages: {
      unknownKey:
        '{{at}}unknown field "{{key}}" (known here: {{allowed}}): kubectl and Argo CD reject it under strict field validation, and otherwise the API server drops it, so the route is not what it says. Remove it or move it where it belongs.',
      unknownKeyDidYouMean:
        '{{at}}unknown field "{{key}}"; did you mean "{{suggestion}}"? kubectl and Argo CD reject it under strict field validation, and otherwise the API server drops it, so the route is not what it says. Rename it to "{{suggestion}}".',
      missingKey: '{{at}}missing required field "{{key}}": the API server rejects the manifest without it, and the sync fails. Add "{{key}}".',
      wrongValue: "{{at}}{{detail}}: the API server rejects any other value, and the sync fails.",
      wrongValueDidYouMean:
        '{{at}}{{detail}}; did you mean "{{suggestion}}"? The API server rejects any other value (values are case-sensitive), and the sync fails.',
      wrongType:
        "{{at}}{{detail}}: the API server cannot decode the manifest and rejects it. Write the value as that type, quoting a number meant as a string.",
      invalid: "{{at}}{{detail}}: the API server rejects the manifest.",
      notStringInYaml11:
        "{{at}}{{written}} is read as {{reading}} by Kubernetes (YAML 1.1), but the field must be a string: the API server rejects the manifest and the sync fails. Quote it: {{quoted}}.",
    },
    schema: [],
  },
  create(context) {
    const report = (resource: Ingress | HTTPRoute, problems: SchemaProblem[]): void => {
      const patch = patchFiles(context.sourceCode.index.files).has(resource.file.relPath);
      reportSchemaProblems(context, patch ? problemsOfPatch(problems) : problems);
    };
    return {
      Ingress(resource) {
        // networking.k8s.io/v1beta1 and extensions/v1beta1 (serviceName, servicePort) are no longer served.
        if (resource.apiVersion !== "networking.k8s.io/v1") return;
        report(resource, problemsWithNearMisses(resource.node, ingress, "kubernetes"));
      },
      HTTPRoute(resource) {
        if (!httpRouteVersions.has(resource.apiVersion)) return;
        report(resource, problemsWithNearMisses(resource.node, httpRoute, "kubernetes"));
      },
    };
  },
};

export default rule;
