import type { CliIo } from './io';

/** One `vox-admin-bridge <name>` command. `run` returns the exit code; it throws CliError for a readable failure. */
export interface Command {
  name: string;
  /** One line for the overview. */
  summary: string;
  /** The whole `--help` text. */
  help: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
