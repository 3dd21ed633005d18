/**
 * What the ESLint plugin's tests share (test/eslint.test.ts under Bun, test/eslint-node.test.ts
 * under Node): a copy of examples/homelab set up as docs/eslint.md tells a user to, and the
 * messages ESLint reports as comparable lines.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { homelab } from "./homelab.ts";

export const repoRoot = path.resolve(import.meta.dir, "../..");

export interface EslintWorkspace {
  /** The temporary directory: the repo and its node_modules. */
  work: string;
  /** The copy of examples/homelab, with the eslint.config.js of docs/eslint.md. */
  root: string;
  /** examples/homelab's settings, from its gitops-lint.config.yaml. */
  settings: Record<string, unknown>;
}

/**
 * A copy of examples/homelab with the config docs/eslint.md shows, as a user writes it: the
 * plugin is found through the package's `exports`, as from a repo that has gitops-lint (the
 * package at `packageDir`) in its node_modules. Remove `work` when done.
 */
export function eslintWorkspace(packageDir: string): EslintWorkspace {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-lint-eslint-"));
  const root = path.join(work, "homelab");
  fs.cpSync(homelab, root, { recursive: true });
  const settings = (parse(fs.readFileSync(path.join(root, "gitops-lint.config.yaml"), "utf8")) as { settings: Record<string, unknown> }).settings;
  fs.mkdirSync(path.join(work, "node_modules"));
  fs.symlinkSync(packageDir, path.join(work, "node_modules", "gitops-lint"), "dir");
  eslintWorkspaceConfig(root);
  return { work, root, settings };
}

/** Writes the eslint.config.js docs/eslint.md shows into `root`. */
export function eslintWorkspaceConfig(root: string): void {
  const docs = fs.readFileSync(path.join(repoRoot, "docs/eslint.md"), "utf8");
  fs.writeFileSync(path.join(root, "eslint.config.js"), /^```js\n([\s\S]*?)^```$/mu.exec(docs)![1]!);
}

/** ESLint's results, as its `ESLint` class returns them and `--format json` prints them. */
export interface Reported {
  filePath: string;
  messages: Array<{ ruleId: string | null; message: string; line: number; column: number; endLine?: number; endColumn?: number; fatal?: boolean }>;
}

/** One line per message: file (relative to `root`), span, rule id (without the plugin's prefix) and message. */
export function messageLines(root: string, results: readonly Reported[]): string[] {
  return results
    .flatMap((result) =>
      result.messages.map(
        (m) => `${path.relative(root, result.filePath)}:${m.line}:${m.column}${m.endLine === undefined ? "" : `-${m.endLine}:${m.endColumn}`} ${(m.ruleId ?? "").replace(/^gitops-lint\//u, "")} ${m.message}`,
      ),
    )
    .sort();
}

/** The Deployment whose issuer URL names a slug with a typo, and the messages ESLint reports in it. */
export const deployment = "argocd/manifests/miniflux/deployment.yaml";
export const slugTypo =
  'argocd/manifests/miniflux/deployment.yaml:37:61-37:68 oidc/issuer-slug authentik URL names application slug "minflux", which no blueprint declares: did you mean "miniflux" (argocd/manifests/authentik/configmap-blueprint.yaml:165)? authentik answers 404 under /application/o/ for a slug it does not know, so discovery and login fail. Correct the slug.';
export const slugUnknown =
  'argocd/manifests/miniflux/deployment.yaml:37:61-37:71 oidc/issuer-slug authentik URL names application slug "rss-reader", which no blueprint in the repo declares (declared slugs: "grafana", "forgejo", "miniflux", "immich"): if the application is made outside blueprints this link is unverifiable; otherwise correct the slug or declare the application.';
