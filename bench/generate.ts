/**
 * Synthetic GitOps repos for the bench, shaped like examples/homelab but with N services.
 *
 * Every service is wired completely, as a real repo would be when nothing is wrong: an authentik
 * blueprint (OAuth2 provider reading its client secret with `!Env`, an application, a policy
 * binding) kept with others in a ConfigMap mounted by the worker; the worker's env var and the
 * ExternalSecret item behind it; the service's own Deployment, Service, Ingress and the
 * ExternalSecret giving it the same 1Password field; for every fifth service an Ansible role on
 * a host whose playbook reads that field with `op read`. Around that sits noise that a linter
 * must read but should spend little on: large Grafana dashboards in ConfigMaps, Helm values and
 * Argo CD Applications. A generated repo must lint with zero errors, which keeps the bench's
 * clean run honest and checks the rules for false alarms at scale.
 *
 * Usage: bun bench/generate.ts <dir> <services> [seed]
 */
import fs from "node:fs";
import path from "node:path";

export interface GeneratedRepo {
  dir: string;
  services: number;
  seed: number;
  /** Files written (YAML, templates and the one ansible.cfg). */
  files: number;
  bytes: number;
}

const DOMAIN = "ops.example.net";
const AUTH_HOST = `auth.${DOMAIN}`;
const VAULT = "homelab";
const STORE = "onepassword";
const WORKER_SECRET = "authentik-config";
const AUTHENTIK_IMAGE = "ghcr.io/goauthentik/server:2024.12.2";
/** Roughly one service in ten ships Grafana dashboards, one in five runs on an Ansible host. */
const DASHBOARD_EVERY = 10;
const ANSIBLE_EVERY = 5;
const HELM_EVERY = 10;
const ROLES_PER_HOST = 8;
const APPLICATIONS_PER_FILE = 25;

const words = [
  "wiki", "feeds", "photos", "notes", "books", "music", "paperless", "recipes", "budget", "calendar",
  "contacts", "files", "docs", "paste", "links", "bookmarks", "tasks", "kanban", "forms", "survey",
  "search", "maps", "weather", "news", "podcasts", "video", "registry", "builds", "metrics", "logs",
  "alerts", "backup", "sync", "chat", "status", "uptime", "inventory", "tickets", "crm", "invoices",
  "analytics", "dashboards", "jupyter", "notebooks", "git", "matrix", "voice", "torrents",
];
const charts = ["redis", "postgresql", "loki", "tempo", "mimir", "minio", "nats", "memcached"];

/** mulberry32: a small, fast PRNG; the same seed gives the same repo on every platform. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rng {
  float(): number;
  int(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
}

function rng(seed: number): Rng {
  const next = random(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    float: next,
    int,
    pick: <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T,
  };
}

interface Service {
  index: number;
  /** Kubernetes name, authentik slug and client id, e.g. `wiki-7`. */
  name: string;
  /** For Ansible variables and role names, e.g. `wiki_7`. */
  ident: string;
  title: string;
  /** The worker's env var read by `!Env`. */
  envVar: string;
  host: string;
  port: number;
  image: string;
  group: "admins" | "users";
  /** A key of `|`-style block scalar for its blueprint. */
  blockHeader: "|" | "|-" | "|2";
  dashboards: boolean;
  helm: boolean;
  ansibleHost?: string;
}

function makeServices(count: number, random: Rng): Service[] {
  return Array.from({ length: count }, (_, index): Service => {
    const word = random.pick(words);
    const name = `${word}-${index}`;
    const ident = name.replaceAll("-", "_");
    const roll = random.float();
    const ansibleIndex = Math.floor(index / ANSIBLE_EVERY);
    return {
      index,
      name,
      ident,
      title: `${word[0]!.toUpperCase()}${word.slice(1)} ${index}`,
      envVar: `AUTHENTIK_${ident.toUpperCase()}_CLIENT_SECRET`,
      host: `${name}.${DOMAIN}`,
      port: random.pick([3000, 8000, 8080, 8443, 9000, 5000]),
      image: `ghcr.io/example/${word}:${random.int(1, 9)}.${random.int(0, 30)}.${random.int(0, 12)}`,
      group: random.float() < 0.2 ? "admins" : "users",
      blockHeader: roll < 0.7 ? "|" : roll < 0.9 ? "|-" : "|2",
      dashboards: index % DASHBOARD_EVERY === 3,
      helm: index % HELM_EVERY === 7,
      ansibleHost: index % ANSIBLE_EVERY === 1 ? `host-${Math.floor(ansibleIndex / ROLES_PER_HOST)}` : undefined,
    };
  });
}

/** Indents every non-empty line of `text` by `spaces`. */
function indent(text: string, spaces: number): string {
  const pad = " ".repeat(spaces);
  return text
    .split("\n")
    .map((line) => (line === "" ? line : pad + line))
    .join("\n");
}

function chunk<T>(list: readonly T[], sizes: () => number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < list.length; ) {
    const size = sizes();
    chunks.push(list.slice(start, start + size));
    start += size;
  }
  return chunks;
}

// ---------------------------------------------------------------------------------------------
// authentik

const scopes = ["openid", "email", "profile"];

function blueprint(service: Service, random: Rng): string {
  const mappings = [...scopes, ...(random.float() < 0.3 ? ["offline_access"] : [])]
    .map((scope) => `        - !Find [authentik_providers_oauth2.scopemapping, [managed, goauthentik.io/providers/oauth2/scope-${scope}]]`)
    .join("\n");
  return `# yaml-language-server: $schema=https://goauthentik.io/blueprints/schema.json
version: 1
metadata:
  name: Services - ${service.title}
entries:
  # OAuth2 provider for ${service.title}
  - model: authentik_providers_oauth2.oauth2provider
    id: ${service.name}-provider
    identifiers:
      name: ${service.title}
    attrs:
      name: ${service.title}
      client_type: confidential
      client_id: ${service.name}
      client_secret: !Env ${service.envVar}
      authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]
      invalidation_flow: !Find [authentik_flows.flow, [slug, default-provider-invalidation-flow]]
      signing_key: !Find [authentik_crypto.certificatekeypair, [name, authentik Self-signed Certificate]]
      property_mappings:
${mappings}
      redirect_uris:
        - matching_mode: strict
          url: https://${service.host}/oauth2/callback
      sub_mode: hashed_user_id
      access_token_validity: minutes=${random.pick([5, 10, 15, 30])}

  - model: authentik_core.application
    id: ${service.name}-app
    identifiers:
      slug: ${service.name}
    attrs:
      name: ${service.title}
      provider: !KeyOf ${service.name}-provider
      meta_launch_url: https://${service.host}
      meta_description: ${service.title}, behind authentik
      policy_engine_mode: any

  - model: authentik_policies.policybinding
    identifiers:
      target: !KeyOf ${service.name}-app
      group: !Find [authentik_core.group, [name, ${service.group}]]
      order: 0
    attrs:
      enabled: true
      negate: false
      timeout: 30
`;
}

const groupsBlueprint = `# yaml-language-server: $schema=https://goauthentik.io/blueprints/schema.json
version: 1
metadata:
  name: Services - Groups
entries:
  - model: authentik_core.group
    id: admins-group
    identifiers:
      name: admins
    attrs:
      name: admins
      is_superuser: true
  - model: authentik_core.group
    id: users-group
    identifiers:
      name: users
    attrs:
      name: users
      is_superuser: false
`;

function blueprintConfigMap(name: string, blueprints: Array<{ key: string; header: string; text: string }>): string {
  const data = blueprints
    .map(({ key, header, text }) => {
      // `|-` strips the final line break; the others keep it. Either way the body is the same.
      const body = indent(header === "|-" ? text.replace(/\n+$/u, "") : text, 4);
      return `  ${key}: ${header}\n${body}`;
    })
    .join("\n");
  return `# Authentik blueprints, one data key per blueprint, applied by the worker that mounts them.
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  labels:
    app.kubernetes.io/name: authentik
    app.kubernetes.io/component: blueprints
data:
${data}
`;
}

function secretKeyRef(envName: string, secret: string, key: string, spaces: number): string {
  return indent(
    `- name: ${envName}
  valueFrom:
    secretKeyRef:
      name: ${secret}
      key: ${key}`,
    spaces,
  );
}

function authentikDeployment(component: "server" | "worker", services: Service[], configMaps: string[]): string {
  const clientSecrets =
    component === "worker"
      ? `\n            # OAuth2 client secrets, read by the blueprints with !Env\n${services
          .map((service) => secretKeyRef(service.envVar, WORKER_SECRET, `${service.name}-client-secret`, 12))
          .join("\n")}`
      : "";
  const mounts =
    component === "worker"
      ? `
          volumeMounts:
            - name: blueprints
              mountPath: /blueprints/custom
              readOnly: true`
      : "";
  const volumes =
    component === "worker"
      ? `
      volumes:
        - name: blueprints
          projected:
            sources:
${configMaps.map((name) => `              - configMap:\n                  name: ${name}`).join("\n")}`
      : "";
  const ports =
    component === "server"
      ? `
          ports:
            - name: http
              containerPort: 9000`
      : "";
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: authentik-${component}
  labels:
    app.kubernetes.io/name: authentik
    app.kubernetes.io/component: ${component}
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: authentik
      app.kubernetes.io/component: ${component}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: authentik
        app.kubernetes.io/component: ${component}
    spec:
      containers:
        - name: ${component}
          image: ${AUTHENTIK_IMAGE}
          args: [${component}]
          envFrom:
            - configMapRef:
                name: authentik-env
          env:
${secretKeyRef("AUTHENTIK_SECRET_KEY", WORKER_SECRET, "secret-key", 12)}
${secretKeyRef("AUTHENTIK_POSTGRESQL__PASSWORD", WORKER_SECRET, "postgres-password", 12)}${clientSecrets}${ports}${mounts}
          resources:
            requests:
              cpu: 100m
              memory: 512Mi
            limits:
              memory: 1Gi${volumes}
`;
}

function remoteItem(secretKey: string, item: string, property: string): string {
  return `    - secretKey: ${secretKey}
      remoteRef:
        key: ${item}
        property: ${property}`;
}

function authentikExternalSecret(services: Service[]): string {
  return `# Everything authentik needs from 1Password: its own secret key and database password, and
# the client secret of every OAuth2 provider in the blueprints.
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: ${WORKER_SECRET}
spec:
  refreshInterval: 1h
  secretStoreRef:
    kind: ClusterSecretStore
    name: ${STORE}
  target:
    name: ${WORKER_SECRET}
    creationPolicy: Owner
  data:
${remoteItem("secret-key", "authentik", "secret-key")}
${remoteItem("postgres-password", "authentik", "postgres-password")}
${services.map((service) => remoteItem(`${service.name}-client-secret`, `${service.name}-oidc`, "client-secret")).join("\n")}
`;
}

function ingress(name: string, host: string, service: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: traefik
  tls:
    - hosts:
        - ${host}
      secretName: ${name}-tls
  rules:
    - host: ${host}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${service}
                port:
                  name: http
`;
}

function kubeService(name: string, component?: string): string {
  const labels = component
    ? `app.kubernetes.io/name: authentik\n    app.kubernetes.io/component: ${component}`
    : `app.kubernetes.io/name: ${name}`;
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  labels:
    ${labels}
spec:
  selector:
    ${labels}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
}

function kustomization(namespace: string | undefined, resources: string[]): string {
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
${namespace ? `namespace: ${namespace}\n` : ""}resources:
${resources.map((resource) => `  - ${resource}`).join("\n")}
`;
}

// ---------------------------------------------------------------------------------------------
// Services

function serviceExternalSecret(service: Service): string {
  return `# ${service.title}'s side of its authentik OAuth2 client: the same 1Password field that
# ${WORKER_SECRET} reads, rendered into the variables the service expects.
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: ${service.name}-oidc
spec:
  refreshInterval: 1h
  secretStoreRef:
    kind: ClusterSecretStore
    name: ${STORE}
  target:
    name: ${service.name}-oidc
    creationPolicy: Owner
    template:
      engineVersion: v2
      data:
        OIDC_CLIENT_ID: ${service.name}
        OIDC_CLIENT_SECRET: "{{ .client_secret }}"
  data:
${remoteItem("client_secret", `${service.name}-oidc`, "client-secret")}
`;
}

function serviceDeployment(service: Service): string {
  const dashboards = service.dashboards
    ? {
        mount: `
            - name: dashboards
              mountPath: /var/lib/grafana-dashboards/${service.name}
              readOnly: true`,
        volume: `
        - name: dashboards
          configMap:
            name: ${service.name}-dashboards`,
      }
    : { mount: "", volume: "" };
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${service.name}
  labels:
    app.kubernetes.io/name: ${service.name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${service.name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${service.name}
    spec:
      containers:
        - name: ${service.name}
          image: ${service.image}
          env:
            - name: BASE_URL
              value: https://${service.host}
            - name: LISTEN_ADDR
              value: 0.0.0.0:${service.port}
            - name: OIDC_ISSUER_URL
              value: https://${AUTH_HOST}/application/o/${service.name}/
            - name: OIDC_REDIRECT_URL
              value: https://${service.host}/oauth2/callback
${secretKeyRef("OIDC_CLIENT_ID", `${service.name}-oidc`, "OIDC_CLIENT_ID", 12)}
${secretKeyRef("OIDC_CLIENT_SECRET", `${service.name}-oidc`, "OIDC_CLIENT_SECRET", 12)}
          ports:
            - name: http
              containerPort: ${service.port}
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
          volumeMounts:
            - name: data
              mountPath: /data${dashboards.mount}
          resources:
            requests:
              cpu: 20m
              memory: 64Mi
            limits:
              memory: 256Mi
      volumes:
        - name: data
          emptyDir: {}${dashboards.volume}
`;
}

/** A Grafana dashboard as Grafana exports it, grown panel by panel to about `size` bytes. */
function dashboard(service: Service, number: number, size: number, random: Rng): string {
  const panels: unknown[] = [];
  const dashboardJson = {
    uid: `${service.name}-${number}`,
    title: `${service.title} / ${number}`,
    tags: ["generated", service.name],
    timezone: "browser",
    schemaVersion: 39,
    version: random.int(1, 40),
    editable: false,
    refresh: "1m",
    time: { from: "now-24h", to: "now" },
    templating: {
      list: [
        {
          name: "instance",
          type: "query",
          datasource: { type: "prometheus", uid: "prometheus" },
          query: `label_values(up{job="${service.name}"}, instance)`,
          refresh: 2,
          multi: true,
          includeAll: true,
        },
      ],
    },
    panels,
  };
  let length = 0;
  for (let id = 1; length < size; id++) {
    const metric = random.pick(["http_requests_total", "process_cpu_seconds_total", "go_memstats_alloc_bytes", "http_request_duration_seconds_bucket"]);
    const panel = {
      id,
      type: random.pick(["timeseries", "stat", "bargauge", "table"]),
      title: `${metric} by instance (${id})`,
      gridPos: { x: (id % 2) * 12, y: Math.floor(id / 2) * 8, w: 12, h: 8 },
      datasource: { type: "prometheus", uid: "prometheus" },
      targets: [
        {
          refId: "A",
          expr: `sum by (instance) (rate(${metric}{job="${service.name}", instance=~"$instance"}[$__rate_interval]))`,
          legendFormat: "{{instance}}",
        },
      ],
      fieldConfig: {
        defaults: {
          unit: random.pick(["short", "s", "bytes", "percentunit", "reqps"]),
          thresholds: {
            mode: "absolute",
            steps: [
              { color: "green", value: null },
              { color: "orange", value: random.int(50, 80) },
              { color: "red", value: random.int(81, 99) },
            ],
          },
        },
        overrides: [],
      },
      options: { legend: { displayMode: "list", placement: "bottom" }, tooltip: { mode: "multi" } },
    };
    panels.push(panel);
    length += JSON.stringify(panel, null, 2).length;
  }
  return JSON.stringify(dashboardJson, null, 2);
}

function dashboardsConfigMap(service: Service, random: Rng): string {
  const count = random.int(1, 3);
  const total = random.int(150_000, 350_000);
  const data = Array.from({ length: count }, (_, number) => {
    const json = dashboard(service, number + 1, Math.floor(total / count), random);
    return `  ${service.name}-${number + 1}.json: |\n${indent(json, 4)}\n`;
  }).join("");
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${service.name}-dashboards
  labels:
    app.kubernetes.io/name: ${service.name}
    grafana_dashboard: "1"
data:
${data}`;
}

// ---------------------------------------------------------------------------------------------
// Argo CD and Helm noise

function application(name: string, namespace: string, source: string, wave?: number): string {
  const annotations = wave === undefined ? "" : `\n  annotations:\n    argocd.argoproj.io/sync-wave: "${wave}"`;
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd${annotations}
spec:
  project: default
${source}
  destination:
    server: https://kubernetes.default.svc
    namespace: ${namespace}
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
    syncOptions:
      - CreateNamespace=true
`;
}

function gitSource(dir: string): string {
  return `  source:
    repoURL: https://git.${DOMAIN}/ops/homelab.git
    targetRevision: main
    path: ${dir}`;
}

function helmSource(chart: string, version: string, valuesFile: string): string {
  return `  sources:
    - repoURL: https://charts.example.net/${chart}
      chart: ${chart}
      targetRevision: ${version}
      helm:
        valueFiles:
          - $values/${valuesFile}
    - repoURL: https://git.${DOMAIN}/ops/homelab.git
      targetRevision: main
      ref: values`;
}

function helmValues(chart: string, service: Service, random: Rng): string {
  const extra = Array.from({ length: random.int(40, 160) }, (_, index) => {
    const key = `${random.pick(["cache", "pool", "queue", "shard", "limit"])}_${index}`;
    return `    ${key}: ${random.pick([`"${random.int(1, 9999)}"`, "true", "false", `${random.int(1, 512)}Mi`])}`;
  }).join("\n");
  return `# Values for the ${chart} chart backing ${service.title}.
fullnameOverride: ${service.name}-${chart}
replicaCount: ${random.int(1, 3)}
image:
  registry: docker.io
  repository: bitnami/${chart}
  tag: "${random.int(1, 17)}.${random.int(0, 9)}.${random.int(0, 20)}"
  pullPolicy: IfNotPresent
auth:
  enabled: true
  existingSecret: ${service.name}-${chart}-auth
persistence:
  enabled: true
  storageClass: local-path
  size: ${random.int(1, 50)}Gi
resources:
  requests:
    cpu: ${random.int(10, 500)}m
    memory: ${random.int(64, 1024)}Mi
  limits:
    memory: ${random.int(1024, 4096)}Mi
metrics:
  enabled: true
  serviceMonitor:
    enabled: true
    interval: 30s
nodeSelector:
  kubernetes.io/os: linux
tolerations: []
affinity: {}
extraConfig:
${extra}
`;
}

// ---------------------------------------------------------------------------------------------
// Ansible

function roleFiles(service: Service): Record<string, string> {
  const prefix = service.ident;
  return {
    "defaults/main.yml": `---
${prefix}_version: "1.${service.index % 20}.0"
${prefix}_user: ${prefix}
${prefix}_home: /var/lib/${service.name}
${prefix}_config_dir: /etc/${service.name}
${prefix}_http_port: ${service.port}
${prefix}_external_url: https://${service.host}

# Login through authentik. The client secret is not a default: the playbook reads it from
# 1Password into ${prefix}_oidc_client_secret.
${prefix}_oidc_client_id: ${service.name}
${prefix}_oidc_discovery_url: "{{ authentik_url }}/application/o/${service.name}/.well-known/openid-configuration"
`,
    "tasks/main.yml": `---
- name: Create the ${service.title} user
  ansible.builtin.user:
    name: "{{ ${prefix}_user }}"
    system: yes
    home: "{{ ${prefix}_home }}"
    create_home: yes

- name: Create ${service.title}'s directories
  ansible.builtin.file:
    path: "{{ item }}"
    state: directory
    owner: "{{ ${prefix}_user }}"
    mode: "0750"
  loop:
    - "{{ ${prefix}_home }}"
    - "{{ ${prefix}_config_dir }}"

- name: Install the systemd unit
  ansible.builtin.template:
    src: ${service.name}.service.j2
    dest: /etc/systemd/system/${service.name}.service
    mode: 0644
  notify: Restart ${service.name}

- name: Write the OIDC client credentials
  ansible.builtin.template:
    src: oidc-credentials.env.j2
    dest: "{{ ${prefix}_config_dir }}/oidc-credentials.env"
    owner: "{{ ${prefix}_user }}"
    mode: "0600"
  when: ${prefix}_oidc_client_secret is defined
  notify: Restart ${service.name}

- name: Start ${service.title}
  ansible.builtin.systemd:
    name: ${service.name}
    state: started
    enabled: yes
    daemon_reload: yes
`,
    "handlers/main.yml": `---
- name: Restart ${service.name}
  ansible.builtin.systemd:
    name: ${service.name}
    state: restarted
    daemon_reload: yes
`,
    "meta/main.yml": `---
galaxy_info:
  author: ops
  description: ${service.title} on a host, logging in through authentik
  license: MIT
  min_ansible_version: "2.15"
  platforms:
    - name: Debian
      versions:
        - bookworm
dependencies: []
`,
    [`templates/${service.name}.service.j2`]: `# Managed by Ansible (roles/${prefix}).
[Unit]
Description=${service.title} {{ ${prefix}_version }}
After=network-online.target

[Service]
User={{ ${prefix}_user }}
WorkingDirectory={{ ${prefix}_home }}
EnvironmentFile={{ ${prefix}_config_dir }}/oidc-credentials.env
ExecStart=/usr/local/bin/${service.name} --listen 127.0.0.1:{{ ${prefix}_http_port }} --url {{ ${prefix}_external_url }}
Restart=on-failure

[Install]
WantedBy=multi-user.target
`,
    "templates/oidc-credentials.env.j2": `# Managed by Ansible (roles/${prefix}).
OIDC_CLIENT_ID={{ ${prefix}_oidc_client_id }}
OIDC_CLIENT_SECRET={{ ${prefix}_oidc_client_secret }}
OIDC_DISCOVERY_URL={{ ${prefix}_oidc_discovery_url }}
`,
  };
}

function playbook(host: string, services: Service[]): string {
  const preTasks = services
    .map(
      (service) => `    - name: Read the ${service.title} OIDC client secret from 1Password
      ansible.builtin.command: op read "op://${VAULT}/${service.name}-oidc/client-secret"
      register: ${service.ident}_oidc_client_secret_op
      delegate_to: localhost
      become: no
      run_once: true
      changed_when: false
      no_log: true

    - name: Keep the ${service.title} OIDC client secret for its role
      ansible.builtin.set_fact:
        ${service.ident}_oidc_client_secret: "{{ ${service.ident}_oidc_client_secret_op.stdout }}"
      no_log: true
`,
    )
    .join("\n");
  return `---
- name: Configure ${host}
  hosts: ${host}
  become: yes

  pre_tasks:
    # Secrets are read from 1Password on the control machine (\`op signin\` first) and never
    # written to the repo.
${preTasks}
  roles:
${services.map((service) => `    - ${service.ident}`).join("\n")}
`;
}

// ---------------------------------------------------------------------------------------------

class Writer {
  files = 0;
  bytes = 0;

  constructor(private readonly root: string) {}

  write(relPath: string, text: string): void {
    const target = path.join(this.root, relPath);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    this.files++;
    this.bytes += Buffer.byteLength(text);
  }
}

/**
 * Writes a repo with `services` services into `dir`, which must be empty or absent. The same
 * seed gives the same bytes.
 */
export function generateRepo(dir: string, services: number, seed = 1): GeneratedRepo {
  if (!Number.isInteger(services) || services < 1) throw new Error(`services must be a positive whole number, not ${services}`);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
  const random = rng(seed);
  const all = makeServices(services, random);
  const out = new Writer(dir);

  // authentik: blueprints in ConfigMaps of 6 to 12 keys, the groups blueprint in the first.
  const groups = chunk(all, () => random.int(6, 12));
  const configMaps = groups.map((_, index) => `authentik-blueprints-${String(index).padStart(3, "0")}`);
  const authentik = "argocd/manifests/authentik";
  groups.forEach((group, index) => {
    const blueprints = group.map((service) => ({ key: `${service.name}.yaml`, header: service.blockHeader, text: blueprint(service, random) }));
    if (index === 0) blueprints.unshift({ key: "groups.yaml", header: "|", text: groupsBlueprint });
    out.write(`${authentik}/configmap-blueprints-${String(index).padStart(3, "0")}.yaml`, blueprintConfigMap(configMaps[index]!, blueprints));
  });
  out.write(
    `${authentik}/configmap-env.yaml`,
    `# Non-secret settings shared by the server and the worker.
apiVersion: v1
kind: ConfigMap
metadata:
  name: authentik-env
data:
  AUTHENTIK_POSTGRESQL__HOST: postgres.databases.svc.cluster.local
  AUTHENTIK_POSTGRESQL__NAME: authentik
  AUTHENTIK_POSTGRESQL__USER: authentik
  AUTHENTIK_REDIS__HOST: redis.databases.svc.cluster.local
  AUTHENTIK_LOG_LEVEL: info
`,
  );
  out.write(`${authentik}/external-secret.yaml`, authentikExternalSecret(all));
  out.write(`${authentik}/deployment-server.yaml`, authentikDeployment("server", all, configMaps));
  out.write(`${authentik}/deployment-worker.yaml`, authentikDeployment("worker", all, configMaps));
  out.write(`${authentik}/service.yaml`, kubeService("authentik-server", "server"));
  out.write(`${authentik}/ingress.yaml`, ingress("authentik", AUTH_HOST, "authentik-server"));
  out.write(
    `${authentik}/kustomization.yaml`,
    kustomization("authentik", [
      ...configMaps.map((_, index) => `configmap-blueprints-${String(index).padStart(3, "0")}.yaml`),
      "configmap-env.yaml",
      "external-secret.yaml",
      "deployment-server.yaml",
      "deployment-worker.yaml",
      "service.yaml",
      "ingress.yaml",
    ]),
  );

  out.write(
    "argocd/manifests/external-secrets/cluster-secret-store.yaml",
    `# The one secret store of the cluster: the "${VAULT}" vault, served by 1Password Connect.
apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata:
  name: ${STORE}
spec:
  provider:
    onepassword:
      connectHost: http://onepassword-connect:8080
      vaults:
        ${VAULT}: 1
      auth:
        secretRef:
          connectTokenSecretRef:
            name: onepassword-connect-token
            key: token
            namespace: external-secrets
`,
  );
  out.write("argocd/manifests/external-secrets/kustomization.yaml", kustomization(undefined, ["cluster-secret-store.yaml"]));

  // Each service's own folder.
  for (const service of all) {
    const dir = `argocd/manifests/${service.name}`;
    const resources = ["external-secret.yaml", "deployment.yaml", "service.yaml", "ingress.yaml"];
    out.write(`${dir}/external-secret.yaml`, serviceExternalSecret(service));
    out.write(`${dir}/deployment.yaml`, serviceDeployment(service));
    out.write(`${dir}/service.yaml`, kubeService(service.name));
    out.write(`${dir}/ingress.yaml`, ingress(service.name, service.host, service.name));
    if (service.dashboards) {
      out.write(`${dir}/configmap-dashboards.yaml`, dashboardsConfigMap(service, random));
      resources.push("configmap-dashboards.yaml");
    }
    out.write(`${dir}/kustomization.yaml`, kustomization(service.name, resources));
  }

  // Argo CD: the root app, the platform, one Application per service and per Helm chart.
  out.write("argocd/apps/root.yaml", `# App of apps: Argo CD syncs every Application in this folder.\n${application("root", "argocd", gitSource("argocd/apps"))}`);
  out.write(
    "argocd/apps/platform.yaml",
    [
      application("external-secrets", "external-secrets", gitSource("argocd/manifests/external-secrets"), -1),
      application("authentik", "authentik", gitSource(`argocd/manifests/authentik`), 0),
    ].join("---\n"),
  );
  const helmApps: string[] = [];
  for (const service of all.filter((candidate) => candidate.helm)) {
    const chart = random.pick(charts);
    const valuesFile = `helm/${service.name}-${chart}/values.yaml`;
    out.write(valuesFile, helmValues(chart, service, random));
    helmApps.push(application(`${service.name}-${chart}`, service.name, helmSource(chart, `${random.int(10, 20)}.${random.int(0, 9)}.${random.int(0, 9)}`, valuesFile)));
  }
  const apps = [...all.map((service) => application(service.name, service.name, gitSource(`argocd/manifests/${service.name}`))), ...helmApps];
  chunk(apps, () => APPLICATIONS_PER_FILE).forEach((list, index) => {
    out.write(`argocd/apps/services-${String(index).padStart(3, "0")}.yaml`, list.join("---\n"));
  });

  // Ansible: one role per host-run service, one playbook per host.
  const byHost = new Map<string, Service[]>();
  for (const service of all) {
    if (service.ansibleHost === undefined) continue;
    const list = byHost.get(service.ansibleHost) ?? [];
    list.push(service);
    byHost.set(service.ansibleHost, list);
    for (const [file, text] of Object.entries(roleFiles(service))) out.write(`ansible/roles/${service.ident}/${file}`, text);
  }
  for (const [host, list] of byHost) out.write(`ansible/playbooks/${host}.yml`, playbook(host, list));
  const hosts = [...byHost.keys()]
    .map((host, index) => `        ${host}:\n          ansible_host: 192.168.20.${10 + (index % 200)}`)
    .join("\n");
  out.write("ansible/inventory/hosts.yml", `---\nall:\n  vars:\n    ansible_user: ops\n  children:\n    servers:\n      hosts:\n${hosts || "        {}"}\n`);
  out.write("ansible/inventory/group_vars/all.yml", `---\ndomain: ${DOMAIN}\nauthentik_url: "https://auth.{{ domain }}"\n`);
  out.write("ansible/ansible.cfg", "[defaults]\ninventory = inventory/hosts.yml\nroles_path = roles\n");

  return { dir, services, seed, files: out.files, bytes: out.bytes };
}

if (import.meta.main) {
  const [dir, count, seed] = process.argv.slice(2);
  if (dir === undefined || count === undefined || !/^\d+$/u.test(count) || (seed !== undefined && !/^\d+$/u.test(seed))) {
    process.stderr.write("usage: bun bench/generate.ts <dir> <services> [seed]\n");
    process.exit(2);
  }
  const repo = generateRepo(path.resolve(dir), Number(count), seed === undefined ? undefined : Number(seed));
  process.stdout.write(`${repo.dir}: ${repo.services} services, ${repo.files} files, ${(repo.bytes / 1e6).toFixed(1)} MB\n`);
}
