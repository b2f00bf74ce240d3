import { createPublicKey } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Command, InvalidArgumentError } from 'commander';
import { FleetError } from '../model/issues';
import { keyId } from '../oidc/jwks';
import { generateSigningKeyPair } from '../oidc/keys';
import { CliContext } from './context';
import { OutputTarget, targetIssues, writeOutputFile } from './output-target';
import { given, onUnexpectedArgument } from './usage';

const PRIVATE_KEY_MODE = 0o600;

/** `wisynth keygen -o DIR [--name sa] [--force]`: a service-account signing key pair, as ccoctl makes it. */
export function keygenCommand(ctx: CliContext): Command {
  const command = new Command('keygen')
    .description('generate a service-account signing key pair: DIR/<name>.key (RSA 4096, PKCS#1, mode 0600) and DIR/<name>.pub (SPKI)')
    .requiredOption('-o, --out <dir>', 'folder for the two files (created if missing)')
    .option('--name <name>', 'base name of the two files', baseName, 'sa')
    .option('--force', 'replace existing key files (tokens signed with the old key stop validating)')
    .action((opts: { out: string; name: string; force?: boolean }) => {
      const target: OutputTarget = { shown: opts.out, path: path.resolve(ctx.cwd, opts.out), kind: 'folder', what: 'key folder', option: '-o' };
      const problems = targetIssues([target], ctx.cwd);
      if (problems.length > 0) throw new FleetError(problems);
      // `shown`: paths as the user wrote them, for messages.
      const shown = { key: path.join(opts.out, `${opts.name}.key`), pub: path.join(opts.out, `${opts.name}.pub`) };
      const existing = [shown.key, shown.pub].filter((file) => fs.existsSync(path.resolve(ctx.cwd, file)));
      if (existing.length > 0 && !opts.force) {
        throw new FleetError(
          existing.map((file) => ({
            file,
            message: 'already exists; refusing to overwrite a signing key',
            fix: 'choose another -o or --name, or pass --force to replace it (tokens signed with the old key then fail until they are renewed)',
          })),
        );
      }
      const { privateKeyPem, publicKeyPem } = generateSigningKeyPair();
      ctx.writing = [target];
      // Each written beside and renamed over: the private key is created with its mode, never written into a more open existing file.
      writeOutputFile(path.resolve(ctx.cwd, shown.key), privateKeyPem, PRIVATE_KEY_MODE);
      writeOutputFile(path.resolve(ctx.cwd, shown.pub), publicKeyPem);
      ctx.out(`wrote ${shown.key} (private, mode 0600): keep it secret and never commit it`);
      ctx.out(`wrote ${shown.pub} (public, kid ${keyId(createPublicKey(publicKeyPem))})`);
      ctx.out(`next: a first key: list ${shown.pub} in the cluster's serviceAccountKeys.publicKeyFiles, then run wisynth synth`);
      ctx.out(`  to rotate: list it second, after the current key; synth, apply, roll the API server;`);
      ctx.out(`  then move it first, with privateKeyFile ${shown.key}; synth, apply, roll;`);
      ctx.out(`  remove the old key after the longest token lifetime (README "Key rotation")`);
    });
  return onUnexpectedArgument(command, (arg, c) => (given(c, 'out') ? 'keygen writes into the folder named by -o, and --name sets the files\' base name' : `did you mean -o ${arg}?`));
}

function baseName(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) {
    throw new InvalidArgumentError('a plain file name is expected (letters, digits, ".", "_", "-"; no folders)');
  }
  return value;
}
