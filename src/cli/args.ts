import { type ParseArgsConfig, parseArgs } from 'node:util';
import { usageError } from './cli-error';

export type Options = NonNullable<ParseArgsConfig['options']>;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * `node:util` parseArgs in strict mode, with `--help`/`-h` added to every command and its errors (unknown option,
 * missing value) turned into usage errors that point at the command's help.
 */
export function parseCommandArgs<const O extends Options>(command: string, argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options: { ...options, ...HELP }, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'invalid arguments';
    throw usageError(`${message} (see: vox-admin-bridge ${command} --help)`);
  }
}

/** Exactly the positionals named, or a usage error naming the first missing or extra one. */
export function expectPositionals(command: string, positionals: readonly string[], names: readonly string[]): string[] {
  if (positionals.length < names.length) {
    throw usageError(`missing <${names[positionals.length]}> (see: vox-admin-bridge ${command} --help)`);
  }
  if (positionals.length > names.length) {
    throw usageError(`unexpected argument "${positionals[names.length]}" (see: vox-admin-bridge ${command} --help)`);
  }
  return [...positionals];
}

/** A TCP port from a flag or variable: 0–65535 (0 picks a free one). */
export function parsePort(label: string, value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) {
    throw usageError(`${label} must be a port number (0-65535), got "${value}"`);
  }
  return Number(value);
}

/** What the simulator starts with: `--seed`, else SIM_SEED, else demo. */
export function parseSeed(flag: string | undefined, env: string | undefined): 'demo' | 'empty' {
  const seed = flag ?? (env || 'demo');
  if (seed === 'demo' || seed === 'empty') return seed;
  throw usageError(`--seed (or SIM_SEED) must be demo or empty, got "${seed}"`);
}
