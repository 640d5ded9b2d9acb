/**
 * What a command may touch of the outside world, passed in so tests run commands in-process and read what they
 * printed. `signal` aborts when the user presses Ctrl-C (long-running commands stop on it).
 */
export interface CliIo {
  /** Writes one line (a newline is added) to standard output. */
  out(line: string): void;
  /** Writes one line to standard error. */
  err(line: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  fetch: typeof fetch;
  signal: AbortSignal;
}

export function processIo(signal: AbortSignal): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
    fetch: globalThis.fetch,
    signal,
  };
}

/** Resolves when the user stops a long-running command (Ctrl-C, SIGTERM); at once if that already happened. */
export function waitForStop(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
