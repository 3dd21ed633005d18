/**
 * Every rule, by id. The id is the rule's file path under `rules/` without its extension.
 */
import type { GitopsRule } from "../src/rule.ts";
import envWired from "./blueprint/env-wired.ts";
import keyofDefined from "./blueprint/keyof-defined.ts";
import uniqueIds from "./blueprint/unique-ids.ts";
import schemaAnsible from "./schema/ansible.ts";
import schemaBlueprint from "./schema/blueprint.ts";
import schemaExternalSecret from "./schema/external-secret.ts";
import schemaIngress from "./schema/ingress.ts";
import schemaKustomization from "./schema/kustomization.ts";
import schemaSecretStore from "./schema/secret-store.ts";
import schemaWorkload from "./schema/workload.ts";

export const rules: Record<string, GitopsRule> = {
  "blueprint/env-wired": envWired as GitopsRule,
  "blueprint/keyof-defined": keyofDefined as GitopsRule,
  "blueprint/unique-ids": uniqueIds as GitopsRule,
  "schema/ansible": schemaAnsible as GitopsRule,
  "schema/blueprint": schemaBlueprint as GitopsRule,
  "schema/external-secret": schemaExternalSecret as GitopsRule,
  "schema/ingress": schemaIngress as GitopsRule,
  "schema/kustomization": schemaKustomization as GitopsRule,
  "schema/secret-store": schemaSecretStore as GitopsRule,
  "schema/workload": schemaWorkload as GitopsRule,
};
