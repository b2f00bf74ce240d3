import * as path from 'path';
import { Command } from 'commander';
import { buildJwks, jwksJson } from '../oidc/jwks';
import { readPublicKeyFiles } from '../oidc/keys';
import { CliContext } from './context';
import { OutputTarget, targetIssues, writeOutputFile } from './output-target';
import { IssueCollector } from '../core/issues';
import { given, onUnexpectedArgument } from './usage';

/** `wisynth jwks --public-keys A.pub [B.pub ...] [-o FILE]`: the JWKS azwi would print for the same keys. */
export function jwksCommand(ctx: CliContext): Command {
  const command = new Command('jwks')
    .description('print (or write) the JSON Web Key Set of service-account public keys, as `azwi jwks` does')
    .requiredOption('--public-keys <files...>', 'PEM public keys (SPKI, PKCS#1 or X.509 certificate), signing key first; also comma-separated like azwi')
    .option('-o, --out <file>', 'write the JWKS to this file instead of printing it')
    .action((opts: { publicKeys: string[]; out?: string }) => {
      // azwi's --public-keys is a comma-separated list: accept that spelling too.
      const files = opts.publicKeys.flatMap((f) => f.split(',')).filter((f) => f !== '');
      const target: OutputTarget | undefined =
        opts.out === undefined ? undefined : { shown: opts.out, path: path.resolve(ctx.cwd, opts.out), kind: 'file', what: 'JWKS file', option: '-o', example: 'jwks.json' };
      const problems = new IssueCollector(target ? targetIssues([target], ctx.cwd) : []);
      const keys = problems.attempt(() => readPublicKeyFiles(files, ctx.cwd));
      problems.throwIfAny();
      for (const key of keys!) {
        if (key.kty !== 'RSA') ctx.err(`warning: ${key.source}: ${key.alg} key: Entra documents and tests only RS256 signing keys`);
      }
      const jwks = buildJwks(keys!);
      const text = jwksJson(jwks);
      if (target === undefined) {
        ctx.out(text.trimEnd());
        return;
      }
      ctx.writing = [target];
      writeOutputFile(target.path, text);
      ctx.out(`wrote ${target.shown}: ${jwks.keys.length} key(s): ${jwks.keys.map((k) => k.kid).join(', ')}`);
    });
  return onUnexpectedArgument(command, (arg, c) =>
    given(c, 'out') ? `list every key after --public-keys: --public-keys ${[...(c.opts().publicKeys as string[]), arg].join(' ')}` : `did you mean --public-keys ${arg}, or -o ${arg} to write the JWKS there?`,
  );
}
