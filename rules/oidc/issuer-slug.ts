/**
 * authentik serves each OAuth2/OpenID application's issuer, discovery document, JWKS and
 * end-session endpoint under `/application/o/<slug>/`, where `<slug>` is the application's slug:
 * a URL naming a slug no application has answers 404, and the service cannot log anyone in.
 * URLs are found in every YAML string outside blueprints (role defaults and vars, group_vars,
 * ConfigMaps, env values, ExternalSecret templates) and in role templates.
 *
 * Where the repo shows where authentik is served (the routes to its server Service, its chart's
 * `server.ingress` or `server.route` values), a URL on another host is also checked: a consumer
 * sent to a host that does not serve authentik cannot log anyone in either.
 */
import type { Node, Scalar } from "yaml";
import { applicationsOf, isAuthentikHost, servesAuthentik, type Applications } from "../../src/index/applications.ts";
import { hasVariables, hostGraph, hostsMatch, isLoopback, parseHost, type DeclaredHost, type HostEntry, type HostPattern } from "../../src/index/hosts.ts";
import type { RepoIndex } from "../../src/index/index.ts";
import { field, text } from "../../src/index/read.ts";
import type { ParsedFile } from "../../src/parse/index.ts";
import { sourceOfNode, type YamlDocument } from "../../src/parse/yaml.ts";
import type { GitopsRule, UncertainOptions } from "../../src/rule.ts";
import { involving, ruleDocsUrl, uncertainDefaults, uncertainSchema } from "../../src/rule.ts";
import { closest } from "../../src/schema/index.ts";
import type { SourceLocation } from "../../src/types.ts";

type MessageId = "unknownSlugDidYouMean" | "unknownSlugIsName" | "unknownSlug" | "hostNotServedDidYouMean" | "hostNotServed";

const marker = "/application/o/";

/**
 * authentik's OAuth2 endpoints that are global, not per application:
 * `/application/o/{authorize,device,token,userinfo,introspect,revoke}/`.
 */
const globalEndpoints: ReadonlySet<string> = new Set(["authorize", "device", "token", "userinfo", "introspect", "revoke"]);

/** Django's `<slug:…>` converter, which authentik's URLs use for the application slug. */
const slugPattern = /^[-a-zA-Z0-9_]+$/u;

/** The path segment after the marker: up to a slash, a quote, a space or a query. */
const segmentPattern = /^[^/\s"'`?#<>\\,;)\]]*/u;

/** Where a URL starts, looking back from its path. */
const urlDelimiter = /[\s"'`(<>=,;[\]]/u;

/** The host of a URL prefix such as `https://auth.example.com:8443`. */
const hostPattern = /^(?:[a-z][a-z0-9+.-]*:)?\/\/(?:[^@/]*@)?([^/:@]+)(?::\d+)?$/diu;

/** A URL's literal host and its offset in the text. */
interface UrlHost {
  name: string;
  start: number;
}

interface SlugReference {
  slug: string;
  /** Offset of the slug in the text. */
  start: number;
  /** Offset of the marker in the text. */
  markerStart: number;
  /** Undefined when the host is a template, a variable or absent. */
  host: UrlHost | undefined;
}

/** The host before a URL's path; undefined when it is a template, a variable or absent. */
function hostBefore(text: string, end: number): UrlHost | undefined {
  let start = end;
  while (start > 0 && !urlDelimiter.test(text[start - 1]!)) start--;
  const prefix = text.slice(start, end);
  if (/[{}$]/u.test(prefix)) return undefined;
  const match = hostPattern.exec(prefix);
  return match?.indices?.[1] ? { name: match[1]!, start: start + match.indices[1][0] } : undefined;
}

/**
 * A name only the cluster resolves (`authentik-server`, `authentik-server.authentik.svc`,
 * `….svc.cluster.local`), a loopback name or an IP address: servers fetch discovery and keys
 * in-cluster, past the Ingress, so these are not the public host.
 */
function isInternalHost(host: string): boolean {
  const lower = host.toLowerCase();
  return !lower.includes(".") || /\.svc(?:\.|$)|\.cluster\.local$/u.test(lower) || isLoopback(lower) || /^\d{1,3}(?:\.\d{1,3}){3}$/u.test(lower) || lower.startsWith("[");
}

/** Routes that serve hosts, as the host graph names their declarations. */
const routeDeclaration = /^(?:Tailscale Ingress|Ingress|HTTPRoute|IngressRoute|IngressRouteTCP) "(.*)"$/u;

/** The authentik chart's own ingress and route values (`server.ingress`, `server.route.main`), at any depth. */
const chartDeclaration = /^chart values "(?:.+\.)?server\.(?:ingress|route)(?:\.[^."]+)?"$/u;

/** Where the repo serves authentik, when it says so unambiguously. */
interface AuthentikServed {
  /** Every host of authentik's services: a URL on one of them is authentik's. */
  hosts: HostEntry[];
  /** The declaration to name in a message: a route's, or the chart values'. */
  servedBy: DeclaredHost;
  /** The hosts the routes serve, as written, for the message. */
  routeHosts: string[];
}

/**
 * authentik's hosts: those of the routes to a Service named after it (the chart's
 * `authentik-server`; outposts excluded), of routes named after it, and of the authentik chart's
 * `server.ingress` and `server.route` values (in a file whose path names authentik or that
 * mentions goauthentik, the chart's repository and image). Unknown (undefined) when none is
 * declared, when a host holds a variable, or when routes reach two differently named authentik
 * Services: two installs, and a URL may be for either.
 */
function authentikServed(index: RepoIndex): AuthentikServed | undefined {
  if (!servedCache.has(index)) servedCache.set(index, findAuthentikServed(index));
  return servedCache.get(index);
}

const servedCache = new WeakMap<RepoIndex, AuthentikServed | undefined>();

function findAuthentikServed(index: RepoIndex): AuthentikServed | undefined {
  const graph = hostGraph(index);
  const byService = graph.linkedHosts((link) => link.startsWith("service:") && servesAuthentik([link.slice("service:".length)]));
  const hosts = new Set<HostEntry>();
  let installs = 0;
  for (const entries of byService.values()) {
    const served = entries.filter((entry) => entry.declarations.some((declaration) => declaration.serves));
    if (served.length > 0) installs++;
    for (const entry of entries) hosts.add(entry);
  }
  if (installs > 1) return undefined;
  const authentikFile = new Map<DeclaredHost["file"], boolean>();
  const namesAuthentik = (declaration: DeclaredHost): boolean => {
    const route = routeDeclaration.exec(declaration.by);
    if (route) return servesAuthentik([route[1]!]);
    if (!chartDeclaration.test(declaration.by)) return false;
    let found = authentikFile.get(declaration.file);
    if (found === undefined) {
      found = /authentik/iu.test(declaration.file.relPath) || declaration.file.text.includes("goauthentik");
      authentikFile.set(declaration.file, found);
    }
    return found;
  };
  for (const entry of graph.all()) {
    if (entry.declarations.some(namesAuthentik)) hosts.add(entry);
  }
  const entries = [...hosts];
  if (entries.length === 0 || entries.some((entry) => hasVariables(entry.host))) return undefined;
  const declarations = entries.flatMap((entry) => entry.declarations.filter((declaration) => declaration.serves));
  const servedBy = declarations.find((declaration) => routeDeclaration.test(declaration.by) || chartDeclaration.test(declaration.by)) ?? declarations[0];
  if (!servedBy) return undefined;
  const routeHosts = entries.filter((entry) => entry.declarations.some((declaration) => declaration.serves)).map((entry) => entry.host.text);
  return { hosts: entries, servedBy, routeHosts };
}

/** `settings.hosts`: hosts served outside the repo, which may serve authentik too. */
function settingsHosts(settings: Record<string, unknown>): HostPattern[] {
  const hosts = settings.hosts;
  return Array.isArray(hosts) ? hosts.filter((host): host is string => typeof host === "string").map(parseHost) : [];
}

/** Jinja comments are not output: a URL in one names nothing. Offsets are kept. */
function maskComments(text: string): string {
  return text.replace(/\{#[\s\S]*?#\}/gu, (comment) => comment.replace(/[^\n]/gu, " "));
}

/**
 * The application slugs that URLs in `text` name. A slug built with `{{ var }}` or `${VAR}` is
 * unverifiable and skipped, as are the global endpoints.
 */
function slugReferences(text: string): SlugReference[] {
  const found: SlugReference[] = [];
  let markerStart = text.indexOf(marker);
  while (markerStart !== -1) {
    const start = markerStart + marker.length;
    const slug = segmentPattern.exec(text.slice(start))?.[0] ?? "";
    if (slugPattern.test(slug) && !globalEndpoints.has(slug)) {
      found.push({ slug, start, markerStart, host: hostBefore(text, markerStart) });
    }
    markerStart = text.indexOf(marker, start);
  }
  return found;
}

function occurrences(text: string, needle: string, before = text.length): number[] {
  const offsets: number[] = [];
  let offset = text.indexOf(needle);
  while (offset !== -1 && offset < before) {
    offsets.push(offset);
    offset = text.indexOf(needle, offset + 1);
  }
  return offsets;
}

const listed = 8;

/** The first `listed` names, quoted, and how many there are in all when some are left out. */
function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, listed).map((name) => `"${name}"`).join(", ");
  return names.length > listed ? `${shown}, … (${names.length} in all)` : shown;
}

/** `settings.oidc.clients.<id>` with `redirectUris`: clients whose blueprint oidc/client-wiring writes. */
function settingsClients(settings: Record<string, unknown>): Set<string> {
  const clients = (settings.oidc as { clients?: unknown } | undefined)?.clients;
  if (typeof clients !== "object" || clients === null) return new Set();
  return new Set(
    Object.entries(clients).flatMap(([id, client]) => {
      const uris = (client as { redirectUris?: unknown } | null)?.redirectUris;
      return Array.isArray(uris) && uris.length > 0 ? [id] : [];
    }),
  );
}

/** The client ids the repo's OAuth2 providers write. */
function providerIds(index: RepoIndex): Set<string> {
  return new Set((index.entriesByModel.get("authentik_providers_oauth2.oauth2provider") ?? []).flatMap(({ entry }) => text(field(entry.attrs, "client_id")) ?? []));
}

const rule: GitopsRule<MessageId, [UncertainOptions?]> = {
  meta: {
    type: "problem",
    docs: {
      description: "An authentik URL `…/application/o/<slug>/` names an application slug that a blueprint declares",
      url: ruleDocsUrl("oidc/issuer-slug"),
      recommended: true,
      warningMessages: ["unknownSlug"],
    },
    messages: {
      unknownSlugDidYouMean:
        'authentik URL names application slug "{{slug}}", which no blueprint declares: did you mean "{{suggestion}}" ({{file}})? authentik answers 404 under /application/o/ for a slug it does not know, so discovery and login fail. Correct the slug.',
      unknownSlugIsName:
        'authentik URL names application slug "{{slug}}", which no blueprint declares: "{{slug}}" is {{what}}, and that application\'s slug is "{{suggestion}}" ({{file}}). authentik serves each application under its slug, not its name, and answers 404 under /application/o/ for a slug it does not know, so discovery, token checks and logout fail. Use "{{suggestion}}".',
      unknownSlug:
        'authentik URL names application slug "{{slug}}", which no blueprint in the repo declares ({{available}}): if the application is made outside blueprints this link is unverifiable; otherwise correct the slug or declare the application.',
      hostNotServedDidYouMean:
        'authentik URL host "{{host}}" is not one the repo serves authentik at: did you mean "{{suggestion}}"? {{servedBy}} ({{file}}) serves authentik at {{hosts}}. On another host the login fails (no DNS name, a certificate for another name, or another site\'s 404). Correct the host.',
      hostNotServed:
        'authentik URL host "{{host}}" is not one the repo serves authentik at: {{servedBy}} ({{file}}) serves authentik at {{hosts}}. On another host the login fails (no DNS name, a certificate for another name, or another site\'s 404). Use one of those hosts, route this one to authentik, or list it in settings.hosts if something outside the repo serves authentik there.',
    },
    schema: uncertainSchema,
    defaultOptions: uncertainDefaults,
  },
  create(context) {
    const { sourceCode } = context;
    const { index } = sourceCode;
    let applications: Applications | undefined;
    const allowedHosts = settingsHosts(context.settings);
    const clients = settingsClients(context.settings);
    /** Blueprints hold no URLs to check; the ConfigMap values they are embedded in neither. */
    let blueprintDocuments = new Set<YamlDocument>();
    let blueprintValues = new Set<Node>();
    let skipDocument = false;

    function report(reference: SlugReference, loc: SourceLocation | undefined, node: Node | undefined): void {
      const { slugs } = applications!;
      const { slug } = reference;
      if (slugs.open || slugs.literal.has(slug) || slugs.patterns.some((pattern) => pattern.test(slug))) return;
      // A client settings declare and no provider does: oidc/client-wiring writes its blueprint,
      // with an application of that slug, and reports it once.
      if (clients.has(slug) && !providerIds(index).has(slug)) return;
      // A repo whose blueprints declare no application manages them elsewhere: nothing to compare.
      if (slugs.literal.size === 0 && slugs.patterns.length === 0) return;
      const declared = [...slugs.literal.keys()];
      const at = loc ? { loc } : { node: node! };
      // The application's name, or its provider's, written where the slug belongs.
      const named = slugs.byName.get(slug.toLowerCase()) ?? [];
      if (named.length > 0 && named.every((candidate) => candidate.slug === named[0]!.slug)) {
        const where = named[0]!;
        context.report(
          involving({ ...at, messageId: "unknownSlugIsName", data: { slug, what: where.what, suggestion: where.slug, file: `${where.file.relPath}:${where.line}` } }, [where.file]),
        );
        return;
      }
      const suggestion = closest(slug, declared);
      if (suggestion !== undefined) {
        const where = slugs.literal.get(suggestion)![0]!;
        context.report(involving({ ...at, messageId: "unknownSlugDidYouMean", data: { slug, suggestion, file: `${where.file.relPath}:${where.line}` } }, [where.file]));
        return;
      }
      const available = declared.length === 0 ? "its applications' slugs are all templated" : `declared slugs: ${quoteList(declared)}`;
      // The chain: the blueprints declaring applications, one of which may have renamed it.
      const declaring = [...slugs.literal.values()].flatMap((places) => places.map((place) => place.file));
      context.report(involving({ ...at, messageId: "unknownSlug", data: { slug, available } }, declaring));
    }

    function isDeclared(slug: string): boolean {
      const { slugs } = applications!;
      return slugs.literal.has(slug) || slugs.patterns.some((pattern) => pattern.test(slug)) || clients.has(slug);
    }

    /**
     * A URL on a host the repo does not serve authentik at. When authentik's hosts are not known
     * a host is judged as before: a URL on a host some authentik Ingress or HTTPRoute leaves out
     * belongs to another authentik. When they are, a URL naming a slug of the repo's blueprints,
     * or on a host close to authentik's, is meant for this authentik: its host is wrong. Returns
     * whether the URL is reported or left alone, so that its slug is not judged.
     */
    function checkHost(reference: SlugReference, locateHost: () => SourceLocation | undefined, node: Node | undefined): boolean {
      const { host } = reference;
      if (host === undefined || isInternalHost(host.name)) return false;
      const written = parseHost(host.name);
      if (allowedHosts.some((allowed) => hostsMatch(allowed, written))) return false;
      const served = authentikServed(index);
      const accepted = (applications!.authentikHosts.length > 0 && isAuthentikHost(applications!, host.name)) || served?.hosts.some((entry) => hostsMatch(entry.host, written));
      if (accepted) return false;
      if (!served) return !isAuthentikHost(applications!, host.name);
      const suggestion = closest(written.text, served.routeHosts);
      if (suggestion === undefined && !isDeclared(reference.slug)) return true;
      const { servedBy } = served;
      const line = (sourceOfNode(servedBy.node) ?? servedBy.file.source).position(servedBy.node.range?.[0] ?? 0).line;
      const data = { host: host.name, servedBy: servedBy.by, file: `${servedBy.file.relPath}:${line}`, hosts: quoteList(served.routeHosts) };
      const loc = locateHost();
      const at = loc ? { loc } : { node: node! };
      const files = served.hosts.flatMap((entry) => entry.declarations.map((declaration) => declaration.file));
      if (suggestion !== undefined) context.report(involving({ ...at, messageId: "hostNotServedDidYouMean", data: { ...data, suggestion } }, files));
      else context.report(involving({ ...at, messageId: "hostNotServed", data }, files));
      return true;
    }

    /**
     * A span's exact place in the file, where the scalar's source holds the URL as written
     * (plain, quoted without escapes, literal blocks): the n-th occurrence of the URL text from
     * `from` to the slug's end in the value is the n-th in the source. Otherwise the whole scalar.
     */
    function locate(node: Scalar, value: string, reference: SlugReference, from: number, start: number, length: number): SourceLocation | undefined {
      const range = node.range;
      if (!range) return undefined;
      const mapper = sourceOfNode(node) ?? sourceCode.file.source;
      const source = mapper.text.slice(range[0], range[1]);
      const needle = value.slice(from, reference.start + reference.slug.length);
      const inValue = occurrences(value, needle);
      const inSource = occurrences(source, needle);
      if (inValue.length !== inSource.length) return undefined;
      const nth = inValue.indexOf(from);
      const offset = range[0] + inSource[nth]! + (start - from);
      return { start: mapper.position(offset), end: mapper.position(offset + length) };
    }

    return {
      File(file: ParsedFile) {
        const views = index.viewsOf(file);
        blueprintDocuments = new Set(views.blueprints.map((blueprint) => blueprint.document));
        blueprintValues = new Set(file.embedded.flatMap((document) => (document.embeddedIn ? [document.embeddedIn.valueNode] : [])));
      },
      Document(document) {
        skipDocument = document.embeddedIn !== undefined || blueprintDocuments.has(document);
      },
      Scalar(node) {
        const value = node.value;
        if (skipDocument || typeof value !== "string" || !value.includes(marker) || blueprintValues.has(node)) return;
        applications ??= applicationsOf(index);
        for (const reference of slugReferences(value)) {
          const { host } = reference;
          if (checkHost(reference, () => host && locate(node, value, reference, host.start, host.start, host.name.length), node)) continue;
          report(reference, locate(node, value, reference, reference.markerStart, reference.start, reference.slug.length), node);
        }
      },
      AnsibleTemplate(file) {
        if (!file.text.includes(marker)) return;
        applications ??= applicationsOf(index);
        for (const reference of slugReferences(maskComments(file.text))) {
          const span = (start: number, length: number): SourceLocation => ({ start: file.source.position(start), end: file.source.position(start + length) });
          const { host } = reference;
          if (checkHost(reference, () => host && span(host.start, host.name.length), undefined)) continue;
          report(reference, span(reference.start, reference.slug.length), undefined);
        }
      },
    };
  },
};

export default rule;
