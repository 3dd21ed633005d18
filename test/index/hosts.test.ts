/**
 * The host graph: which hosts the repo declares, where, and which belong to one service.
 */
import { describe, expect, test } from "bun:test";
import { type HostGraph, hostGraph, hostsMatch, parseHost, splitUrl } from "../../src/index/hosts.ts";
import { buildIndex, yaml } from "./build.ts";

/** Each declared host with what declares it and whether it says the host is served. */
function declarations(graph: HostGraph): Array<[string, string, string, boolean]> {
  return [...graph.all()].flatMap((entry) =>
    entry.declarations.map((declaration): [string, string, string, boolean] => [entry.host.text, declaration.by, declaration.file.relPath, declaration.serves]),
  );
}

function connected(graph: HostGraph, a: string, b: string): boolean {
  return graph.sameService(graph.match(parseHost(a)), graph.match(parseHost(b)));
}

describe("host names", () => {
  test("variables match any text; literal parts must agree", () => {
    const cases: Array<[string, string, boolean]> = [
      ["grafana.example.com", "Grafana.Example.com.", true],
      ["grafana.example.com", "grafana.example.org", false],
      ["grafana.${SECRET_DOMAIN}", "grafana.example.com", true],
      ["grafana.${SECRET_DOMAIN}", "feeds.example.com", false],
      ["grafana-${CLUSTER/./-}.example.com", "grafana-prod-eu.example.com", true],
      ["grafana.${DOMAIN}", "grafana.${SECRET_DOMAIN}", true],
      ["grafana.${DOMAIN}", "feeds.${DOMAIN}", false],
      ["grafana.<tailnet>.ts.net", "grafana.tail1234.ts.net", true],
      ["grafana.<tailnet>.ts.net", "grafana.example.com", false],
      ["*.example.com", "grafana.example.com", true],
      ["*.example.com", "a.b.example.com", false],
      ["grafana.{{ domain }}", "grafana.ops.eblu.me", true],
    ];
    expect(cases.map(([a, b]) => [a, b, hostsMatch(parseHost(a), parseHost(b))])).toEqual(cases);
  });

  test("URLs: scheme and host, with ports, users and template variables in the authority", () => {
    const host = (url: string) => {
      const parts = splitUrl(url);
      return parts && [parts.scheme, parts.host, url.slice(parts.hostStart, parts.hostEnd)];
    };
    expect(host("HTTPS://grafana.example.com:3000/login")).toEqual(["https", "grafana.example.com", "grafana.example.com"]);
    expect(host("https://user:pw@grafana.example.com/")).toEqual(["https", "grafana.example.com", "grafana.example.com"]);
    expect(host("https://grafana.${DOMAIN/./-}:${PORT:=443}/x")).toEqual(["https", "grafana.${DOMAIN/./-}", "grafana.${DOMAIN/./-}"]);
    expect(host("http://[::1]:8080/cb")).toEqual(["http", "[::1]", "[::1]"]);
    expect(host("https://{{ grafana_host }}/login")).toEqual(["https", "{{ grafana_host }}", "{{ grafana_host }}"]);
    expect(host("grafana.example.com/login")).toBeUndefined();
  });
});

describe("host graph sources", () => {
  test("Ingress rules and tls, one declaration per Ingress; Ingresses to the same Service are one service", () => {
    const graph = hostGraph(
      buildIndex([
        [
          "apps/grafana/ingress.yaml",
          yaml`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: { name: grafana }
            spec:
              tls: [{ hosts: [grafana.example.com] }]
              rules:
                - host: grafana.example.com
                  http:
                    paths: [{ path: /, pathType: Prefix, backend: { service: { name: grafana, port: { number: 80 } } } }]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: { name: grafana-lan }
            spec:
              rules:
                - host: grafana.lan.example.com
                  http:
                    paths: [{ path: /, pathType: Prefix, backend: { service: { name: grafana, port: { number: 80 } } } }]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: { name: miniflux }
            spec:
              rules:
                - host: feeds.example.com
                  http:
                    paths: [{ path: /, pathType: Prefix, backend: { service: { name: miniflux, port: { number: 80 } } } }]
          `,
        ],
      ]),
    );
    expect(declarations(graph)).toEqual([
      ["grafana.example.com", 'Ingress "grafana"', "apps/grafana/ingress.yaml", true],
      ["grafana.lan.example.com", 'Ingress "grafana-lan"', "apps/grafana/ingress.yaml", true],
      ["feeds.example.com", 'Ingress "miniflux"', "apps/grafana/ingress.yaml", true],
    ]);
    expect(connected(graph, "grafana.example.com", "grafana.lan.example.com")).toBe(true);
    expect(connected(graph, "grafana.example.com", "feeds.example.com")).toBe(false);
  });

  test("a Tailscale Ingress is served at <tls host>.<tailnet>.ts.net, or <namespace>-<name> without one", () => {
    const graph = hostGraph(
      buildIndex([
        [
          "apps/grafana/tailscale.yaml",
          yaml`
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: { name: grafana-ts, namespace: monitoring }
            spec:
              ingressClassName: tailscale
              defaultBackend: { service: { name: grafana, port: { number: 80 } } }
              tls: [{ hosts: [grafana] }]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: feeds
              namespace: rss
              annotations: { kubernetes.io/ingress.class: tailscale }
            spec:
              defaultBackend: { service: { name: miniflux, port: { number: 80 } } }
          `,
        ],
      ]),
    );
    expect(declarations(graph).map(([host, by]) => [host, by])).toEqual([
      ["grafana.<tailnet>.ts.net", 'Tailscale Ingress "grafana-ts"'],
      ["rss-feeds.<tailnet>.ts.net", 'Tailscale Ingress "feeds"'],
    ]);
    expect(graph.match(parseHost("grafana.tail1234.ts.net")).map((entry) => entry.host.text)).toEqual(["grafana.<tailnet>.ts.net"]);
  });

  test("HTTPRoute hostnames, with their backend Services", () => {
    const graph = hostGraph(
      buildIndex([
        [
          "apps/grafana/route.yaml",
          yaml`
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: { name: grafana }
            spec:
              hostnames: [grafana.example.com]
              rules: [{ backendRefs: [{ name: grafana, port: 80 }] }]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: { name: grafana-old }
            spec:
              defaultBackend: { service: { name: grafana, port: { number: 80 } } }
              rules: [{ host: grafana-old.example.com }]
          `,
        ],
      ]),
    );
    expect(connected(graph, "grafana.example.com", "grafana-old.example.com")).toBe(true);
  });

  test("Traefik IngressRoute match rules: Host with one or several names, HostSNI; not HostRegexp", () => {
    const graph = hostGraph(
      buildIndex([
        [
          "apps/grafana/ingressroute.yaml",
          [
            "apiVersion: traefik.io/v1alpha1",
            "kind: IngressRoute",
            "metadata: { name: grafana }",
            "spec:",
            "  routes:",
            "    - match: Host(`grafana.example.com`) && PathPrefix(`/`)",
            "      services: [{ name: grafana, port: 80 }]",
            '    - match: Host(`g.example.com`, "dash.example.com") || HostRegexp(`{sub:[a-z]+}.example.com`)',
            "      services: [{ name: grafana, port: 80 }]",
            "---",
            "apiVersion: traefik.containo.us/v1alpha1",
            "kind: IngressRouteTCP",
            "metadata: { name: postgres }",
            "spec:",
            "  routes: [{ match: HostSNI(`db.example.com`) }]",
            "",
          ].join("\n"),
        ],
      ]),
    );
    expect(declarations(graph).map(([host, by]) => [host, by])).toEqual([
      ["grafana.example.com", 'IngressRoute "grafana"'],
      ["g.example.com", 'IngressRoute "grafana"'],
      ["dash.example.com", 'IngressRoute "grafana"'],
      ["db.example.com", 'IngressRouteTCP "postgres"'],
    ]);
    expect(connected(graph, "grafana.example.com", "dash.example.com")).toBe(true);
    expect(connected(graph, "grafana.example.com", "db.example.com")).toBe(false);
  });

  test("cert-manager Certificate dnsNames and commonName are one service", () => {
    const graph = hostGraph(
      buildIndex([
        [
          "infra/certificate.yaml",
          yaml`
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: { name: photos }
            spec:
              secretName: photos-tls
              commonName: photos.example.com
              dnsNames: [photos.example.com, immich.example.com]
          `,
        ],
      ]),
    );
    expect(declarations(graph).map(([host, by]) => [host, by])).toEqual([
      ["photos.example.com", 'Certificate "photos"'],
      ["immich.example.com", 'Certificate "photos"'],
    ]);
    expect(connected(graph, "photos.example.com", "immich.example.com")).toBe(true);
  });

  test("external-dns and Tailscale hostname annotations on a Service", () => {
    const graph = hostGraph(
      buildIndex([
        [
          "apps/grafana/service.yaml",
          yaml`
            apiVersion: v1
            kind: Service
            metadata:
              name: grafana
              annotations:
                external-dns.alpha.kubernetes.io/hostname: grafana.example.com, dash.example.com
                tailscale.com/hostname: grafana
          `,
        ],
      ]),
    );
    expect(declarations(graph).map(([host, by]) => [host, by])).toEqual([
      ["grafana.example.com", 'Service "grafana"'],
      ["dash.example.com", 'Service "grafana"'],
      ["grafana.<tailnet>.ts.net", 'Service "grafana"'],
    ]);
  });

  test("chart values: ingress.hosts as mappings or strings, hostname, tls, named ingresses and routes; not when disabled", () => {
    const graph = hostGraph(
      buildIndex([
        [
          "apps/grafana/helmrelease.yaml",
          yaml`
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: { name: grafana }
            spec:
              values:
                grafana:
                  ingress:
                    enabled: true
                    hosts: [{ host: grafana.example.com, paths: [/] }]
                    tls: [{ hosts: [grafana.example.com, grafana.lan.example.com] }]
          `,
        ],
        [
          "apps/miniflux/values.yaml",
          yaml`
            ingress:
              main:
                hosts: [{ host: feeds.example.com }]
            route:
              main:
                hostnames: [rss.example.com]
          `,
        ],
        [
          "apps/wiki/values.yaml",
          yaml`
            ingress:
              hostname: wiki.example.com
              hosts: [docs.example.com]
          `,
        ],
        [
          "charts/vendored/values.yaml",
          yaml`
            ingress:
              enabled: false
              hosts: [{ host: chart-example.local }]
          `,
        ],
      ]),
    );
    expect(declarations(graph).map(([host, by]) => [host, by])).toEqual([
      ["grafana.example.com", 'chart values "spec.values.grafana.ingress"'],
      ["grafana.lan.example.com", 'chart values "spec.values.grafana.ingress"'],
      ["feeds.example.com", 'chart values "ingress.main"'],
      ["rss.example.com", 'chart values "route.main"'],
      ["docs.example.com", 'chart values "ingress"'],
      ["wiki.example.com", 'chart values "ingress"'],
    ]);
    expect(connected(graph, "grafana.example.com", "grafana.lan.example.com")).toBe(true);
  });

  test("Ansible: reverse proxy sites with {{ var }} from group_vars; *_url and *_domain variables only name hosts", () => {
    const graph = hostGraph(
      buildIndex([
        ["ansible/inventory/group_vars/all.yml", yaml`
          domain: ops.example.com
          authentik_url: "https://auth.{{ domain }}"
        `],
        ["ansible/roles/caddy/defaults/main.yml", yaml`
          caddy_sites:
            - host: "git.{{ domain }}"
              backend: forgejo.tail1234.ts.net:3000
            - host: "registry.{{ domain }}"
              backend: "localhost:5000"
            - host: "oci.{{ domain }}"
              backend: "localhost:5000"
        `],
        ["ansible/roles/forgejo/defaults/main.yml", yaml`
          forgejo_external_url: "https://git.{{ domain }}"
          forgejo_download_url: https://codeberg.org/forgejo/forgejo/releases
          forgejo_admins: [alice]
        `],
      ]),
    );
    expect(declarations(graph)).toEqual([
      ["ops.example.com", "domain", "ansible/inventory/group_vars/all.yml", false],
      ["auth.ops.example.com", "authentik_url", "ansible/inventory/group_vars/all.yml", false],
      ["git.ops.example.com", "caddy_sites", "ansible/roles/caddy/defaults/main.yml", true],
      ["git.ops.example.com", "forgejo_external_url", "ansible/roles/forgejo/defaults/main.yml", false],
      ["forgejo.tail1234.ts.net", "caddy_sites backend", "ansible/roles/caddy/defaults/main.yml", true],
      ["registry.ops.example.com", "caddy_sites", "ansible/roles/caddy/defaults/main.yml", true],
      ["oci.ops.example.com", "caddy_sites", "ansible/roles/caddy/defaults/main.yml", true],
      ["codeberg.org", "forgejo_download_url", "ansible/roles/forgejo/defaults/main.yml", false],
    ]);
    expect(connected(graph, "git.ops.example.com", "forgejo.tail1234.ts.net")).toBe(true);
    // Two sites proxying to the same upstream are one service.
    expect(connected(graph, "registry.ops.example.com", "oci.ops.example.com")).toBe(true);
    expect(connected(graph, "git.ops.example.com", "registry.ops.example.com")).toBe(false);
  });

  test("Ansible precedence: the role's vars win over the inventory; several inventory values settle nothing", () => {
    const graph = hostGraph(
      buildIndex([
        ["ansible/inventory/group_vars/prod.yml", "domain: example.com\n"],
        ["ansible/inventory/group_vars/staging.yml", "domain: staging.example.com\n"],
        ["ansible/inventory/hosts.yml", yaml`
          all:
            children:
              servers:
                vars: { tld: org }
                hosts: { indri: {} }
        `],
        ["ansible/roles/caddy/vars/main.yml", "caddy_zone: internal.example.net\n"],
        ["ansible/roles/caddy/defaults/main.yml", yaml`
          caddy_zone: ignored.example.net
          caddy_sites:
            - { host: "grafana.{{ caddy_zone }}", backend: "localhost:3000" }
            - { host: "feeds.{{ domain }}", backend: "localhost:8080" }
            - { host: "wiki.example.{{ tld }}", backend: "localhost:8081" }
        `],
      ]),
    );
    const sites = declarations(graph).filter(([, by]) => by === "caddy_sites").map(([host]) => host);
    expect(sites).toEqual(["grafana.internal.example.net", "feeds.{{ domain }}", "wiki.example.org"]);
    expect(graph.match(parseHost("feeds.staging.example.com")).map((entry) => entry.host.text)).toEqual(["feeds.{{ domain }}"]);
  });

  test("built once per index", () => {
    const index = buildIndex([]);
    expect(hostGraph(index)).toBe(hostGraph(index));
  });

  test("nearest: other hosts by edit distance, ties in declaration order", () => {
    const graph = hostGraph(
      buildIndex([
        [
          "apps/ingresses.yaml",
          ["grafana.example.com", "feeds.example.com", "photos.example.com", "grafana.example.org"]
            .map((host, position) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: app${position} }\nspec: { rules: [{ host: ${host} }] }\n`)
            .join("---\n"),
        ],
      ]),
    );
    expect(graph.nearest(parseHost("grafana.exmaple.com"), 2).map((entry) => entry.host.text)).toEqual(["grafana.example.com", "grafana.example.org"]);
    expect(graph.nearest(parseHost("grafana.example.com"), 5).map((entry) => entry.host.text)).not.toContain("grafana.example.com");
  });
});
