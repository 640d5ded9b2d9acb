import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
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

const execFileAsync = promisify(execFile);

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

async function importTime(file: string): Promise<number> {
  const failed = (code: unknown, stderr: unknown) =>
    new Error(`importing ${file} failed (exit ${code}): ${String(stderr ?? '').slice(0, 500)}`);
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LOG_LEVEL: 'silent',
    BENCH_BUNDLE_URL: pathToFileURL(file).href,
  };
  const { stdout, stderr } = await execFileAsync(process.execPath, ['--input-type=module', '-e', IMPORT_TIMER], {
    env,
  }).catch((error: { code?: unknown; stderr?: unknown }) => {
    throw failed(error.code, error.stderr);
  });
  const ms = Number(stdout);
  if (!Number.isFinite(ms)) throw failed(0, stderr);
  return ms;
}
