import { WEBHOOK_AUDIENCE } from '../../model/constants';
import { Finding } from '../finding';
import { Rule } from '../rule';

/**
 * A FIC has exactly one audience, the one its service account's tokens carry: the webhook's
 * `api://AzureADTokenExchange`, or what CAPZ/OpenShift request for the accounts they install.
 * FICs whose subject matches no service account are left to the federation rule.
 */
export const audiencesRule: Rule = (model) =>
  model.federatedCredentials.flatMap((fic): Finding[] => {
    const sa = model.clusterOf(fic)?.cluster.serviceAccounts.find((s) => s.subject === fic.subject);
    if (!sa) return [];
    const expected = sa.external?.audience ?? WEBHOOK_AUDIENCE;
    if (fic.audiences.length === 1 && fic.audiences[0] === expected) return [];
    const requester = sa.external ? `${sa.external.installedBy} requests` : 'the workload identity webhook requests';
    return [
      {
        severity: 'error',
        rule: 'fic-audience',
        file: fic.file,
        object: fic.address,
        message: `FIC ${fic.name} has audience ${JSON.stringify(fic.audiences)}, but ${requester} tokens for "${expected}" for ${sa.namespace}/${sa.name}; Entra compares the audience exactly`,
        fix: `set audience to ["${expected}"]`,
      },
    ];
  });
