/**
 * schema/ingress: Ingresses (networking.k8s.io/v1) and HTTPRoutes (gateway.networking.k8s.io
 * v1, v1beta1) against their schemas; each single mistake gives exactly one message.
 */
import { expect, test } from "bun:test";
import path from "node:path";
import rule from "../../../rules/schema/ingress.ts";
import { lintProject } from "../../../src/engine.ts";
import type { GitopsRule } from "../../../src/rule.ts";
import { runRuleTests } from "../../helpers/rule-tester.ts";

const lines = (...text: string[]): string => `${text.join("\n")}\n`;

/** An Ingress with one rule whose body is `rule` (indented by 6). */
const ingress = (...rule: string[]): string =>
  lines("apiVersion: networking.k8s.io/v1", "kind: Ingress", "metadata:", "  name: app", "spec:", "  ingressClassName: traefik", "  rules:", ...rule);

/** An HTTPRoute whose spec's body is `spec` (indented by 2). */
const httpRoute = (...spec: string[]): string =>
  lines("apiVersion: gateway.networking.k8s.io/v1", "kind: HTTPRoute", "metadata:", "  name: app", "spec:", ...spec);

test("examples/homelab gives no message", async () => {
  const outcome = await lintProject({ cwd: path.resolve(import.meta.dir, "../../../examples/homelab"), rules: { "schema/ingress": rule as GitopsRule } });
  expect(outcome.results.flatMap((result) => result.messages)).toEqual([]);
});

runRuleTests("schema/ingress", rule as GitopsRule, {
  valid: [
    {
      name: "a patch deletes an HTTPRoute's parentRef and an Ingress TLS entry with $patch: delete",
      files: {
        "apps/web/kustomization.yaml": lines("resources:", "  - route.yaml", "  - ingress.yaml", "patches:", "  - path: internal-only.yaml"),
        "apps/web/route.yaml": httpRoute(
          "  parentRefs:",
          "    - name: external",
          "    - name: internal",
          "  rules:",
          "    - backendRefs:",
          "        - name: web",
          "          port: 80",
        ),
        "apps/web/ingress.yaml": ingress("    - host: web.example.org"),
        "apps/web/internal-only.yaml": lines(
          "apiVersion: gateway.networking.k8s.io/v1",
          "kind: HTTPRoute",
          "metadata:",
          "  name: app",
          "spec:",
          "  parentRefs:",
          "    - name: external",
          "      $patch: delete",
          "---",
          "apiVersion: networking.k8s.io/v1",
          "kind: Ingress",
          "metadata:",
          "  name: app",
          "spec:",
          "  tls:",
          "    - $patch: replace",
          "    - secretName: internal-tls",
        ),
      },
    },
    {
      name: "an Ingress with TLS, several rules, a default backend and every path type",
      files: {
        "apps/web/ingress.yaml": lines(
          "apiVersion: networking.k8s.io/v1",
          "kind: Ingress",
          "metadata:",
          "  name: web",
          "  annotations:",
          "    cert-manager.io/cluster-issuer: letsencrypt",
          "    traefik.ingress.kubernetes.io/router.middlewares: web-auth@kubernetescrd",
          "spec:",
          "  ingressClassName: traefik",
          "  defaultBackend:",
          "    resource:",
          "      apiGroup: k8s.example.com",
          "      kind: StorageBucket",
          "      name: static-assets",
          "  tls:",
          "    - hosts:",
          "        - web.example.org",
          "        - api.example.org",
          "      secretName: web-tls",
          "    - secretName: wildcard-tls",
          "  rules:",
          "    - host: web.example.org",
          "      http:",
          "        paths:",
          "          - path: /",
          "            pathType: Prefix",
          "            backend:",
          "              service:",
          "                name: web",
          "                port:",
          "                  name: http",
          "          - path: /healthz",
          "            pathType: Exact",
          "            backend:",
          "              service:",
          "                name: web",
          "                port:",
          "                  number: 8080",
          "    - host: api.example.org",
          "      http:",
          "        paths:",
          "          - pathType: ImplementationSpecific",
          "            backend:",
          "              service:",
          "                name: api",
          "                port:",
          "                  number: 80",
        ),
      },
    },
    {
      name: "an HTTPRoute with matches, filters, weighted backends and timeouts",
      files: {
        "apps/web/httproute.yaml": lines(
          "apiVersion: gateway.networking.k8s.io/v1",
          "kind: HTTPRoute",
          "metadata:",
          "  name: web",
          "spec:",
          "  parentRefs:",
          "    - name: gateway",
          "      namespace: gateway",
          "      sectionName: https",
          "  hostnames:",
          "    - web.example.org",
          "  rules:",
          "    - name: api",
          "      matches:",
          "        - path:",
          "            type: PathPrefix",
          "            value: /api",
          "          headers:",
          "            - name: X-Canary",
          '              value: "true"',
          "          method: GET",
          "        - queryParams:",
          "            - type: RegularExpression",
          "              name: version",
          "              value: ^v2",
          "      filters:",
          "        - type: RequestHeaderModifier",
          "          requestHeaderModifier:",
          "            add:",
          "              - name: X-Forwarded-Prefix",
          "                value: /api",
          "      backendRefs:",
          "        - name: api-v1",
          "          port: 8080",
          "          weight: 90",
          "        - name: api-v2",
          "          port: 8080",
          "          weight: 10",
          "      timeouts:",
          "        request: 10s",
          "    - backendRefs:",
          "        - name: web",
          "          port: 80",
          "      retry:",
          "        attempts: 2",
        ),
      },
    },
    {
      name: "an HTTPRoute of v1beta1",
      files: {
        "httproute.yaml": lines(
          "apiVersion: gateway.networking.k8s.io/v1beta1",
          "kind: HTTPRoute",
          "metadata:",
          "  name: web",
          "spec:",
          "  parentRefs:",
          "    - name: gateway",
          "  rules:",
          "    - backendRefs:",
          "        - name: web",
          "          port: 80",
        ),
      },
    },
    {
      name: "an Ingress of a beta API group is not checked (no cluster serves it)",
      files: {
        "ingress.yaml": lines(
          "apiVersion: networking.k8s.io/v1beta1",
          "kind: Ingress",
          "metadata:",
          "  name: web",
          "spec:",
          "  rules:",
          "    - host: web.example.org",
          "      http:",
          "        paths:",
          "          - path: /",
          "            backend:",
          "              serviceName: web",
          "              servicePort: 80",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a backend Service name Kubernetes reads as a boolean (YAML 1.1)",
      filename: "ingress.yaml",
      files: {
        "ingress.yaml": ingress(
          "    - host: app.example.org",
          "      http:",
          "        paths:",
          "          - path: /",
          "            pathType: Prefix",
          "            backend:",
          "              service:",
          "                name: on",
          "                port:",
          "                  number: 80",
        ),
      },
      errors: [
        {
          messageId: "notStringInYaml11",
          message:
            'spec.rules[0].http.paths[0].backend.service.name: on is read as the boolean true by Kubernetes (YAML 1.1), but the field must be a string: the API server rejects the manifest and the sync fails. Quote it: "on".',
          line: 15,
          column: 23,
          endLine: 15,
          endColumn: 25,
        },
      ],
    },
    {
      name: "pathType in lower case",
      filename: "ingress.yaml",
      files: {
        "ingress.yaml": ingress(
          "    - host: app.example.org",
          "      http:",
          "        paths:",
          "          - path: /",
          "            pathType: prefix",
          "            backend:",
          "              service:",
          "                name: app",
          "                port:",
          "                  name: http",
        ),
      },
      errors: [
        {
          messageId: "wrongValueDidYouMean",
          message:
            'spec.rules[0].http.paths[0].pathType: "prefix" is not one of "Exact", "Prefix", "ImplementationSpecific"; did you mean "Prefix"? The API server rejects any other value (values are case-sensitive), and the sync fails.',
          line: 12,
          column: 23,
          endLine: 12,
          endColumn: 29,
        },
      ],
    },
    {
      name: "hosts for host in a rule",
      filename: "ingress.yaml",
      files: {
        "ingress.yaml": ingress(
          "    - hosts: app.example.org",
          "      http:",
          "        paths:",
          "          - path: /",
          "            pathType: Prefix",
          "            backend:",
          "              service:",
          "                name: app",
          "                port:",
          "                  number: 80",
        ),
      },
      errors: [
        {
          messageId: "unknownKeyDidYouMean",
          message:
            'spec.rules[0]: unknown field "hosts"; did you mean "host"? kubectl and Argo CD reject it under strict field validation, and otherwise the API server drops it, so the route is not what it says. Rename it to "host".',
          line: 8,
          column: 7,
          endLine: 8,
          endColumn: 12,
        },
      ],
    },
    {
      name: "a path without pathType",
      filename: "ingress.yaml",
      files: {
        "ingress.yaml": ingress(
          "    - host: app.example.org",
          "      http:",
          "        paths:",
          "          - path: /",
          "            backend:",
          "              service:",
          "                name: app",
          "                port:",
          "                  number: 80",
        ),
      },
      errors: [{ messageId: "missingKey", data: { at: "spec.rules[0].http.paths[0]: ", key: "pathType" }, line: 11, column: 13, endLine: 11, endColumn: 17 }],
    },
    {
      name: "a port number written as a string",
      filename: "ingress.yaml",
      files: {
        "ingress.yaml": ingress(
          "    - host: app.example.org",
          "      http:",
          "        paths:",
          "          - path: /",
          "            pathType: Prefix",
          "            backend:",
          "              service:",
          "                name: app",
          "                port:",
          '                  number: "80"',
        ),
      },
      errors: [
        {
          messageId: "wrongType",
          data: { at: "spec.rules[0].http.paths[0].backend.service.port.number: ", detail: 'must be an integer, not the string "80"' },
          line: 17,
          column: 27,
          endLine: 17,
          endColumn: 31,
        },
      ],
    },
    {
      name: "the old backend fields in a v1 Ingress: unknown, with the known ones listed",
      filename: "ingress.yaml",
      files: {
        "ingress.yaml": ingress(
          "    - host: app.example.org",
          "      http:",
          "        paths:",
          "          - path: /",
          "            pathType: Prefix",
          "            backend:",
          "              serviceName: app",
        ),
      },
      errors: [
        {
          messageId: "unknownKey",
          message:
            'spec.rules[0].http.paths[0].backend: unknown field "serviceName" (known here: "resource", "service"): kubectl and Argo CD reject it under strict field validation, and otherwise the API server drops it, so the route is not what it says. Remove it or move it where it belongs.',
          line: 14,
          column: 15,
          endLine: 14,
          endColumn: 26,
        },
      ],
    },
    {
      name: "tls secret for secretName",
      filename: "ingress.yaml",
      files: {
        "ingress.yaml": lines(
          "apiVersion: networking.k8s.io/v1",
          "kind: Ingress",
          "metadata:",
          "  name: app",
          "spec:",
          "  tls:",
          "    - hosts: [app.example.org]",
          "      secretname: app-tls",
        ),
      },
      errors: [{ messageId: "unknownKeyDidYouMean", data: { at: "spec.tls[0]: ", key: "secretname", suggestion: "secretName" }, line: 8, column: 7, endLine: 8, endColumn: 17 }],
    },
    {
      name: "an HTTPRoute path type named as in an Ingress",
      filename: "httproute.yaml",
      files: {
        "httproute.yaml": httpRoute(
          "  parentRefs:",
          "    - name: gateway",
          "  rules:",
          "    - matches:",
          "        - path:",
          "            type: Prefix",
          "            value: /",
          "      backendRefs:",
          "        - name: app",
          "          port: 80",
        ),
      },
      errors: [
        {
          messageId: "wrongValue",
          message:
            'spec.rules[0].matches[0].path.type: "Prefix" is not one of "Exact", "PathPrefix", "RegularExpression": the API server rejects any other value, and the sync fails.',
          line: 11,
          column: 19,
          endLine: 11,
          endColumn: 25,
        },
      ],
    },
    {
      name: "hostname for hostnames in an HTTPRoute's open spec",
      filename: "httproute.yaml",
      files: {
        "httproute.yaml": httpRoute("  parentRefs:", "    - name: gateway", "  hostname:", "    - app.example.org"),
      },
      errors: [{ messageId: "unknownKeyDidYouMean", data: { at: "spec: ", key: "hostname", suggestion: "hostnames" }, line: 8, column: 3, endLine: 8, endColumn: 11 }],
    },
    {
      name: "a backendRef without name",
      filename: "httproute.yaml",
      files: {
        "httproute.yaml": httpRoute("  parentRefs:", "    - name: gateway", "  rules:", "    - backendRefs:", "        - port: 80"),
      },
      errors: [{ messageId: "missingKey", data: { at: "spec.rules[0].backendRefs[0]: ", key: "name" }, line: 10, column: 11, endLine: 10, endColumn: 15 }],
    },
  ],
});
