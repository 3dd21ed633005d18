/**
 * The joins of an OAuth2 client's secret chain, for oidc/client-wiring. Authentik's side: a
 * confidential provider's `client_secret: !Env X` → the worker's env var X → a Secret key → the
 * ExternalSecret data item producing it → a 1Password item field. The consumer's side: the
 * 1Password fields the rest of the repo reads (ExternalSecrets, Ansible variables a playbook
 * fills with `op read` or the `community.general.onepassword` lookup), the credentials templates
 * writing a client id and a client secret (an ExternalSecret's `target.template`, an Ansible
 * role's `.j2`), the variables between them, and whether a task of its role deploys each role
 * template. Built once per index from its public views, in time linear in the repo.
 */
import { isMap, isScalar, isSeq, type Node, Scalar, type YAMLMap } from "yaml";
import type { ParsedFile } from "../parse/index.ts";
import { templateVariables, type TemplateVariable } from "../parse/template.ts";
import { sourceOfNode } from "../parse/yaml.ts";
import type { SourceRange } from "../types.ts";
import { onePasswordReferences, stringScalars } from "./ansible.ts";
import type { RepoIndex } from "./index.ts";
import { isOnePasswordStore, sameNamespace } from "./index.ts";
import type {
  AnsiblePlaybook,
  AnsibleRole,
  Blueprint,
  BlueprintEntry,
  ExternalSecret,
  ExternalSecretData,
  Named,
  OnePasswordReference,
  Workload,
} from "./model.ts";
import { field, isTemplated, keysOf, named, path, text } from "./read.ts";
import { authentikWorkers, envReference, envSource, secretKeyStatus, type Worker } from "./wiring.ts";
import { push } from "./collect.ts";

/** Every string scalar under a node, in document order. */
const anyStrings = (root: unknown) => stringScalars(root, /(?:)/u);

// ── 1Password names ────────────────────────────────────────────────────────────────────────────

/** Titles of 1Password vaults and items named by id, from settings (`onepassword.vaults` / `items`). */
export interface OnePasswordNames {
  vaults: ReadonlyMap<string, string>;
  items: ReadonlyMap<string, string>;
}

/** 1Password ids are 26 lower-case letters and digits. */
const onePasswordId = /^[a-z0-9]{26}$/u;

/** A vault's or item's title as compared (1Password matches titles without regard to case); undefined for an id no setting maps. */
function titleOf(name: string, titles: ReadonlyMap<string, string>): string | undefined {
  const mapped = titles.get(name);
  if (mapped !== undefined) return mapped.toLowerCase();
  return onePasswordId.test(name) ? undefined : name.toLowerCase();
}

export type Agreement = "same" | "unverifiable" | "different";

export interface Comparison {
  agreement: Agreement;
  /** Names written as ids that no setting maps: only the field names were compared. */
  unverifiable: string[];
}

function compareNames(a: string, b: string, titles: ReadonlyMap<string, string>, unverifiable: string[]): Agreement {
  const left = titleOf(a, titles);
  const right = titleOf(b, titles);
  if (left !== undefined && right !== undefined) return left === right ? "same" : "different";
  for (const [name, title] of [[a, left], [b, right]] as const) if (title === undefined && !unverifiable.includes(name)) unverifiable.push(name);
  return "unverifiable";
}

/**
 * Whether two uses read the same 1Password field. Vaults are compared where both sides name
 * them (a Connect store may search several); items by title, ids mapped through settings; field
 * labels without regard to case. An id no setting maps makes the item unverifiable, never wrong.
 */
export function compareFields(a: FieldUse, b: FieldUse, names: OnePasswordNames): Comparison {
  const unverifiable: string[] = [];
  const fieldsAgree = a.reference.field.toLowerCase() === b.reference.field.toLowerCase();
  const item = compareNames(a.reference.item, b.reference.item, names.items, unverifiable);
  let vault: Agreement = "same";
  if (a.vaults.length > 0 && b.vaults.length > 0) {
    const agreements = a.vaults.flatMap((left) => b.vaults.map((right) => compareNames(left, right, names.vaults, unverifiable)));
    vault = agreements.includes("same") ? "same" : agreements.includes("unverifiable") ? "unverifiable" : "different";
  }
  if (!fieldsAgree || item === "different" || vault === "different") return { agreement: "different", unverifiable };
  return { agreement: item === "same" && vault === "same" ? "same" : "unverifiable", unverifiable };
}

/** The uses outside authentik that may read the field `use` reads: the same, or unverifiable (an id no setting maps). */
export function sameFieldUses(wiring: ClientWiring, use: FieldUse, names: OnePasswordNames): Array<{ use: FieldUse; comparison: Comparison }> {
  const fieldName = use.reference.field.toLowerCase();
  const item = titleOf(use.reference.item, names.items);
  const candidates =
    item === undefined
      ? (wiring.usesByField.get(fieldName) ?? [])
      : [...(wiring.usesByItemField.get(`${item}/${fieldName}`) ?? []), ...(wiring.untitledUsesByField.get(fieldName) ?? [])];
  return candidates.flatMap((candidate) => {
    const comparison = compareFields(use, candidate, names);
    return comparison.agreement === "different" ? [] : [{ use: candidate, comparison }];
  });
}

// ── Places and uses ────────────────────────────────────────────────────────────────────────────

/** Where a link is written: a YAML node, or a range of file offsets (template text, part of a scalar). */
export type Place = { file: ParsedFile; node: Node } | { file: ParsedFile; range: SourceRange };

/** One read of a 1Password field, anywhere in the repo. */
export interface FieldUse {
  reference: OnePasswordReference;
  /** The vaults it is read from: the `op://` or lookup vault, or its store's vaults; empty when unknown. */
  vaults: string[];
  /** 1Password Connect's default field (`password`), because `property` is left out: never called wrong. */
  implied: boolean;
  /** Where the field is named, and where the item is (for an ExternalSecret, `property` and `key`). */
  place: Place;
  itemPlace: Place;
  owner: FieldOwner;
}

export type FieldOwner =
  | { kind: "ExternalSecret"; resource: ExternalSecret; item: ExternalSecretData; store: StoreKind }
  | { kind: "Ansible"; definition?: Definition; playbook?: AnsiblePlaybook }
  | { kind: "Template"; template: RoleTemplate };

/** A store that is known to be 1Password, known to be another provider, or not in the repo. */
export type StoreKind = "onepassword" | "other" | "unknown";

// ── Credentials written by templates ───────────────────────────────────────────────────────────

/** `client_id = x`, `"clientSecret": "{{ … }}"`, `OAUTH2_CLIENT_ID: x`: one credential a template writes. */
export interface Assignment {
  kind: "id" | "secret";
  /** What precedes `client` in the key, lower-cased without separators: `GF_AUTH_GENERIC_OAUTH_CLIENT_ID` → `gfauthgenericoauth`. */
  prefix: string;
  value: string;
  /** The value's file offsets. */
  range: SourceRange;
  file: ParsedFile;
}

/** A client secret a template writes, and the client id written with it (same key prefix, nearest). */
export interface CredentialPair {
  secret: Assignment;
  clientId?: Assignment;
}

const credentialKey = /client[_-]?(id|secret)/giu;
const identifierChar = /[A-Za-z0-9_]/u;
const keyChar = /[A-Za-z0-9_.-]/u;

/**
 * Credential assignments in a text (env files, INI, JSON, YAML): a key ending in `client_id` or
 * `client_secret` (any case, `_`, `-` or nothing between), `:` or `=`, and a value on the same
 * line: quoted, a `{{ … }}` expression, or a bare word. Commented lines are skipped.
 */
function assignmentsIn(textValue: string, offset: number, file: ParsedFile): Assignment[] {
  const found: Assignment[] = [];
  for (const match of textValue.matchAll(credentialKey)) {
    const keyStart = match.index;
    let cursor = keyStart + match[0].length;
    if (identifierChar.test(textValue[cursor] ?? "")) continue;
    let prefixStart = keyStart;
    while (prefixStart > 0 && keyChar.test(textValue[prefixStart - 1]!)) prefixStart--;
    const lineStart = textValue.lastIndexOf("\n", keyStart - 1) + 1;
    if (/^\s*(#|;|\/\/)/u.test(textValue.slice(lineStart, keyStart))) continue;
    let lineEnd = textValue.indexOf("\n", cursor);
    if (lineEnd === -1) lineEnd = textValue.length;
    if (textValue[cursor] === '"' || textValue[cursor] === "'") cursor++;
    while (textValue[cursor] === " " || textValue[cursor] === "\t") cursor++;
    const separator = textValue[cursor];
    if ((separator !== ":" && separator !== "=") || textValue[cursor + 1] === "=") continue;
    cursor++;
    while (textValue[cursor] === " " || textValue[cursor] === "\t") cursor++;
    let start = cursor;
    let end: number;
    const quote = textValue[cursor];
    if (quote === '"' || quote === "'") {
      start = cursor + 1;
      end = textValue.indexOf(quote, start);
    } else if (textValue.startsWith("{{", cursor)) {
      end = textValue.indexOf("}}", cursor);
      if (end !== -1) end += 2;
    } else {
      end = cursor + (/^[^\s,;}\]#"'\r]*/u.exec(textValue.slice(cursor, lineEnd))?.[0].length ?? 0);
    }
    if (end === -1 || end > lineEnd || end <= start) continue;
    found.push({
      kind: match[1]!.toLowerCase() === "id" ? "id" : "secret",
      prefix: textValue.slice(prefixStart, keyStart).toLowerCase().replace(/[_.-]/gu, ""),
      value: textValue.slice(start, end),
      range: [offset + start, offset + end],
      file,
    });
  }
  return found;
}

function pairsOf(assignments: readonly Assignment[]): CredentialPair[] {
  const ids = assignments.filter((assignment) => assignment.kind === "id");
  return assignments
    .filter((assignment) => assignment.kind === "secret")
    .map((secret) => {
      let clientId: Assignment | undefined;
      for (const id of ids) {
        if (id.prefix !== secret.prefix) continue;
        if (!clientId || Math.abs(id.range[0] - secret.range[0]) < Math.abs(clientId.range[0] - secret.range[0])) clientId = id;
      }
      return clientId ? { secret, clientId } : { secret };
    });
}

/** A value with a template expression in it (`isTemplated`) is not a literal. */
export function isLiteral(value: string): boolean {
  return !isTemplated(value);
}

/** The data keys a Go template reads: `.name` and `index . "name"`. */
function goTemplateKeys(value: string): Set<string> {
  const keys = new Set<string>();
  for (const expression of value.matchAll(/\{\{([\s\S]*?)\}\}/gu)) {
    const body = expression[1] ?? "";
    for (const reference of body.matchAll(/(?:^|[\s(|])\.([A-Za-z_][A-Za-z0-9_]*)/gu)) keys.add(reference[1]!);
    for (const reference of body.matchAll(/\bindex\s+\.\s+"([^"]+)"/gu)) keys.add(reference[1]!);
  }
  return keys;
}

/** The text a node was parsed from and the file offset of its start, for scanning it as written. */
function rawText(node: Node, file: ParsedFile): { text: string; offset: number } | undefined {
  const range = node.range;
  if (!range) return undefined;
  const mapper = sourceOfNode(node) ?? file.source;
  return { text: mapper.text.slice(range[0], range[1]), offset: mapper.fileOffset(range[0]) };
}

// ── Authentik's side ───────────────────────────────────────────────────────────────────────────

/** One worker's intact chain from the `!Env` to a 1Password field. */
export interface AuthentikSide {
  worker: Worker;
  secret: string;
  key: string;
  namespace?: string;
  externalSecret: ExternalSecret;
  use: FieldUse;
}

export interface OAuthProvider {
  blueprint: Blueprint;
  entry: BlueprintEntry;
  /** `client_id` as a literal; undefined when left out or written with a tag. */
  clientId?: Named;
  /**
   * Every worker's chain, when each is intact down to a 1Password field of a 1Password store;
   * empty when any stops (blueprint/env-wired reports a broken link, or the link cannot be
   * followed): then nothing is checked on the consumer's side.
   */
  sides: AuthentikSide[];
}

const providerModel = "authentik_providers_oauth2.oauth2provider";


// ── The joins ──────────────────────────────────────────────────────────────────────────────────

/** A credential pair that writes a known client id. */
export type ClientCredentials =
  | { kind: "ExternalSecret"; resource: ExternalSecret; pair: CredentialPair & { inputs: FieldUse[] } }
  | { kind: "Template"; template: RoleTemplate; pair: CredentialPair };

export interface ClientWiring {
  providers: OAuthProvider[];
  /** Client ids of the providers, for telling one client's consumer from another's. */
  providersByClientId: Map<string, OAuthProvider[]>;
  /** Every field authentik's ExternalSecrets read, whether or not their chain is intact. */
  authentikUses: FieldUse[];
  /** Uses of 1Password fields outside authentik, by item title and field (lower case). */
  usesByItemField: Map<string, FieldUse[]>;
  /** The same uses by field label (lower case). */
  usesByField: Map<string, FieldUse[]>;
  /** Those of them whose item is named by an id that no setting maps. */
  untitledUsesByField: Map<string, FieldUse[]>;
  /** Items read whole through `dataFrom.extract`, by title (lower case); `find` reads any item. */
  extractedItems: Set<string>;
  findsAnyItem: boolean;
  /** Workloads other than authentik's reading each Secret, by Secret name. */
  secretReaders: Map<string, Workload[]>;
  /** Credentials templates of ExternalSecrets outside authentik, with the uses feeding each client secret. */
  externalSecretPairs: Map<ExternalSecret, Array<CredentialPair & { inputs: FieldUse[] }>>;
  /** Ansible role templates with credentials in them. */
  templates: RoleTemplate[];
  /** What each client-secret variable of each template leads to. */
  reaches: Map<RoleTemplate, Map<TemplateVariable, Reach>>;
  /** The variables each credential pair of a template writes its client secret with. */
  secretVariables: Map<RoleTemplate, Map<CredentialPair, TemplateVariable[]>>;
  /** The client id each credential pair of a template writes, where it can be resolved. */
  templateClientIds: Map<RoleTemplate, Map<CredentialPair, ClientIdWrite>>;
  /** The template pairs whose client secret an Ansible use reaches. */
  templatesReaching: Map<FieldUse, Array<{ template: RoleTemplate; pair: CredentialPair }>>;
  /** The variables filled from 1Password that reach a role (from its plays, its own files, or group vars). */
  sourcesOf: (role: AnsibleRole) => AnsibleSource[];
  /** The variable each Ansible use fills, where it fills one. */
  sourceOfUse: Map<FieldUse, AnsibleSource>;
  /** Credential pairs writing each literal client id: in ExternalSecret templates and in role templates. */
  credentialsByClientId: Map<string, ClientCredentials[]>;
}

const cache = new WeakMap<RepoIndex, ClientWiring>();

/** The joins for `index`, built on first use; `names` are read on that first use only (one run has one settings object). */
export function clientWiring(index: RepoIndex, names: OnePasswordNames): ClientWiring {
  let wiring = cache.get(index);
  if (!wiring) {
    wiring = build(index, names);
    cache.set(index, wiring);
  }
  return wiring;
}

function build(index: RepoIndex, names: OnePasswordNames): ClientWiring {
  // Stores, for the provider behind each ExternalSecret.
  const storeOf = (secret: ExternalSecret): { kind: StoreKind; vaults: string[] } => {
    const stores = index.storesOf(secret);
    const onePassword = stores.filter(isOnePasswordStore);
    if (onePassword.length > 0) return { kind: "onepassword", vaults: onePassword.flatMap((store) => store.vaults.map((vault) => vault.value)) };
    return { kind: stores.length > 0 ? "other" : "unknown", vaults: [] };
  };

  // The index's 1Password references, by the node they are read from.
  const referencesByNode = new Map<Node, OnePasswordReference[]>();
  for (const reference of index.onePassword) push(referencesByNode, reference.node, reference);

  const externalSecretUse = (secret: ExternalSecret, item: ExternalSecretData): FieldUse | undefined => {
    if (!item.remoteKey) return undefined;
    const reference = referencesByNode.get(item.remoteKey.node)?.[0];
    if (!reference) return undefined;
    const store = storeOf(secret);
    const implied = !item.property && !item.remoteKey.value.includes("/");
    return {
      reference,
      vaults: store.vaults,
      implied,
      place: { file: secret.file, node: (item.property ?? item.remoteKey).node },
      itemPlace: { file: secret.file, node: item.remoteKey.node },
      owner: { kind: "ExternalSecret", resource: secret, item, store: store.kind },
    };
  };

  // Authentik's workloads, and the ExternalSecrets making the Secrets they read.
  const isAuthentik = (workload: Workload): boolean =>
    /authentik/u.test(workload.name?.value ?? "") || workload.containers.some((container) => /authentik/u.test(container.image ?? ""));
  const authentikSecrets = new Set<ExternalSecret>();
  const secretReaders = new Map<string, Workload[]>();
  for (const workload of index.workloads) {
    const secrets = new Set<string>();
    for (const container of workload.containers) {
      for (const env of container.env) if (env.secretKeyRef?.name) secrets.add(env.secretKeyRef.name.value);
      for (const envFrom of container.envFrom) if (envFrom.secretRef) secrets.add(envFrom.secretRef.value);
    }
    for (const volume of workload.volumes) for (const secret of volume.secrets) secrets.add(secret.value);
    for (const secret of secrets) {
      if (!isAuthentik(workload)) {
        push(secretReaders, secret, workload);
        continue;
      }
      for (const producer of index.secretProducers.get(secret) ?? []) {
        if (producer.kind === "ExternalSecret" && sameNamespace(producer.namespace, workload.namespace)) authentikSecrets.add(producer.resource);
      }
    }
  }

  const providers = (index.entriesByModel.get(providerModel) ?? []).flatMap(({ blueprint, entry }) => {
    const provider = readProvider(index, blueprint, entry, storeOf, externalSecretUse);
    return provider ? [provider] : [];
  });
  const providersByClientId = new Map<string, OAuthProvider[]>();
  for (const provider of providers) {
    if (provider.clientId) push(providersByClientId, provider.clientId.value, provider);
    for (const side of provider.sides) authentikSecrets.add(side.externalSecret);
  }
  const authentikUses = [...authentikSecrets].flatMap((secret) => secret.data.flatMap((item) => externalSecretUse(secret, item) ?? []));

  // ExternalSecrets outside authentik: their 1Password uses and credentials templates.
  const consumerUses: FieldUse[] = [];
  const externalSecretPairs = new Map<ExternalSecret, Array<CredentialPair & { inputs: FieldUse[] }>>();
  const extractedItems = new Set<string>();
  let findsAnyItem = false;
  for (const secret of index.externalSecrets) {
    if (authentikSecrets.has(secret)) continue;
    const uses = new Map<string, FieldUse>();
    for (const item of secret.data) {
      const use = externalSecretUse(secret, item);
      if (!use) continue;
      consumerUses.push(use);
      if (item.secretKey) uses.set(item.secretKey.value, use);
    }
    for (const entry of secret.dataFrom) {
      const extracted = text(path(entry, "extract", "key"));
      if (extracted !== undefined) extractedItems.add(extracted.split("/")[0]!.toLowerCase());
      if (field(entry, "find") !== undefined) findsAnyItem = true;
    }
    const data = path(secret.node, "spec", "target", "template", "data");
    const raw = data ? rawText(data, secret.file) : undefined;
    if (!raw) continue;
    const pairs = pairsOf(assignmentsIn(raw.text, raw.offset, secret.file)).map((pair) => ({
      ...pair,
      inputs: [...goTemplateKeys(pair.secret.value)].flatMap((key) => uses.get(key) ?? []),
    }));
    if (pairs.length > 0) externalSecretPairs.set(secret, pairs);
  }

  const { uses: ansibleUses, ...ansible } = readAnsible(index, referencesByNode);
  consumerUses.push(...ansibleUses);

  const usesByItemField = new Map<string, FieldUse[]>();
  const usesByField = new Map<string, FieldUse[]>();
  const untitledUsesByField = new Map<string, FieldUse[]>();
  for (const use of consumerUses) {
    const fieldName = use.reference.field.toLowerCase();
    push(usesByField, fieldName, use);
    const item = titleOf(use.reference.item, names.items);
    if (item !== undefined) push(usesByItemField, `${item}/${fieldName}`, use);
    else push(untitledUsesByField, fieldName, use);
  }

  const credentialsByClientId = new Map<string, ClientCredentials[]>();
  for (const [resource, pairs] of externalSecretPairs) {
    for (const pair of pairs) if (pair.clientId && isLiteral(pair.clientId.value)) push(credentialsByClientId, pair.clientId.value, { kind: "ExternalSecret", resource, pair });
  }
  for (const [template, clientIds] of ansible.templateClientIds) {
    for (const [pair, clientId] of clientIds) push(credentialsByClientId, clientId.value, { kind: "Template", template, pair });
  }

  return {
    providers,
    providersByClientId,
    credentialsByClientId,
    authentikUses,
    usesByItemField,
    usesByField,
    untitledUsesByField,
    extractedItems,
    findsAnyItem,
    secretReaders,
    externalSecretPairs,
    ...ansible,
  };
}

/** A confidential OAuth2 provider whose `client_secret` is an `!Env`, followed as far as its chain is intact. */
function readProvider(
  index: RepoIndex,
  blueprint: Blueprint,
  entry: BlueprintEntry,
  storeOf: (secret: ExternalSecret) => { kind: StoreKind },
  externalSecretUse: (secret: ExternalSecret, item: ExternalSecretData) => FieldUse | undefined,
): OAuthProvider | undefined {
  if (entry.state?.value === "absent") return undefined;
  // client_type defaults to confidential; a public client has no secret, and any other value is
  // schema/blueprint's to report.
  const clientType = field(entry.attrs, "client_type");
  if (clientType !== undefined && text(clientType) !== "confidential") return undefined;
  // A literal secret is blueprint/no-literal-secrets' to report; a secret left out (or merged in
  // through `<<:`) has no chain here.
  const secretNode = field(entry.attrs, "client_secret");
  const env = secretNode ? blueprint.tags.find((tag) => tag.node === secretNode && tag.tag === "!Env") : undefined;
  if (!env) return undefined;
  const name = envReference(env)?.name;
  if (name === undefined) return undefined;
  const clientId = named(field(entry.attrs, "client_id"));
  const workers = authentikWorkers(index, blueprint);
  const sides: AuthentikSide[] = [];
  for (const worker of workers) {
    const side = followWorker(index, worker, name, storeOf, externalSecretUse);
    // A stop anywhere is a link blueprint/env-wired reports, or one no rule can follow.
    if (!side) return { blueprint, entry, clientId, sides: [] };
    sides.push(side);
  }
  return { blueprint, entry, clientId, sides };
}

/** worker env var → Secret key → ExternalSecret data item on a 1Password store, or undefined where that stops. */
function followWorker(
  index: RepoIndex,
  worker: Worker,
  name: string,
  storeOf: (secret: ExternalSecret) => { kind: StoreKind },
  externalSecretUse: (secret: ExternalSecret, item: ExternalSecretData) => FieldUse | undefined,
): AuthentikSide | undefined {
  const { workload, container } = worker;
  const source = envSource(index, workload, container, name);
  let secret: string;
  let key: string;
  if (source.kind === "env") {
    const ref = source.env.secretKeyRef;
    if (!ref?.name || !ref.key || ref.optional) return undefined;
    secret = ref.name.value;
    key = ref.key.value;
  } else if (source.kind === "envFrom" && source.envFrom.secretRef) {
    secret = source.envFrom.secretRef.value;
    key = name.slice(source.envFrom.prefix.length);
  } else {
    return undefined;
  }
  const status = secretKeyStatus(index, secret, key, workload.namespace);
  if (status.status !== "produced" || status.producer.kind !== "ExternalSecret") return undefined;
  const externalSecret = status.producer.resource;
  if (storeOf(externalSecret).kind !== "onepassword") return undefined;
  const item = dataItemBehind(externalSecret, key);
  const use = item ? externalSecretUse(externalSecret, item) : undefined;
  return use ? { worker, secret, key, namespace: workload.namespace, externalSecret, use } : undefined;
}

const dataItemsByKey = new WeakMap<ExternalSecret, Map<string, ExternalSecretData>>();

/** An ExternalSecret's data items by `secretKey`, built once: authentik's holds one per client. */
function dataItems(secret: ExternalSecret): Map<string, ExternalSecretData> {
  let items = dataItemsByKey.get(secret);
  if (!items) {
    items = new Map();
    for (const item of secret.data) if (item.secretKey && !items.has(item.secretKey.value)) items.set(item.secretKey.value, item);
    dataItemsByKey.set(secret, items);
  }
  return items;
}

/**
 * The data item a Secret key comes from: the item of that `secretKey`, or, for a templated key,
 * the one item its template reads. With a template and the default merge policy only templated
 * keys reach the Secret, so a data item of the same name is then only an input.
 */
function dataItemBehind(secret: ExternalSecret, key: string): ExternalSecretData | undefined {
  const template = path(secret.node, "spec", "target", "template", "data", key);
  if (template !== undefined) {
    const value = text(template);
    const inputs = value === undefined ? [] : [...goTemplateKeys(value)];
    return inputs.length === 1 ? dataItems(secret).get(inputs[0]!) : undefined;
  }
  const replaced = (secret.templateKeys.length > 0 || secret.templateFrom) && secret.mergePolicy !== "Merge";
  return replaced ? undefined : dataItems(secret).get(key);
}

// ── Ansible ────────────────────────────────────────────────────────────────────────────────────

/** A variable an Ansible file defines: a role default, a group var, a play var, a `set_fact`, a `register`. */
export interface Definition {
  name: string;
  /** Variables its value reads. */
  uses: string[];
  /** 1Password fields its value (or, for `register`, its task) reads. */
  references: OnePasswordReference[];
  /** Its value, when a plain string. */
  literal?: Named;
  file: ParsedFile;
}

type Scope = Map<string, Definition[]>;

interface Play {
  playbook: AnsiblePlaybook;
  scope: Scope;
  /** The roles it applies, with their dependencies. */
  roles: Set<AnsibleRole>;
  /** Variables its tasks read outside definitions and conditions. */
  used: Set<string>;
}

/** A variable an Ansible file fills from a 1Password field, for the roles it reaches. */
export interface AnsibleSource {
  use: FieldUse;
  /** The variable holding the field and those defined from it, the one a template should read last. */
  carriers: string[];
  /** No task or template of the roles it reaches reads any of them. */
  unused: boolean;
  /** The roles it reaches: those of its play, its own role, or every role for group vars. */
  roles: AnsibleRole[];
  playbook?: AnsiblePlaybook;
}

/** An Ansible role template with credentials in it. */
export interface RoleTemplate {
  role: AnsibleRole;
  file: ParsedFile;
  /** Its path under the role's `templates/`, as a task's `src` names it. */
  name: string;
  /** Some task may deploy it: one names it, or one's `src` is templated, or the role has no tasks in the repo. */
  deployed: boolean;
  /** The role's task files, for messages. */
  taskFiles: string[];
  pairs: CredentialPair[];
  /** Names the template sets itself (`{% set %}`, `{% for %}`). */
  locals: Set<string>;
}

/** What a template variable leads to. */
export interface Reach {
  /** Something defines the variable (in the repo, or in an Ansible Vault this tool cannot read). */
  defined: boolean;
  uses: FieldUse[];
}

/** A client id a template writes, and where to correct it. */
export interface ClientIdWrite {
  value: string;
  /** The literal: in the template, or where the variable it is written through is defined. */
  places: Place[];
  /** The variable the template writes it through, if any. */
  through?: string;
}

const setFactModules = new Set(["set_fact", "ansible.builtin.set_fact", "ansible.legacy.set_fact"]);
const roleModules = new Set([
  "include_role",
  "import_role",
  "ansible.builtin.include_role",
  "ansible.builtin.import_role",
  "ansible.legacy.include_role",
  "ansible.legacy.import_role",
]);
/** Task keys whose expressions test a variable or name a task rather than hand a value on. */
const conditionKeys = new Set(["when", "changed_when", "failed_when", "until", "name", "no_log"]);

/** `$ANSIBLE_VAULT` files and `!vault` values hold variables this tool cannot read. */
const ansibleVault = /\$ANSIBLE_VAULT|!vault\b/u;
const inventoryPath = /(^|\/)(inventory|inventories)\//u;
const varsFilePath = /(^|\/)(group_vars|host_vars|vars)\//u;
const rolePath = /(^|\/)roles\//u;
const roleVarsPath = /(^|\/)roles\/[^/]+\/(defaults|vars)\//u;



/** Every mapping under a node, itself included. */
function* mappings(root: unknown): Generator<YAMLMap> {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      yield node;
      for (let index = node.items.length - 1; index >= 0; index--) stack.push(node.items[index]!.value);
    } else if (isSeq(node)) {
      for (let index = node.items.length - 1; index >= 0; index--) stack.push(node.items[index]);
    }
  }
}

function variablesIn(value: string): string[] {
  return value.includes("{{") ? templateVariables(value).map((variable) => variable.name) : [];
}

type AnsibleJoins = Pick<
  ClientWiring,
  "templates" | "reaches" | "secretVariables" | "templateClientIds" | "templatesReaching" | "sourcesOf" | "sourceOfUse"
> & { uses: FieldUse[] };

function readAnsible(index: RepoIndex, referencesByNode: Map<Node, OnePasswordReference[]>): AnsibleJoins {
  // Variables kept in an Ansible Vault cannot be read: whether one is defined cannot be told.
  let hiddenVariables = false;
  const referencesUnder = (root: unknown): OnePasswordReference[] =>
    [...anyStrings(root)].flatMap((node) => (referencesByNode.get(node) ?? []).filter((reference) => reference.via !== "external-secret"));

  const define = (scope: Scope, name: string, value: unknown, file: ParsedFile): void => {
    const literal = named(value);
    push(scope, name, {
      name,
      uses: [...anyStrings(value)].flatMap((node) => variablesIn(node.value)),
      references: referencesUnder(value),
      literal: literal && isLiteral(literal.value) ? literal : undefined,
      file,
    });
  };

  /**
   * Definitions anywhere under a play or a task (`register`, `set_fact`, `vars`), and the roles
   * it includes. Every mapping is read, so that one misspelt key (`pre_task:`) loses nothing.
   */
  const readDefinitions = (root: unknown, scope: Scope, file: ParsedFile, includes: Set<string>): void => {
    for (const map of mappings(root)) {
      for (const pair of map.items) {
        const key = text(pair.key);
        if (key === undefined) continue;
        if (key === "register") {
          const name = text(pair.value);
          if (name !== undefined) push(scope, name, { name, uses: [], references: referencesUnder(map), file });
        } else if (setFactModules.has(key) || key === "vars") {
          for (const entry of isMap(pair.value) ? pair.value.items : []) {
            const name = text(entry.key);
            if (name !== undefined && name !== "cacheable") define(scope, name, entry.value, file);
          }
        } else if (roleModules.has(key)) {
          const name = text(field(pair.value, "name")) ?? text(pair.value);
          if (name !== undefined) includes.add(name);
        }
      }
    }
  };

  // Role defaults and vars documents do not say which file holds them.
  const fileOfContents = new Map<unknown, ParsedFile>();
  for (const file of index.files) {
    if (roleVarsPath.test(file.relPath)) for (const document of file.documents) fileOfContents.set(document.doc.contents, file);
  }

  const global: Scope = new Map();
  const roleScopes = new Map<AnsibleRole, Scope>();
  const rolesByName = new Map<string, AnsibleRole[]>();
  const roleIncludes = new Map<AnsibleRole, Set<string>>();
  const roleUsed = new Map<AnsibleRole, Set<string>>();
  for (const role of index.roles.values()) {
    push(rolesByName, role.name, role);
    const scope: Scope = new Map();
    roleScopes.set(role, scope);
    for (const document of [...role.defaults, ...role.vars]) {
      const contents = document.doc.contents;
      const file = fileOfContents.get(contents);
      if (file) for (const key of keysOf(contents)) define(scope, key.value, field(contents, key.value), file);
    }
    const includes = new Set<string>(textsOf(role.meta?.doc.contents, "dependencies", "role"));
    const used = new Set<string>();
    for (const task of role.tasks) {
      readDefinitions(task.node, scope, task.file, includes);
      for (const name of usedIn(task.node)) used.add(name);
    }
    roleIncludes.set(role, includes);
    roleUsed.set(role, used);
  }

  // Variables defined where no template is followed to (inventory hosts, vars files no play
  // names), but defined all the same.
  const elsewhere = new Set<string>();
  for (const file of index.files) {
    if (file.kind === "template" || file.version !== "1.1") continue;
    if (ansibleVault.test(file.text)) hiddenVariables = true;
    const vars = varsFilePath.test(file.relPath) && !rolePath.test(file.relPath);
    for (const document of file.documents) {
      const contents = document.doc.contents;
      if (!isMap(contents)) continue;
      if (vars) {
        for (const key of keysOf(contents)) define(global, key.value, field(contents, key.value), file);
      } else if (inventoryPath.test(file.relPath)) {
        // Inventory vars sit under `vars:` of any group, or on a host.
        for (const map of mappings(contents)) {
          for (const key of keysOf(map)) elsewhere.add(key.value);
          const groupVars = field(map, "vars");
          if (isMap(groupVars)) for (const key of keysOf(groupVars)) define(global, key.value, field(groupVars, key.value), file);
        }
      } else {
        for (const key of keysOf(contents)) elsewhere.add(key.value);
      }
    }
  }

  const playsOfRole = new Map<AnsibleRole, Play[]>();
  const plays: Play[] = [];
  for (const playbook of index.playbooks) {
    for (const play of playbook.plays) {
      const scope: Scope = new Map();
      const includes = new Set(play.roles.map((role) => role.value));
      readDefinitions(play.node, scope, playbook.file, includes);
      for (const name of textsOf(play.node, "vars_prompt", "name")) elsewhere.add(name);
      const entry: Play = { playbook, scope, roles: closure(includes, rolesByName, roleIncludes), used: usedIn(play.node) };
      plays.push(entry);
      for (const role of entry.roles) push(playsOfRole, role, entry);
    }
  }
  for (const file of index.files) {
    if (file.version !== "1.1") continue;
    for (const document of file.documents) {
      for (const map of mappings(document.doc.contents)) {
        const loopVar = text(field(map, "loop_var"));
        if (loopVar !== undefined) elsewhere.add(loopVar);
      }
    }
  }

  // Every Ansible use of a 1Password field, with the definition holding it and the roles it reaches.
  const uses: FieldUse[] = [];
  const useOfReference = new Map<OnePasswordReference, FieldUse>();
  const allRoles = [...index.roles.values()];
  const sources = new Map<AnsibleRole, AnsibleSource[]>();
  const sourceOfUse = new Map<FieldUse, AnsibleSource>();
  const readByRole = new Map<AnsibleRole, Set<string>>();
  for (const role of allRoles) {
    const read = new Set(roleUsed.get(role));
    for (const file of role.templates) for (const variable of file.variables) read.add(variable.name);
    readByRole.set(role, read);
  }
  const addUses = (scope: Scope, scopes: Scope[], roles: readonly AnsibleRole[], used: ReadonlySet<string>, playbook?: AnsiblePlaybook): void => {
    let readers: Map<string, string[]> | undefined;
    for (const definitions of scope.values()) {
      for (const definition of definitions) {
        for (const reference of definition.references) {
          if (useOfReference.has(reference)) continue;
          const use = ansibleUse(reference, { kind: "Ansible", definition, playbook });
          useOfReference.set(reference, use);
          uses.push(use);
          readers ??= readersOf(scopes);
          const carriers = carriersOf(definition.name, readers);
          const read = (name: string): boolean => used.has(name) || roles.some((role) => readByRole.get(role)?.has(name) === true);
          const source: AnsibleSource = { use, carriers, unused: !carriers.some(read), roles: [...roles], playbook };
          sourceOfUse.set(use, source);
          for (const role of roles) push(sources, role, source);
        }
      }
    }
  };
  for (const play of plays) addUses(play.scope, [play.scope, global], [...play.roles], play.used, play.playbook);
  for (const [role, scope] of roleScopes) addUses(scope, [scope, global], [role], new Set());
  addUses(global, [global], allRoles, new Set());
  // A reference outside any definition (a task argument, a misspelt `register`) still reads the field.
  for (const reference of index.onePassword) {
    if (reference.via === "external-secret" || useOfReference.has(reference)) continue;
    const use = ansibleUse(reference, { kind: "Ansible" });
    useOfReference.set(reference, use);
    uses.push(use);
  }

  // Templates with credentials in them, and what their variables lead to.
  const templates: RoleTemplate[] = [];
  const reaches = new Map<RoleTemplate, Map<TemplateVariable, Reach>>();
  const secretVariables = new Map<RoleTemplate, Map<CredentialPair, TemplateVariable[]>>();
  const templateClientIds = new Map<RoleTemplate, Map<CredentialPair, ClientIdWrite>>();
  const templatesReaching = new Map<FieldUse, Array<{ template: RoleTemplate; pair: CredentialPair }>>();
  const playbookStrings = index.playbooks.flatMap((playbook) => [...anyStrings(playbook.node)].map((node) => node.value));
  for (const role of allRoles) {
    const tasks = [...role.tasks, ...role.handlers];
    const taskStrings = tasks.flatMap((task) => [...anyStrings(task.node)].map((node) => node.value));
    // A `src` written with a variable (a loop, `with_fileglob`) may deploy any template.
    const templatedSource = tasks.some((task) =>
      [...mappings(task.node)].some((map) => map.items.some((pair) => text(pair.key) === "src" && !isLiteral(text(pair.value) ?? ""))),
    );
    const taskFiles = [...new Set(role.tasks.map((task) => task.file.relPath))];
    const contexts = contextsOf(role, playsOfRole, roleScopes, global);
    for (const file of role.templates) {
      const pairs = pairsOf(assignmentsIn(file.text, 0, file));
      // A 1Password lookup written in the template itself reads its field directly.
      const inline = /op:\/\/|onepassword/u.test(file.text) ? onePasswordReferences(new Scalar(file.text), file) : [];
      if (pairs.length === 0) {
        for (const reference of inline) uses.push(ansibleUse(reference, { kind: "Ansible" }));
        continue;
      }
      const name = file.relPath.slice(role.directory.length + "/templates/".length);
      const template: RoleTemplate = {
        role,
        file,
        name,
        deployed:
          taskFiles.length === 0 ||
          templatedSource ||
          taskStrings.some((value) => value.includes(name)) ||
          playbookStrings.some((value) => value.includes(`${role.name}/templates/${name}`)),
        taskFiles,
        pairs,
        locals: templateLocals(file.text),
      };
      templates.push(template);
      for (const reference of inline) uses.push(ansibleUse(reference, { kind: "Template", template }));
      const variables = new Map<CredentialPair, TemplateVariable[]>();
      const reached = new Map<TemplateVariable, Reach>();
      const clientIds = new Map<CredentialPair, ClientIdWrite>();
      for (const pair of pairs) {
        const inSecret = file.variables.filter((variable) => variable.range[0] >= pair.secret.range[0] && variable.range[1] <= pair.secret.range[1]);
        variables.set(pair, inSecret);
        for (const variable of inSecret) {
          const found = reach(variable.name, template, contexts, useOfReference);
          found.defined ||= hiddenVariables || elsewhere.has(variable.name);
          reached.set(variable, found);
          for (const use of found.uses) push(templatesReaching, use, { template, pair });
        }
        const clientId = pair.clientId ? clientIdWritten(pair.clientId, template, contexts) : undefined;
        if (clientId) clientIds.set(pair, clientId);
      }
      secretVariables.set(template, variables);
      reaches.set(template, reached);
      templateClientIds.set(template, clientIds);
    }
  }

  return {
    uses,
    templates,
    reaches,
    secretVariables,
    templateClientIds,
    templatesReaching,
    sourcesOf: (role) => sources.get(role) ?? [],
    sourceOfUse,
  };
}

function ansibleUse(reference: OnePasswordReference, owner: FieldOwner): FieldUse {
  const place = referencePlace(reference);
  return { reference, vaults: reference.vault === undefined ? [] : [reference.vault], implied: false, place, itemPlace: place, owner };
}

/** For each variable, the variables whose definitions read it. */
function readersOf(scopes: readonly Scope[]): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  for (const scope of scopes) {
    for (const definitions of scope.values()) for (const definition of definitions) for (const name of definition.uses) push(readers, name, definition.name);
  }
  return readers;
}

/** A variable and those defined from it (`set_fact: x: "{{ registered.stdout }}"`), the last first. */
function carriersOf(name: string, readers: Map<string, string[]>): string[] {
  const carriers = [name];
  const seen = new Set(carriers);
  for (let index = 0; index < carriers.length; index++) {
    for (const reader of readers.get(carriers[index]!) ?? []) {
      if (seen.has(reader)) continue;
      seen.add(reader);
      carriers.push(reader);
    }
  }
  return carriers.reverse();
}

/** Strings of a list under `key` of a mapping, or of its items' `inner` key (role `dependencies`, `vars_prompt` names). */
function textsOf(node: unknown, key: string, inner: string): string[] {
  const list = field(node, key);
  if (!isSeq(list)) return [];
  return list.items.flatMap((item) => {
    const value = text(item) ?? text(field(item, inner)) ?? text(field(item, "name"));
    return value === undefined ? [] : [value];
  });
}

/** Variables a task tree reads, outside definitions' values and conditions. */
function usedIn(root: unknown): Set<string> {
  const used = new Set<string>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = text(pair.key);
        if (key !== undefined && (conditionKeys.has(key) || setFactModules.has(key) || key === "vars")) continue;
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      stack.push(...node.items);
    } else if (isScalar(node) && typeof node.value === "string") {
      for (const name of variablesIn(node.value)) used.add(name);
    }
  }
  return used;
}

/** Roles named, and the roles they depend on. */
function closure(names: Iterable<string>, rolesByName: Map<string, AnsibleRole[]>, includes: Map<AnsibleRole, Set<string>>): Set<AnsibleRole> {
  const roles = new Set<AnsibleRole>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.pop()!;
    // `roles/forgejo`, `../roles/forgejo` and `namespace.collection.forgejo` all end in the role's name.
    const base = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf(".")) + 1);
    for (const role of rolesByName.get(base) ?? []) {
      if (roles.has(role)) continue;
      roles.add(role);
      queue.push(...(includes.get(role) ?? []));
    }
  }
  return roles;
}

/**
 * The scopes a role's templates see, one list per play applying the role: the play's, every
 * role's of that play (Ansible shares role defaults across a play), and the global one.
 */
function contextsOf(role: AnsibleRole, playsOfRole: Map<AnsibleRole, Play[]>, roleScopes: Map<AnsibleRole, Scope>, global: Scope): Scope[][] {
  const plays = playsOfRole.get(role) ?? [];
  if (plays.length === 0) return [[roleScopes.get(role)!, global]];
  return plays.map((play) => [play.scope, ...[...play.roles].map((applied) => roleScopes.get(applied)!), global]);
}

/** Names a template sets for itself. */
function templateLocals(templateText: string): Set<string> {
  const locals = new Set<string>();
  for (const match of templateText.matchAll(/\{%-?\s*(?:set|for|macro)\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)/gu)) {
    for (const name of match[1]!.split(",")) locals.add(name.trim());
  }
  return locals;
}

/** The 1Password uses a variable leads to, through the definitions it and their values read. */
function reach(name: string, template: RoleTemplate, contexts: Scope[][], useOfReference: Map<OnePasswordReference, FieldUse>): Reach {
  let defined = template.locals.has(name);
  const uses = new Set<FieldUse>();
  for (const scopes of contexts) {
    const seen = new Set([name]);
    const queue = [name];
    while (queue.length > 0) {
      const current = queue.pop()!;
      for (const scope of scopes) {
        for (const definition of scope.get(current) ?? []) {
          if (current === name) defined = true;
          for (const reference of definition.references) {
            const use = useOfReference.get(reference);
            if (use) uses.add(use);
          }
          for (const used of definition.uses) {
            if (seen.has(used)) continue;
            seen.add(used);
            queue.push(used);
          }
        }
      }
    }
  }
  return { defined, uses: [...uses] };
}

/**
 * The client id a template writes: a literal, or `{{ variable }}` whose every definition the
 * template can see is the same literal (a role default, a group var). Anything else is unknown.
 */
function clientIdWritten(assignment: Assignment, template: RoleTemplate, contexts: Scope[][]): ClientIdWrite | undefined {
  if (isLiteral(assignment.value)) return { value: assignment.value, places: [{ file: assignment.file, range: assignment.range }] };
  const bare = /^\{\{-?\s*([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}$/u.exec(assignment.value);
  if (!bare || template.locals.has(bare[1]!)) return undefined;
  const through = bare[1]!;
  const definitions = new Set<Definition>();
  for (const scopes of contexts) for (const scope of scopes) for (const definition of scope.get(through) ?? []) definitions.add(definition);
  const literals = [...definitions].map((definition) => definition.literal);
  if (literals.length === 0 || !literals.every((literal) => literal !== undefined)) return undefined;
  const values = new Set(literals.map((literal) => literal.value));
  if (values.size !== 1) return undefined;
  return {
    value: literals[0]!.value,
    places: [...definitions].map((definition) => ({ file: definition.file, node: definition.literal!.node })),
    through,
  };
}

/** Where an Ansible reference is written: the `op://…` inside its string where it reads as written, else the string. */
function referencePlace(reference: OnePasswordReference): Place {
  const { node, file } = reference;
  const raw = isScalar(node) && node.range ? rawText(node, file) : undefined;
  if (!raw) return node.range ? { file, node } : { file, range: [0, 0] };
  if (reference.via === "op-uri" && reference.vault !== undefined) {
    const prefix = `op://${reference.vault}/${reference.item}/`;
    const start = raw.text.indexOf(prefix);
    const end = start === -1 ? -1 : raw.text.indexOf(reference.field, start + prefix.length);
    if (end !== -1) return { file, range: [raw.offset + start, raw.offset + end + reference.field.length] };
  }
  return { file, node };
}
