/**
 * Authentik's blueprint YAML tags. authentik resolves them at apply time
 * (authentik/blueprints/v1/common.py); here they are only recognised, so that the `yaml` parser
 * keeps each tagged node as it is written: its tag, its arguments and its range.
 */
import type { CollectionTag, ScalarTag } from "yaml";

export const authentikTags = [
  "!KeyOf",
  "!Env",
  "!Find",
  "!FindObject",
  "!Context",
  "!Format",
  "!If",
  "!Condition",
  "!Enumerate",
  "!Index",
  "!Value",
  "!AtIndex",
  "!ParseJSON",
  "!File",
] as const;

export type AuthentikTag = (typeof authentikTags)[number];

const tagNames: ReadonlySet<string> = new Set(authentikTags);

export function isAuthentikTag(tag: string | undefined): tag is AuthentikTag {
  return tag !== undefined && tagNames.has(tag);
}

/**
 * Every tag accepts a scalar, a sequence or a mapping: what each tag's arguments must be is a
 * schema question (one message at the right node), not a parse error.
 */
export const authentikCustomTags: Array<ScalarTag | CollectionTag> = authentikTags.flatMap((tag) => [
  { tag, identify: () => false, resolve: (value: string) => value } satisfies ScalarTag,
  { tag, collection: "seq", identify: () => false, resolve: (seq) => seq } satisfies CollectionTag,
  { tag, collection: "map", identify: () => false, resolve: (map) => map } satisfies CollectionTag,
]);
