/**
 * The source code object rules see, shaped as `@eslint/core`'s `TextSourceCode` so that the same
 * rules can run inside ESLint through a language plugin. Traversal emits one call step per
 * resource: rules subscribe by resource kind, not by YAML node type.
 */
import type { CallTraversalStep, TextSourceCode } from "@eslint/core";
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import type { RepoIndex } from "../index/index.ts";
import type {
  AnsiblePlaybook,
  Blueprint,
  BlueprintEntry,
  ConfigMap,
  ExternalSecret,
  HTTPRoute,
  Ingress,
  KubernetesSecret,
  Kustomization,
  Named,
  SecretStore,
  Workload,
} from "../index/model.ts";
import type { ParsedFile } from "../parse/index.ts";
import { locationOf, type SourceMapper, trimEnd } from "../parse/source.ts";
import { sourceOfNode, type TaggedNode, type YamlDocument } from "../parse/yaml.ts";
import type { SourceLocation, SourceRange } from "../types.ts";

/** What a rule may report at: a YAML node, a tagged node (from its `!`), or a named value. */
export type Reportable = Node | TaggedNode | Named;

/** The visitor methods a rule may return, one per event of the traversal. */
export type GitopsVisitor = {
  File?: (file: ParsedFile) => void;
  "File:exit"?: (file: ParsedFile) => void;
  /** Each YAML document, ConfigMap-embedded blueprints included (after their ConfigMap). */
  Document?: (document: YamlDocument) => void;
  "Document:exit"?: (document: YamlDocument) => void;
  /** YAML nodes, in document order, within each `Document`. */
  Map?: (node: YAMLMap, document: YamlDocument) => void;
  Seq?: (node: YAMLSeq, document: YamlDocument) => void;
  Scalar?: (node: Scalar, document: YamlDocument) => void;
  Blueprint?: (blueprint: Blueprint) => void;
  "Blueprint:exit"?: (blueprint: Blueprint) => void;
  BlueprintEntry?: (entry: BlueprintEntry, blueprint: Blueprint) => void;
  BlueprintTag?: (tag: TaggedNode, blueprint: Blueprint) => void;
  ExternalSecret?: (resource: ExternalSecret) => void;
  SecretStore?: (resource: SecretStore) => void;
  Workload?: (resource: Workload) => void;
  ConfigMap?: (resource: ConfigMap) => void;
  Secret?: (resource: KubernetesSecret) => void;
  Ingress?: (resource: Ingress) => void;
  HTTPRoute?: (resource: HTTPRoute) => void;
  Kustomization?: (resource: Kustomization) => void;
  AnsiblePlaybook?: (playbook: AnsiblePlaybook) => void;
  AnsibleTemplate?: (file: ParsedFile) => void;
};

export type GitopsEvent = keyof GitopsVisitor;

const resourceEvents: Record<string, GitopsEvent> = {
  ExternalSecret: "ExternalSecret",
  SecretStore: "SecretStore",
  ClusterSecretStore: "SecretStore",
  Deployment: "Workload",
  StatefulSet: "Workload",
  DaemonSet: "Workload",
  ConfigMap: "ConfigMap",
  Secret: "Secret",
  SealedSecret: "Secret",
  Ingress: "Ingress",
  HTTPRoute: "HTTPRoute",
  Kustomization: "Kustomization",
};

function isTagged(value: Reportable): value is TaggedNode {
  return "tag" in value && "args" in value && "range" in value && "node" in value;
}

function isNamed(value: Reportable): value is Named {
  return !isTagged(value) && "value" in value && "node" in value && !isScalar(value) && !isPair(value);
}

function step(target: GitopsEvent, ...args: unknown[]): CallTraversalStep {
  return { kind: 2, target, args };
}

/** Every node of a document in document order, without recursion. */
function* nodeSteps(document: YamlDocument): Iterable<CallTraversalStep> {
  const stack: unknown[] = [document.doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.value, node.key);
    } else if (isMap(node) || isSeq(node)) {
      yield step(isMap(node) ? "Map" : "Seq", node, document);
      for (let index = node.items.length - 1; index >= 0; index--) stack.push(node.items[index]);
    } else if (isScalar(node)) {
      yield step("Scalar", node, document);
    }
  }
}

export class GitopsSourceCode
  implements TextSourceCode<{ LangOptions: Record<string, unknown>; RootNode: ParsedFile; SyntaxElementWithLoc: Reportable; ConfigNode: never }>
{
  readonly ast: ParsedFile;
  readonly text: string;

  constructor(
    readonly file: ParsedFile,
    /** The whole repo, built once per run: rules join across files through it. */
    readonly index: RepoIndex,
  ) {
    this.ast = file;
    this.text = file.text;
  }

  /**
   * The mapper and inner range of a reportable value. A node of a file's own text has no entry
   * in the node map: it belongs to `file` (the linted file, unless a fix edits another one).
   */
  private resolve(element: Reportable, file: ParsedFile = this.file): { mapper: SourceMapper; range: SourceRange } {
    if (isTagged(element)) return { mapper: sourceOfNode(element.node) ?? file.source, range: element.range };
    const node = isNamed(element) ? element.node : element;
    const range = (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node) ? node.range : undefined) ?? [0, 0];
    const mapper = sourceOfNode(node) ?? file.source;
    return { mapper, range: [range[0], trimEnd(mapper.text, range[0], range[1])] };
  }

  getLoc(element: Reportable): SourceLocation {
    const { mapper, range } = this.resolve(element);
    return locationOf(mapper, range);
  }

  getRange(element: Reportable): SourceRange {
    return this.getRangeIn(element, this.file);
  }

  /** The file offsets of a value of `file` (for fixes that edit another file). */
  getRangeIn(element: Reportable, file: ParsedFile): SourceRange {
    const { mapper, range } = this.resolve(element, file);
    return [mapper.fileOffset(range[0]), mapper.fileOffset(range[1])];
  }

  /**
   * The events of this file. `wanted` lets the engine skip what no rule listens to (the YAML
   * node walk above all); ESLint calls it without, and gets every event.
   */
  *traverse(wanted?: ReadonlySet<string>): Iterable<CallTraversalStep> {
    const views = this.index.viewsOf(this.file);
    yield step("File", this.file);
    const nodes = !wanted || ["Map", "Seq", "Scalar"].some((event) => wanted.has(event));
    if (!wanted || nodes || wanted.has("Document") || wanted.has("Document:exit")) {
      for (const document of [...this.file.documents, ...this.file.embedded]) {
        yield step("Document", document);
        if (nodes) yield* nodeSteps(document);
        yield step("Document:exit", document);
      }
    }
    for (const blueprint of views.blueprints) {
      yield step("Blueprint", blueprint);
      for (const entry of blueprint.entries) yield step("BlueprintEntry", entry, blueprint);
      for (const tag of blueprint.tags) yield step("BlueprintTag", tag, blueprint);
      yield step("Blueprint:exit", blueprint);
    }
    for (const resource of views.resources) {
      const event = resourceEvents[resource.kind];
      if (event) yield step(event, resource);
    }
    for (const playbook of views.playbooks) yield step("AnsiblePlaybook", playbook);
    if (this.file.kind === "template") yield step("AnsibleTemplate", this.file);
    yield step("File:exit", this.file);
  }
}
