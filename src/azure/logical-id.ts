/**
 * Construct id of the provider resource inside each construct of this folder. cdktf leaves `Default`
 * out of Terraform logical IDs, so the resource is addressed by its wrapper's id: the plan's `logicalId`.
 */
export const RESOURCE_ID = 'Default';
