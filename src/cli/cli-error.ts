import { BridgeError } from '../errors/bridge-error';

/**
 * The only error the CLI prints: one readable line and an exit code. Everything else is turned into one of these
 * at the top (main.ts), so no stack trace ever reaches a user's terminal.
 */
export class CliError extends BridgeError {
  constructor(
    code: string,
    message: string,
    /** 1: the command failed; 2: it was called wrongly (the usual convention for usage errors). */
    readonly exitCode: 1 | 2 = 1,
    options?: { cause?: unknown },
  ) {
    // The user runs the command again after fixing what the message names: nothing retries it by itself.
    super(code, message, { retry: 'permanent', ...options });
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError('usage', message, 2);
}

/** One line for any thrown value; never the stack, never the value of a secret (messages of our errors hold none). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] || error.name;
  return String(error);
}
