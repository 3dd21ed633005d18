/**
 * Code frames print source lines, and a line may hold a secret: a literal `client_secret`, an
 * `!Env` default, a token pasted into a manifest. Before a line is printed its secret-looking
 * values are masked character for character, so that carets still line up. Masking too much
 * is harmless here; printing a secret is not.
 */

/** Keys whose values are credentials (`client_secret`, `password`, `api_token`, `private_key`…). */
const secretKey = /^(\s*(?:-\s+)?["']?([\w.-]*(?:secret|passw(?:or)?d|passwd|token|private[_-]?key|api[_-]?key|credential)[\w.-]*)["']?\s*:\s+)(.*)$/iu;

/** Keys that name where a secret is (`secretKey`, `secretKeyRef`, `password_file`), not hold it. */
const namesASecret = /(?:^secretKey$|Ref$|Name$|[_-]?(?:file|path|env|var|variable)$)/iu;

/** A value that names a secret rather than holding one. */
const reference = /^(?:!(?:Env|Find|FindObject|KeyOf|Context|Format)\b|\{\{|"\{\{|'\{\{|\$\{|"\$\{|op:\/\/|"op:\/\/|[|>][-+0-9]*\s*(?:#.*)?$|$|#)/u;

/** `!Env [NAME, default]`: the default is a value. */
const envDefault = /(!Env\s*\[\s*[^,\]]+,\s*)([^\]]*)(\])/gu;

/** Long runs of base64-like characters with mixed case and digits: keys, tokens, PEM bodies. */
const opaque = /[A-Za-z0-9+/_=-]{32,}/gu;

function mask(text: string): string {
  return text.replace(/[^\s"',\]]/gu, "*");
}

function isOpaque(run: string): boolean {
  return /[a-z]/u.test(run) && /[A-Z]/u.test(run) && /[0-9]/u.test(run) && !run.includes("--");
}

/** A URL, up to the first character no URL holds unescaped. */
const url = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/giu;

/** The text before a run ends inside a URL: `https://host…` with no space since. */
const insideUrl = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]*$/iu;

/**
 * A URL's path is words (`/sso/OID/redirect/jellyfin2/MobileRedirect`) that are no secret
 * together; a secret in a URL is a part of its own (a webhook's token segment, `?token=…`), so
 * each part between `/ ? & = # ;` is judged alone, with a lower bar for its length.
 */
function maskUrl(text: string): string {
  // A password in the URL's user info (`https://user:password@host`) is a secret, however short.
  const withoutPassword = text.replace(/^([^/]*\/\/[^/:@]*:)([^/@]+)(@)/u, (_whole, head: string, password: string, at: string) => head + mask(password) + at);
  // A `${VAR}` (Flux substitution) names a value: the part is judged without it, so that
  // `dns.lan.${EXTERNAL_DOMAIN}:53443` stays a host.
  return withoutPassword.replace(/[^/?&=#;]+/gu, (part) => {
    const judged = part.replace(/\$\{[^}]*\}/gu, "");
    return judged.length >= 20 && isOpaque(judged) ? mask(part) : part;
  });
}

export function redactSecrets(line: string): string {
  let redacted = line.replace(envDefault, (_whole, head: string, value: string, tail: string) => head + mask(value) + tail);
  const match = secretKey.exec(redacted);
  if (match && !namesASecret.test(match[2]!) && !reference.test(match[3]!.trim())) redacted = match[1]! + mask(match[3]!);
  redacted = redacted.replace(url, maskUrl);
  // URLs were judged part by part above.
  return redacted.replace(opaque, (run, offset: number, whole: string) => (isOpaque(run) && !insideUrl.test(whole.slice(0, offset)) ? mask(run) : run));
}
