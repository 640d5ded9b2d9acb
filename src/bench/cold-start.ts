import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from './measure';

/** dist/<name>/index.mjs of every Lambda function (the CLI and this benchmark are not functions). */
export function lambdaBundles(distDir: string): { name: string; file: string }[] {
  return readdirSync(distDir)
    .filter((name) => name !== 'cli' && name !== 'bench')
    .map((name) => ({ name, file: join(distDir, name, 'index.mjs') }))
    .filter((b) => existsSync(b.file))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function bundleBytes(file: string): number {
  return statSync(file).size;
}

const IMPORT_TIMER = `
const started = performance.now();
await import(process.env.BENCH_BUNDLE_URL);
process.stdout.write(String(performance.now() - started));
`;

/**
 * A cold start's module initialisation: the time to import() the bundle in a fresh Node process (what Lambda's
 * init phase spends on our code before the first invocation; the runtime's own start is not included), median of
 * `runs` processes.
 */
export async function coldInitMs(file: string, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await importTime(file));
  return median(times);
}

function importTime(file: string): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', IMPORT_TIMER], {
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        LOG_LEVEL: 'silent',
        BENCH_BUNDLE_URL: pathToFileURL(file).href,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('close', (code) => {
      const ms = Number(out);
      if (code === 0 && Number.isFinite(ms)) done(ms);
      else fail(new Error(`importing ${file} failed (exit ${code}): ${err.slice(0, 500)}`));
    });
  });
}
