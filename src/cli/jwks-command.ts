import * as path from 'path';
import { Command } from 'commander';
import { writeFile } from '../output/atomic-dir';
import { buildJwks, jwksJson } from '../oidc/jwks';
import { readPublicKeyFiles } from '../oidc/keys';
import { CliContext } from './context';

/** `wisynth jwks --public-keys A.pub [B.pub ...] [-o FILE]`: the JWKS azwi would print for the same keys. */
export function jwksCommand(ctx: CliContext): Command {
  return new Command('jwks')
    .description('print (or write) the JSON Web Key Set of service-account public keys, as `azwi jwks` does')
    .requiredOption('--public-keys <files...>', 'PEM public keys (SPKI, PKCS#1 or X.509 certificate), signing key first; also comma-separated like azwi')
    .option('-o, --out <file>', 'write the JWKS to this file instead of printing it')
    .action((opts: { publicKeys: string[]; out?: string }) => {
      // azwi's --public-keys is a comma-separated list: accept that spelling too.
      const files = opts.publicKeys.flatMap((f) => f.split(',')).filter((f) => f !== '');
      const keys = readPublicKeyFiles(files, ctx.cwd);
      for (const key of keys) {
        if (key.kty !== 'RSA') ctx.err(`warning: ${key.source}: ${key.alg} key: Entra documents and tests only RS256 signing keys`);
      }
      const jwks = buildJwks(keys);
      const text = jwksJson(jwks);
      if (opts.out === undefined) {
        ctx.out(text.trimEnd());
        return;
      }
      writeFile(path.resolve(ctx.cwd, opts.out), text);
      ctx.out(`wrote ${opts.out}: ${jwks.keys.length} key(s): ${jwks.keys.map((k) => k.kid).join(', ')}`);
    });
}
