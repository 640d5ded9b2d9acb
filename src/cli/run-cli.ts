import { version } from '../../package.json';
import { CliError, describeError } from './cli-error';
import type { Command } from './command';
import type { CliIo } from './io';

function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: vox-admin-bridge <command> [options]',
    '',
    'Applies HR and identity lifecycle events to Voximplant admin users (SetAdminUserInfo).',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `vox-admin-bridge <command> --help` for the options of one command.',
  ].join('\n');
}

/**
 * Runs one command line and returns the exit code. Every failure ends here as one line on stderr: a CliError with
 * its own exit code, anything unexpected with 1. Never a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly Command[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(overview(commands));
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(overview(commands));
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`error: unknown command "${name}"; commands: ${commands.map((c) => c.name).join(', ')}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.err(`error: ${describeError(error)}`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}
