import { SUMMARY_FILE } from '../../core/summary';
import { Finding } from '../finding';
import { Rule } from '../rule';

/**
 * A previous issuer kept past its `retireAfter` day: its FICs still match tokens issued under it. A
 * warning, so that a migration is finished on purpose (remove the entry once no pod holds such a token).
 */
export const previousIssuersRule: Rule = (model, options) => {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  return model.clusters.flatMap(({ summary }, index) =>
    (summary.previousIssuers ?? []).flatMap((previous, i): Finding[] =>
      previous.retireAfter !== undefined && previous.retireAfter < today
        ? [
            {
              severity: 'warning',
              rule: 'previous-issuer',
              file: SUMMARY_FILE,
              object: `clusters[${index}].previousIssuers[${i}]`,
              message: `cluster ${summary.name} still lists previous issuer "${previous.issuer}", to be retired after ${previous.retireAfter}: its FICs still accept tokens issued under it`,
              fix: 'once no workload holds a token of that issuer, remove it from previousIssuers and synth again (Terraform then deletes its FICs)',
            },
          ]
        : [],
    ),
  );
};
