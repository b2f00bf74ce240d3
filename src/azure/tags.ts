/** Azure tags of a resource, name to value. */
export type ResourceTags = { readonly [name: string]: string };

/** The `tags` attribute of a resource: left out when there are none, so an untagged fleet writes no empty maps. */
export function tagsAttribute(tags: ResourceTags | undefined): ResourceTags | undefined {
  return tags && Object.keys(tags).length > 0 ? tags : undefined;
}
