import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';

/** The CLI as a user runs it: the built bundle. `npm test` builds it before the tests run. */
export const CLI = resolve('dist/cli/index.mjs');

export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error('dist/cli/index.mjs is missing: run `npm run build` first (npm test does)');
}

/** Starts `vox-admin-bridge <args>` in a child process, its output piped. */
export function spawnCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs `vox-admin-bridge <args>` to its end and returns its exit code and output. */
export function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawnCli(args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
