import { runMutations } from "./harness.ts";

const blueprints = "argocd/manifests/authentik/configmap-blueprint.yaml";

runMutations("mutations: blueprints in a ConfigMap", [
  {
    name: "a misspelt attribute: client_secrets",
    file: blueprints,
    find: "client_secret: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET",
    replace: "client_secrets: !Env AUTHENTIK_GRAFANA_CLIENT_SECRET",
    ruleId: "schema/blueprint",
    at: "51:11",
  },
]);
