/**
 * An OAuth2 provider's redirect URIs point at the service that logs in with it. authentik sends
 * the authorization code to the redirect URI the client asks for, if one of the provider's
 * entries matches it: `strict` compares the whole URL as a string, `regex` runs Python's
 * `re.fullmatch` (so `^` and `$` are implied). A strict entry is checked against the host of
 * the application's `meta_launch_url` and the repo's host graph (`src/index/hosts.ts`); a regex
 * entry must compile and pin its host.
 */
import { isMap, isScalar, isSeq, type Scalar } from "yaml";
import { push } from "../../src/index/collect.ts";
import type { RepoIndex } from "../../src/index/index.ts";
import {
  type HostEntry,
  type HostGraph,
  type HostPattern,
  firstLabel,
  hasVariables,
  hostGraph,
  hostsMatch,
  isLoopback,
  parseHost,
  splitUrl,
} from "../../src/index/hosts.ts";
import type { Blueprint, BlueprintEntry } from "../../src/index/model.ts";
import { field, text } from "../../src/index/read.ts";
import type { GitopsRule, UncertainOptions } from "../../src/rule.ts";
import { involving, ruleDocsUrl, uncertainDefaults, uncertainSchema } from "../../src/rule.ts";
import type { ParsedFile } from "../../src/parse/index.ts";
import { sourceOfNode } from "../../src/parse/yaml.ts";
import type { SourceLocation } from "../../src/types.ts";

type MessageId =
  | "notAbsolute"
  | "notHttps"
  | "hostOfOtherApplication"
  | "hostNotConnected"
  | "unknownHost"
  | "unknownHostNoLaunchUrl"
  | "regexInvalid"
  | "regexHostOpen"
  | "regexUnescapedDot";

const whereHostsAre =
  " Hosts are looked for in Ingress and HTTPRoute hosts, Traefik IngressRoute rules, cert-manager Certificates, external-dns and Tailscale annotations, chart values (ingress, route), Ansible reverse proxy sites and *_url or *_domain variables, and settings.hosts; a host served outside this repo (a SaaS, another repo) can be listed in settings.hosts.";
const nearestHosts = ' Known hosts nearest "{{host}}": {{nearest}}.';

const rule: GitopsRule<MessageId, [UncertainOptions?]> = {
  meta: {
    type: "problem",
    docs: {
      description: "OAuth2 redirect URIs are absolute https URLs on a host where the provider's application is served",
      url: ruleDocsUrl("oidc/redirect-uri-host"),
      recommended: true,
      warningMessages: ["hostNotConnected", "unknownHost", "unknownHostNoLaunchUrl", "regexHostOpen", "regexUnescapedDot"],
      // Replacing a host someone wrote is a change of value: only with --unsafe-fixes.
      unsafeFixMessages: ["hostOfOtherApplication"],
    },
    fixable: "code",
    messages: {
      notAbsolute:
        'redirect URI "{{url}}" is not an absolute URL: with matching_mode strict authentik compares it with the whole URL the client sends, which starts with a scheme and a host, so it never matches. Write the full URL, e.g. "https://{{example}}/…".',
      notHttps:
        'redirect URI "{{url}}" uses http on "{{host}}", which is not a loopback host: the authorization code would cross the network unencrypted. Use https (plain http is for loopback redirects of native apps, RFC 8252).',
      hostOfOtherApplication:
        'redirect URI host "{{host}}" is the launch host of application "{{other}}" ({{otherFile}}), while this provider\'s application "{{application}}" is served at "{{expected}}": authentik would send the login to another service. Use "{{expected}}".' +
        nearestHosts,
      hostNotConnected:
        'redirect URI host "{{host}}" is served by {{servedBy}} ({{file}}), which nothing in the repo connects to "{{expected}}", the host of application "{{application}}"\'s meta_launch_url: if it is another service, the login goes there. Hosts are connected when one Ingress, route, proxy site or Certificate names both, or when they route to the same Service; if this host is the same service, list it in settings.hosts.' +
        nearestHosts,
      unknownHost:
        'redirect URI host "{{host}}" is declared nowhere in this repo, and it is not "{{expected}}", the host of application "{{application}}"\'s meta_launch_url.' +
        whereHostsAre +
        nearestHosts,
      unknownHostNoLaunchUrl:
        'redirect URI host "{{host}}" is declared nowhere in this repo, and no application in the repo gives this provider an http(s) meta_launch_url to compare it with.' +
        whereHostsAre +
        nearestHosts,
      regexInvalid:
        'regex redirect URI "{{pattern}}" does not compile ({{reason}}): authentik logs a configuration error and the entry never matches. Correct the pattern.',
      regexHostOpen:
        'regex redirect URI "{{pattern}}" does not pin its host: authentik matches the whole URL with re.fullmatch, so this pattern lets a client send the login to other hosts. Start it with the scheme and host written out, e.g. "https://{{example}}/.*".',
      regexUnescapedDot:
        'regex redirect URI "{{pattern}}" has an unescaped "." in its host "{{host}}": a dot matches any character, so a look-alike host such as "{{lookalike}}" matches too. Escape each dot of the host as "\\.".',
    },
    schema: uncertainSchema,
    defaultOptions: uncertainDefaults,
  },
  create(context) {
    const { sourceCode } = context;
    const { index } = sourceCode;
    const settingsHosts = configuredHosts(context.settings);

    /** Reports at a span of a scalar's value where it maps one to one onto its line, else at the scalar. */
    /** `involved`: the other files of the host's chain (launch URLs, routes, proxy sites). */
    function report(
      messageId: MessageId,
      data: Record<string, string>,
      node: Scalar,
      span?: [number, number],
      replacement?: string,
      involved: ReadonlyArray<ParsedFile | string> = [],
    ): void {
      const loc = span ? spanOf(node, span[0], span[1]) : undefined;
      // In a literal block the value's lines are shifted by its indentation: no fix there.
      if (loc && span && replacement !== undefined && node.type !== "BLOCK_LITERAL") {
        // The span maps one to one onto the file: the fix replaces exactly the written host.
        const start = sourceCode.getRange(node)[0] + (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE" ? 1 : 0);
        context.report(involving({ loc, messageId, data, fix: (fixer) => fixer.replaceTextRange([start + span[0], start + span[1]], replacement) }, involved));
      } else if (loc) context.report(involving({ loc, messageId, data }, involved));
      else context.report(involving({ node, messageId, data }, involved));
    }

    function spanOf(node: Scalar, start: number, end: number): SourceLocation | undefined {
      const value = node.value;
      if (typeof value !== "string") return undefined;
      if (node.type === "BLOCK_LITERAL") return blockSpanOf(node, value, start, end);
      const loc = sourceCode.getLoc(node);
      const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
      // Escapes or folding make the source longer than the value: positions inside it would drift.
      if (loc.start.line !== loc.end.line || loc.end.column - loc.start.column !== value.length + (quoted ? 2 : 0)) return undefined;
      const column = loc.start.column + (quoted ? 1 : 0);
      return { start: { line: loc.start.line, column: column + start }, end: { line: loc.start.line, column: column + end } };
    }

    /**
     * A span of a literal block's value (the string form of `redirect_uris`): each line of the
     * value is a line of the source after the header, shifted by the block's indentation. A span
     * on a line whose source does not end with it (tabs, a header comment) is not placed.
     */
    function blockSpanOf(node: Scalar, value: string, start: number, end: number): SourceLocation | undefined {
      if (!node.range) return undefined;
      const lineStart = value.lastIndexOf("\n", start - 1) + 1;
      const lineEnd = value.indexOf("\n", start);
      if (lineEnd !== -1 && end > lineEnd) return undefined;
      const valueLine = value.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
      const index = value.slice(0, lineStart).split("\n").length - 1;
      const mapper = sourceOfNode(node) ?? sourceCode.file.source;
      const sourceLines = mapper.text.slice(node.range[0], node.range[1]).split("\n");
      // Line 0 is the header (`|`, its indicators and any comment).
      const sourceLine = sourceLines[index + 1]?.replace(/\r$/u, "");
      if (sourceLine === undefined || !sourceLine.endsWith(valueLine)) return undefined;
      const offset = node.range[0] + sourceLines.slice(0, index + 1).reduce((sum, line) => sum + line.length + 1, 0) + sourceLine.length - valueLine.length;
      return { start: mapper.position(offset + start - lineStart), end: mapper.position(offset + end - lineStart) };
    }

    /** The host checks shared by strict URLs and regexes with a literal host. */
    function checkHost(host: string, launches: readonly LaunchHost[], node: Scalar, span: [number, number]): void {
      // A Jinja expression, or a variable for the first label, leaves nothing to compare.
      if (host.includes("{{") || host.includes("{%")) return;
      const written = parseHost(host);
      if (firstLabel(written) === undefined) return;
      if (settingsHosts.some((allowed) => hostsMatch(allowed, written))) return;
      if (launches.some((launch) => hostsMatch(launch.host, written))) return;
      const graph = hostGraph(index);
      const found = graph.match(written);
      const launchEntries = launches.flatMap((launch) => graph.match(launch.host));
      if (launches.length > 0 && graph.sameService(found, launchEntries)) return;
      const launch = launches[0];
      // The nearest hosts are sorted out of the whole graph: only for a message.
      const base = (): Record<string, string> => ({ host: written.text, nearest: nearest(graph, written) });
      const other = launch ? otherApplication(index, written, launches) : undefined;
      // The chain: the application's launch URL, and the hosts the repo serves near this one
      // (one of them may be this host, renamed).
      const launchFiles = launches.map((candidate) => candidate.file);
      const nearFiles = (): ParsedFile[] => graph.nearest(written, 5).flatMap((entry) => entry.declarations.map((declaration) => declaration.file));
      if (launch && other) {
        // The right host is certain when the application has one launch host, written out.
        const certain = launches.length === 1 && /^[a-z0-9.-]+(:\d+)?$/iu.test(launch.host.text);
        report(
          "hostOfOtherApplication",
          { ...base(), other: other.application, otherFile: other.file, expected: launch.host.text, application: launch.application },
          node,
          span,
          certain ? launch.host.text : undefined,
          [...launchFiles, other.file],
        );
        return;
      }
      if (found.length === 0) {
        // A repo that declares no host at all (authentik's configuration alone) serves its
        // services elsewhere: there is nothing to compare with.
        if (other || graph.empty) return;
        if (launch) report("unknownHost", { ...base(), expected: launch.host.text, application: launch.application }, node, span, undefined, [...launchFiles, ...nearFiles()]);
        else report("unknownHostNoLaunchUrl", base(), node, span, undefined, nearFiles());
        return;
      }
      // A host only named by a variable, or a launch host served nowhere in the repo: the link
      // between them is one the graph cannot judge.
      const serving = found.flatMap((entry) => entry.declarations).find((declaration) => declaration.serves);
      const launchServed = launchEntries.some((entry) => entry.declarations.some((declaration) => declaration.serves));
      if (!launch || !serving || !launchServed) return;
      report(
        "hostNotConnected",
        { ...base(), servedBy: serving.by, file: serving.file.relPath, expected: launch.host.text, application: launch.application },
        node,
        span,
        undefined,
        [...launchFiles, serving.file, ...launchEntries.flatMap((entry) => entry.declarations.map((declaration) => declaration.file))],
      );
    }

    /** A `strict` URL, `offset` being where it starts in the scalar's value. */
    function checkStrict(url: string, launches: readonly LaunchHost[], node: Scalar, offset: number): void {
      const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/u.exec(url);
      // `grafana.example.com:3000/cb` reads as scheme `grafana.example.com`: a port is no path.
      if (!scheme || /^\d+(?:[/?#]|$)/u.test(url.slice(scheme[0].length))) {
        if (/^(?:\{\{|\{%|\$\{)/u.test(url)) return;
        report("notAbsolute", { url, example: launches[0]?.host.text ?? "host.example.com" }, node);
        return;
      }
      const name = scheme[1]!.toLowerCase();
      // Any other scheme is a native app's own (`app.immich:///oauth-callback`, RFC 8252 7.1).
      if (name !== "http" && name !== "https") return;
      const parts = splitUrl(url);
      if (!parts || parts.host === "") {
        report("notAbsolute", { url, example: launches[0]?.host.text ?? "host.example.com" }, node);
        return;
      }
      if (isLoopback(parts.host) || parts.host.includes("{{")) return;
      if (name === "http") {
        if (parseHost(parts.host).parts.join("") === "") return;
        report("notHttps", { url, host: parts.host }, node, [offset, offset + scheme[1]!.length]);
        return;
      }
      checkHost(parts.host, launches, node, [offset + parts.hostStart, offset + parts.hostEnd]);
    }

    function checkRegex(pattern: string, launches: readonly LaunchHost[], node: Scalar): void {
      const problem = pythonRegexProblem(pattern);
      if (problem !== undefined) {
        report("regexInvalid", { pattern, reason: problem }, node);
        return;
      }
      const host = regexHost(pattern);
      const example = launches[0] ? launches[0].host.text.replaceAll(".", "\\.") : "app\\.example\\.com";
      if (host.kind === "open") {
        report("regexHostOpen", { pattern, example }, node);
      } else if (host.kind === "literal" && !isLoopback(host.host)) {
        if (host.dots.length > 0) {
          const dot = host.dots[0]!;
          const lookalike = `${host.host.slice(0, dot)}x${host.host.slice(dot + 1)}`;
          report("regexUnescapedDot", { pattern, host: host.host, lookalike }, node, [host.start, host.end]);
          return;
        }
        checkHost(host.host, launches, node, [host.start, host.end]);
      }
    }

    return {
      BlueprintEntry(entry, blueprint) {
        if (entry.model?.value !== "authentik_providers_oauth2.oauth2provider" || entry.state?.value === "absent") return;
        const redirects = field(entry.attrs, "redirect_uris");
        if (!redirects) return;
        const launches = launchHosts(index, blueprint, entry);
        if (isSeq(redirects)) {
          for (const item of redirects.items) {
            if (!isMap(item)) continue;
            const mode = text(field(item, "matching_mode"));
            const url = field(item, "url");
            const value = text(url);
            if (value === undefined || value === "" || !isScalar(url)) continue;
            if (mode === "strict") checkStrict(value, launches, url, 0);
            else if (mode === "regex") checkRegex(value, launches, url);
          }
          return;
        }
        // Before authentik 2024.8, `redirect_uris` was one string of URLs separated by
        // whitespace, each tried as a regex and then as a plain string; the 2024.8 migration made
        // every one `strict` except `*` and `.*`. URLs with regex syntax are left alone. A
        // template expression (`{{ env "DOMAIN" }}`) is part of its URL, spaces and all.
        const value = text(redirects);
        if (value === undefined || !isScalar(redirects)) return;
        for (const match of value.matchAll(/(?:\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\S)+/gu)) {
          if (/[\\^$*+?()[\]{}|]/u.test(match[0].replace(/\$\{[^}]*\}|\{\{[\s\S]*?\}\}/gu, ""))) continue;
          checkStrict(match[0], launches, redirects, match.index);
        }
      },
    };
  },
};

export default rule;

// ── The application's launch host ──────────────────────────────────────────────────────────────

interface LaunchHost {
  host: HostPattern;
  application: string;
  file: string;
}

interface Application {
  entry: BlueprintEntry;
  blueprint: Blueprint;
}

const applicationModel = "authentik_core.application";
const providerModel = "authentik_providers_oauth2.oauth2provider";

const byKeyOf = new WeakMap<Blueprint, Map<string, Application[]>>();

/** Applications whose `provider: !KeyOf id` names an entry of their own blueprint, by that id. */
function applicationsByKeyOf(blueprint: Blueprint): Map<string, Application[]> {
  let map = byKeyOf.get(blueprint);
  if (!map) {
    map = new Map();
    for (const entry of blueprint.entries) {
      if (entry.model?.value !== applicationModel) continue;
      const provider = field(entry.attrs, "provider");
      if (!isScalar(provider) || provider.tag !== "!KeyOf" || typeof provider.value !== "string") continue;
      push(map, provider.value, { entry, blueprint });
    }
    byKeyOf.set(blueprint, map);
  }
  return map;
}

const byFind = new WeakMap<RepoIndex, Map<string, Application[]>>();

/**
 * Applications anywhere in the repo whose `provider: !Find [authentik_providers_oauth2.oauth2provider,
 * [field, value]]` looks the provider up, by `field=value` (`name=Grafana`, `client_id=grafana`).
 */
function applicationsByFind(index: RepoIndex): Map<string, Application[]> {
  let map = byFind.get(index);
  if (!map) {
    map = new Map();
    for (const { entry, blueprint } of index.entriesByModel.get(applicationModel) ?? []) {
      const provider = field(entry.attrs, "provider");
      if (!isSeq(provider) || provider.tag !== "!Find" || text(provider.items[0]) !== providerModel) continue;
      for (const query of provider.items.slice(1)) {
        if (!isSeq(query)) continue;
        const [key, value] = [text(query.items[0]), text(query.items[1])];
        if (key === undefined || value === undefined) continue;
        push(map, `${key}=${value}`, { entry, blueprint });
      }
    }
    byFind.set(index, map);
  }
  return map;
}

function attribute(entry: BlueprintEntry, key: string): string | undefined {
  return text(field(entry.attrs, key)) ?? text(field(entry.identifiers, key));
}

function applicationName(entry: BlueprintEntry): string {
  return attribute(entry, "name") ?? attribute(entry, "slug") ?? "?";
}

/** The host of an http(s) `meta_launch_url` (`blank://blank` hides an app and names no host). */
function launchHostOf(application: Application): LaunchHost | undefined {
  const url = text(field(application.entry.attrs, "meta_launch_url"));
  const parts = url === undefined ? undefined : splitUrl(url.trim());
  if (!parts || (parts.scheme !== "http" && parts.scheme !== "https") || parts.host === "") return undefined;
  return { host: parseHost(parts.host), application: applicationName(application.entry), file: application.blueprint.file.relPath };
}

/** The launch hosts of the provider's applications: by `!KeyOf` in its blueprint, or `!Find` anywhere. */
function launchHosts(index: RepoIndex, blueprint: Blueprint, provider: BlueprintEntry): LaunchHost[] {
  const found = new Set<Application>();
  for (const application of provider.id ? (applicationsByKeyOf(blueprint).get(provider.id.value) ?? []) : []) found.add(application);
  const finds = applicationsByFind(index);
  for (const key of ["name", "client_id"]) {
    const value = attribute(provider, key);
    for (const application of value === undefined ? [] : (finds.get(`${key}=${value}`) ?? [])) found.add(application);
  }
  return [...found].flatMap((application) => {
    // A blueprint decoded from a Secret's base64 `data:` is never quoted.
    if (application.entry.state?.value === "absent" || application.blueprint.encoded) return [];
    const launch = launchHostOf(application);
    return launch ? [launch] : [];
  });
}

const launchesByIndex = new WeakMap<RepoIndex, LaunchHost[]>();

/** Another application whose launch host `host` is: the login would go to that service. */
function otherApplication(index: RepoIndex, host: HostPattern, own: readonly LaunchHost[]): LaunchHost | undefined {
  let all = launchesByIndex.get(index);
  if (!all) {
    all = (index.entriesByModel.get(applicationModel) ?? []).flatMap((application) => {
      if (application.entry.state?.value === "absent" || application.blueprint.encoded) return [];
      const launch = launchHostOf(application);
      return launch ? [launch] : [];
    });
    launchesByIndex.set(index, all);
  }
  const names = new Set(own.map((launch) => launch.application));
  return all.find((launch) => !names.has(launch.application) && !hasVariables(launch.host) && launch.host.text === host.text);
}

// ── Messages' data ─────────────────────────────────────────────────────────────────────────────

function describe(entry: HostEntry): string {
  const declaration = entry.declarations[0]!;
  return `"${entry.host.text}" (${declaration.by}, ${declaration.file.relPath})`;
}

function nearest(graph: HostGraph, host: HostPattern): string {
  const list = graph.nearest(host, 5).map(describe);
  return list.length > 0 ? list.join("; ") : "none";
}

/** `settings.hosts`: host names (a DNS `*` allowed) served outside the repo, accepted anywhere. */
function configuredHosts(settings: Record<string, unknown> | undefined): HostPattern[] {
  const hosts = settings?.hosts;
  return Array.isArray(hosts) ? hosts.filter((host): host is string => typeof host === "string").map(parseHost) : [];
}

// ── Regex redirect URIs ────────────────────────────────────────────────────────────────────────

/** Letters Python's `re` (3.12) accepts after a backslash; any other is "bad escape". */
const pythonEscapes = new Set("aAbBdDfnNrsStuUvwWxZz");
const pythonClassEscapes = new Set("abdDfnNrsStuUvwWx");

/**
 * Why authentik (Python's `re`) would reject the pattern, or undefined. JavaScript's RegExp
 * compiles it after the Python-only spellings are translated: `(?P<name>…)`, `(?P=name)`,
 * `(?#…)`, inline flags, `\A`, `\Z`. Constructs JavaScript lacks (atomic groups, possessive
 * quantifiers, conditionals) leave the pattern unverified rather than wrong. JavaScript is more
 * lenient in places (variable-width lookbehind): a pattern it accepts may still fail in Python.
 */
function pythonRegexProblem(pattern: string): string | undefined {
  const source = pattern.replace(/\$\{[^}]*\}|\{\{[\s\S]*?\}\}/gu, "x");
  let inClass = false;
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (char === "\\") {
      const next = source[index + 1] ?? "";
      if (/[A-Za-z]/u.test(next) && !(inClass ? pythonClassEscapes : pythonEscapes).has(next)) return `bad escape \\${next}`;
      index++;
    } else if (char === "[" && !inClass) {
      inClass = true;
      // `]` right after `[` or `[^` is a literal.
      if (source[index + 1] === "^") index++;
      if (source[index + 1] === "]") index++;
    } else if (char === "]" && inClass) {
      inClass = false;
    }
  }
  if (/\(\?>|\(\?\(|[*+?}]\+/u.test(source)) return undefined;
  const translated = source
    .replace(/\(\?P</gu, "(?<")
    .replace(/\(\?P=(\w+)\)/gu, "\\k<$1>")
    .replace(/\(\?#[^)]*\)/gu, "")
    .replace(/\(\?[aiLmsux]+\)/gu, "")
    .replace(/\(\?[aiLmsux]*(?:-[imsx]+)?:/gu, "(?:")
    .replace(/\\A/gu, "^")
    .replace(/\\[Zz]/gu, "$");
  try {
    new RegExp(translated);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^Invalid regular expression:\s*/u, "") : String(error);
  }
}

type RegexHost =
  | { kind: "open" }
  | { kind: "unverifiable" }
  /** The host's offsets in the pattern; `dots`: where its unescaped dots are in `host`. */
  | { kind: "literal"; host: string; start: number; end: number; dots: number[] };

/**
 * The host a regex pins. `open`: a client can put another host there (`.*`, `[a-z]+`, no
 * scheme and host at the start); `unverifiable`: a finite choice (`(a|b)`), a native app's
 * scheme, a template; `literal`: the host written out, dots escaped or not.
 */
function regexHost(pattern: string): RegexHost {
  const separator = /:(?:\/\/|\\\/\\\/)/u.exec(pattern);
  // `^` and `\A` anchor the start, as fullmatch does anyway.
  const anchor = /^(?:\^|\\A)/u.exec(pattern)?.[0].length ?? 0;
  if (!separator) return /^(?:\.|\[|\\[SsWwDd]|\(\??:?\.)/u.test(pattern.slice(anchor)) ? { kind: "open" } : { kind: "unverifiable" };
  const scheme = pattern.slice(anchor, separator.index);
  if (/[.*+[\\]/u.test(scheme)) return { kind: "open" };
  if (!/http/iu.test(scheme)) return { kind: "unverifiable" };
  const start = separator.index + separator[0].length;
  let host = "";
  const dots: number[] = [];
  let choice = false;
  let index = start;
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (pattern.startsWith("{{", index)) return { kind: "unverifiable" };
    if (pattern.startsWith("${", index)) {
      const close = pattern.indexOf("}", index);
      const end = close === -1 ? pattern.length : close + 1;
      host += pattern.slice(index, end);
      index = end;
      continue;
    }
    if (char === "\\") {
      const next = pattern[index + 1] ?? "";
      if (next === "/") break;
      if (next === "." || next === "-") host += next;
      else choice = true;
      index += 2;
      continue;
    }
    if (char === "/" || char === ":" || char === "$") break;
    // An optional port or path group ends the host: `(:443)?`, `(/.*)?`.
    if (char === "(" && /^\((?:\?:)?(?::|\/|\\\/)/u.test(pattern.slice(index))) break;
    if (char === "*" || char === "+" || char === "{") return { kind: "open" };
    if (char === ".") {
      if (/[*+{]/u.test(pattern[index + 1] ?? "")) return { kind: "open" };
      dots.push(host.length);
      host += ".";
    } else if (char === "[") {
      const close = pattern.indexOf("]", index + 2);
      if (close === -1) return { kind: "unverifiable" };
      choice = true;
      index = close + 1;
      continue;
    } else if (/[A-Za-z0-9_-]/u.test(char)) {
      host += char.toLowerCase();
    } else {
      choice = true;
    }
    index++;
  }
  if (choice || host === "") return { kind: "unverifiable" };
  return { kind: "literal", host, start, end: index, dots };
}
