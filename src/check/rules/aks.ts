import { Rule } from '../rule';

/** An AKS cluster is an issuer only with its OIDC issuer on, and runs the webhook only with workload identity on. */
export const aksRule: Rule = (model) =>
  model.artifacts.stacks.flatMap((stack) =>
    [...(stack.resources.get('azurerm_kubernetes_cluster') ?? [])].flatMap(([id, aks]) =>
      (['oidc_issuer_enabled', 'workload_identity_enabled'] as const)
        .filter((setting) => aks[setting] !== true)
        .map((setting) => ({
          severity: 'error' as const,
          rule: 'aks-issuer',
          file: stack.file,
          object: `azurerm_kubernetes_cluster.${id}`,
          message: `${setting} is ${JSON.stringify(aks[setting] ?? null)}; without it AKS cluster ${String(aks.name)} ${setting === 'oidc_issuer_enabled' ? 'publishes no issuer for its FICs' : 'runs no workload identity webhook'}`,
          fix: `set ${setting} to true`,
        })),
    ),
  );
