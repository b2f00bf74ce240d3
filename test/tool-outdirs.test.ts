/** `cdktf synth` and `cdk8s synth` run the same entry with CDKTF_OUTDIR / CDK8S_OUTDIR set: each part goes there. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/cli/main';
import { readTree } from './support';

test('CDKTF_OUTDIR and CDK8S_OUTDIR receive the Terraform and Kubernetes parts, the same bytes as OUT would', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-outdirs-'));
  const quiet = { out: () => undefined, err: () => undefined };
  expect(await main(['synth', '-o', 'plain'], { cwd: work, env: {}, ...quiet })).toBe(0);
  const env = { CDKTF_OUTDIR: 'cdktf.out', CDK8S_OUTDIR: 'k8s' };
  expect(await main(['synth', '-o', 'tools'], { cwd: work, env, ...quiet })).toBe(0);

  const tools = readTree(path.join(work, 'cdktf.out'));
  expect([...tools.keys()]).toEqual([...readTree(path.join(work, 'plain', 'terraform')).keys()]);
  // The local state path is relative to where the stack really is, so it still names the same file.
  const statePath = (stackDir: string): string => {
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    return path.resolve(stackDir, json.terraform.backend.local.path);
  };
  expect(statePath(path.join(work, 'cdktf.out', 'stacks', 'contoso'))).toBe(statePath(path.join(work, 'plain', 'terraform', 'stacks', 'contoso')));
  expect(readTree(path.join(work, 'k8s'))).toEqual(readTree(path.join(work, 'plain', 'kubernetes')));
  expect(fs.existsSync(path.join(work, 'tools', 'terraform'))).toBe(false);
  expect(fs.existsSync(path.join(work, 'tools', 'summary.json'))).toBe(true);
  fs.rmSync(work, { recursive: true, force: true });
});
