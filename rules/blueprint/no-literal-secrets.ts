/**
 * A secret written into a blueprint is readable by everyone who can read the repo, and stays in
 * its history after it is rotated. authentik reads secrets at apply time instead: `!Env NAME`
 * from the worker's environment (set from a Kubernetes Secret), `!File path` from a mounted
 * file. A literal value in a secret field, or a PEM private key anywhere in a blueprint, is
 * reported; the message names the field and never the value.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type Node } from "yaml";
import models from "../../schemas/blueprint/models.json" with { type: "json" };
import type { Blueprint } from "../../src/index/model.ts";
import { field } from "../../src/index/read.ts";
import type { SourceMapper } from "../../src/parse/source.ts";
import { isAuthentikTag } from "../../src/parse/tags.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { ruleDocsUrl } from "../../src/rule.ts";
import { entryMappings, isFilledInLater, mappingFields } from "../../src/index/blueprint.ts";

export interface SecretField {
  /** What the field holds, for the message. */
  what: string;
  /** A value of this form names where the secret is rather than holding it. */
  reference?: RegExp;
}

/**
 * The fields of authentik 2024.12's models that hold a secret, chosen from every field of
 * schemas/blueprint/models.json by its name, type and description. A field of a model listed in
 * models.json is a secret only if it is here; `notSecretFields` says why the fields that look
 * like secrets are not.
 */
export const secretFields: Readonly<Record<string, Readonly<Record<string, SecretField>>>> = {
  "authentik_core.token": { key: { what: "the token itself" } },
  "authentik_core.user": { password: { what: "the user's password" } },
  "authentik_crypto.certificatekeypair": { key_data: { what: "the private key" } },
  "authentik_enterprise.license": { key: { what: "the license key" } },
  "authentik_outposts.kubernetesserviceconnection": { kubeconfig: { what: "a kubeconfig with the cluster's credentials" } },
  "authentik_providers_google_workspace.googleworkspaceprovider": { credentials: { what: "the service account's key" } },
  "authentik_providers_microsoft_entra.microsoftentraprovider": { client_secret: { what: "the app registration's client secret" } },
  "authentik_providers_oauth2.oauth2provider": { client_secret: { what: "the OAuth2 client secret" } },
  "authentik_providers_radius.radiusprovider": { shared_secret: { what: "the RADIUS shared secret" } },
  "authentik_providers_scim.scimprovider": { token: { what: "the SCIM bearer token" } },
  // A keytab is written base64-encoded, or as `TYPE:residual` (`FILE:/path`), which names a file.
  "authentik_sources_kerberos.kerberossource": {
    sync_password: { what: "the kadmin password" },
    sync_keytab: { what: "a keytab", reference: /^[A-Za-z]+:/u },
    spnego_keytab: { what: "a keytab", reference: /^[A-Za-z]+:/u },
  },
  "authentik_sources_ldap.ldapsource": { bind_password: { what: "the LDAP bind password" } },
  "authentik_sources_oauth.oauthsource": { consumer_secret: { what: "the OAuth client secret" } },
  "authentik_sources_oauth.useroauthsourceconnection": { access_token: { what: "a user's access token" } },
  "authentik_sources_plex.plexsource": { plex_token: { what: "the Plex token" } },
  "authentik_sources_plex.userplexsourceconnection": { plex_token: { what: "a user's Plex token" } },
  "authentik_stages_authenticator_duo.authenticatorduostage": {
    client_secret: { what: "the Duo secret key" },
    admin_secret_key: { what: "the Duo Admin API secret key" },
  },
  "authentik_stages_authenticator_endpoint_gdtc.authenticatorendpointgdtcstage": { credentials: { what: "the service account's key" } },
  "authentik_stages_authenticator_sms.authenticatorsmsstage": {
    auth: { what: "the SMS provider's auth token" },
    auth_password: { what: "the SMS provider's password" },
  },
  "authentik_stages_captcha.captchastage": { private_key: { what: "the captcha secret key" } },
  "authentik_stages_email.emailstage": { password: { what: "the SMTP password" } },
};

/**
 * Fields of authentik's models whose names look like secrets and that are not, by name; a
 * nested key or a field of a model unknown to models.json with one of these names is not one
 * either. Booleans and numbers that only switch or size something are never reported anyway.
 */
export const notSecretFields: Readonly<Record<string, string>> = {
  access_token_url: "a URL of the OAuth provider",
  request_token_url: "a URL of the OAuth provider",
  access_token_validity: "a duration",
  refresh_token_validity: "a duration",
  token_expiry: "a duration, in minutes",
  token_count: "a number of tokens",
  token_length: "a length",
  include_claims_in_id_token: "a switch",
  delete_token_on_disconnect: "a switch",
  allow_show_password: "a switch",
  sync_users_password: "a switch",
  password_login_update_internal_password: "a switch",
  password_field: "the name of a prompt field",
  password_stage: "a reference to a password stage",
  passwordless_flow: "a reference to a flow",
  basic_auth_password_attribute: "the name of a user or group attribute",
  basic_auth_user_attribute: "the name of a user or group attribute",
  auth_mode: "a choice",
  auth_type: "a choice",
  consumer_key: "the OAuth client id, public",
  client_id: "the OAuth client id, public",
  admin_integration_key: "the Duo integration key, an identifier",
  public_key: "the captcha site key, public",
  certificate_data: "a certificate is public (a private key in it is found as a PEM private key)",
  field_key: "the name of a prompt field",
  resident_key_requirement: "a choice",
  signing_key: "a reference to a certificate keypair",
  encryption_key: "a reference to a certificate keypair",
  spnego_ccache: "a credential cache location, TYPE:residual",
  sync_ccache: "a credential cache location, TYPE:residual",
};

/** Names of secrets wherever models.json does not say: nested keys, context keys, newer fields. */
const secretName =
  /^(?:password|passwd|secret|token|client[_-]?secret|private[_-]?key|key[_-]?data|client-key-data|api[_-]?key|secret[_-]?key|bind[_-]?password)$|[_-](?:secret|password|passwd|token|keytab)$|[_-]secret[_-]key$/iu;

function secretByName(name: string): SecretField | undefined {
  return secretName.test(name) && !(name in notSecretFields) ? { what: "a secret, by its name" } : undefined;
}

const modelFields = models.models as Record<string, { attrs: { properties?: Record<string, unknown> } }>;

/**
 * Secret keys that captcha providers publish for tests (they pass every check, or fail it, for
 * anyone): authentik's example blueprint flows-login-conditional-captcha.yaml uses Google's.
 */
const publishedTestSecrets: ReadonlySet<string> = new Set([
  // Google reCAPTCHA v2, developers.google.com/recaptcha/docs/faq
  "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe",
  // Cloudflare Turnstile, developers.cloudflare.com/turnstile/troubleshooting/testing/
  "1x0000000000000000000000000000000AA",
  "2x0000000000000000000000000000000AA",
  "3x0000000000000000000000000000000AA",
  // hCaptcha, docs.hcaptcha.com (integration testing)
  "0x0000000000000000000000000000000000000000",
]);

/** PKCS#1, PKCS#8 (encrypted or not), SEC1 and OpenSSH private keys. */
const pemPrivateKey = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/u;

/**
 * Whether a parsed text holds a PEM private key anywhere, tested once per text: the documents of
 * one file share it, and only where it does are a blueprint's values walked.
 */
const textsWithPrivateKeys = new WeakMap<SourceMapper, boolean>();

function mayHoldPrivateKey(source: SourceMapper): boolean {
  let found = textsWithPrivateKeys.get(source);
  if (found === undefined) {
    found = pemPrivateKey.test(source.text);
    textsWithPrivateKeys.set(source, found);
  }
  return found;
}

type MessageId = "literalSecret" | "privateKey";

const rule: GitopsRule<MessageId> = {
  meta: {
    type: "problem",
    docs: {
      description: "Secrets in blueprints are read with `!Env` or `!File`, never written as literals",
      url: ruleDocsUrl("blueprint/no-literal-secrets"),
      recommended: true,
      secretMessages: ["literalSecret", "privateKey"],
    },
    messages: {
      literalSecret:
        "{{where}} is {{what}}, written here as a literal: everyone who can read the repo, and its history, can read it. Read it with !Env NAME (an env var of the authentik worker, set from a Secret) or !File path (a mounted file) instead.",
      privateKey:
        "this value holds a PEM private key: everyone who can read the repo, and its history, can read it. Keep the key in a Secret and read it with !File (a mounted file) or !Env.",
    },
    schema: [],
  },
  create(context) {
    /** Each node once, however many anchors and merge keys lead to it. */
    const reported = new Set<Node>();

    function report(node: Node, messageId: MessageId, data: Record<string, string> = {}): void {
      if (reported.has(node)) return;
      reported.add(node);
      context.report({ node, messageId, data });
    }

    /**
     * Collections already visited, with the secrets they were visited for: a node reached again
     * through an alias reports nothing new (each node is reported once), and anchors that alias
     * each other would otherwise be walked exponentially often.
     */
    const visited = new WeakMap<object, Set<SecretField | undefined>>();

    /**
     * A value, and what is under it, checked against the secret that the name it sits at says.
     * `open` holds the collections being visited, so that an anchor nested in itself ends.
     */
    function visit(doc: Document, node: unknown, path: string, secret: SecretField | undefined, where: (path: string) => string, open = new Set<unknown>()): void {
      if (isAlias(node)) {
        visit(doc, node.resolve(doc), path, secret, where, open);
      } else if (isMap(node) || isSeq(node)) {
        if (isAuthentikTag(node.tag) || open.has(node)) return;
        const secrets = visited.get(node) ?? new Set<SecretField | undefined>();
        if (secrets.has(secret)) return;
        secrets.add(secret);
        visited.set(node, secrets);
        open.add(node);
        if (isMap(node)) for (const [name, value] of mappingFields(node, doc)) visit(doc, value, `${path}.${name}`, secretByName(name), where, open);
        else node.items.forEach((item, position) => visit(doc, item, `${path}[${position}]`, secret, where, open));
        open.delete(node);
      } else if (isScalar(node) && secret && !isAuthentikTag(node.tag)) {
        const value: unknown = node.value;
        const literal =
          typeof value === "number" ||
          (typeof value === "string" &&
            value.trim() !== "" &&
            !isFilledInLater(value) &&
            !publishedTestSecrets.has(value.trim()) &&
            !secret.reference?.test(value.trim()));
        if (literal) report(node, "literalSecret", { where: where(path), what: secret.what });
      }
    }

    function privateKeys(blueprint: Blueprint): void {
      if (!mayHoldPrivateKey(blueprint.document.source)) return;
      const stack: unknown[] = [blueprint.node];
      while (stack.length > 0) {
        const node = stack.pop();
        if (isMap(node)) for (const pair of node.items) stack.push(pair.value);
        else if (isSeq(node)) for (const item of node.items) stack.push(item);
        else if (isScalar(node) && typeof node.value === "string" && pemPrivateKey.test(node.value)) report(node, "privateKey");
      }
    }

    return {
      BlueprintEntry(entry, blueprint) {
        const doc = blueprint.document.doc;
        const model = entry.model?.value.toLowerCase();
        const known = model === undefined ? undefined : modelFields[model]?.attrs.properties;
        const where = (path: string): string => `"${path}" of ${entry.model?.value ?? "this entry"}`;
        for (const part of entryMappings(entry, doc)) {
          for (const [name, value] of mappingFields(part, doc)) {
            const secret = known && name in known ? secretFields[model!]?.[name] : secretByName(name);
            visit(doc, value, name, secret, where);
          }
        }
      },
      "Blueprint:exit"(blueprint) {
        const doc = blueprint.document.doc;
        const contextNode = field(blueprint.node, "context");
        if (isMap(contextNode) && !isAuthentikTag(contextNode.tag)) {
          for (const [name, value] of mappingFields(contextNode, doc)) {
            visit(doc, value, name, secretByName(name), (path) => `"${path}" of the blueprint's context`);
          }
        }
        privateKeys(blueprint);
      },
    };
  },
};

export default rule;
