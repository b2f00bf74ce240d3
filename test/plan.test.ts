import { AksCluster, Fleet, KeyVault, ManagedIdentity, planFleet, ResourceGroup } from '../src/index';
import { federatedCredentialName } from '../src/model/federated-credentials';
import { logicalId } from '../src/model/logical-id';

const azure = { tenantId: '11111111-2222-4333-8444-555555555555', subscriptionId: '66666666-7777-4888-9999-000000000000', location: 'westeurope' };

function smallFleet() {
  const fleet = new Fleet({ name: 'unit', azure, baseDir: '/fleet' });
  const group = new ResourceGroup(fleet, 'rg-unit');
  const identity = new ManagedIdentity(fleet, 'id-app', { resourceGroup: group });
  const cluster = AksCluster.fromIssuerUrl(fleet, 'aks-a', { issuerUrl: 'https://oidc.example.com/a/' });
  return { fleet, group, identity, cluster };
}

describe('Terraform logical ids', () => {
  test.each([
    ['rg.x', 'rg_x'],
    ['a(b)', 'a_b_'],
  ])('resource group "%s" and "%s" get different ids', (a, b) => {
    expect(logicalId('rg', a)).not.toBe(logicalId('rg', b));
  });

  test('names that need no replacement stay readable', () => {
    expect(logicalId('identity', 'id-orders')).toBe('identity_id-orders');
  });
});

describe('federated credential names', () => {
  test('follow Entra\'s rule: at most 120 of [A-Za-z0-9_-], starting alphanumeric', () => {
    const name = federatedCredentialName('c'.repeat(63), 'n'.repeat(63), 'sa.with.dots');
    expect(name.length).toBeLessThanOrEqual(120);
    expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/);
  });

  test('stay distinct when cut to length', () => {
    const long = 'x'.repeat(60);
    expect(federatedCredentialName(long, long, 'a')).not.toBe(federatedCredentialName(long, long, 'b'));
  });
});

describe('planFleet', () => {
  test('a verification pod grants its identity Key Vault Secrets User once, also when listed as reader', () => {
    const { fleet, group, identity, cluster } = smallFleet();
    const vault = new KeyVault(fleet, 'kv-unit-demo', { resourceGroup: group });
    vault.grantSecretsRead(identity);
    cluster.addWorkload({ namespace: 'app', serviceAccount: 'api', identity, verify: { keyVault: vault, secretName: 's' } });
    const grants = planFleet(fleet).roleAssignments.filter((r) => r.principal.kind === 'identity' && r.role === 'Key Vault Secrets User');
    expect(grants).toHaveLength(1);
    expect(grants[0].scope).toMatchObject({ kind: 'keyVault', name: 'kv-unit-demo' });
  });

  test('planning twice gives the same plan (the model is not changed by planning)', () => {
    const { fleet, group, identity, cluster } = smallFleet();
    const vault = new KeyVault(fleet, 'kv-unit-demo', { resourceGroup: group });
    cluster.addWorkload({ namespace: 'app', serviceAccount: 'api', identity, verify: { keyVault: vault, secretName: 's' } });
    expect(planFleet(fleet)).toEqual(planFleet(fleet));
    expect(identity.roleGrants).toHaveLength(0);
  });

  test('warns about an identity no workload uses', () => {
    const { fleet, group, identity, cluster } = smallFleet();
    new ManagedIdentity(fleet, 'id-unused', { resourceGroup: group });
    cluster.addWorkload({ namespace: 'app', serviceAccount: 'api', identity });
    expect(planFleet(fleet).warnings).toEqual(['identity "id-unused" is declared but no workload uses it']);
  });

  test('outputs resolve a new identity\'s client id; without them it is a placeholder listed as pending', () => {
    const { fleet, identity, cluster } = smallFleet();
    cluster.addWorkload({ namespace: 'app', serviceAccount: 'api', identity });
    const pending = planFleet(fleet);
    expect(pending.clusters[0].serviceAccounts[0].clientId).toEqual({ value: 'WISYNTH_PENDING:identity_id-app_client_id', pending: true, output: 'identity_id-app_client_id' });
    expect(pending.pending.map((p) => p.output)).toEqual(['identity_id-app_client_id']);

    const clientId = 'abcdefab-1234-4123-8123-abcdefabcdef';
    const resolved = planFleet(fleet, { outputs: new Map([['identity_id-app_client_id', clientId]]) });
    expect(resolved.clusters[0].serviceAccounts[0].clientId.value).toBe(clientId);
    expect(resolved.pending).toEqual([]);
  });

  test('the ARM ids are the predictable ones Azure gives each resource type', () => {
    const { fleet, identity, cluster } = smallFleet();
    cluster.addWorkload({ namespace: 'app', serviceAccount: 'api', identity });
    expect(planFleet(fleet).identities[0]).toHaveProperty(
      'armId',
      `/subscriptions/${azure.subscriptionId}/resourceGroups/rg-unit/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app`,
    );
  });
});
