/**
 * cdktf.json and cdk8s.yaml for a folder made by `wisynth init`: both CLIs run the user's own fleet
 * (`npx wisynth synth -c fleet.yaml`), and their output folders are the ones of OUT (dist/terraform,
 * dist/kubernetes), which synth honours through CDKTF_OUTDIR and CDK8S_OUTDIR.
 */

/** The command both CLIs run. */
export const TOOL_APP = 'npx wisynth synth -c fleet.yaml';

export function cdktfJson(fleetName: string): string {
  const config = {
    language: 'typescript',
    app: TOOL_APP,
    output: 'dist/terraform',
    // deterministic (cdktf init would make a random one): it only names the project in cdktf's telemetry
    projectId: `wisynth-${fleetName}`,
    sendCrashReports: 'false',
    terraformProviders: [],
    terraformModules: [],
    context: {},
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export function cdk8sYaml(): string {
  return `# The cdk8s CLI (npx cdk8s-cli synth) runs wisynth on fleet.yaml; wisynth writes the Kubernetes
# side of OUT into the output folder (it reads CDK8S_OUTDIR, which cdk8s sets from output).
language: typescript
app: ${TOOL_APP}
output: dist/kubernetes
# cdk8s checks npm for a newer cdk8s-cli on every run, which fails offline. cdk8s.yaml has no setting
# for it; turn it off with the environment: CDK8S_CHECK_UPGRADE=false npx cdk8s-cli synth
# (or npx cdk8s-cli synth --check-upgrade=false).
`;
}
