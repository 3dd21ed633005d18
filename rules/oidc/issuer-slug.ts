/**
 * authentik serves each OAuth2/OpenID application's issuer, discovery document, JWKS and
 * end-session endpoint under `/application/o/<slug>/`, where `<slug>` is the application's slug:
 * a URL naming a slug no application has answers 404, and the service cannot log anyone in.
 * URLs are found in every YAML string outside blueprints (role defaults and vars, group_vars,
 * ConfigMaps, env values, ExternalSecret templates) and in role templates.
 */
import type { Node, Scalar } from "yaml";
import { applicationsOf, isAuthentikHost, type Applications } from "../../src/index/applications.ts";
import type { RepoIndex } from "../../src/index/index.ts";
import { field, text } from "../../src/index/read.ts";
import type { ParsedFile } from "../../src/parse/index.ts";
import { sourceOfNode, type YamlDocument } from "../../src/parse/yaml.ts";
import type { GitopsRule, UncertainOptions } from "../../src/rule.ts";
import { involving, ruleDocsUrl, uncertainDefaults, uncertainSchema } from "../../src/rule.ts";
import { closest } from "../../src/schema/index.ts";
import type { SourceLocation } from "../../src/types.ts";

type MessageId = "unknownSlugDidYouMean" | "unknownSlugIsName" | "unknownSlug";

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
const hostPattern = /^(?:[a-z][a-z0-9+.-]*:)?\/\/(?:[^@/]*@)?([^/:@]+)(?::\d+)?$/iu;

interface SlugReference {
  slug: string;
  /** Offset of the slug in the text. */
  start: number;
  /** The URL's marker and slug, to find the same text in the source. */
  needle: string;
  /** Offset of the marker in the text. */
  markerStart: number;
}

/** The host before a URL's path; undefined when it is a template, a variable or absent. */
function hostBefore(text: string, end: number): string | undefined {
  let start = end;
  while (start > 0 && !urlDelimiter.test(text[start - 1]!)) start--;
  const prefix = text.slice(start, end);
  if (/[{}$]/u.test(prefix)) return undefined;
  return hostPattern.exec(prefix)?.[1];
}

/** Jinja comments are not output: a URL in one names nothing. Offsets are kept. */
function maskComments(text: string): string {
  return text.replace(/\{#[\s\S]*?#\}/gu, (comment) => comment.replace(/[^\n]/gu, " "));
}

/**
 * The application slugs that URLs in `text` name. A slug built with `{{ var }}` or `${VAR}` is
 * unverifiable and skipped, as are the global endpoints and URLs on a host that is known not to
 * be authentik's.
 */
function slugReferences(text: string, applications: Applications): SlugReference[] {
  const found: SlugReference[] = [];
  let markerStart = text.indexOf(marker);
  while (markerStart !== -1) {
    const start = markerStart + marker.length;
    const slug = segmentPattern.exec(text.slice(start))?.[0] ?? "";
    const host = hostBefore(text, markerStart);
    if (slugPattern.test(slug) && !globalEndpoints.has(slug) && (host === undefined || isAuthentikHost(applications, host))) {
      found.push({ slug, start, needle: text.slice(markerStart, start + slug.length), markerStart });
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
    },
    schema: uncertainSchema,
    defaultOptions: uncertainDefaults,
  },
  create(context) {
    const { sourceCode } = context;
    const { index } = sourceCode;
    let applications: Applications | undefined;
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
      if (settingsClients(context.settings).has(slug) && !providerIds(index).has(slug)) return;
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
      const names = declared.slice(0, listed).map((name) => `"${name}"`).join(", ");
      const available =
        declared.length === 0
          ? "its applications' slugs are all templated"
          : `declared slugs: ${names}${declared.length > listed ? `, … (${declared.length} in all)` : ""}`;
      // The chain: the blueprints declaring applications, one of which may have renamed it.
      const declaring = [...slugs.literal.values()].flatMap((places) => places.map((place) => place.file));
      context.report(involving({ ...at, messageId: "unknownSlug", data: { slug, available } }, declaring));
    }

    /**
     * The slug's exact place in the file, where the scalar's source holds the URL as written
     * (plain, quoted without escapes, literal blocks): the n-th occurrence of the URL in the
     * value is the n-th in the source. Otherwise the whole scalar.
     */
    function locate(node: Scalar, value: string, reference: SlugReference): SourceLocation | undefined {
      const range = node.range;
      if (!range) return undefined;
      const mapper = sourceOfNode(node) ?? sourceCode.file.source;
      const source = mapper.text.slice(range[0], range[1]);
      const inValue = occurrences(value, reference.needle);
      const inSource = occurrences(source, reference.needle);
      if (inValue.length !== inSource.length) return undefined;
      const nth = inValue.indexOf(reference.markerStart);
      const start = range[0] + inSource[nth]! + (reference.start - reference.markerStart);
      return { start: mapper.position(start), end: mapper.position(start + reference.slug.length) };
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
        for (const reference of slugReferences(value, applications)) report(reference, locate(node, value, reference), node);
      },
      AnsibleTemplate(file) {
        if (!file.text.includes(marker)) return;
        applications ??= applicationsOf(index);
        for (const reference of slugReferences(maskComments(file.text), applications)) {
          const loc = { start: file.source.position(reference.start), end: file.source.position(reference.start + reference.slug.length) };
          report(reference, loc, undefined);
        }
      },
    };
  },
};

export default rule;
