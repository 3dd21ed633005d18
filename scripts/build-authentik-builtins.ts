/**
 * Derives `schemas/blueprint/builtins.json`: the objects authentik 2024.12.2 has without any
 * blueprint of the repo, which a `!Find` may look up (rule blueprint/find-resolves). Run
 * `bun scripts/build-authentik-builtins.ts` after replacing the reference; the output is
 * committed and nothing at run time reads `../shared`.
 *
 * - Every object a blueprint under `../shared/reference/authentik/blueprints/` declares
 *   (goauthentik/authentik `blueprints/`, as authentik ships them in `/blueprints`), read the way
 *   the rule reads the repo's own blueprints (`declaredObjects`): the model, the fields of
 *   `identifiers` and `attrs` written out (`!Context` resolved against the blueprint's context),
 *   and the fields known only at apply time. `state: absent` entries declare nothing. The
 *   example blueprints are kept although authentik applies them only where an admin
 *   instantiates one: a lookup of their objects is accepted, never reported.
 * - The objects authentik creates in code, not in those blueprints (`codeObjects`, each with
 *   the file of goauthentik/authentik that creates it).
 *
 * The rule imports this file's output, and this script imports the rule: a missing output is
 * restored by writing `{"objects": []}` to it first.
 */
import fs from "node:fs";
import path from "node:path";
import fg from "fast-glob";
import { isMap } from "yaml";
import { type BuiltinObject, declaredObjects } from "../rules/blueprint/find-resolves.ts";
import { RepoIndex } from "../src/index/index.ts";
import { field, text } from "../src/index/read.ts";
import { parseFile } from "../src/parse/index.ts";

const repoRoot = path.resolve(import.meta.dir, "..");
export const referencePath = path.resolve(import.meta.dir, "../../shared/reference/authentik");
export const outputPath = path.join(repoRoot, "schemas/blueprint/builtins.json");

const authentikVersion = "2024.12.2";

/**
 * Objects authentik 2024.12 creates in code, each found in goauthentik/authentik at the file
 * named. Fields that only authentik computes (a generated key) are left unresolved.
 */
const codeObjects: BuiltinObject[] = [
  {
    model: "authentik_crypto.certificatekeypair",
    fields: { name: "authentik Self-signed Certificate" },
    unresolved: ["certificate_data", "key_data"],
    kind: "code",
    from: "authentik/crypto/apps.py",
    note: "AuthentikCryptoConfig.self_signed: generated at startup when no keypair has this name; the default signing key of OAuth2 providers.",
  },
  {
    model: "authentik_crypto.certificatekeypair",
    fields: { name: "authentik Internal JWT Certificate", managed: "goauthentik.io/crypto/jwt-managed" },
    unresolved: ["certificate_data", "key_data"],
    kind: "code",
    from: "authentik/crypto/apps.py",
    note: "AuthentikCryptoConfig.managed_jwt_cert: generated at startup when no keypair is managed as goauthentik.io/crypto/jwt-managed.",
  },
  {
    model: "authentik_brands.brand",
    fields: { domain: "authentik-default", default: true },
    unresolved: [],
    kind: "code",
    from: "authentik/tenants/migrations/0002_default.py",
    note: "create_default_tenant made it on installs from before the default brand blueprint; authentik 2023.12 turned tenants into brands (authentik_tenants 0005_tenant_to_brand). New installs get it from blueprints/default/default-brand.yaml.",
  },
  {
    model: "authentik_core.source",
    fields: { name: "authentik Built-in", slug: "authentik-built-in", managed: "goauthentik.io/sources/inbuilt" },
    unresolved: [],
    kind: "code",
    from: "authentik/core/apps.py",
    note: "AuthentikCoreConfig.source_inbuilt: reconciled at startup for every tenant.",
  },
  {
    model: "authentik_outposts.outpost",
    fields: { name: "authentik Embedded Outpost", managed: "goauthentik.io/outposts/embedded", type: "proxy" },
    unresolved: [],
    kind: "code",
    from: "authentik/outposts/apps.py",
    note: "AuthentikOutpostConfig.embedded_outpost: reconciled at startup for every tenant, unless outposts.disable_embedded_outpost is set.",
  },
  {
    model: "authentik_outposts.kubernetesserviceconnection",
    fields: { name: "Local Kubernetes Cluster", local: true },
    unresolved: [],
    kind: "code",
    from: "authentik/outposts/tasks.py",
    note: "outpost_connection_discovery: created where authentik runs in Kubernetes with a service account token mounted and outposts.discover on.",
  },
  {
    model: "authentik_outposts.dockerserviceconnection",
    fields: { name: "Local Docker connection", local: true, url: "/var/run/docker.sock" },
    unresolved: [],
    kind: "code",
    from: "authentik/outposts/tasks.py",
    note: "outpost_connection_discovery: created where the Docker socket is mounted and readable and outposts.discover on.",
  },
];

/** A blueprint label's value, as written. */
function label(node: unknown, name: string): string | undefined {
  const labels = field(field(node, "metadata"), "labels");
  return isMap(labels) ? text(field(labels, name)) : undefined;
}

/** The output's text, from the reference's blueprint files (paths relative to the reference). */
export function buildBuiltins(files: ReadonlyArray<{ relPath: string; text: string }>): string {
  const parsed = [...files]
    .sort((a, b) => a.relPath.localeCompare(b.relPath))
    .map((file) => parseFile({ path: file.relPath, relPath: file.relPath, kind: "yaml" }, file.text));
  const index = new RepoIndex(parsed);
  const objects: BuiltinObject[] = [];
  for (const blueprint of index.blueprints) {
    const example = label(blueprint.node, "blueprints.goauthentik.io/instantiate") === "false";
    for (const { entry, ...object } of declaredObjects(blueprint)) {
      const notes = [
        ...(example ? ["An example blueprint (instantiate: false): the object exists only where an admin applied it."] : []),
        ...(entry.conditions ? ["Applied only when the entry's conditions hold."] : []),
      ];
      objects.push({ ...object, kind: "blueprint", from: blueprint.file.relPath, ...(notes.length > 0 ? { note: notes.join(" ") } : {}) });
    }
  }
  objects.push(...codeObjects);
  return `${JSON.stringify(
    {
      source: "goauthentik/authentik: blueprints/ (../shared/reference/authentik/blueprints) and the objects its code creates",
      authentikVersion,
      description:
        "Objects authentik has without any blueprint of the repo: what its own blueprints declare and what its code creates. Per object: its model, the fields written out, the fields known only at apply time (unresolved: they match any value), and where it comes from.",
      objects,
    },
    null,
    2,
  )}\n`;
}

/** The reference's blueprint files, as `buildBuiltins` takes them. */
export function referenceFiles(): Array<{ relPath: string; text: string }> {
  return fg
    .sync("blueprints/**/*.yaml", { cwd: referencePath })
    .map((relPath) => ({ relPath, text: fs.readFileSync(path.join(referencePath, relPath), "utf8") }));
}

if (import.meta.main) {
  const output = buildBuiltins(referenceFiles());
  fs.writeFileSync(outputPath, output);
  console.log(`${path.relative(repoRoot, outputPath)}: ${output.length} bytes`);
}
