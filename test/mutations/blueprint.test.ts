/**
 * Mistakes in the blueprints embedded in the authentik ConfigMap. Each of its block scalar styles
 * is covered, since a position inside the blueprint maps back to the outer file differently in
 * each: `|` (groups.yaml, grafana.yaml), `|-` (forgejo.yaml), `|2` (miniflux.yaml) and `|4`
 * (immich.yaml, whose content is indented two columns deeper than its blueprint).
 */
import { runMutations } from "./harness.ts";

const blueprints = "argocd/manifests/authentik/configmap-blueprint.yaml";

runMutations("mutations: blueprints in a ConfigMap, literal block `|`", [
  {
    name: "a misspelt attribute: client_secrets",
    file: blueprints,
    find: "client_secret: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET",
    replace: "client_secrets: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET",
    ruleId: "schema/blueprint",
    at: "51:11",
    messageId: "unknownFieldDidYouMean",
  },
  {
    name: "an entry state misspelt: state: presnt",
    file: blueprints,
    // Takes the blank line after the Grafana provider, so that every line keeps its number.
    find: "access_token_validity: minutes=10\n\n",
    replace: "access_token_validity: minutes=10\n        state: presnt\n",
    ruleId: "schema/blueprint",
    at: "64:16",
    messageId: "wrongValueDidYouMean",
  },
  {
    name: "an entry key misspelt: identifier",
    file: blueprints,
    find: "        identifiers:\n          name: admins",
    replace: "        identifier:\n          name: admins",
    ruleId: "schema/blueprint",
    at: "19:9",
    messageId: "unknownKeyDidYouMean",
  },
  {
    name: "an entry key misspelt: attr",
    file: blueprints,
    find: "        attrs:\n          name: family",
    replace: "        attr:\n          name: family",
    ruleId: "schema/blueprint",
    at: "30:9",
    messageId: "unknownKeyDidYouMean",
  },
  {
    name: "!KeyOf with a list",
    file: blueprints,
    find: "provider: !KeyOf grafana-provider",
    replace: "provider: !KeyOf [grafana-provider]",
    ruleId: "schema/blueprint",
    at: "71:21",
    messageId: "tagArguments",
  },
  {
    name: "!Find with a query pair not in brackets",
    file: blueprints,
    find: "invalidation_flow: !Find [authentik_flows.flow, [slug, default-provider-invalidation-flow]]",
    replace: "invalidation_flow: !Find [authentik_flows.flow, slug, default-provider-invalidation-flow]",
    ruleId: "schema/blueprint",
    at: "53:59",
    messageId: "tagArguments",
  },
  {
    name: "!Env of a misspelt variable",
    file: blueprints,
    find: "client_secret: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET",
    replace: "client_secret: !Env AUTHENTIK_GRAFANA_CLIENT_SECRT",
    ruleId: "blueprint/env-wired",
    at: "51:26",
    messageId: "noEnvVar",
  },
]);

runMutations("mutations: blueprints in a ConfigMap, strip block `|-`", [
  {
    name: "a wrong enum: matching_mode: exact",
    file: blueprints,
    find: "            - matching_mode: strict",
    replace: "            - matching_mode: exact",
    occurrence: 2,
    ruleId: "schema/blueprint",
    at: "110:30",
    messageId: "wrongValue",
  },
  {
    name: "a wrong enum: sub_mode: user_emial",
    file: blueprints,
    find: "sub_mode: hashed_user_id",
    replace: "sub_mode: user_emial",
    occurrence: 2,
    ruleId: "schema/blueprint",
    at: "112:21",
    messageId: "wrongValueDidYouMean",
  },
  {
    name: "identifiers missing (commented out)",
    file: blueprints,
    find: "        identifiers:\n          name: Forgejo",
    replace: "        # identifiers:\n        #   name: Forgejo",
    ruleId: "schema/blueprint",
    at: "93:9",
    messageId: "missingKey",
  },
  {
    name: "!Env with three items",
    file: blueprints,
    find: "client_secret: !Env AUTHENTIK_FORGEJO_CLIENT_SECRET",
    replace: "client_secret: !Env [AUTHENTIK_FORGEJO_CLIENT_SECRET, changeme, required]",
    ruleId: "schema/blueprint",
    at: "101:26",
    messageId: "tagArguments",
  },
  {
    name: "a blueprint version authentik does not read: version: 2",
    file: blueprints,
    find: "version: 1",
    replace: "version: 2",
    occurrence: 3,
    ruleId: "schema/blueprint",
    at: "88:14",
    messageId: "wrongValue",
  },
  {
    name: "!Find with only a model (bad arity)",
    file: blueprints,
    find: "group: !Find [authentik_core.group, [name, admins]]",
    replace: "group: !Find [authentik_core.group]",
    occurrence: 2,
    ruleId: "schema/blueprint",
    at: "128:18",
    messageId: "tagArguments",
  },
  {
    name: "!Find of an unknown model",
    file: blueprints,
    find: "signing_key: !Find [authentik_crypto.certificatekeypair",
    replace: "signing_key: !Find [authentik_crypto.certificatekeypairs",
    occurrence: 2,
    ruleId: "schema/blueprint",
    at: "104:31",
    messageId: "unknownModelDidYouMean",
  },
  {
    name: "!KeyOf of a misspelt id",
    file: blueprints,
    find: "target: !KeyOf forgejo-app",
    replace: "target: !KeyOf forgejo-ap",
    ruleId: "blueprint/keyof-defined",
    at: "127:19",
    messageId: "undefinedId",
  },
]);

runMutations("mutations: blueprints in a ConfigMap, indented block `|2`", [
  {
    name: "a wrong enum: client_type: secret",
    file: blueprints,
    find: "          client_type: confidential",
    replace: "          client_type: secret",
    occurrence: 3,
    ruleId: "schema/blueprint",
    at: "147:24",
    messageId: "wrongValue",
  },
  {
    name: "a misspelt attribute: authorisation_flow",
    file: blueprints,
    find: "authorization_flow:",
    replace: "authorisation_flow:",
    occurrence: 3,
    ruleId: "schema/blueprint",
    at: "150:11",
    messageId: "unknownFieldDidYouMean",
  },
  {
    name: "a misspelt metadata key: nmae",
    file: blueprints,
    find: "      name: Homelab - Miniflux",
    replace: "      nmae: Homelab - Miniflux",
    ruleId: "schema/blueprint",
    at: "138:7",
    messageId: "unknownKeyDidYouMean",
  },
  {
    name: "an enum in the wrong case: policy_engine_mode: ANY",
    file: blueprints,
    find: "          policy_engine_mode: any",
    replace: "          policy_engine_mode: ANY",
    occurrence: 3,
    ruleId: "schema/blueprint",
    at: "171:31",
    messageId: "wrongValueDidYouMean",
  },
  {
    name: "a boolean misspelt: negate: flase",
    file: blueprints,
    find: "          negate: false",
    replace: "          negate: flase",
    occurrence: 3,
    ruleId: "schema/blueprint",
    at: "180:19",
    messageId: "wrongType",
  },
]);

runMutations("mutations: blueprints in a ConfigMap, indented block `|4`", [
  {
    name: "an unknown model: authentik_core.aplication",
    file: blueprints,
    find: "        - model: authentik_core.application",
    replace: "        - model: authentik_core.aplication",
    ruleId: "schema/blueprint",
    at: "226:18",
    messageId: "unknownModelDidYouMean",
  },
  {
    name: "!Condition with an unknown mode",
    file: blueprints,
    find: "            enabled: true",
    replace: "            enabled: !Condition [AMD, true, true]",
    ruleId: "schema/blueprint",
    at: "243:34",
    messageId: "conditionModeDidYouMean",
  },
  {
    name: "an attribute far from every known one is a warning: logout_uri",
    file: blueprints,
    // Takes the blank line after the Immich provider, so that every line keeps its number.
    find: "            sub_mode: hashed_user_id\n\n",
    replace: "            sub_mode: hashed_user_id\n            logout_uri: https://photos.ops.eblu.me/auth/logout\n",
    ruleId: "schema/blueprint",
    at: "225:13",
    severity: 1,
    messageId: "unknownField",
  },
  {
    name: "an integer with a unit: timeout: 30s",
    file: blueprints,
    find: "            timeout: 30",
    replace: "            timeout: 30s",
    ruleId: "schema/blueprint",
    at: "245:22",
    messageId: "wrongType",
  },
]);

runMutations("mutations: a malformed !Env is one message, not also a changed env-wired one", [
  {
    name: "!Env with three items on a line env-wired already reports",
    file: "argocd/manifests/authentik/configmap-blueprint.yaml",
    find: "!Env AUTHENTIK_IMMICH_CLIENT_SECRET",
    replace: "!Env [AUTHENTIK_IMMICH_CLIENT_SECRET, a, b]",
    ruleId: "schema/blueprint",
    at: "209:28",
    messageId: "tagArguments",
  },
]);

runMutations("mutations: a blueprint whose envelope is misspelt is still a blueprint", [
  {
    name: "entrys: in a blueprint that declares authentik's schema",
    file: "argocd/manifests/authentik/configmap-blueprint.yaml",
    find: "      entries:",
    replace: "      entrys:",
    occurrence: 1,
    ruleId: "schema/blueprint",
    at: "198:7",
    messageId: "unknownKeyDidYouMean",
  },
]);
