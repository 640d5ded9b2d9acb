import { resolve } from 'node:path';
import { commands } from '../../src/cli/commands';
import type { CliIo } from '../../src/cli/io';
import { runCli } from '../../src/cli/run-cli';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command line in-process with captured output; the working directory is the repository root. */
export async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env,
    cwd: resolve('.'),
    fetch: globalThis.fetch,
    signal: new AbortController().signal,
  };
  const code = await runCli(args, io, commands);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
