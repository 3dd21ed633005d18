/**
 * `!Env X` in a blueprint is read from the environment of the authentik worker that applies it.
 * The chain is: an env var X on the worker container → a Secret key (`secretKeyRef`, or
 * `envFrom`) → something in the repo producing that Secret key (an ExternalSecret's `data` item
 * or template key, a Secret, a SealedSecret, a kustomize secretGenerator). The first broken link
 * is reported at the `!Env`, naming the file where the next link should be.
 */
import { isScalar, isSeq } from "yaml";
import { text } from "../../src/index/read.ts";
import { authentikWorkers, envSource, secretKeyStatus } from "../../src/index/wiring.ts";
import type { SecretProducer } from "../../src/index/index.ts";
import type { TaggedNode } from "../../src/parse/yaml.ts";
import type { GitopsRule } from "../../src/rule.ts";
import { ruleDocsUrl } from "../../src/rule.ts";

type MessageId =
  | "noEnvVar"
  | "noEnvVarWithDefault"
  | "noProducer"
  | "noProducerWithDefault"
  | "missingKey"
  | "missingKeyWithDefault"
  | "secretUnverifiable"
  | "secretOutsideRepo"
  | "envFromUnverifiable";

const defaulted = " The !Env has a default, so this is a warning.";

const rule: GitopsRule<MessageId> = {
  meta: {
    type: "problem",
    docs: {
      description: "Each `!Env` is set on the authentik worker from a Secret key that the repo produces",
      url: ruleDocsUrl("blueprint/env-wired"),
      recommended: true,
      warningMessages: [
        "noEnvVarWithDefault",
        "noProducerWithDefault",
        "missingKeyWithDefault",
        "secretUnverifiable",
        "secretOutsideRepo",
        "envFromUnverifiable",
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
      missingKey:
        'env var "{{name}}" reads Secret "{{secret}}" key "{{key}}", but {{producer}} ({{file}}) has no key "{{key}}" (its keys: {{keys}}): the worker cannot start without it. Add the key there, or correct the key name.',
      missingKeyWithDefault:
        'env var "{{name}}" reads Secret "{{secret}}" key "{{key}}", but {{producer}} ({{file}}) has no key "{{key}}" (its keys: {{keys}}): the worker cannot start without it. Add the key there, or correct the key name.' +
        defaulted,
      secretUnverifiable:
        'env var "{{name}}" reads Secret "{{secret}}" key "{{key}}", which {{producer}} ({{file}}) may produce through {{through}}: its keys cannot be listed, so this link is unverifiable.',
      secretOutsideRepo:
        'env var "{{name}}" reads Secret "{{secret}}" key "{{key}}" ({{file}}), and nothing in this repo produces "{{secret}}" (it has no ExternalSecret at all): if the Secret is created outside the repo this link is unverifiable; otherwise add an ExternalSecret for it.',
      envFromUnverifiable:
        '!Env "{{name}}" may come from envFrom {{source}} on container "{{container}}" ({{file}}), whose keys cannot be listed in this repo: this link is unverifiable.',
    },
    schema: [],
  },
  create(context) {
    const { index } = context.sourceCode;

    function envName(tag: TaggedNode): { name: string; hasDefault: boolean } | undefined {
      if (isScalar(tag.node)) {
        const name = tag.node.value;
        return typeof name === "string" ? { name, hasDefault: false } : undefined;
      }
      // `!Env [NAME, default]` and nothing else: schema/blueprint reports any other shape, and
      // what authentik would read from it is not for this rule to guess.
      if (!isSeq(tag.node) || tag.node.items.length > 2) return undefined;
      const name = text(tag.node.items[0]);
      return name === undefined ? undefined : { name, hasDefault: tag.node.items.length > 1 };
    }

    function describe(producer: SecretProducer): { producer: string; file: string } {
      const name =
        producer.kind === "SecretGenerator" ? producer.generator.name?.value : producer.resource.name?.value;
      const kind = producer.kind === "SecretGenerator" ? "secretGenerator" : producer.kind;
      return { producer: `${kind} "${name ?? "?"}"`, file: producer.resource.file.relPath };
    }

    return {
      BlueprintTag(tag, blueprint) {
        if (tag.tag !== "!Env") return;
        const env = envName(tag);
        if (!env) return;
        const { name, hasDefault } = env;
        for (const { workload, container } of authentikWorkers(index, blueprint)) {
          const base = { name, container: container.name?.value ?? "?", file: workload.file.relPath };
          const source = envSource(index, workload, container, name);
          if (source.kind === "missing") {
            context.report({ node: tag, messageId: hasDefault ? "noEnvVarWithDefault" : "noEnvVar", data: base });
            continue;
          }
          if (source.kind === "unverifiable") {
            const ref = source.envFrom.secretRef
              ? `Secret "${source.envFrom.secretRef.value}"`
              : `ConfigMap "${source.envFrom.configMapRef?.value ?? "?"}"`;
            context.report({ node: tag, messageId: "envFromUnverifiable", data: { ...base, source: ref } });
            continue;
          }
          if (source.kind !== "env") continue;
          const ref = source.env.secretKeyRef;
          if (!ref?.name || !ref.key || ref.optional) continue;
          const secret = { name, secret: ref.name.value, key: ref.key.value };
          const status = secretKeyStatus(index, ref.name.value, ref.key.value, workload.namespace);
          if (status.status === "noProducer") {
            // A repo without ExternalSecrets makes its Secrets some other way: not a broken link.
            const messageId = index.externalSecrets.length === 0 ? "secretOutsideRepo" : hasDefault ? "noProducerWithDefault" : "noProducer";
            context.report({ node: tag, messageId, data: { ...secret, file: workload.file.relPath } });
          } else if (status.status === "missingKey") {
            const keys = status.keys.length > 0 ? status.keys.map((key) => `"${key}"`).join(", ") : "none";
            context.report({
              node: tag,
              messageId: hasDefault ? "missingKeyWithDefault" : "missingKey",
              data: { ...secret, ...describe(status.producer), keys },
            });
          } else if (status.status === "unverifiable") {
            context.report({ node: tag, messageId: "secretUnverifiable", data: { ...secret, ...describe(status.producer), through: status.through } });
          }
        }
      },
    };
  },
};

export default rule;
