/**
 * An application's `provider` is the primary key of a provider: authentik's serializer looks it
 * up among providers, so a `!KeyOf` or `!Find` of anything else fails the blueprint (or links
 * whichever provider happens to have that number). A provider that no application refers to
 * serves no login at all, which is a warning: its application may be made outside blueprints.
 */
import { applicationsOf, isProviderModel, providerModels } from "../../src/index/applications.ts";
import type { Blueprint, BlueprintEntry } from "../../src/index/model.ts";
import { field, text } from "../../src/index/read.ts";
import type { GitopsRule, UncertainOptions } from "../../src/rule.ts";
import { ruleDocsUrl, uncertainDefaults, uncertainSchema } from "../../src/rule.ts";

type MessageId = "notProvider" | "findNotProvider" | "unusedProvider";

const rule: GitopsRule<MessageId, [UncertainOptions?]> = {
  meta: {
    type: "problem",
    docs: {
      description: "An application's `provider` refers to a provider entry, and every provider has an application",
      url: ruleDocsUrl("oidc/application-provider"),
      recommended: true,
      warningMessages: ["unusedProvider"],
    },
    messages: {
      notProvider:
        'provider: !KeyOf "{{id}}" refers to the {{model}} entry at line {{line}}, which is not a provider: authentik rejects an application whose provider is not one (or links whichever provider has the same number). Refer to a provider entry instead ({{available}}).',
      findNotProvider:
        'provider: !Find looks up an object of model {{model}}, which is not a provider: authentik rejects an application whose provider is not one. Look up the provider instead, e.g. !Find [authentik_providers_oauth2.oauth2provider, [name, …]] (provider models: {{models}}).',
      unusedProvider:
        '{{model}} {{name}} is the provider of no application in the repo: authentik serves no login through a provider without an application. Add an authentik_core.application whose provider is {{reference}}, or remove the provider if its application is made outside blueprints.',
    },
    schema: uncertainSchema,
    defaultOptions: uncertainDefaults,
  },
  create(context) {
    const { sourceCode } = context;
    const applications = applicationsOf(sourceCode.index);

    /** The provider ids of a blueprint, for the hint of a wrong `!KeyOf`. */
    function providerIds(blueprint: Blueprint): string {
      const ids = [
        ...new Set(
          blueprint.entries.flatMap((entry) =>
            entry.id && entry.model && isProviderModel(entry.model.value) ? [`"${entry.id.value}"`] : [],
          ),
        ),
      ];
      return ids.length > 0 ? `provider ids of this blueprint: ${ids.join(", ")}` : "no entry of this blueprint is a provider";
    }

    function providerName(entry: BlueprintEntry): string {
      const name = text(field(entry.identifiers, "name")) ?? text(field(entry.attrs, "name"));
      if (name !== undefined) return `"${name}"`;
      return entry.id ? `with id "${entry.id.value}"` : `at line ${sourceCode.getLoc(entry.node).start.line}`;
    }

    return {
      BlueprintEntry(entry, blueprint) {
        for (const problem of applications.providerProblems.get(entry) ?? []) {
          if (problem.kind === "notProvider") {
            const line = sourceCode.getLoc(problem.target.id?.node ?? problem.target.model.node).start.line;
            const tag = blueprint.tags.find((candidate) => candidate.node === problem.node);
            context.report({
              node: tag ?? problem.node,
              messageId: "notProvider",
              data: { id: problem.id, model: problem.target.model.value, line, available: providerIds(blueprint) },
            });
          } else {
            context.report({
              node: problem.model,
              messageId: "findNotProvider",
              data: { model: problem.model.value, models: providerModels.join(", ") },
            });
          }
        }
        if (applications.unusedProviders.has(entry) && entry.model) {
          const reference = entry.id ? `!KeyOf ${entry.id.value}` : `a !Find of this provider`;
          context.report({
            node: entry.model,
            messageId: "unusedProvider",
            data: { model: entry.model.value, name: providerName(entry), reference },
          });
        }
      },
    };
  },
};

export default rule;
