import { expectPositionals, type Options, parseCommandArgs } from './args';
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

/** The parsed command line a command's body receives: its options, and exactly the positionals it named. */
export interface CommandArgs<O extends Options, P extends readonly string[]> {
  values: ReturnType<typeof parseCommandArgs<O>>['values'];
  positionals: { [K in keyof P]: string };
}

export interface CommandSpec<O extends Options, P extends readonly string[]> {
  name: string;
  summary: string;
  help: string;
  options: O;
  /** The names of the positionals, in order, as the help shows them (`file`); none for most commands. */
  positionals: P;
  run(args: CommandArgs<O, P>, io: CliIo): Promise<number>;
}

/**
 * A command with the prologue every command shares: strict option parsing with `--help`/`-h`, the help printed
 * (exit 0) when asked for, and a usage error (exit 2) for a missing or extra positional, before the body runs.
 */
export function defineCommand<const O extends Options, const P extends readonly string[]>(
  spec: CommandSpec<O, P>,
): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    help: spec.help,
    async run(argv, io) {
      const { values, positionals } = parseCommandArgs(spec.name, argv, spec.options);
      if ((values as { help?: boolean }).help === true) {
        io.out(spec.help);
        return 0;
      }
      const named = expectPositionals(spec.name, positionals, spec.positionals) as CommandArgs<O, P>['positionals'];
      return spec.run({ values, positionals: named }, io);
    },
  };
}
