import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Runs a built Lambda bundle (dist/<name>/index.mjs) in a fresh Node process, as a cold Lambda container would. */
export interface BundleRun<R> {
  result: R | undefined;
  /** Everything the process wrote: Powertools logs go to stdout. Tests scan these for secrets. */
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

const RUNNER = `
import { writeFileSync } from 'node:fs';
const { handler } = await import(process.env.__BUNDLE_URL);
const events = JSON.parse(process.env.__EVENTS);
const remaining = Number(process.env.__REMAINING_MS);
const results = [];
for (const event of events) {
  const deadline = Date.now() + remaining;
  const context = {
    awsRequestId: 'req-' + Math.random().toString(16).slice(2), functionName: 'vox-admin-bridge-test',
    functionVersion: '$LATEST', memoryLimitInMB: '256', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  results.push(await handler(event, context));
}
writeFileSync(process.env.__RESULT_FILE, JSON.stringify(results));
`;

/**
 * What a Lambda container has in its environment before the function's own variables: a region and credentials (the
 * bundles read credentials from the environment only), and nothing of this process's own environment but PATH.
 */
export function lambdaProcessEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
}

export async function invokeBundleInFreshProcess<R>(
  name: string,
  events: unknown[],
  env: Record<string, string>,
  opts: { remainingMs?: number } = {},
): Promise<BundleRun<R[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'vab-invoke-'));
  const resultFile = join(dir, 'result.json');
  const bundle = resolve('dist', name, 'index.mjs');
  const child = spawn(process.execPath, ['--input-type=module', '-e', RUNNER], {
    env: {
      ...lambdaProcessEnv(),
      ...env,
      __BUNDLE_URL: `file://${bundle}`,
      __EVENTS: JSON.stringify(events),
      __REMAINING_MS: String(opts.remainingMs ?? 30_000),
      __RESULT_FILE: resultFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exitCode = await new Promise<number | null>((done) => child.on('close', done));
  let result: R[] | undefined;
  try {
    result = JSON.parse(readFileSync(resultFile, 'utf8')) as R[];
  } catch {
    result = undefined;
  }
  rmSync(dir, { recursive: true, force: true });
  return { result, stdout, stderr, exitCode };
}
