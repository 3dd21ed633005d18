/**
 * External Secrets stores and 1Password across the repo, for the rules that join them: which
 * store an ExternalSecret's `secretStoreRef` names, how each 1Password provider reads a
 * `remoteRef`, every 1Password reference (ExternalSecrets, Ansible `op://` URIs and lookups) with
 * its names resolved through settings, and where a name is spelt differently in one place than
 * elsewhere. Built once per index and settings, in time linear in the references.
 */
import { isMap, isSeq, type Node, type Scalar } from "yaml";
import type { ParsedFile } from "../parse/index.ts";
import { isBlueprintDocument, type YamlDocument } from "../parse/yaml.ts";
import { closest, editDistance } from "../schema/suggest.ts";
import type { SourceLocation } from "../types.ts";
import { opUriOccurrences, roleFileOf, stringScalars, type OpUriOccurrence } from "./ansible.ts";
import { sameNamespace, type RepoIndex } from "./index.ts";
import type { ExternalSecret, ExternalSecretData, Named, SecretStore } from "./model.ts";
import { field, isTemplated, namedField, text } from "./read.ts";
import { push } from "./collect.ts";

// ── Settings ───────────────────────────────────────────────────────────────────────────────────

export type StoreKind = SecretStore["kind"];

/** A store managed outside the repo, from `settings.externalSecrets.stores`. */
export interface StoreSetting {
  name: string;
  /** Either kind when left out. */
  kind?: StoreKind;
  namespace?: string;
  /** The provider's key (`onepassword`, `onepasswordSDK`, `vault`, …), where given. */
  provider?: string;
  /** For a 1Password provider: the vaults it reads. */
  vaults: string[];
}

/** `settings.onepassword`: titles of vaults and items by id, and references known to be fine. */
export interface OnePasswordSettings {
  vaults: ReadonlyMap<string, string>;
  items: ReadonlyMap<string, string>;
  /** `op://vault/item/[section/]field` references that nothing in the cluster needs to read. */
  references: string[];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function titles(value: unknown): Map<string, string> {
  const map = new Map<string, string>();
  for (const [id, title] of Object.entries(record(value) ?? {})) if (typeof title === "string") map.set(id, title);
  return map;
}

export function storeSettings(settings: Record<string, unknown>): StoreSetting[] {
  const stores = record(settings.externalSecrets)?.stores;
  if (!Array.isArray(stores)) return [];
  return stores.flatMap((entry): StoreSetting[] => {
    const store = record(entry);
    const name = stringOf(store?.name);
    if (!store || name === undefined) return [];
    const kind = store.kind === "SecretStore" || store.kind === "ClusterSecretStore" ? store.kind : undefined;
    const vaults = Array.isArray(store.vaults) ? store.vaults.filter((vault): vault is string => typeof vault === "string") : [];
    const vault = stringOf(store.vault);
    return [{ name, kind, namespace: stringOf(store.namespace), provider: stringOf(store.provider), vaults: vault ? [...vaults, vault] : vaults }];
  });
}

export function onePasswordSettings(settings: Record<string, unknown>): OnePasswordSettings {
  const onePassword = record(settings.onepassword);
  const references = Array.isArray(onePassword?.references) ? onePassword.references : [];
  return {
    vaults: titles(onePassword?.vaults),
    items: titles(onePassword?.items),
    references: references.filter((reference): reference is string => typeof reference === "string"),
  };
}

// ── Stores ─────────────────────────────────────────────────────────────────────────────────────

/** 1Password providers of External Secrets: Connect and the SDK. */
export type OnePasswordProvider = "onepassword" | "onepasswordSDK";

function isOnePasswordProvider(provider: string | undefined): provider is OnePasswordProvider {
  return provider === "onepassword" || provider === "onepasswordSDK";
}

export type StoreLookup =
  /** Stores of the repo with that name and kind, in the ExternalSecret's namespace where known. */
  | { status: "found"; stores: SecretStore[] }
  | { status: "listed"; setting: StoreSetting }
  /** The repo defines no store and settings list none: stores are managed elsewhere. */
  | { status: "noStores" }
  /** Stores with that name, of the other kind. */
  | { status: "wrongKind"; stores: SecretStore[] }
  /** SecretStores with that name, in other namespaces only. */
  | { status: "otherNamespace"; stores: SecretStore[] }
  | { status: "missing"; suggestion?: { name: string; kind?: StoreKind; file?: string } }
  /**
   * A store of that name is written inside another document (a Helm chart's values
   * `extraObjects`, a `kind: List`): it is defined, though not as a manifest the index reads.
   */
  | { status: "embedded"; files: ParsedFile[] }
  /** Nothing to judge: no name, a templated name, or a kind that is neither (schema/external-secret's part). */
  | { status: "skip" };

const embeddedStoresCache = new WeakMap<RepoIndex, Map<string, ParsedFile[]>>();
const storeKinds: ReadonlySet<string> = new Set(["SecretStore", "ClusterSecretStore"]);

/** In a Helm template's text, one manifest's `kind:` of a store and its literal `metadata.name`. */
const templateStoreKind = /^kind:[ \t]*["']?(?:Cluster)?SecretStore["']?[ \t]*$/mu;
const templateApiVersion = /^apiVersion:[ \t]*["']?external-secrets\.io\//mu;
const templateMetadataName = /^metadata:[ \t]*\n(?:[ \t]+.*\n|[ \t]*\n)*?[ \t]+name:[ \t]*["']?([^\s"'{}]+)["']?[ \t]*$/mu;

/** Store names a Helm template defines literally (`templates/clustersecretstore.yaml`), which is not parsed as YAML. */
function templateStoreNames(text: string): string[] {
  return text.split(/^---.*$/mu).flatMap((manifest) => {
    if (!templateStoreKind.test(manifest) || !templateApiVersion.test(manifest)) return [];
    const name = templateMetadataName.exec(manifest)?.[1];
    return name === undefined ? [] : [name];
  });
}

/**
 * Stores written inside other documents, by name: a mapping below a document's top with
 * `kind: SecretStore` or `ClusterSecretStore`, an External Secrets apiVersion and a literal
 * `metadata.name`, or a store a Helm template (kept as text) names literally. Only files that
 * mention a store kind are walked.
 */
function embeddedStores(index: RepoIndex): Map<string, ParsedFile[]> {
  let map = embeddedStoresCache.get(index);
  if (map) return map;
  map = new Map();
  for (const file of index.files) {
    if (!file.text.includes("SecretStore") || !file.text.includes("external-secrets.io/")) continue;
    if (file.documents.length === 0) for (const name of templateStoreNames(file.text)) push(map, name, file);
    for (const document of file.documents) {
      const stack: unknown[] = [];
      const root = document.doc.contents;
      if (isMap(root)) for (const pair of root.items) stack.push(pair.value);
      else if (isSeq(root)) stack.push(...root.items);
      while (stack.length > 0) {
        const node = stack.pop();
        if (isSeq(node)) {
          stack.push(...node.items);
        } else if (isMap(node)) {
          const kind = text(field(node, "kind"));
          const name = text(field(field(node, "metadata"), "name"));
          if (kind && storeKinds.has(kind) && (text(field(node, "apiVersion")) ?? "").startsWith("external-secrets.io/") && name && !isTemplated(name)) {
            push(map, name, file);
          }
          for (const pair of node.items) stack.push(pair.value);
        }
      }
    }
  }
  embeddedStoresCache.set(index, map);
  return map;
}

/** The `kind` written in `secretStoreRef`, if any (the index keeps only its value). */
export function storeRefKind(secret: ExternalSecret): Named | undefined {
  return namedField(field(field(secret.node, "spec"), "secretStoreRef"), "kind");
}

/** Where the store an ExternalSecret's `secretStoreRef` names is, or why it cannot be found. */
export function findStore(index: RepoIndex, secret: ExternalSecret, stores: readonly StoreSetting[]): StoreLookup {
  const name = secret.storeRef?.name?.value;
  const kind = secret.storeRef?.kind;
  if (name === undefined || isTemplated(name) || (kind !== "SecretStore" && kind !== "ClusterSecretStore")) return { status: "skip" };
  // A SecretStore serves ExternalSecrets of its own namespace only; a ClusterSecretStore, any.
  const serves = (store: { kind?: StoreKind; namespace?: string }): boolean =>
    store.kind === "ClusterSecretStore" || sameNamespace(store.namespace, secret.namespace);
  const named = index.storesByName.get(name) ?? [];
  const found = named.filter((store) => store.kind === kind && serves(store));
  if (found.length > 0) return { status: "found", stores: found };
  const setting = stores.find((store) => store.name === name && (store.kind ?? kind) === kind && serves({ kind, namespace: store.namespace }));
  if (setting) return { status: "listed", setting };
  if (index.secretStores.length === 0 && stores.length === 0) return { status: "noStores" };
  const embedded = embeddedStores(index).get(name);
  if (embedded) return { status: "embedded", files: embedded };
  const otherKind = named.filter((store) => store.kind !== kind && serves(store));
  if (otherKind.length > 0) return { status: "wrongKind", stores: otherKind };
  const elsewhere = named.filter((store) => store.kind === kind);
  if (elsewhere.length > 0) return { status: "otherNamespace", stores: elsewhere };
  const candidates = [
    ...index.secretStores.flatMap((store) => (store.name ? [{ name: store.name.value, kind: store.kind, file: store.file.relPath }] : [])),
    ...stores.map((store) => ({ name: store.name, kind: store.kind })),
  ];
  const nearest = closest(name, candidates.map((candidate) => candidate.name));
  return { status: "missing", suggestion: candidates.find((candidate) => candidate.name === nearest) };
}

/** The 1Password store an ExternalSecret reads through, when every store it may name is one. */
export interface OnePasswordStore {
  provider: OnePasswordProvider;
  /** The vaults it reads, as written (Connect: `vaults` keys, in search order; SDK: `vault`). */
  vaults: string[];
  /** For messages: `ClusterSecretStore "onepassword"`. */
  description: string;
  /** Where it is defined, or `settings.externalSecrets.stores`. */
  file: string;
}

export function onePasswordStoreOf(index: RepoIndex, secret: ExternalSecret, stores: readonly StoreSetting[]): OnePasswordStore | undefined {
  const lookup = findStore(index, secret, stores);
  if (lookup.status === "listed") {
    const { setting } = lookup;
    if (!isOnePasswordProvider(setting.provider)) return undefined;
    return {
      provider: setting.provider,
      vaults: setting.vaults,
      description: `${setting.kind ?? secret.storeRef?.kind ?? "SecretStore"} "${setting.name}"`,
      file: "settings.externalSecrets.stores",
    };
  }
  if (lookup.status !== "found") return undefined;
  const [first] = lookup.stores;
  const provider = first?.provider;
  if (!first || !isOnePasswordProvider(provider) || lookup.stores.some((store) => store.provider !== provider)) return undefined;
  return {
    provider,
    vaults: [...new Set(lookup.stores.flatMap((store) => store.vaults.map((vault) => vault.value)))],
    description: `${first.kind} "${first.name?.value ?? "?"}"`,
    file: first.file.relPath,
  };
}

// ── How a provider reads a remoteRef ───────────────────────────────────────────────────────────

export type RemoteRefReading =
  | { kind: "field"; item: string; section?: string; field: string }
  /** SDK: `key` is one segment, so it names no field (`property` is ignored). */
  | { kind: "noField" }
  /** SDK: an empty segment, or more than item/section/field. */
  | { kind: "malformed" }
  /** SDK: `key` starts with the vault (or is a whole `op://` reference) the store adds itself. */
  | { kind: "vaultInKey"; vault: string; suggestion: string }
  /** Connect: `item/field` in `key` (without `property`, or with `property` repeating the field), read as one item title. */
  | { kind: "slashKey"; item: string; field: string };

/**
 * How the provider reads a `remoteRef`. 1Password Connect finds the item titled `key` (or with
 * that id) and its field labelled `property`, the field labelled `password` when `property` is
 * left out. The SDK provider resolves `op://<store vault>/<key>` and ignores `property`, so its
 * `key` is `item/[section/]field` (one leading `/` is dropped).
 */
export function readRemoteRef(provider: OnePasswordProvider, key: string, property: string | undefined, vaults: readonly string[]): RemoteRefReading {
  if (provider === "onepassword") {
    // `item/field` written for Connect, as the SDK reads it: with no property, or a property
    // repeating the field. (A property naming another field leaves `key` as a title with a slash.)
    const slash = /^([^/\s]+)\/([^/\s]+)$/u.exec(key);
    if (slash && (property === undefined || property.toLowerCase() === slash[2]!.toLowerCase())) {
      return { kind: "slashKey", item: slash[1]!, field: slash[2]! };
    }
    return { kind: "field", item: key, field: property ?? "password" };
  }
  const queryAt = key.indexOf("?");
  const query = queryAt === -1 ? "" : key.slice(queryAt);
  const path = (queryAt === -1 ? key : key.slice(0, queryAt)).replace(/^op:\/\//u, "");
  const segments = (path.startsWith("/") ? path.slice(1) : path).split("/");
  if (key.startsWith("op://") && segments.length >= 3) {
    return { kind: "vaultInKey", vault: segments[0]!, suggestion: segments.slice(1).join("/") + query };
  }
  if (segments.some((segment) => segment.trim() === "")) return { kind: "malformed" };
  if (segments.length === 1) return { kind: "noField" };
  const lowerVaults = vaults.map((vault) => vault.toLowerCase());
  if (segments.length >= 3 && lowerVaults.includes(segments[0]!.toLowerCase())) {
    return { kind: "vaultInKey", vault: segments[0]!, suggestion: segments.slice(1).join("/") + query };
  }
  if (segments.length > 3) return { kind: "malformed" };
  return { kind: "field", item: segments[0]!, section: segments.length === 3 ? segments[1] : undefined, field: segments[segments.length - 1]! };
}

// ── Names ──────────────────────────────────────────────────────────────────────────────────────

/** A vault, item or field name as written and as compared. */
export interface OnePasswordName {
  written: string;
  /** The title settings give an id, else as written. */
  title: string;
  /** Lower-cased title (1Password's secret references ignore case), or the id itself. */
  key: string;
  /** An id that settings do not map to a title: comparable only with the same id. */
  id: boolean;
}

/** 1Password's unique identifiers: 26 lower-case letters and digits. */
const onePasswordId = /^[a-z0-9]{26}$/u;

function resolveName(written: string, byId: ReadonlyMap<string, string> = new Map()): OnePasswordName {
  const title = byId.get(written);
  if (title !== undefined) return { written, title, key: title.toLowerCase(), id: false };
  if (onePasswordId.test(written)) return { written, title: written, key: written, id: true };
  return { written, title: written, key: written.toLowerCase(), id: false };
}

const separators = /[-_.\s]+/gu;

function normalise(name: string): string {
  return name.toLowerCase().replace(separators, "");
}

/** Edits allowed between two names for one to be a misspelling of the other, by the shorter's length. */
function allowedEdits(length: number): number {
  return length >= 8 ? 2 : length >= 5 ? 1 : 0;
}

/**
 * Whether two different names are likely one name misspelt: equal but for case, separators and
 * spaces (`Forgejo OIDC`, `forgejo-oidc`), or a few edits apart when long enough. Names that
 * differ in their numbers (`db-1`, `db-2`) or in one short word (`immich-db`, `immich-ml`) are
 * different names. Names equal but for case are the same name, not a misspelling.
 */
export function isMisspelling(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return false;
  const left = normalise(a);
  const right = normalise(b);
  if (left === right) return left !== "";
  if (a.replace(/\D+/gu, " ").trim() !== b.replace(/\D+/gu, " ").trim()) return false;
  const wordsA = a.toLowerCase().split(separators);
  const wordsB = b.toLowerCase().split(separators);
  if (wordsA.length === wordsB.length) {
    const differing = wordsA.flatMap((word, position) => (word === wordsB[position] ? [] : [[word, wordsB[position]!]]));
    if (differing.length === 1 && differing[0]!.every((word) => word.length <= 3)) return false;
  }
  const limit = allowedEdits(Math.min(left.length, right.length));
  return limit > 0 && editDistance(left, right, limit) <= limit;
}

/**
 * A name (normalised) and the names it becomes with one character removed. Two names share one
 * when they are one letter added, dropped or changed apart, or two neighbouring letters swapped:
 * the misspellings looked for among references, found without comparing every pair.
 */
function variantsOf(key: string): string[] {
  const normal = normalise(key);
  const variants = [normal];
  if (normal.length < 5 || normal.length > longestCompared) return variants;
  for (let position = 0; position < normal.length; position++) variants.push(normal.slice(0, position) + normal.slice(position + 1));
  return variants;
}

/** Names longer than this are compared for equality but for case and separators only. */
const longestCompared = 64;

/** Names by each of their variants. */
function variantIndex(names: Iterable<string>): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const name of names) {
    for (const variant of variantsOf(name)) {
      const set = index.get(variant);
      if (set) set.add(name);
      else index.set(variant, new Set([name]));
    }
  }
  return index;
}

// ── References ─────────────────────────────────────────────────────────────────────────────────

export type UseOrigin = "external-secret" | "op-uri" | "lookup";

/** One place that reads a 1Password field. */
export interface OnePasswordUse {
  origin: UseOrigin;
  file: ParsedFile;
  /** The node it is written in; `loc` narrows it to the reference inside a string. */
  node: Node;
  loc?: SourceLocation;
  /** The vault, where the reference names it (an ExternalSecret's comes from its store). */
  vault?: OnePasswordName;
  /** Vaults it may read (lower-cased titles); undefined when unknown. */
  vaults?: string[];
  item: OnePasswordName;
  field: OnePasswordName;
  /** An ExternalSecret's: the nodes naming the item and the field (the same node for `item/field`). */
  itemNode?: Node;
  fieldNode?: Node;
}

/** An `op://` in an Ansible string, as written, with the field it reads when it is well formed. */
export interface OpUriFinding {
  file: ParsedFile;
  node: Scalar<string>;
  occurrence: OpUriOccurrence;
  /** The reference as written, query included. */
  reference: string;
  /** What follows it in the string, up to the end of the line. */
  rest: string;
  /** Where the reference is in the file, when the string shows it as it is. */
  loc?: SourceLocation;
  /** The field it reads: set when it has three or four path segments, none empty. */
  use?: OnePasswordUse;
}

/** A name written differently here than in another file. */
export interface Misspelling {
  component: "item" | "field";
  /** This place's spelling, and the other's. */
  written: string;
  other: string;
  /** The item, for a field misspelling (as written here). */
  item: string;
  otherFile: string;
  /** Both spellings are written once and neither is more common: either may be the wrong one. */
  ambiguous: boolean;
}

export type ClusterStatus =
  /** An ExternalSecret reads the same field, or settings list the reference. */
  | { status: "read" }
  /** Nothing can be said: unknown vault or item id, `dataFrom.find`, no vault listed by any store. */
  | { status: "unverifiable" }
  /** The vault is one a 1Password store of the repo reads, and no ExternalSecret reads the field. */
  | { status: "notRead"; store: string; file: string }
  /** No 1Password store of the repo (or of settings) reads the vault. */
  | { status: "otherVault"; vaults: string[] };

interface Spelling {
  item: OnePasswordName;
  field: OnePasswordName;
  uses: OnePasswordUse[];
  files: Set<ParsedFile>;
  /** Vaults its uses may read; undefined when some use's vault is unknown. */
  vaults?: Set<string>;
  externalSecret: boolean;
}

export interface OnePasswordJoin {
  /** The field each data item of an ExternalSecret on a 1Password store reads. */
  dataUses: Map<ExternalSecretData, OnePasswordUse>;
  /** `op://` references in the Ansible files of the repo, by file. */
  opUris: Map<ParsedFile, OpUriFinding[]>;
  /** `community.general.onepassword` lookups, by file. */
  lookups: Map<ParsedFile, OnePasswordUse[]>;
  misspellingOf(use: OnePasswordUse): Misspelling | undefined;
  clusterStatus(use: OnePasswordUse): ClusterStatus;
}

function pairKey(item: OnePasswordName, fieldName: OnePasswordName): string {
  return `${item.key}\u0000${fieldName.key}`;
}


/**
 * The documents the index reads 1Password references from (`RepoIndex.addDocument`): a role's
 * tasks, handlers, defaults, vars and meta, and YAML 1.1 files (playbooks and inventories), but
 * not blueprints.
 */
function referenceDocuments(file: ParsedFile): YamlDocument[] {
  const role = roleFileOf(file.relPath);
  if (!((role && role.part !== "templates") || file.version === "1.1") || !file.text.includes("op://")) return [];
  return [...file.documents, ...file.embedded].filter((document) => !(isMap(document.doc.contents) && isBlueprintDocument(document.doc)));
}

/**
 * A reference built by a template or the shell (`op://{{ vault }}/…`, `op://$VAULT/…`,
 * `'op://homelab/' ~ item ~ '/password'`): its names are unknown until it runs.
 */
function isBuilt(reference: string, rest: string): boolean {
  return /[{}$%]/u.test(reference) || /^['"`]?\s*[+~]/u.test(rest);
}

class Join implements OnePasswordJoin {
  readonly dataUses = new Map<ExternalSecretData, OnePasswordUse>();
  readonly opUris = new Map<ParsedFile, OpUriFinding[]>();
  readonly lookups = new Map<ParsedFile, OnePasswordUse[]>();
  /** Vaults read by a 1Password store (of the repo or settings): lower-cased title → as written. */
  private readonly clusterVaults = new Map<string, { written: string; store: string; file: string }>();

  private readonly settings: OnePasswordSettings;
  private readonly spellings = new Map<string, Spelling>();
  private readonly spellingOfUse = new Map<OnePasswordUse, Spelling>();
  private readonly misspellings = new Map<Spelling, Misspelling>();
  /** Spellings an ExternalSecret's misspelling points at: the cluster means to read them. */
  private readonly meant = new Set<Spelling>();
  /** `vault\0item\0field` read by ExternalSecrets (vault `*` when unknown), and `vault\0item` read whole. */
  private readonly read = new Set<string>();
  /** Vaults an ExternalSecret searches with `dataFrom.find` (`*` when unknown). */
  private readonly searched = new Set<string>();
  /** `vault\0field` read by ExternalSecrets from items named by an id no setting maps. */
  private readonly idFields = new Set<string>();
  private readonly listed = new Set<string>();
  private readonly knownVaults = new Set<string>();
  /** Some store names its vault by an id no setting maps: another vault may be that one. */
  private storeVaultById = false;

  constructor(index: RepoIndex, settings: Record<string, unknown>) {
    this.settings = onePasswordSettings(settings);
    const stores = storeSettings(settings);
    this.collectVaults(index, stores);
    for (const secret of index.externalSecrets) this.addExternalSecret(index, secret, stores);
    for (const file of index.files) this.addOpUris(file);
    for (const reference of index.onePassword) {
      if (reference.via !== "lookup" || isTemplated(reference.item)) continue;
      const vault = reference.vault === undefined ? undefined : this.vault(reference.vault);
      const use: OnePasswordUse = {
        origin: "lookup",
        file: reference.file,
        node: reference.node,
        vault,
        vaults: vault && !vault.id ? [vault.key] : undefined,
        item: resolveName(reference.item, this.settings.items),
        field: resolveName(reference.field),
      };
      push(this.lookups, reference.file, use);
      this.addUse(use);
    }
    for (const reference of this.settings.references) {
      const uri = opUriOccurrences(reference)[0]?.uri;
      if (uri) this.listed.add(`${this.vault(uri.vault).key}\u0000${resolveName(uri.item, this.settings.items).key}\u0000${uri.field.toLowerCase()}`);
    }
    this.findMisspellings();
  }

  private vault(written: string): OnePasswordName {
    return resolveName(written, this.settings.vaults);
  }

  private collectVaults(index: RepoIndex, stores: readonly StoreSetting[]): void {
    for (const store of index.secretStores) {
      if (!isOnePasswordProvider(store.provider)) continue;
      for (const vault of store.vaults) {
        const key = this.vault(vault.value).key;
        if (!this.clusterVaults.has(key)) {
          this.clusterVaults.set(key, { written: vault.value, store: `${store.kind} "${store.name?.value ?? "?"}"`, file: store.file.relPath });
        }
      }
    }
    for (const store of stores) {
      if (!isOnePasswordProvider(store.provider)) continue;
      for (const vault of store.vaults) {
        const key = this.vault(vault).key;
        if (!this.clusterVaults.has(key)) {
          this.clusterVaults.set(key, { written: vault, store: `${store.kind ?? "SecretStore"} "${store.name}"`, file: "settings.externalSecrets.stores" });
        }
      }
    }
    for (const key of this.clusterVaults.keys()) {
      this.knownVaults.add(key);
      if (onePasswordId.test(key)) this.storeVaultById = true;
    }
    for (const [id, title] of this.settings.vaults) {
      this.knownVaults.add(id);
      this.knownVaults.add(title.toLowerCase());
    }
  }

  private addExternalSecret(index: RepoIndex, secret: ExternalSecret, stores: readonly StoreSetting[]): void {
    const store = onePasswordStoreOf(index, secret, stores);
    if (!store) return;
    const vaultNames = store.vaults.map((vault) => this.vault(vault));
    const vaults = vaultNames.length > 0 && vaultNames.every((vault) => !vault.id) ? vaultNames.map((vault) => vault.key) : undefined;
    const vaultKeys = vaults ?? ["*"];
    for (const item of secret.data) {
      // `sourceRef` reads the item from another store or a generator.
      if (!item.remoteKey || field(item.node, "sourceRef") !== undefined || isTemplated(item.remoteKey.value)) continue;
      const reading = readRemoteRef(store.provider, item.remoteKey.value, item.property?.value, store.vaults);
      if (reading.kind !== "field") continue;
      const use: OnePasswordUse = {
        origin: "external-secret",
        file: secret.file,
        node: item.remoteKey.node,
        vaults,
        item: resolveName(reading.item, this.settings.items),
        field: resolveName(reading.field),
        itemNode: item.remoteKey.node,
        fieldNode: store.provider === "onepassword" ? (item.property?.node ?? item.remoteKey.node) : item.remoteKey.node,
      };
      this.dataUses.set(item, use);
      this.addUse(use);
      for (const vault of vaultKeys) {
        if (use.item.id) this.idFields.add(`${vault}\u0000${use.field.key}`);
        this.read.add(`${vault}\u0000${use.item.key}\u0000${use.field.key}`);
      }
    }
    // `dataFrom.extract` reads every field of an item (or the one `property` names); `find`
    // searches the vault for items and fields no one can list here.
    for (const entry of secret.dataFrom.filter((node) => isMap(node))) {
      if (field(entry, "sourceRef") !== undefined) continue;
      const extract = field(entry, "extract");
      const key = namedField(extract, "key")?.value;
      const property = namedField(extract, "property")?.value;
      for (const vault of vaultKeys) {
        if (field(entry, "find") !== undefined) this.searched.add(vault);
        if (key === undefined || isTemplated(key)) continue;
        const item = resolveName(key, this.settings.items);
        this.read.add(property === undefined ? `${vault}\u0000${item.key}` : `${vault}\u0000${item.key}\u0000${property.toLowerCase()}`);
        if (item.id) this.searched.add(vault);
      }
    }
  }

  private addOpUris(file: ParsedFile): void {
    for (const document of referenceDocuments(file)) {
      const source = document.source;
      for (const node of stringScalars(document.doc.contents, /op:\/\//u)) {
        const [start] = node.range ?? [0];
        const written = node.range ? source.text.slice(node.range[0], node.range[1]) : "";
        let cursor = 0;
        for (const occurrence of opUriOccurrences(node.value)) {
          const reference = node.value.slice(occurrence.start, occurrence.end);
          const lineEnd = node.value.indexOf("\n", occurrence.end);
          const rest = node.value.slice(occurrence.end, lineEnd === -1 ? undefined : lineEnd);
          // `op://` alone (prose about references) names nothing.
          if (reference === "op://" || isBuilt(reference, rest)) continue;
          const finding: OpUriFinding = { file, node, occurrence, reference, rest };
          const at = node.range ? written.indexOf(reference, cursor) : -1;
          if (at !== -1) {
            cursor = at + reference.length;
            finding.loc = { start: source.position(start + at), end: source.position(start + cursor) };
          }
          const { uri } = occurrence;
          if (uri && occurrence.segments.length <= 4) {
            const vault = this.vault(uri.vault);
            finding.use = {
              origin: "op-uri",
              file,
              node,
              loc: finding.loc,
              vault,
              vaults: vault.id ? undefined : [vault.key],
              item: resolveName(uri.item, this.settings.items),
              field: resolveName(uri.field),
            };
            this.addUse(finding.use);
          }
          push(this.opUris, file, finding);
        }
      }
    }
  }

  private addUse(use: OnePasswordUse): void {
    const key = pairKey(use.item, use.field);
    let spelling = this.spellings.get(key);
    if (!spelling) {
      spelling = { item: use.item, field: use.field, uses: [], files: new Set(), vaults: new Set(), externalSecret: false };
      this.spellings.set(key, spelling);
    }
    spelling.uses.push(use);
    spelling.files.add(use.file);
    if (use.origin === "external-secret") spelling.externalSecret = true;
    if (!use.vaults) spelling.vaults = undefined;
    else if (spelling.vaults) for (const vault of use.vaults) spelling.vaults.add(vault);
    this.spellingOfUse.set(use, spelling);
  }

  /**
   * A spelling written in one file only is misspelt when another file spells the same item and
   * field a little differently and that spelling is more common: in more files, or with its
   * differing name (the item, or the field) used in more files across the repo, or, all else
   * equal, read by an ExternalSecret (the cluster keeps it in use). Candidates come from an index
   * of deletion variants, so the search stays linear.
   */
  private findMisspellings(): void {
    const all = [...this.spellings.values()];
    const itemFiles = new Map<string, Set<ParsedFile>>();
    const fieldFiles = new Map<string, Set<ParsedFile>>();
    for (const spelling of all) {
      for (const [map, key] of [[itemFiles, spelling.item.key], [fieldFiles, spelling.field.key]] as const) {
        const files = map.get(key) ?? new Set<ParsedFile>();
        for (const file of spelling.files) files.add(file);
        map.set(key, files);
      }
    }
    const fieldVariants = variantIndex(fieldFiles.keys());
    const itemVariants = variantIndex(itemFiles.keys());
    const compatible = (a: Spelling, b: Spelling): boolean =>
      !a.vaults || !b.vaults || [...a.vaults].some((vault) => b.vaults!.has(vault));
    for (const spelling of all) {
      if (spelling.files.size !== 1) continue;
      const candidates = new Map<Spelling, "item" | "field">();
      for (const variant of variantsOf(spelling.field.key)) {
        for (const name of fieldVariants.get(variant) ?? []) {
          const other = this.spellings.get(`${spelling.item.key}\u0000${name}`);
          if (other) candidates.set(other, "field");
        }
      }
      if (!spelling.item.id) {
        for (const variant of variantsOf(spelling.item.key)) {
          for (const name of itemVariants.get(variant) ?? []) {
            const other = this.spellings.get(`${name}\u0000${spelling.field.key}`);
            if (other && !other.item.id) candidates.set(other, "item");
          }
        }
      }
      let best: { other: Spelling; component: "item" | "field"; score: number[] } | undefined;
      for (const [other, component] of candidates) {
        if (other === spelling || !compatible(spelling, other) || ![...other.files].some((file) => !spelling.files.has(file))) continue;
        const name = component === "item" ? other.item : other.field;
        const mine = component === "item" ? spelling.item : spelling.field;
        if (!isMisspelling(mine.title, name.title)) continue;
        const spread = (component === "item" ? itemFiles.get(name.key) : fieldFiles.get(name.key))?.size ?? 0;
        const score = [other.files.size, spread, other.externalSecret ? 1 : 0];
        if (!best || compareScores(score, best.score) > 0) best = { other, component, score };
      }
      if (!best) continue;
      const mine = [
        spelling.files.size,
        (best.component === "item" ? itemFiles.get(spelling.item.key) : fieldFiles.get(spelling.field.key))?.size ?? 0,
        spelling.externalSecret ? 1 : 0,
      ];
      const order = compareScores(best.score, mine);
      if (order < 0) continue;
      const { other, component } = best;
      const otherFile = [...other.files].find((file) => !spelling.files.has(file))!;
      this.misspellings.set(spelling, {
        component,
        written: component === "item" ? spelling.item.written : spelling.field.written,
        other: component === "item" ? other.item.title : other.field.title,
        item: spelling.item.written,
        otherFile: otherFile.relPath,
        ambiguous: order === 0,
      });
      if (spelling.externalSecret && order > 0) this.meant.add(other);
    }
  }

  misspellingOf(use: OnePasswordUse): Misspelling | undefined {
    const spelling = this.spellingOfUse.get(use);
    return spelling ? this.misspellings.get(spelling) : undefined;
  }

  clusterStatus(use: OnePasswordUse): ClusterStatus {
    const vault = use.vault;
    if (!vault || vault.id || use.item.id) return { status: "unverifiable" };
    if (this.listed.has(`${vault.key}\u0000${use.item.key}\u0000${use.field.key}`)) return { status: "read" };
    if (this.clusterVaults.size === 0) return { status: "unverifiable" };
    const store = this.clusterVaults.get(vault.key);
    if (!store) {
      return this.knownVaults.has(vault.key) || this.storeVaultById
        ? { status: "unverifiable" }
        : { status: "otherVault", vaults: [...this.clusterVaults.values()].map((known) => known.written) };
    }
    for (const key of [vault.key, "*"]) {
      if (this.read.has(`${key}\u0000${use.item.key}\u0000${use.field.key}`) || this.read.has(`${key}\u0000${use.item.key}`)) return { status: "read" };
      if (this.searched.has(key) || this.idFields.has(`${key}\u0000${use.field.key}`)) return { status: "unverifiable" };
    }
    const spelling = this.spellingOfUse.get(use);
    if (spelling && this.meant.has(spelling)) return { status: "read" };
    return { status: "notRead", store: store.store, file: store.file };
  }
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let position = 0; position < a.length; position++) {
    const difference = (a[position] ?? 0) - (b[position] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

const joins = new WeakMap<RepoIndex, Map<string, OnePasswordJoin>>();

/** The 1Password join of an index under some settings, built once for each. */
export function onePasswordJoin(index: RepoIndex, settings: Record<string, unknown>): OnePasswordJoin {
  // The engine hands each file's rules their own settings object: key the cache by content.
  const key = JSON.stringify([settings.externalSecrets ?? null, settings.onepassword ?? null]);
  let bySettings = joins.get(index);
  if (!bySettings) {
    bySettings = new Map();
    joins.set(index, bySettings);
  }
  let join = bySettings.get(key);
  if (!join) {
    join = new Join(index, settings);
    bySettings.set(key, join);
  }
  return join;
}
