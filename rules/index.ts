/**
 * Every rule, by id. The id is the rule's file path under `rules/` without its extension.
 */
import type { GitopsRule } from "../src/rule.ts";
import ansibleOpReference from "./ansible/op-reference.ts";
import ansibleTemplateExists from "./ansible/template-exists.ts";
import envWired from "./blueprint/env-wired.ts";
import findResolves from "./blueprint/find-resolves.ts";
import keyofDefined from "./blueprint/keyof-defined.ts";
import noLiteralSecrets from "./blueprint/no-literal-secrets.ts";
import uniqueIds from "./blueprint/unique-ids.ts";
import externalSecretOnePasswordRef from "./external-secret/onepassword-ref.ts";
import externalSecretStoreExists from "./external-secret/store-exists.ts";
import kustomizeResourcesExist from "./kustomize/resources-exist.ts";
import oidcApplicationProvider from "./oidc/application-provider.ts";
import oidcClientWiring from "./oidc/client-wiring.ts";
import oidcIssuerSlug from "./oidc/issuer-slug.ts";
import oidcRedirectUriHost from "./oidc/redirect-uri-host.ts";
import schemaAnsible from "./schema/ansible.ts";
import schemaBlueprint from "./schema/blueprint.ts";
import schemaExternalSecret from "./schema/external-secret.ts";
import schemaIngress from "./schema/ingress.ts";
import schemaKustomization from "./schema/kustomization.ts";
import schemaSecretStore from "./schema/secret-store.ts";
import schemaWorkload from "./schema/workload.ts";

export const rules: Record<string, GitopsRule> = {
  "ansible/op-reference": ansibleOpReference as GitopsRule,
  "ansible/template-exists": ansibleTemplateExists as GitopsRule,
  "blueprint/env-wired": envWired as GitopsRule,
  "blueprint/find-resolves": findResolves as GitopsRule,
  "blueprint/keyof-defined": keyofDefined as GitopsRule,
  "blueprint/no-literal-secrets": noLiteralSecrets as GitopsRule,
  "blueprint/unique-ids": uniqueIds as GitopsRule,
  "external-secret/onepassword-ref": externalSecretOnePasswordRef as GitopsRule,
  "external-secret/store-exists": externalSecretStoreExists as GitopsRule,
  "kustomize/resources-exist": kustomizeResourcesExist as GitopsRule,
  "oidc/application-provider": oidcApplicationProvider as GitopsRule,
  "oidc/client-wiring": oidcClientWiring as GitopsRule,
  "oidc/issuer-slug": oidcIssuerSlug as GitopsRule,
  "oidc/redirect-uri-host": oidcRedirectUriHost as GitopsRule,
  "schema/ansible": schemaAnsible as GitopsRule,
  "schema/blueprint": schemaBlueprint as GitopsRule,
  "schema/external-secret": schemaExternalSecret as GitopsRule,
  "schema/ingress": schemaIngress as GitopsRule,
  "schema/kustomization": schemaKustomization as GitopsRule,
  "schema/secret-store": schemaSecretStore as GitopsRule,
  "schema/workload": schemaWorkload as GitopsRule,
};
