import { AksCluster, Fleet, ManagedIdentity, planFleet, ResourceGroup } from '../src/index';
import { renderClusterManifests } from '../src/kubernetes/render';
import { PLATFORMS } from '../src/platforms';

test('service accounts whose names differ only in where the "-" falls get files of their own', () => {
  const fleet = new Fleet({ azure: { tenantId: '11111111-2222-4333-8444-555555555555', subscriptionId: '66666666-7777-4888-9999-000000000000', location: 'westeurope' } });
  const identity = new ManagedIdentity(fleet, 'id-app', { resourceGroup: new ResourceGroup(fleet, 'rg-app') });
  const cluster = AksCluster.fromIssuerUrl(fleet, 'aks-a', { issuerUrl: 'https://oidc.example.com/a/' });
  cluster.addWorkload({ namespace: 'team-a', serviceAccount: 'api', identity });
  cluster.addWorkload({ namespace: 'team', serviceAccount: 'a-api', identity });

  const files = renderClusterManifests(planFleet(fleet).clusters[0], PLATFORMS.get('aks')!);
  expect([...files.keys()]).toEqual(['kustomization.yaml', 'serviceaccount_team-a_api.yaml', 'serviceaccount_team_a-api.yaml']);
});
