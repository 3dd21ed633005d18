/**
 * `!Env X` in a blueprint is read from the environment of the authentik worker that applies it.
 * The chain is: an env var X on the worker container → a Secret key (`secretKeyRef`, or
 * `envFrom`) → something in the repo producing that Secret key (an ExternalSecret's `data` item
 * or template key, a Secret, a SealedSecret, a kustomize secretGenerator). The first broken link
 * is reported at the `!Env`, naming the file where the next link should be.
 *
 * Two links can be fixed, each written by analogy with its siblings and never with a secret's
 * value, only references: a missing env var (an entry on the worker container reading the Secret
 * and key its siblings' names lead to) and a missing ExternalSecret key (a `data` item reading
 * the 1Password item and property its siblings' names lead to, plus the template key where
 * the siblings are templated). A key within edit distance 2 of one the ExternalSecret produces
 * is taken for a misspelling: renaming it changes a value someone wrote, an unsafe fix.
 */
import type { RuleTextEdit, RuleTextEditor } from "@eslint/core";
import { isMap, isPair, isSeq, type Node, type Pair } from "yaml";
import {
  byAnalogy,
  type Insertion,
  leadingComment,
  mappingEntryAfter,
  type Replacement,
  replaceScalar,
  sequenceItemAfter,
  sharedWords,
  wordsOf,
  type YamlMapping,
  type YamlValue,
} from "../../src/fix/style.ts";
import { projectFixer } from "../../src/fixer.ts";
import { path, text } from "../../src/index/read.ts";
import { chartWorkers } from "../../src/index/helm.ts";
import { authentikWorkers, envReference, envSource, secretKeyStatus, type Worker } from "../../src/index/wiring.ts";
import { type RepoIndex, sameNamespace, type SecretProducer } from "../../src/index/index.ts";
import type { Blueprint, Container, EnvVar, ExternalSecret, ExternalSecretData, Generator, Named, Workload } from "../../src/index/model.ts";
import type { Reportable } from "../../src/language/source-code.ts";
import type { ParsedFile } from "../../src/parse/index.ts";
import type { TaggedNode } from "../../src/parse/yaml.ts";
import type { GitopsRule, UncertainOptions } from "../../src/rule.ts";
import { involving, ruleDocsUrl, uncertainDefaults, uncertainSchema } from "../../src/rule.ts";
import { closest } from "../../src/schema/suggest.ts";
import type { SourceRange } from "../../src/types.ts";

type MessageId =
  | "noEnvVar"
  | "noEnvVarWithDefault"
  | "noProducer"
  | "noProducerWithDefault"
  | "missingKey"
  | "keyNotProduced"
  | "missingKeyWithDefault"
  | "secretUnverifiable"
  | "secretOutsideRepo"
  | "envFromUnverifiable"
  | "noChartEnvVar"
  | "noChartEnvVarWithDefault"
  | "chartValuesUnverifiable";

const defaulted = " The !Env has a default, so this is a warning.";

const missingKeyMessage =
  'env var "{{name}}" reads Secret "{{secret}}" key "{{key}}", but {{producer}} ({{file}}) has no key "{{key}}" (its keys: {{keys}}): the worker cannot start without it. Add the key there, or correct the key name.';

// ── Fixes ──────────────────────────────────────────────────────────────────────────────────────

/** What a fix writes: edits of one file, at offsets of its text. */
interface FilePlan {
  file: ParsedFile;
  edits: Array<Insertion | Replacement>;
}

type RangeIn = (element: Reportable, file: ParsedFile) => SourceRange;

/** A value learned from one sibling (by its position), and how many name words the two share. */
interface Learned<T> {
  score: number;
  value: T;
  sibling: number;
}

/**
 * What the siblings closest to the new name agree on: the closest siblings vote, the later one
 * winning a tie (the newest entry shows the repo's current habit).
 */
function consensus<T>(candidates: ReadonlyArray<Learned<T>>): Learned<T> | undefined {
  const best = Math.max(...candidates.map((candidate) => candidate.score));
  const votes = new Map<string, number>();
  let chosen: Learned<T> | undefined;
  for (const candidate of candidates) {
    if (candidate.score !== best) continue;
    const id = JSON.stringify(candidate.value);
    const count = (votes.get(id) ?? 0) + 1;
    votes.set(id, count);
    if (!chosen || count >= (votes.get(JSON.stringify(chosen.value)) ?? 0)) chosen = candidate;
  }
  return chosen;
}

/**
 * The comment above a new entry, when every one of its closest siblings (two or more) carries a
 * comment of its own: the last one's, respelt for the new name (`# OAuth2 client for Grafana`).
 */
function learnedComment(text: string, siblings: ReadonlyArray<{ range: SourceRange; name: string }>, name: string): string[] | undefined {
  const last = siblings.at(-1);
  if (!last || siblings.length < 2) return undefined;
  const comments = siblings.map((sibling) => leadingComment(text, sibling.range));
  if (comments.some((comment) => comment.length === 0)) return undefined;
  const lines = comments.at(-1)!;
  const respelt = lines.map((line) => byAnalogy(last.name, line, name));
  return respelt.some((line) => line !== undefined) ? lines.map((line, index) => respelt[index] ?? line) : undefined;
}

function pairOf(map: unknown, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(map)) return undefined;
  return (map.items as Array<Pair<unknown, unknown>>).find((pair): pair is Pair<Node, Node | null> => isPair(pair) && text(pair.key) === key);
}

/** From an entry's key to the end of its value. */
function pairRange(pair: Pair<Node, Node | null>, file: ParsedFile, rangeIn: RangeIn): SourceRange {
  return [rangeIn(pair.key, file)[0], rangeIn(pair.value ?? pair.key, file)[1]];
}

/**
 * authentik reads its own settings from `AUTHENTIK_`-prefixed variables; the rest of the name
 * says what the value is: `AUTHENTIK_GRAFANA_CLIENT_SECRET` → `grafana-client-secret`.
 */
function defaultKey(name: string): string {
  const words = wordsOf(name);
  const named = words.length > 1 && words[0]!.toLowerCase() === "authentik" ? words.slice(1) : words;
  return named.map((word) => word.toLowerCase()).join("-");
}

interface SecretKeyChoice {
  secret: string;
  key: string;
  /** The siblings write `key:` before `name:`. */
  keyFirst: boolean;
}

/**
 * The Secret and key a new env var reads: the Secret of the siblings whose names share most with
 * it, and the key their names lead to (`AUTHENTIK_GRAFANA_CLIENT_SECRET` reads
 * `grafana-client-secret`, so `AUTHENTIK_ZOT_CLIENT_SECRET` reads `zot-client-secret`). With no
 * sibling to learn from, the default key, only where exactly one Secret of the namespace has it.
 */
function learnedSecretKey(
  index: RepoIndex,
  workload: Workload,
  siblings: ReadonlyArray<EnvVar & { name: Named }>,
  name: string,
  rangeIn: RangeIn,
): SecretKeyChoice | undefined {
  const learned = consensus(
    siblings.flatMap((env, sibling): Array<Learned<SecretKeyChoice>> => {
      const ref = env.secretKeyRef;
      if (!ref?.name || !ref.key || ref.optional) return [];
      const key = byAnalogy(env.name.value, ref.key.value, name);
      if (key === undefined) return [];
      const keyFirst = rangeIn(ref.key.node, workload.file)[0] < rangeIn(ref.name.node, workload.file)[0];
      return [{ score: sharedWords(env.name.value, name), value: { secret: ref.name.value, key, keyFirst }, sibling }];
    }),
  );
  if (learned) return learned.value;
  const key = defaultKey(name);
  const secrets = [...index.secretProducers.keys()].filter(
    (secret) => secretKeyStatus(index, secret, key, workload.namespace).status === "produced",
  );
  return secrets.length === 1 ? { secret: secrets[0]!, key, keyFirst: false } : undefined;
}

// A new `env:` goes after `envFrom`, else after the nearest of the fields Kubernetes lists before it.
const fieldsBeforeEnv = ["envFrom", "args", "command", "image", "name"];

/**
 * A new env entry on the worker container: after the last sibling whose name shares most words
 * with it (the last `AUTHENTIK_*_CLIENT_SECRET` for a client secret), else after the last entry,
 * else in a new `env:` after the fields that precede it.
 */
function envVarPlan(index: RepoIndex, workload: Workload, container: Container, name: string, rangeIn: RangeIn): FilePlan | undefined {
  const file = workload.file;
  const siblings = container.env.filter((env): env is EnvVar & { name: Named } => env.name !== undefined);
  // A name one or two letters off a set one is a misspelt !Env: a near twin would hide it.
  if (closest(name, siblings.map((env) => env.name.value)) !== undefined) return undefined;
  const choice = learnedSecretKey(index, workload, siblings, name, rangeIn);
  if (!choice) return undefined;
  const secretKeyRef: YamlMapping = choice.keyFirst ? { key: choice.key, name: choice.secret } : { name: choice.secret, key: choice.key };
  const entry: YamlMapping = { name, valueFrom: { secretKeyRef } };
  if (container.env.length > 0) {
    const best = Math.max(0, ...siblings.map((env) => sharedWords(env.name.value, name)));
    const group = best > 0 ? siblings.filter((env) => sharedWords(env.name.value, name) === best) : [];
    const anchor = group.at(-1) ?? container.env.at(-1)!;
    const previous = container.env[container.env.indexOf(anchor) - 1];
    const comment = learnedComment(file.text, group.map((env) => ({ range: rangeIn(env.node, file), name: env.name.value })), name);
    const options = { previous: previous && rangeIn(previous.node, file), comment };
    return { file, edits: [sequenceItemAfter(file.text, rangeIn(anchor.node, file), entry, options)] };
  }
  // `env: []` or an empty `env:`: rare enough not to guess how its author would fill it.
  if (pairOf(container.node, "env") !== undefined) return undefined;
  const after = fieldsBeforeEnv.map((key) => pairOf(container.node, key)).find((pair) => pair !== undefined);
  return after && { file, edits: [mappingEntryAfter(file.text, pairRange(after, file, rangeIn), "env", [entry])] };
}

/** With a template and the default merge policy (Replace) only templated keys reach the Secret. */
function templatesKeys(secret: ExternalSecret): boolean {
  return secret.templateKeys.length > 0 && secret.mergePolicy !== "Merge";
}

// How an item is read, the same for every item of a shape; `version` pins one item's history.
const remoteRefShape = new Set(["conversionStrategy", "decodingStrategy", "metadataPolicy"]);

/** A node as plain strings, sequences and mappings; undefined for anything else (an alias, a null). */
function plainValue(node: unknown): YamlValue | undefined {
  if (isSeq(node)) {
    const values = node.items.map(plainValue);
    return values.every((value) => value !== undefined) ? (values as YamlValue[]) : undefined;
  }
  if (isMap(node)) {
    const entries = node.items.map((pair) => [text(pair.key), plainValue(pair.value)] as const);
    return entries.every(([key, value]) => key !== undefined && value !== undefined) ? Object.fromEntries(entries) : undefined;
  }
  return text(node);
}

/**
 * A data item for `key` shaped like `item`: its `remoteRef` key and property respelt by analogy
 * (`grafana-client-secret` reads `{key: grafana-oidc, property: client-secret}`, so
 * `zot-client-secret` reads `{key: zot-oidc, property: client-secret}`), and anything else it
 * says about where to read (`sourceRef`) kept. Undefined when neither key nor property holds the
 * words that tell the two keys apart: the item would read the sibling's secret.
 */
function itemLike(item: ExternalSecretData, key: string): YamlMapping | undefined {
  const from = item.secretKey?.value;
  if (from === undefined) return undefined;
  let respelt = false;
  const entry: Record<string, YamlValue> = {};
  for (const pair of item.node.items) {
    const name = text(pair.key);
    if (name === "secretKey") {
      entry[name] = key;
    } else if (name === "remoteRef" && isMap(pair.value)) {
      const remoteRef: Record<string, string> = {};
      for (const inner of pair.value.items) {
        const setting = text(inner.key);
        const value = text(inner.value);
        if (setting === undefined || value === undefined) return undefined;
        if (setting === "key" || setting === "property") {
          const learned = byAnalogy(from, value, key);
          respelt ||= learned !== undefined;
          remoteRef[setting] = learned ?? value;
        } else if (remoteRefShape.has(setting)) {
          remoteRef[setting] = value;
        }
      }
      entry[name] = remoteRef;
    } else {
      const value = plainValue(pair.value);
      if (name === undefined || value === undefined) return undefined;
      entry[name] = value;
    }
  }
  return respelt ? entry : undefined;
}

/** A data item for `key` after the last sibling item of the same shape. */
function dataItemInsertion(secret: ExternalSecret, key: string, rangeIn: RangeIn): Insertion | undefined {
  const file = secret.file;
  const learned = consensus(
    secret.data.flatMap((item, sibling): Array<Learned<YamlMapping>> => {
      const value = itemLike(item, key);
      return value && item.secretKey ? [{ score: sharedWords(item.secretKey.value, key), value, sibling }] : [];
    }),
  );
  if (!learned) return undefined;
  const anchor = secret.data[learned.sibling]!;
  const previous = secret.data[learned.sibling - 1];
  const closest = secret.data.filter((item) => item.secretKey && sharedWords(item.secretKey.value, key) === learned.score);
  const comment = learnedComment(file.text, closest.map((item) => ({ range: rangeIn(item.node, file), name: item.secretKey!.value })), key);
  return sequenceItemAfter(file.text, rangeIn(anchor.node, file), learned.value, { previous: previous && rangeIn(previous.node, file), comment });
}

/** Whether a template mentions a data item's key as a whole name (`{{ .grafana_secret }}`). */
function mentions(template: string, input: string): boolean {
  return new RegExp(`(?<![\\w-])${input.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&")}(?![\\w-])`, "u").test(template);
}

/**
 * A `target.template.data` entry for `key`, respelt from the templated sibling closest to it,
 * and the data item its template reads (`grafana-client-secret: "{{ .grafana_client_secret }}"`
 * gives `zot-client-secret: "{{ .zot_client_secret }}"`, reading `zot_client_secret`).
 */
function templateEntry(secret: ExternalSecret, key: string, rangeIn: RangeIn): { insertion: Insertion; input: string } | undefined {
  const file = secret.file;
  const data = path(secret.node, "spec", "target", "template", "data");
  if (!isMap(data)) return undefined;
  const pairs = (data.items as Array<Pair<unknown, unknown>>).filter((pair): pair is Pair<Node, Node | null> => isPair(pair) && text(pair.key) !== undefined);
  const inputs = secret.data.flatMap((item) => (item.secretKey ? [item.secretKey.value] : []));
  const learned = consensus(
    pairs.flatMap((pair, sibling): Array<Learned<{ template: string; input: string }>> => {
      const name = text(pair.key)!;
      const template = text(pair.value);
      if (template === undefined) return [];
      const read = inputs.filter((input) => mentions(template, input)).sort((a, b) => b.length - a.length)[0];
      const written = byAnalogy(name, template, key);
      const input = read === undefined ? undefined : byAnalogy(name, read, key);
      return written && input ? [{ score: sharedWords(name, key), value: { template: written, input }, sibling }] : [];
    }),
  );
  if (!learned) return undefined;
  const anchor = pairs[learned.sibling]!;
  const previous = pairs[learned.sibling - 1];
  const closest = pairs.filter((pair) => sharedWords(text(pair.key)!, key) === learned.score);
  const comment = learnedComment(file.text, closest.map((pair) => ({ range: pairRange(pair, file, rangeIn), name: text(pair.key)! })), key);
  const options = { previous: previous && pairRange(previous, file, rangeIn), comment };
  return { insertion: mappingEntryAfter(file.text, pairRange(anchor, file, rangeIn), key, learned.value.template, options), input: learned.value.input };
}

/** The key added to an ExternalSecret: a data item, and the template entry where keys are templated. */
function addKeyPlan(secret: ExternalSecret, key: string, rangeIn: RangeIn): FilePlan | undefined {
  const file = secret.file;
  if (!templatesKeys(secret)) {
    const item = dataItemInsertion(secret, key, rangeIn);
    return item && { file, edits: [item] };
  }
  const entry = templateEntry(secret, key, rangeIn);
  if (!entry) return undefined;
  if (secret.data.some((item) => item.secretKey?.value === entry.input)) return { file, edits: [entry.insertion] };
  const item = dataItemInsertion(secret, entry.input, rangeIn);
  return item && { file, edits: [item, entry.insertion] };
}

/**
 * A misspelt key of an ExternalSecret renamed to the one the env var reads, unless a workload
 * reads the Secret under the misspelt name (or all of it through `envFrom`).
 */
function renamePlan(index: RepoIndex, secret: ExternalSecret, key: string, misspelt: string, rangeIn: RangeIn): FilePlan | undefined {
  const target = secret.targetName?.value;
  const readAsIs = [...index.workloads, ...chartWorkers(index).map((chart) => chart.workload)].some(
    (workload) =>
      sameNamespace(workload.namespace, secret.namespace) &&
      workload.containers.some(
        (container) =>
          container.env.some((env) => env.secretKeyRef?.name?.value === target && env.secretKeyRef?.key?.value === misspelt) ||
          container.envFrom.some((source) => source.secretRef?.value === target),
      ),
  );
  if (target === undefined || readAsIs) return undefined;
  const templated = secret.templateKeys.find((named) => named.value === misspelt);
  const node = templatesKeys(secret) ? templated : (secret.data.find((item) => item.secretKey?.value === misspelt)?.secretKey ?? templated);
  return node && { file: secret.file, edits: [replaceScalar(secret.file.text, rangeIn(node, secret.file), key)] };
}

const rule: GitopsRule<MessageId, [UncertainOptions?]> = {
  meta: {
    type: "problem",
    docs: {
      description: "Each `!Env` is set on the authentik worker from a Secret key that the repo produces",
      url: ruleDocsUrl("blueprint/env-wired"),
      recommended: true,
      // A key renamed to the one the env var reads may have been read under its old name.
      unsafeFixMessages: ["missingKey"],
      warningMessages: [
        "noEnvVarWithDefault",
        "noProducerWithDefault",
        "missingKeyWithDefault",
        "secretUnverifiable",
        "secretOutsideRepo",
        "envFromUnverifiable",
        "noChartEnvVarWithDefault",
        "chartValuesUnverifiable",
      ],
    },
    messages: {
      noEnvVar:
        'no env var "{{name}}" on container "{{container}}" ({{file}}): the authentik worker that applies this blueprint reads !Env from its own environment, so the value would be empty. Add "{{name}}" to that container\'s env with valueFrom.secretKeyRef.',
      noEnvVarWithDefault:
        'no env var "{{name}}" on container "{{container}}" ({{file}}): the authentik worker that applies this blueprint will use the !Env default. Add "{{name}}" to that container\'s env with valueFrom.secretKeyRef unless the default is meant.',
      noProducer:
        'env var "{{name}}" reads Secret "{{secret}}" key "{{key}}" ({{file}}), but no ExternalSecret produces "{{secret}}": the worker cannot start without it. Add an ExternalSecret whose target is "{{secret}}", or point secretKeyRef at a Secret that exists.',
      noProducerWithDefault:
        'env var "{{name}}" reads Secret "{{secret}}" key "{{key}}" ({{file}}), but no ExternalSecret produces "{{secret}}": the worker cannot start without it. Add an ExternalSecret whose target is "{{secret}}", or point secretKeyRef at a Secret that exists.' +
        defaulted,
      // The producer has a key within edit distance 2 of the one read: a misspelling.
      missingKey: missingKeyMessage,
      // The producer has no key like the one read: it is to be added.
      keyNotProduced: missingKeyMessage,
      missingKeyWithDefault: missingKeyMessage + defaulted,
      secretUnverifiable:
        'env var "{{name}}" reads Secret "{{secret}}" key "{{key}}", which {{producer}} ({{file}}) may produce through {{through}}: its keys cannot be listed, so this link is unverifiable.',
      secretOutsideRepo:
        'env var "{{name}}" reads Secret "{{secret}}" key "{{key}}" ({{file}}), and nothing in this repo produces "{{secret}}" (it has no ExternalSecret at all): if the Secret is created outside the repo this link is unverifiable; otherwise add an ExternalSecret for it.',
      envFromUnverifiable:
        '!Env "{{name}}" may come from envFrom {{source}} on container "{{container}}" ({{file}}), whose keys cannot be listed in this repo: this link is unverifiable.',
      noChartEnvVar:
        'no env var "{{name}}" on the authentik worker that {{install}} installs with the authentik chart (values: {{file}}): the worker that applies this blueprint reads !Env from its own environment, so the value would be empty. Add "{{name}}" to worker.env (or global.env) of those values with valueFrom.secretKeyRef.',
      noChartEnvVarWithDefault:
        'no env var "{{name}}" on the authentik worker that {{install}} installs with the authentik chart (values: {{file}}): the worker that applies this blueprint will use the !Env default. Add "{{name}}" to worker.env (or global.env) of those values with valueFrom.secretKeyRef unless the default is meant.',
      chartValuesUnverifiable:
        '!Env {{names}} of this blueprint: not in the worker env that the authentik chart values of {{install}} give (values: {{file}}), but {{through}} may set them and cannot be read in this repo: the link to the worker env is unverifiable.',
    },
    schema: uncertainSchema,
    defaultOptions: uncertainDefaults,
    fixable: "code",
  },
  create(context) {
    const { index } = context.sourceCode;

    function describe(producer: SecretProducer): { producer: string; file: string } {
      const name =
        producer.kind === "SecretGenerator" ? producer.generator.name?.value : producer.resource.name?.value;
      const kind = producer.kind === "SecretGenerator" ? "secretGenerator" : producer.kind;
      return { producer: `${kind} "${name ?? "?"}"`, file: producer.resource.file.relPath };
    }

    const rangeIn: RangeIn = (element, file) => context.sourceCode.getRangeIn(element, file);

    /** The fix writing a plan, in the file it names (inside ESLint, only in the linted file). */
    function fixOf(plan: FilePlan | undefined): ((fixer: RuleTextEditor) => RuleTextEdit[] | null) | undefined {
      if (!plan) return undefined;
      return (fixer) => {
        const editor = projectFixer(fixer)?.inFile(plan.file.relPath) ?? (plan.file.path === context.physicalFilename ? fixer : undefined);
        if (!editor) return null;
        return plan.edits.map((edit) =>
          "offset" in edit ? editor.insertTextAfterRange([edit.offset, edit.offset], edit.text) : editor.replaceTextRange(edit.range, edit.text),
        );
      };
    }

    /** The kustomizations whose configMapGenerator or secretGenerator makes the blueprint's holder: a link to the worker. */
    function generatorsOf(blueprint: Blueprint): ParsedFile[] {
      const makes = (generator: Generator): boolean => generator.files.includes(blueprint.file.relPath);
      return index
        .ofKind("Kustomization")
        .filter((kustomization) => kustomization.configMapGenerators.some(makes) || kustomization.secretGenerators.some(makes))
        .map((kustomization) => kustomization.file);
    }

    /**
     * The `!Env`s of a blueprint that a chart-installed worker's readable values do not set, when
     * some of its values cannot be read: one warning for the blueprint, at the first of them,
     * since they share one cause and one remedy (bring the values into the repo, or turn the
     * uncertain findings off).
     */
    const unsetByChart = new Map<Blueprint, Map<Worker["container"], { first: TaggedNode; names: string[] }>>();
    function unsetInChart(blueprint: Blueprint, worker: Worker): { first: TaggedNode; names: string[] } | undefined {
      let byWorker = unsetByChart.get(blueprint);
      if (!byWorker) {
        byWorker = new Map();
        unsetByChart.set(blueprint, byWorker);
      }
      let unset = byWorker.get(worker.container);
      if (!unset) {
        const names = new Set<string>();
        let first: TaggedNode | undefined;
        for (const tag of blueprint.tags) {
          const env = tag.tag === "!Env" ? envReference(tag) : undefined;
          if (!env || envSource(index, worker.workload, worker.container, env.name).kind !== "missing") continue;
          first ??= tag;
          names.add(env.name);
        }
        if (!first) return undefined;
        unset = { first, names: [...names] };
        byWorker.set(worker.container, unset);
      }
      return unset;
    }

    return {
      BlueprintTag(tag, blueprint) {
        if (tag.tag !== "!Env") return;
        const env = envReference(tag);
        if (!env) return;
        const { name, hasDefault } = env;
        for (const worker of authentikWorkers(index, blueprint)) {
          const { workload, container, chart } = worker;
          // The chain: the blueprint's ConfigMap generator, the worker (or the chart values that
          // make it), and the Secret's producer.
          const chain = [...generatorsOf(blueprint), ...(chart ? chart.files : [workload.file])];
          const report: typeof context.report = (descriptor) => context.report(involving(descriptor, chain));
          // A chart's worker is named by the values line that sets the link, a workload by its file.
          const where = (node?: object): string => (chart ? chart.where(node) : workload.file.relPath);
          const base = { name, container: container.name?.value ?? "?", file: where() };
          const source = envSource(index, workload, container, name);
          if (source.kind === "missing" && chart) {
            if (chart.unreadable) {
              const unset = unsetInChart(blueprint, worker);
              if (unset?.first !== tag) continue;
              const names = unset.names.map((unsetName) => `"${unsetName}"`).join(", ");
              report({ node: tag, messageId: "chartValuesUnverifiable", data: { names, install: chart.install, file: base.file, through: chart.unreadable } });
            } else {
              // Nothing is offered to fix: the env entry would go into chart values, not a workload.
              report({ node: tag, messageId: hasDefault ? "noChartEnvVarWithDefault" : "noChartEnvVar", data: { name, install: chart.install, file: base.file } });
            }
            continue;
          }
          if (source.kind === "missing") {
            // With a default, the default may be what is meant: adding the env var is not certain.
            if (hasDefault) report({ node: tag, messageId: "noEnvVarWithDefault", data: base });
            else report({ node: tag, messageId: "noEnvVar", data: base, fix: fixOf(envVarPlan(index, workload, container, name, rangeIn)) });
            continue;
          }
          if (source.kind === "unverifiable") {
            const ref = source.envFrom.secretRef
              ? `Secret "${source.envFrom.secretRef.value}"`
              : `ConfigMap "${source.envFrom.configMapRef?.value ?? "?"}"`;
            report({ node: tag, messageId: "envFromUnverifiable", data: { ...base, file: where(source.envFrom), source: ref } });
            continue;
          }
          if (source.kind !== "env") continue;
          const ref = source.env.secretKeyRef;
          if (!ref?.name || !ref.key || ref.optional) continue;
          const secret = { name, secret: ref.name.value, key: ref.key.value };
          const status = secretKeyStatus(index, ref.name.value, ref.key.value, workload.namespace);
          if (status.status !== "noProducer") chain.push(status.producer.resource.file);
          if (status.status === "noProducer") {
            // A repo without ExternalSecrets makes its Secrets some other way: not a broken link.
            const messageId = index.externalSecrets.length === 0 ? "secretOutsideRepo" : hasDefault ? "noProducerWithDefault" : "noProducer";
            report({ node: tag, messageId, data: { ...secret, file: where(source.env) } });
          } else if (status.status === "missingKey") {
            const keys = status.keys.length > 0 ? status.keys.map((key) => `"${key}"`).join(", ") : "none";
            const data = { ...secret, ...describe(status.producer), keys };
            const externalSecret = status.producer.kind === "ExternalSecret" ? status.producer.resource : undefined;
            const misspelt = closest(ref.key.value, status.keys);
            if (hasDefault) {
              report({ node: tag, messageId: "missingKeyWithDefault", data });
            } else if (misspelt !== undefined) {
              const plan = externalSecret && renamePlan(index, externalSecret, ref.key.value, misspelt, rangeIn);
              report({ node: tag, messageId: "missingKey", data, fix: fixOf(plan) });
            } else {
              const plan = externalSecret && addKeyPlan(externalSecret, ref.key.value, rangeIn);
              report({ node: tag, messageId: "keyNotProduced", data, fix: fixOf(plan) });
            }
          } else if (status.status === "unverifiable") {
            report({ node: tag, messageId: "secretUnverifiable", data: { ...secret, ...describe(status.producer), through: status.through } });
          }
        }
      },
    };
  },
};

export default rule;
