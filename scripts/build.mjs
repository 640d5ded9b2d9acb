// Bundles every Lambda entry point (functions/<name>.ts) to dist/<name>/index.mjs, and the CLI and
// benchmark to dist/cli and dist/bench. ESM output needs the createRequire banner: the AWS SDK ships CJS
// that calls require('node:...'), which an ESM bundle cannot do without it.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const quiet = process.argv.includes('--quiet');

// zod 4 re-exports every message locale (`export * as locales`), which esbuild cannot drop: about 250 KB of each
// bundle. We only ever use the English default, so the locales index is replaced by one that exports `en` alone.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'zod')}`)
        ? { path: join(dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};
const banner =
  "import{createRequire as __vabCreateRequire}from'node:module';const require=__vabCreateRequire(import.meta.url);";

// Inside Lambda the credentials are always the execution role's, in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN. The SDK's default chain also bundles SSO, STS web identity, INI/process files and IMDS (about
// 90 KB with their nested STS/SSO clients) that can never apply there, so the function bundles resolve credentials
// from the environment only. The CLI keeps the full chain: an operator's `doctor --secret-id` needs profiles and SSO.
const lambdaCredentialsFromEnv = {
  name: 'lambda-credentials-from-env',
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: 'credential-provider-node',
      namespace: 'lambda-credentials',
    }));
    b.onLoad({ filter: /.*/, namespace: 'lambda-credentials' }, () => ({
      contents: "export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';",
      loader: 'js',
      resolveDir: process.cwd(),
    }));
  },
};

const entries = readdirSync('functions')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ name: f.slice(0, -3), entry: join('functions', f), minify: true, lambda: true }));
for (const [name, entry] of [
  ['cli', 'src/cli/main.ts'],
  ['bench', 'tooling/bench/main.ts'],
]) {
  if (existsSync(entry)) entries.push({ name, entry, minify: false, lambda: false });
}

const results = await Promise.all(
  entries.map(async ({ name, entry, minify, lambda }) => {
    const outfile = join('dist', name, 'index.mjs');
    const result = await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      minify,
      sourcemap: false,
      legalComments: 'none',
      // Non-ASCII text is written as UTF-8 instead of \u escapes (Node reads modules as UTF-8): the Unicode
      // confusables table of the protected-name check is mostly non-ASCII, and escaped it would be 45 KiB larger.
      charset: 'utf8',
      metafile: true,
      banner: { js: banner },
      // fauxqs is only used by the local runtime; it stays a normal import.
      external: ['fauxqs'],
      logLevel: 'error',
      plugins: lambda ? [zodEnglishOnly, lambdaCredentialsFromEnv] : [zodEnglishOnly],
      mainFields: ['module', 'main'],
    });
    const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
    // tooling/ (simulator, local bridge, benchmark) is for development only: a Lambda bundle that pulled any of it in
    // would ship a fake Voximplant or a dev secret store to production.
    const tooling = lambda ? Object.keys(result.metafile.inputs).filter((p) => p.startsWith('tooling/')) : [];
    if (tooling.length > 0) throw new Error(`the ${name} Lambda bundle imports tooling/: ${tooling.join(', ')}`);
    return { name, outfile, bytes };
  }),
);
if (!quiet) {
  for (const r of results) console.log(`${r.outfile.padEnd(28)} ${(r.bytes / 1024).toFixed(1).padStart(8)} KiB`);
}
