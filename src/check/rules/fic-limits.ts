import { MAX_FICS_PER_IDENTITY } from '../../model/constants';
import { Finding } from '../finding';
import { Rule } from '../rule';
import { FederatedCredentialInfo } from '../trust';

/** Entra's limits per identity, counted across all stacks: at most 20 FICs, and one per issuer+subject. */
export const ficLimitsRule: Rule = (model) => {
  const byIdentity = new Map<string, FederatedCredentialInfo[]>();
  for (const fic of model.federatedCredentials) {
    const key = fic.identityKey ?? fic.identityName;
    byIdentity.set(key, [...(byIdentity.get(key) ?? []), fic]);
  }
  return [...byIdentity].flatMap(([key, fics]) => {
    const identity = model.identities.get(key);
    const findings: Finding[] = [];
    if (fics.length > MAX_FICS_PER_IDENTITY) {
      const perStack = [...new Set(fics.map((f) => f.stack.name))].map((s) => `${s}: ${fics.filter((f) => f.stack.name === s).length}`);
      findings.push({
        severity: 'error',
        rule: 'fic-limit',
        file: identity?.stack ? model.artifacts.stacks.find((s) => s.name === identity.stack)!.file : fics[0].file,
        object: identity?.address ?? `identity ${fics[0].identityName}`,
        message: `identity ${fics[0].identityName} has ${fics.length} FICs (${perStack.join(', ')}); Entra allows ${MAX_FICS_PER_IDENTITY} per identity and refuses the rest`,
        fix: 'give some of the workloads their own identity in the fleet file, then synth again',
      });
    }
    const seen = new Map<string, FederatedCredentialInfo>();
    for (const fic of fics) {
      const pair = `${fic.issuer}\n${fic.subject}`;
      const first = seen.get(pair);
      if (!first) seen.set(pair, fic);
      else {
        findings.push({
          severity: 'error',
          rule: 'fic-duplicate',
          file: fic.file,
          object: fic.address,
          message: `FIC ${fic.name} repeats the issuer and subject "${fic.subject}" of ${first.address} on identity ${fic.identityName}; Entra refuses a second FIC for the same pair`,
          fix: `delete one of the two FICs`,
        });
      }
    }
    return findings;
  });
};
