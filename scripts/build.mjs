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

const entries = readdirSync('functions')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ name: f.slice(0, -3), entry: join('functions', f), minify: true }));
for (const [name, entry] of [
  ['cli', 'src/cli/main.ts'],
  ['bench', 'src/bench/main.ts'],
]) {
  if (existsSync(entry)) entries.push({ name, entry, minify: false });
}

const results = await Promise.all(
  entries.map(async ({ name, entry, minify }) => {
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
      metafile: true,
      banner: { js: banner },
      // dynalite (and its native LevelDB binding) is only used by the local runtime; it stays a normal import.
      external: ['dynalite', 'fauxqs'],
      logLevel: 'error',
      plugins: [zodEnglishOnly],
    });
    const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
    return { name, outfile, bytes };
  }),
);
if (!quiet) {
  for (const r of results) console.log(`${r.outfile.padEnd(28)} ${(r.bytes / 1024).toFixed(1).padStart(8)} KiB`);
}
