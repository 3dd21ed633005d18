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

export function redactSecrets(line: string): string {
  let redacted = line.replace(envDefault, (_whole, head: string, value: string, tail: string) => head + mask(value) + tail);
  const match = secretKey.exec(redacted);
  if (match && !namesASecret.test(match[2]!) && !reference.test(match[3]!.trim())) redacted = match[1]! + mask(match[3]!);
  return redacted.replace(opaque, (run) => (isOpaque(run) ? mask(run) : run));
}
