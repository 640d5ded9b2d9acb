import { describeError } from './cli-error';
import { commands } from './commands';
import { processIo } from './io';
import { runCli } from './run-cli';

// The AWS SDK warns on Node 20 at import time (`NodeVersionSupportWarning`; the
// SDK's own switch is AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED); the warning means nothing to a CLI user.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * The `vox-admin-bridge` executable (bundled to dist/cli/index.mjs). Ctrl-C and SIGTERM abort the signal the
 * long-running commands (dev, sim) wait on; they close their servers and return, and the process exits by itself.
 */
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stop.signal.aborted) process.exit(130); // a second Ctrl-C: the user wants out now
    stop.abort();
  });
}
// A bug that escapes a command must still be one line, not a stack trace.
process.on('uncaughtException', (error) => {
  process.stderr.write(`error: ${describeError(error)}\n`);
  process.exit(1);
});

process.exitCode = await runCli(process.argv.slice(2), processIo(stop.signal), commands);
// Normally the process ends here by itself. Should a library keep a handle open after a command closed everything
// it started, do not hang the terminal: exit after a grace period (the timer itself keeps nothing alive).
setTimeout(() => process.exit(), 3_000).unref();
