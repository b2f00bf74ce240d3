import { at } from '../artifacts';
import { Finding } from '../finding';
import { Rule } from '../rule';

const OIDC_ON = '${self.oidc_issuer_enabled}';

/**
 * An AKS cluster is an issuer only with its OIDC issuer on, and runs the webhook only with workload identity
 * on: a new one sets both; an existing one that Terraform reads stops the plan while its issuer is off,
 * else its FICs would carry an empty issuer.
 */
export const aksRule: Rule = (model) =>
  model.artifacts.stacks.flatMap((stack) => [
    ...[...(stack.resources.get('azurerm_kubernetes_cluster') ?? [])].flatMap(([id, aks]) =>
      (['oidc_issuer_enabled', 'workload_identity_enabled'] as const)
        .filter((setting) => aks[setting] !== true)
        .map(
          (setting): Finding => ({
            severity: 'error',
            rule: 'aks-issuer',
            file: stack.file,
            object: `azurerm_kubernetes_cluster.${id}`,
            message: `${setting} is ${JSON.stringify(aks[setting] ?? null)}; without it AKS cluster ${String(aks.name)} ${setting === 'oidc_issuer_enabled' ? 'publishes no issuer for its FICs' : 'runs no workload identity webhook'}`,
            fix: `set ${setting} to true`,
          }),
        ),
    ),
    ...[...(stack.data.get('azurerm_kubernetes_cluster') ?? [])]
      .filter(([, aks]) => {
        const conditions = at(aks, 'lifecycle', 'postcondition');
        return !(Array.isArray(conditions) && conditions.some((c) => at(c, 'condition') === OIDC_ON));
      })
      .map(
        ([id, aks]): Finding => ({
          severity: 'error',
          rule: 'aks-issuer',
          file: stack.file,
          object: `data.azurerm_kubernetes_cluster.${id}`,
          message: `the existing AKS cluster ${String(aks.name)} is read without the postcondition ${OIDC_ON}: while its OIDC issuer is off, Terraform would write FICs with an empty issuer`,
          fix: `add lifecycle.postcondition { condition = ${OIDC_ON} } (synth writes it so)`,
        }),
      ),
  ]);
