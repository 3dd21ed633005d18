/**
 * Every confidential OAuth2 provider has its whole secret chain: authentik reads the client
 * secret from a 1Password field (through the worker's env var and an ExternalSecret, as
 * blueprint/env-wired checks), and the service logging in with that client receives the same
 * field through a credentials template — another ExternalSecret's `target.template`, or an
 * Ansible role template that a playbook fills from 1Password — with the same client id. Each
 * disagreement is reported where it is written; a client whose secret no service receives is
 * one warning on the provider. Where authentik's side stops (a link env-wired reports, or one
 * no rule can follow), nothing is said here; nor where the 1Password rules already report the
 * reference that differs (a misspelt name, a field or vault the cluster does not read).
 *
 * A client the settings declare (`settings.oidc.clients.<id>.redirectUris`) that no provider
 * declares, and a provider stub (no `client_secret`, no authorization flow, a redirect URI), are
 * reported too; their fix writes the blueprint in the style of the repo's other clients
 * (src/fix/blueprints.ts). A client wanted only by a link (a worker env var or ExternalSecret item
 * named like its secret, a role's OIDC credentials template) is one message at its first link.
 * The next links (the worker's env var, the ExternalSecret item) are
 * then blueprint/env-wired's to report and fix.
 */
import type { RuleFixer, RuleTextEdit } from "@eslint/core";
import { isScalar, isSeq, type Node } from "yaml";
import { type ClientRequest, completeProvider, newClientBlueprint, type NewClientPlan, providerModel } from "../../src/fix/blueprints.ts";
import { ansibleClientLinks, type AnsibleLinkId, type SecretReference } from "../../src/fix/ansible.ts";
import { projectFixer } from "../../src/fixer.ts";
import { field, text } from "../../src/index/read.ts";
import {
  type ClientIdWrite,
  type ClientWiring,
  clientWiring,
  compareFields,
  type CredentialPair,
  type FieldUse,
  isLiteral,
  type OAuthProvider,
  type OnePasswordNames,
  type Place,
  type RoleTemplate,
  sameFieldUses,
} from "../../src/index/oidc.ts";
import { push } from "../../src/index/collect.ts";
import { type AnsibleRole, type ExternalSecret, sameNamespace, type RepoIndex } from "../../src/index/index.ts";
import { type OnePasswordJoin, type OnePasswordUse, onePasswordJoin, onePasswordSettings } from "../../src/index/onepassword.ts";
import type { ParsedFile } from "../../src/parse/index.ts";
import type { GitopsRule, UncertainOptions } from "../../src/rule.ts";
import { involving, ruleDocsUrl, uncertainDefaults, uncertainSchema } from "../../src/rule.ts";

type MessageId =
  | "noConsumer"
  | "templateNotDeployed"
  | "variableMismatch"
  | "clientIdMismatch"
  | "fieldMismatch"
  | "clientNotDeclared"
  | "clientIncomplete"
  | AnsibleLinkId;

interface Finding {
  place: Place;
  messageId: MessageId;
  data: Record<string, string>;
  /** The other files of the client's chain (the `involving` of the report). */
  involved: ParsedFile[];
}

interface Settings {
  names: OnePasswordNames;
  /** The 1Password join of external-secret/onepassword-ref and ansible/op-reference, to leave them what they report. */
  spelling: OnePasswordJoin;
  /** Clients whose service is known to get its secret outside the repo. */
  noConsumer: Set<string>;
}

function record(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** `settings.onepassword.{vaults,items}` (id → title, read as the 1Password rules read them) and `settings.oidc.clients.<id>.consumer`. */
function readSettings(settings: Record<string, unknown>): Omit<Settings, "spelling"> {
  const { vaults, items } = onePasswordSettings(settings);
  const clients = record(record(settings, "oidc"), "clients");
  const noConsumer = new Set<string>();
  if (typeof clients === "object" && clients !== null) {
    for (const [id, client] of Object.entries(clients)) if (record(client, "consumer") === false) noConsumer.add(id);
  }
  return { names: { vaults, items }, noConsumer };
}

/**
 * The use of the 1Password join that reads the same reference as `use`: the rules built on it
 * (external-secret/onepassword-ref, ansible/op-reference) own how a reference is spelt and
 * whether the cluster reads it.
 */
function spellingUse(join: OnePasswordJoin, use: FieldUse): OnePasswordUse | undefined {
  const { owner, reference } = use;
  if (owner.kind === "ExternalSecret") return join.dataUses.get(owner.item);
  const same = (candidate: OnePasswordUse): boolean => candidate.node === reference.node && candidate.item.written === reference.item && candidate.field.written === reference.field;
  if (reference.via === "lookup") return join.lookups.get(reference.file)?.find(same);
  return join.opUris.get(reference.file)?.find((finding) => finding.use !== undefined && same(finding.use))?.use;
}

/** Whether one of those rules reports this reference: a misspelt name, or (in Ansible) a field or vault the cluster does not read. */
function spokenFor(join: OnePasswordJoin, use: FieldUse): boolean {
  const other = spellingUse(join, use);
  if (!other) return false;
  if (join.misspellingOf(other)) return true;
  const status = use.owner.kind === "ExternalSecret" ? "read" : join.clusterStatus(other).status;
  return status === "notRead" || status === "otherVault";
}

function describeField(use: FieldUse): string {
  const { reference } = use;
  const vault = reference.vault !== undefined ? `vault "${reference.vault}" ` : use.vaults.length === 1 ? `vault "${use.vaults[0]}" ` : "";
  return `${vault}item "${reference.item}" field "${reference.field}"`;
}

function describeConsumer(use: FieldUse, template?: RoleTemplate, variable?: string): string {
  if (use.owner.kind === "ExternalSecret") return `ExternalSecret "${use.owner.resource.name?.value ?? "?"}"`;
  return template ? `this reference (read by ${template.file.relPath} through "${variable ?? "?"}")` : "this reference";
}

const cache = new WeakMap<RepoIndex, Map<string, Finding[]>>();

function findingsOf(index: RepoIndex, settings: Record<string, unknown>): Map<string, Finding[]> {
  let findings = cache.get(index);
  if (!findings) {
    findings = collect(index, { ...readSettings(settings), spelling: onePasswordJoin(index, settings) });
    cache.set(index, findings);
  }
  return findings;
}

function collect(index: RepoIndex, settings: Settings): Map<string, Finding[]> {
  const { names } = settings;
  const wiring = clientWiring(index, names);
  const byFile = new Map<string, Finding[]>();
  const seen = new Set<string>();
  const add = (finding: Finding): void => {
    const where = "node" in finding.place ? String(finding.place.node.range?.[0]) : finding.place.range.join(":");
    const key = `${finding.place.file.path}\u0000${where}\u0000${finding.messageId}`;
    if (seen.has(key)) return;
    seen.add(key);
    push(byFile, finding.place.file.path, finding);
  };
  const templatesOfRole = new Map<AnsibleRole, RoleTemplate[]>();
  for (const template of wiring.templates) push(templatesOfRole, template.role, template);
  for (const provider of wiring.providers) if (provider.sides.length > 0) checkProvider(provider, wiring, templatesOfRole, settings, add);
  return byFile;
}

/**
 * The files of authentik's side of a client: its blueprint, the worker (for authentik installed
 * by its chart, every file its values come from), the ExternalSecret and its store's field.
 */
function authentikChain(provider: OAuthProvider): ParsedFile[] {
  return [
    provider.blueprint.file,
    ...provider.sides.flatMap((side) => [...(side.worker.chart?.files ?? [side.worker.workload.file]), side.externalSecret.file]),
  ];
}

/** The files a consumer's read of a 1Password field passes through. */
function consumerChain(use: FieldUse): Array<ParsedFile | undefined> {
  const { owner } = use;
  const own = owner.kind === "ExternalSecret" ? [owner.resource.file] : owner.kind === "Template" ? [owner.template.file] : [owner.definition?.file, owner.playbook?.file];
  return [use.reference.file, use.place.file, use.itemPlace.file, ...own];
}

function checkProvider(
  provider: OAuthProvider,
  wiring: ClientWiring,
  templatesOfRole: Map<AnsibleRole, RoleTemplate[]>,
  { names, noConsumer, spelling }: Settings,
  addFinding: (finding: Finding) => void,
): void {
  // Every finding of the client involves authentik's side, and the consumer's files it names.
  const chain = authentikChain(provider);
  const add = (finding: Omit<Finding, "involved">, ...consumer: Array<ParsedFile | undefined>): void =>
    addFinding({ ...finding, involved: [...chain, ...consumer.filter((file): file is ParsedFile => file !== undefined)] });
  const clientId = provider.clientId?.value;
  const sides = provider.sides.map((side) => side.use);
  const blueprint = provider.blueprint.file.relPath;
  const externalSecret = provider.sides[0]!.externalSecret.file.relPath;
  const client = clientId ?? provider.entry.id?.value ?? "?";
  const expected = describeField(sides[0]!);
  let consumed = false;
  const checkedSecrets = new Set<ExternalSecret>();
  const checkedTemplates = new Set<RoleTemplate>();

  const agreesWithSides = (use: FieldUse): boolean => sides.some((side) => compareFields(side, use, names).agreement !== "different");
  /** Authentik reads this field for another client: the consumer belongs to that one. */
  const isAuthentikField = (use: FieldUse): boolean => wiring.authentikUses.some((other) => compareFields(other, use, names).agreement === "same");

  const checkDeployed = (template: RoleTemplate): void => {
    if (template.deployed) return;
    const firstLine = template.file.text.indexOf("\n");
    add({
      place: { file: template.file, range: [0, firstLine === -1 ? template.file.text.length : firstLine] },
      messageId: "templateNotDeployed",
      data: { template: template.name, clientId: client, blueprint, role: template.role.name, tasks: template.taskFiles.join(", ") },
    }, ...template.role.tasks.map((task) => task.file));
  };

  const checkClientId = (write: ClientIdWrite | undefined, consumer: string, consumerFile: ParsedFile): void => {
    if (!write || clientId === undefined || write.value === clientId) return;
    // Another provider with that client id reading the same field: a secret shared on purpose.
    const others = wiring.providersByClientId.get(write.value) ?? [];
    if (others.some((other) => other.sides.some((side) => agreesWithSides(side.use)))) return;
    const files = [consumerFile, ...write.places.map((place) => place.file)];
    for (const place of write.places) add({ place, messageId: "clientIdMismatch", data: { written: write.value, clientId, blueprint, consumer } }, ...files);
  };

  // A misspelt name in authentik's own item is the 1Password rules' to report; every comparison
  // with it would be a second message for the same mistake.
  const sidesSpoken = sides.some((side) => spokenFor(spelling, side));

  const fieldMismatch = (use: FieldUse, consumer: string): void => {
    if (use.implied || sidesSpoken || agreesWithSides(use) || isAuthentikField(use) || spokenFor(spelling, use)) return;
    if (use.owner.kind === "ExternalSecret" && use.owner.store !== "onepassword") return;
    const unverifiable = sides.flatMap((side) => compareFields(side, use, names).unverifiable);
    const note =
      unverifiable.length > 0
        ? ` (${[...new Set(unverifiable)].map((name) => `"${name}"`).join(", ")} is named by an id that settings.onepassword does not map to a title, so only field names were compared: the item is unverifiable.)`
        : "";
    // Where the field label is the same, the item (or vault) is what differs.
    const sameLabel = sides.some((side) => side.reference.field.toLowerCase() === use.reference.field.toLowerCase());
    add({ place: sameLabel ? use.itemPlace : use.place, messageId: "fieldMismatch", data: { consumer, found: describeField(use), clientId: client, expected, externalSecret, blueprint, note } }, ...consumerChain(use));
  };

  const checkTemplatePair = (template: RoleTemplate, pair: CredentialPair): void => {
    checkedTemplates.add(template);
    checkDeployed(template);
    const write = wiring.templateClientIds.get(template)?.get(pair);
    const through = write?.through ? ` through "${write.through}"` : "";
    checkClientId(write, `${template.file.relPath}${through}`, template.file);
  };

  // Consumers found by the field: uses of the same 1Password field outside authentik.
  for (const side of sides) {
    for (const { use, comparison } of sameFieldUses(wiring, side, names)) {
      consumed = true;
      // An unverifiable item may be another client's: nothing more is judged by it.
      if (comparison.agreement !== "same") continue;
      const owner = use.owner;
      if (owner.kind === "ExternalSecret") {
        checkedSecrets.add(owner.resource);
        for (const pair of wiring.externalSecretPairs.get(owner.resource) ?? []) {
          if (!pair.inputs.includes(use) || !pair.clientId) continue;
          const { value, file, range } = pair.clientId;
          // A client id written with an expression (`{{ .client_id }}`) comes from elsewhere: not compared.
          if (isLiteral(value)) checkClientId({ value, places: [{ file, range }] }, `ExternalSecret "${owner.resource.name?.value ?? "?"}"`, owner.resource.file);
        }
      } else if (owner.kind === "Template") {
        checkedTemplates.add(owner.template);
        checkDeployed(owner.template);
      } else {
        const reaching = wiring.templatesReaching.get(use) ?? [];
        for (const { template, pair } of reaching) checkTemplatePair(template, pair);
        const source = wiring.sourceOfUse.get(use);
        if (reaching.length === 0 && source?.unused) {
          // The playbook fills a variable no template reads: the one template of its roles whose
          // client-secret variable is defined nowhere is the one that should read it.
          const candidates = source.roles.flatMap((role) => templatesOfRole.get(role) ?? []).filter((template) => undefinedSecretVariables(wiring, template).length > 0);
          if (candidates.length === 1) {
            const template = candidates[0]!;
            checkedTemplates.add(template);
            for (const variable of undefinedSecretVariables(wiring, template)) {
              add({
                place: { file: template.file, range: variable.range },
                messageId: "variableMismatch",
                data: { variable: variable.name, playbook: use.reference.file.relPath, clientId: client, blueprint, expected: source.carriers[0] ?? "?" },
              }, ...consumerChain(use), source.playbook?.file);
            }
          }
        }
      }
    }
  }

  // Consumers found by the client id they write, whatever field they read.
  for (const credentials of clientId === undefined ? [] : (wiring.credentialsByClientId.get(clientId) ?? [])) {
    if (credentials.kind === "ExternalSecret") {
      if (checkedSecrets.has(credentials.resource)) continue;
      consumed = true;
      for (const input of credentials.pair.inputs) fieldMismatch(input, `ExternalSecret "${credentials.resource.name?.value ?? "?"}"`);
      continue;
    }
    const { template, pair } = credentials;
    if (checkedTemplates.has(template)) continue;
    consumed = true;
    checkDeployed(template);
    for (const variable of wiring.secretVariables.get(template)?.get(pair) ?? []) {
      const reached = wiring.reaches.get(template)?.get(variable);
      if (!reached) continue;
      if (reached.uses.length > 0) {
        if (!reached.uses.some(agreesWithSides)) for (const use of reached.uses) fieldMismatch(use, describeConsumer(use, template, variable.name));
        continue;
      }
      if (reached.defined) continue;
      const source = wiring.sourcesOf(template.role).find((candidate) => sides.some((side) => compareFields(side, candidate.use, names).agreement === "same"));
      if (!source) continue;
      add({
        place: { file: template.file, range: variable.range },
        messageId: "variableMismatch",
        data: { variable: variable.name, playbook: source.use.reference.file.relPath, clientId: client, blueprint, expected: source.carriers[0] ?? "?" },
      }, ...consumerChain(source.use), source.playbook?.file);
    }
  }

  if (consumed) return;
  // The Secret authentik reads, read by a service too; items read whole; `dataFrom.find`.
  const readElsewhere = provider.sides.some(
    (side) =>
      (wiring.secretReaders.get(side.secret) ?? []).some((workload) => sameNamespace(workload.namespace, side.namespace)) ||
      wiring.extractedItems.has(side.use.reference.item.toLowerCase()),
  );
  if (readElsewhere || wiring.findsAnyItem || noConsumer.has(client) || sidesSpoken || misspeltConsumer(spelling, sides)) return;
  add({
    place: { file: provider.blueprint.file, node: (provider.clientId ?? provider.entry.model)?.node ?? provider.entry.node },
    messageId: "noConsumer",
    data: { clientId: client, expected, externalSecret },
  });
}

/**
 * Some reference spells authentik's item or field a little differently: the 1Password rules
 * report it there, and that reference is meant as this client's consumer.
 */
function misspeltConsumer(join: OnePasswordJoin, sides: readonly FieldUse[]): boolean {
  const wanted = new Set(sides.map((side) => `${side.reference.item.toLowerCase()}\u0000${side.reference.field.toLowerCase()}`));
  const meant = (use: OnePasswordUse): boolean => {
    const misspelling = join.misspellingOf(use);
    if (!misspelling) return false;
    const [item, field] = misspelling.component === "item" ? [misspelling.other, use.field.written] : [misspelling.item, misspelling.other];
    return wanted.has(`${item.toLowerCase()}\u0000${field.toLowerCase()}`);
  };
  return (
    [...join.dataUses.values()].some(meant) ||
    [...join.opUris.values()].some((findings) => findings.some((finding) => finding.use !== undefined && meant(finding.use))) ||
    [...join.lookups.values()].some((uses) => uses.some(meant))
  );
}

/** A template's client-secret variables that nothing defines. */
function undefinedSecretVariables(wiring: ClientWiring, template: RoleTemplate) {
  const reached = wiring.reaches.get(template);
  return [...(wiring.secretVariables.get(template)?.values() ?? [])].flat().filter((variable) => {
    const reach = reached?.get(variable);
    return reach !== undefined && !reach.defined && reach.uses.length === 0;
  });
}

// ── Clients to write ───────────────────────────────────────────────────────────────────────────

/** A client whose blueprint is missing or a stub, and the fix that writes it. */
interface Declaration {
  place: Place;
  messageId: "clientNotDeclared" | "clientIncomplete" | AnsibleLinkId;
  data: Record<string, string>;
  /** The other files of the client's chain (the `involving` of the report); paths relative to the root. */
  involved?: Array<ParsedFile | string>;
  /** None where the link cannot be written with certainty. */
  fix?: RuleFixer;
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((item): item is string => typeof item === "string" && item !== "") ? value : undefined;

const optionalString = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * `settings.oidc.clients.<id>` with `redirectUris`: a client the repo must declare. An entry
 * without redirect URIs (only `consumer: false`, say) speaks of a client declared elsewhere.
 */
function declaredClients(settings: Record<string, unknown>, ansibleRoles = new Map<string, string>()): Map<string, ClientRequest> {
  const clients = record(record(settings, "oidc"), "clients");
  const declared = new Map<string, ClientRequest>();
  if (typeof clients !== "object" || clients === null) return declared;
  for (const [id, client] of Object.entries(clients)) {
    const redirectUris = strings(record(client, "redirectUris"));
    if (!redirectUris || redirectUris.length === 0) continue;
    declared.set(id, {
      id,
      redirectUris,
      name: optionalString(record(client, "name")),
      launchUrl: optionalString(record(client, "launchUrl")),
      groups: strings(record(client, "groups")),
    });
    const role = optionalString(record(client, "ansibleRole"));
    if (role !== undefined) ansibleRoles.set(id, role);
  }
  return declared;
}

/**
 * The client a provider stub stands for. A stub is a confidential provider without
 * `client_secret` that settings declare, or that names its redirect URIs but no authorization
 * flow: authentik applies no provider without one, so it is unfinished, not a provider whose
 * secret authentik generates on purpose.
 */
function stubClient({ entry }: { entry: OAuthProvider["entry"] }, declared: ReadonlyMap<string, ClientRequest>): ClientRequest | undefined {
  const attrs = entry.attrs;
  if (!attrs || !entry.model || entry.state?.value === "absent") return undefined;
  const clientType = field(attrs, "client_type");
  if (clientType !== undefined && text(clientType) !== "confidential") return undefined;
  if (attrs.items.some((pair) => isScalar(pair.key) && (pair.key.value === "client_secret" || pair.key.value === "<<"))) return undefined;
  const clientId = text(field(attrs, "client_id"));
  if (clientId === undefined) return undefined;
  const client = declared.get(clientId);
  const redirects = field(attrs, "redirect_uris");
  const written = isSeq(redirects) ? redirects.items.flatMap((item) => text(field(item, "url")) ?? []) : [];
  if (!client && (written.length === 0 || attrs.has("authorization_flow"))) return undefined;
  return {
    id: clientId,
    name: client?.name ?? text(field(attrs, "name")) ?? text(field(entry.identifiers, "name")),
    redirectUris: written.length > 0 ? written : (client?.redirectUris ?? []),
    launchUrl: client?.launchUrl,
    groups: client?.groups,
  };
}

/** `"a", "b" and c`. */
function listed(items: readonly string[]): string {
  const words = items.map((item) => (item.includes(" ") ? item : `"${item}"`));
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function describeTarget(plan: NewClientPlan): string {
  if (plan.kind === "dataKey") return `data key "${plan.key}" of ConfigMap "${plan.configMap}" (${plan.file.relPath})`;
  return plan.generator ? `${plan.relPath}, listed in configMapGenerator "${plan.generator.name}" (${plan.generator.file.relPath})` : plan.relPath;
}

function planFix(plan: NewClientPlan): RuleFixer {
  return (fixer) => {
    if (plan.kind === "dataKey") return fixer.insertTextAfterRange([plan.insertion.offset, plan.insertion.offset], plan.insertion.text);
    const project = projectFixer(fixer);
    if (!project) return null;
    const edits: RuleTextEdit[] = [project.createFile(plan.relPath, plan.text)];
    if (plan.generator) edits.push(fixer.insertTextAfterRange([plan.generator.insertion.offset, plan.generator.insertion.offset], plan.generator.insertion.text));
    return edits;
  };
}

interface Declarations {
  byFile: Map<string, Declaration[]>;
  /** Clients with a missing Ansible link: their noConsumer warning is said better by it. */
  ansibleClients: Set<string>;
}

const envVarPattern = /^AUTHENTIK_([A-Z0-9]+(?:_[A-Z0-9]+)*)_CLIENT_SECRET$/u;
const secretKeyPattern = /^([a-z0-9]+(?:-[a-z0-9]+)*)-client-secret$/u;

/**
 * Links named like a client's secret that no blueprint reads: an env var
 * `AUTHENTIK_<ID>_CLIENT_SECRET` no `!Env` names, and an ExternalSecret item
 * `<id>-client-secret` no such env var (read by a blueprint) takes. The id is the name's middle,
 * lower-cased, `_` read as `-`.
 */
function clientSecretLinks(index: RepoIndex): Array<{ id: string; place: Place; link: string }> {
  const envRead = new Set(index.blueprints.flatMap((blueprint) => blueprint.tags.flatMap((tag) => (tag.tag === "!Env" && isScalar(tag.node) ? [String(tag.node.value)] : []))));
  const keysRead = new Set<string>();
  for (const name of envRead) for (const { env } of index.envVars.get(name) ?? []) if (env.secretKeyRef?.key) keysRead.add(env.secretKeyRef.key.value);
  const links: Array<{ id: string; place: Place; link: string }> = [];
  for (const [name, bindings] of index.envVars) {
    const match = envVarPattern.exec(name);
    if (!match || envRead.has(name)) continue;
    const id = match[1]!.toLowerCase().replace(/_/gu, "-");
    for (const { workload, container, env } of bindings) {
      if (!env.name) continue;
      links.push({ id, place: { file: workload.file, node: env.name.node }, link: `env var "${name}" of container "${container.name?.value ?? "?"}" (${workload.file.relPath})` });
    }
  }
  for (const resource of index.externalSecrets) {
    for (const item of resource.data) {
      const key = item.secretKey;
      const match = key ? secretKeyPattern.exec(key.value) : null;
      if (!key || !match || keysRead.has(key.value)) continue;
      links.push({ id: match[1]!, place: { file: resource.file, node: key.node }, link: `item "${key.value}" of ExternalSecret "${resource.name?.value ?? "?"}" (${resource.file.relPath})` });
    }
  }
  return links;
}

const oidcWords = /oidc|openid|authentik/iu;

/**
 * Ansible role credentials templates writing a client id (a literal, or through a variable such
 * as a role default): the link is reported at the id the template writes, or at its first line.
 */
function templateLinks(wiring: ClientWiring, names: OnePasswordNames, clientRoles: ReadonlySet<string>): Array<{ id: string; place: Place; link: string }> {
  const links: Array<{ id: string; place: Place; link: string }> = [];
  // A pair whose secret is a field authentik reads is that provider's consumer: a client id it
  // writes differently is clientIdMismatch, not another client.
  const reachedPairs = new Set([...wiring.templatesReaching.values()].flat().map(({ pair }) => pair));
  const authentikField = (use: FieldUse): boolean => wiring.authentikUses.some((other) => compareFields(other, use, names).agreement !== "different");
  for (const template of wiring.templates) {
    // The role of a client already known (a provider's client id, a role settings name): its
    // template is that client's consumer, whatever id it writes (clientIdMismatch's to judge).
    if (clientRoles.has(template.role.name)) continue;
    for (const pair of template.pairs) {
      const write = wiring.templateClientIds.get(template)?.get(pair);
      if (!write || !isLiteral(write.value) || write.value === "" || reachedPairs.has(pair)) continue;
      // An OIDC client's credentials: keys naming OIDC or authentik, or bare keys in a template
      // named so (`oidc-credentials.json.j2`); a GitHub OAuth app's are another provider's.
      if (!oidcWords.test(pair.secret.prefix) && !(pair.secret.prefix === "" && oidcWords.test(template.name))) continue;
      const variables = wiring.secretVariables.get(template)?.get(pair) ?? [];
      if (variables.some((variable) => (wiring.reaches.get(template)?.get(variable)?.uses ?? []).some(authentikField))) continue;
      const firstLine = template.file.text.indexOf("\n");
      const place: Place = pair.clientId
        ? { file: template.file, range: pair.clientId.range }
        : { file: template.file, range: [0, firstLine === -1 ? template.file.text.length : firstLine] };
      links.push({ id: write.value, place, link: `template "${template.name}" of Ansible role "${template.role.name}" (${template.file.relPath})` });
    }
  }
  return links;
}

const declarationCache = new WeakMap<RepoIndex, Declarations>();

function declarationsOf(index: RepoIndex, settings: Record<string, unknown>): Declarations {
  const cached = declarationCache.get(index);
  if (cached) return cached;
  const byFile = new Map<string, Declaration[]>();
  const ansibleClients = new Set<string>();
  declarationCache.set(index, { byFile, ansibleClients });
  const add = (file: string, declaration: Declaration): void => push(byFile, file, declaration);
  const ansibleRoles = new Map<string, string>();
  const declared = declaredClients(settings, ansibleRoles);
  // The clients whose Ansible side is wanted: those settings declare, then those a single link
  // names (a provider stub; a provider whose secret no service receives), in that order.
  const wanted = new Set<string>(declared.keys());
  const providers = index.entriesByModel.get(providerModel) ?? [];
  for (const provider of providers) {
    const client = stubClient(provider, declared);
    if (client) wanted.add(client.id);
    const completion = client ? completeProvider(index, provider, client) : undefined;
    if (!client || !completion || !provider.entry.model) continue;
    add(completion.file.path, {
      place: { file: completion.file, node: provider.entry.model.node },
      messageId: "clientIncomplete",
      data: { clientId: client.id, missing: listed(completion.missing) },
      fix: (fixer) => completion.insertions.map((insertion) => fixer.insertTextAfterRange([insertion.offset, insertion.offset], insertion.text)),
    });
  }
  for (const client of declared.values()) {
    if (providers.some(({ entry }) => text(field(entry.attrs, "client_id")) === client.id)) continue;
    const plan = newClientBlueprint(index, client);
    if (!plan) continue;
    const target = describeTarget(plan);
    add(plan.file.path, {
      place: { file: plan.file, node: plan.at },
      involved: plan.kind === "dataKey" || !plan.generator ? [] : [plan.generator.file],
      messageId: "clientNotDeclared",
      data: { clientId: client.id, target, wantedBy: "declared in settings.oidc.clients", remedy: `Add its blueprint as ${target}: the provider, the application and its policy bindings, written like the other clients.` },
      fix: planFix(plan),
    });
  }
  // A worker env var, an ExternalSecret item named like a client secret, or an Ansible role's
  // credentials template, for a client no provider declares: one message per client, at its first
  // link and naming the others, without a fix (no link tells the redirect URI).
  const declaredIds = new Set(providers.flatMap(({ entry }) => text(field(entry.attrs, "client_id")) ?? []));
  const linksOf = new Map<string, Array<{ place: Place; link: string }>>();
  const { names } = readSettings(settings);
  const wiring = clientWiring(index, names);
  for (const { id, place, link } of [...clientSecretLinks(index), ...templateLinks(wiring, names, new Set([...declaredIds, ...declared.keys(), ...ansibleRoles.values()]))]) {
    if (declaredIds.has(id) || declared.has(id)) continue;
    push(linksOf, id, { place, link });
  }
  for (const [id, links] of linksOf) {
    const { place, link } = links[0]!;
    const others = links.slice(1).map((other) => other.link);
    const all = listed(links.map((other) => other.link));
    add(place.file.path, {
      place,
      involved: links.map((other) => other.place.file),
      messageId: "clientNotDeclared",
      data: {
        clientId: id,
        wantedBy: `wanted by ${link}${others.length > 0 ? ` (and by ${listed(others)})` : ""}`,
        remedy: `A provider needs a redirect URI, which no link tells: set settings.oidc.clients.${id}.redirectUris (the service's OIDC callback) and --fix writes its blueprint, or remove ${all} if the client is gone.`,
      },
    });
  }
  for (const findings of findingsOf(index, settings).values()) {
    for (const finding of findings) if (finding.messageId === "noConsumer" && finding.data.clientId !== undefined) wanted.add(finding.data.clientId);
  }
  // The consumer's side of a client deployed by Ansible: template, task, pre_task.
  for (const id of wanted) {
    const provider = wiring.providers.find((candidate) => candidate.clientId?.value === id && candidate.sides.length > 0);
    const side = provider?.sides[0]?.use;
    const reference: SecretReference | undefined = side && { vault: side.reference.vault ?? side.vaults[0], item: side.reference.item, field: side.reference.field };
    for (const link of ansibleClientLinks(index, wiring, { id, role: ansibleRoles.get(id) }, reference)) {
      ansibleClients.add(id);
      const edit = link.edit;
      add(link.place.file.path, {
        place: link.place,
        // The chain: authentik's side, the role's credentials template and the playbook that fills it.
        involved: [...(provider ? authentikChain(provider) : []), ...[link.data.template, link.data.playbook].filter((file) => file !== undefined)],
        messageId: link.messageId,
        data: link.data,
        fix: (fixer) => {
          if (!edit) return null;
          if (edit.kind === "insert") {
            const project = projectFixer(fixer);
            const editor = project ? project.inFile(edit.file.relPath) : fixer;
            return editor.insertTextAfterRange([edit.offset, edit.offset], edit.text);
          }
          const project = projectFixer(fixer);
          return project ? project.createFile(edit.relPath, edit.text) : null;
        },
      });
    }
  }
  return { byFile, ansibleClients };
}

const rule: GitopsRule<MessageId, [UncertainOptions?]> = {
  meta: {
    type: "problem",
    fixable: "code",
    docs: {
      description: "Each confidential OAuth2 client's secret reaches authentik and its service from the same 1Password field, with the same client id",
      url: ruleDocsUrl("oidc/client-wiring"),
      recommended: true,
      warningMessages: ["noConsumer"],
      runSettings: true,
    },
    messages: {
      noConsumer:
        'OAuth2 client "{{clientId}}": authentik reads its client secret from 1Password {{expected}} ({{externalSecret}}), but no service in the repo receives that field: no other ExternalSecret reads it, and no playbook fills an Ansible role template from it. Give the service a credentials template reading the same field; if it gets the secret another way, set settings.oidc.clients.{{clientId}}.consumer to false.',
      templateNotDeployed:
        'template "{{template}}" writes the credentials of OAuth2 client "{{clientId}}" ({{blueprint}}), but no task of role "{{role}}" deploys it ({{tasks}}): the service never receives them. Add an ansible.builtin.template task with src: {{template}} to the role.',
      variableMismatch:
        '"{{variable}}" is defined nowhere, but {{playbook}} reads the client secret of OAuth2 client "{{clientId}}" ({{blueprint}}) from 1Password into "{{expected}}": this template would fail or be skipped. Write "{{expected}}" here, or have the playbook set "{{variable}}".',
      clientIdMismatch:
        'client id "{{written}}" does not match client_id "{{clientId}}" of the OAuth2 provider ({{blueprint}}) whose client secret {{consumer}} receives: authentik rejects the login. Write "{{clientId}}".',
      fieldMismatch:
        '{{consumer}} reads 1Password {{found}} as the client secret of OAuth2 client "{{clientId}}", but authentik reads {{expected}} ({{externalSecret}}, for the provider in {{blueprint}}): the service and authentik would hold different secrets. Read the same field.{{note}}',
      clientNotDeclared:
        'OAuth2 client "{{clientId}}" is {{wantedBy}}, but no blueprint has an authentik_providers_oauth2.oauth2provider with client_id "{{clientId}}": authentik does not know the client and refuses its logins. {{remedy}}',
      ansibleTemplateMissing:
        'OAuth2 client "{{clientId}}" is deployed by Ansible role "{{role}}", but the role has no credentials template: the service never receives its client id and secret. Add {{template}} writing client id "{{clientId}}" and the secret from "{{variable}}".',
      ansibleTaskMissing:
        'no task of role "{{role}}" deploys {{template}}, the credentials of OAuth2 client "{{clientId}}": the service never receives them. Add an ansible.builtin.template task with mode "0600" and the guard "when: {{variable}} is defined".',
      ansibleSecretNotRead:
        'role "{{role}}" writes the client secret of OAuth2 client "{{clientId}}" from "{{variable}}", but {{playbook}} never sets it: add a pre_task reading the secret from 1Password (op read, no_log) and a set_fact of "{{variable}}".',
      clientIncomplete:
        'OAuth2 provider "{{clientId}}" is a stub: it lacks {{missing}}. authentik applies no provider without an authorization flow, and without a client_secret read with !Env no service can share its secret. Complete it as the other clients are written.',
    },
    schema: uncertainSchema,
    defaultOptions: uncertainDefaults,
  },
  create(context) {
    const findings = findingsOf(context.sourceCode.index, context.settings);
    const { byFile: declarations, ansibleClients } = declarationsOf(context.sourceCode.index, context.settings);
    return {
      File(file) {
        for (const { place, messageId, data, involved } of findings.get(file.path) ?? []) {
          if (messageId === "noConsumer" && ansibleClients.has(data.clientId ?? "")) continue;
          if ("node" in place) context.report(involving({ node: place.node, messageId, data }, involved));
          else context.report(involving({ loc: { start: file.source.position(place.range[0]), end: file.source.position(place.range[1]) }, messageId, data }, involved));
        }
        for (const { place, messageId, data, fix, involved = [] } of declarations.get(file.path) ?? []) {
          const fixing = fix ? { fix } : {};
          if ("node" in place) context.report(involving({ node: place.node, messageId, data, ...fixing }, involved));
          else context.report(involving({ loc: { start: file.source.position(place.range[0]), end: file.source.position(place.range[1]) }, messageId, data, ...fixing }, involved));
        }
      },
    };
  },
};

export default rule;
