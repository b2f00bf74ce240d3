/**
 * "Every problem is reported at once": a fleet with mistakes of every kind (schema, reference, file,
 * plan, outputs file, output folder) gets all of them in one run, each as it is reported alone.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, copyExampleInputs, runCli } from './support';

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'fleet.yaml'), 'utf8');
const AKS_LEGACY_ISSUER = 'https://westeurope.oic.prod-aks.azure.com/4b2a7c1e-8d3f-4e6a-9b5c-1f2e3d4c5b6a/2d9f6c1a-7e3b-4f8d-a5c2-6b1e9d4f3a7c/';

/** One mistake: how it changes the inputs, and what its error says. */
interface Fault {
  readonly kind: string;
  /** Edits of the fleet text, each `from` occurring once. */
  readonly fleet?: ReadonlyArray<readonly [string, string]>;
  /** Files written into the fleet's folder. */
  readonly files?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  readonly reported: RegExp;
}

const FAULTS: readonly Fault[] = [
  {
    kind: 'schema: an unknown field in a workload',
    fleet: [['        tokenExpirationSeconds: 7200\n', '        tokenExpirationSeconds: 7200\n        colour: blue\n']],
    reported: /clusters\[0\]\.workloads\[1\]\.colour: unknown field "colour"/,
  },
  {
    kind: 'reference: a misspelt identity',
    fleet: [['serviceAccount: billing-api\n        identity: id-billing', 'serviceAccount: billing-api\n        identity: id-bililng']],
    reported: /identity "id-bililng" is not declared\n {2}fix: did you mean "id-billing"\?/,
  },
  {
    kind: 'file: a public key that does not exist',
    fleet: [['keys/kind-dev/sa.pub', 'keys/kind-dev/missing.pub']],
    reported: /publicKeyFiles\[0\]: keys\/kind-dev\/missing\.pub: file not found/,
  },
  {
    kind: 'plan: an issuer with a query',
    fleet: [[AKS_LEGACY_ISSUER, `${AKS_LEGACY_ISSUER}?x=1`]],
    reported: /aks\.existing\.issuerUrl: .* has a query/,
  },
  {
    kind: 'outputs file: a client id that is no GUID',
    files: { 'outputs.json': JSON.stringify({ contoso: { 'identity_id-orders_client_id': 'not-a-guid' } }) },
    args: ['--outputs', 'outputs.json'],
    reported: /outputs\.json.*identity_id-orders_client_id.*not-a-guid/,
  },
  {
    kind: 'output folder: a file where OUT should be',
    files: { 'out-file': 'mine\n' },
    args: ['-o', 'out-file'],
    reported: /out-file.*is a file, not a folder/,
  },
];

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisynth-one-run-'));
  copyExampleInputs(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function synthWith(faults: readonly Fault[]): Promise<{ code: number; stderr: string }> {
  let text = EXAMPLE;
  for (const [from, to] of faults.flatMap((f) => f.fleet ?? [])) {
    expect(text.split(from)).toHaveLength(2);
    text = text.replace(from, to);
  }
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
  for (const [file, content] of faults.flatMap((f) => Object.entries(f.files ?? {}))) fs.writeFileSync(path.join(dir, file), content);
  const args = faults.flatMap((f) => f.args ?? []);
  const { code, stderr } = await runCli(['synth', '-c', 'fleet.yaml', ...(args.includes('-o') ? [] : ['-o', 'out']), ...args], dir);
  return { code, stderr };
}

const problems = (stderr: string): number => Number(/(\d+) problem\(s\); nothing was written/.exec(stderr)?.[1]);

describe.each(FAULTS)('alone, $kind', (fault) => {
  it('is one problem, with a fix, and nothing is written', async () => {
    const { code, stderr } = await synthWith([fault]);
    expect(code).toBe(1);
    expect(stderr).toMatch(fault.reported);
    expect(stderr).toMatch(/\n {2}fix: \S/);
    expect(problems(stderr)).toBe(1);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});

test('all six kinds of mistake come in one run, none lost and none added', async () => {
  const { code, stderr } = await synthWith(FAULTS);
  expect(code).toBe(1);
  for (const fault of FAULTS) expect(stderr).toMatch(fault.reported);
  expect(problems(stderr)).toBe(FAULTS.length);
  expect(stderr).not.toMatch(/unexpectedly|^\s+at /m);
  expect(fs.readFileSync(path.join(dir, 'out-file'), 'utf8')).toBe('mine\n');
});
