/**
 * The names both sides and `check` must spell alike: the subject of a service account's tokens, and the
 * Terraform outputs that carry what exists only after apply (synth writes them, `--outputs` reads them back).
 */

/** The `sub` claim of a service account's tokens, and so the subject of its FIC (kube-apiserver's format). */
export function serviceAccountSubject(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

const SUBJECT = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** The service account a subject names, or undefined when it is not of that form. */
export function parseSubject(subject: string): { namespace: string; name: string } | undefined {
  const m = SUBJECT.exec(subject);
  return m ? { namespace: m[1], name: m[2] } : undefined;
}

/** Names of the Terraform outputs synth declares. */
export const OUTPUT_NAMES = {
  identityClientId: (identity: string) => `identity_${identity}_client_id`,
  identityPrincipalId: (identity: string) => `identity_${identity}_principal_id`,
  /** An AKS cluster's `oidc_issuer_url`, new or read. */
  aksIssuer: (cluster: string) => `aks_${cluster}_oidc_issuer_url`,
  /** A hosted issuer known after apply (a static website's endpoint). */
  hostedIssuer: (cluster: string) => `oidc_${cluster}_issuer_url`,
} as const;
