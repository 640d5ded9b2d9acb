import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBenchmark } from './run-benchmark';
import { runServices } from './services';

/**
 * `npm run bench` (dist/bench/index.mjs). Options: `--events N` (per run, default 500), `--latency MS` (the slower
 * scenario, default 20), `--admins N` (default 50), `--concurrency N` (the worker's WORKER_CONCURRENCY, default the
 * product's 4). Progress goes to stderr; stdout is the table and, last, the JSON line of docs/CONTRACT.md#benchmark.
 * `services` is the internal mode of the forked process that hosts the servers.
 */
function option(args: readonly string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive whole number`);
  return value;
}

// The SDK warns about Node 20 on every client it builds; the warning is about the SDK's future, not this run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const args = process.argv.slice(2);
if (args[0] === 'services') {
  await runServices({ admins: Number(args[1]), latencyMs: Number(args[2]) });
} else {
  const entry = fileURLToPath(import.meta.url);
  try {
    await runBenchmark({
      events: option(args, 'events', 500),
      admins: option(args, 'admins', 50),
      latencyMs: option(args, 'latency', 20),
      ...(args.includes('--concurrency') && { concurrency: option(args, 'concurrency', 4) }),
      entry,
      distDir: dirname(dirname(entry)),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    // Keep-alive sockets of the SDK clients would hold the process open for their idle timeout.
    process.exit(0);
  } catch (error) {
    process.stderr.write(
      `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  }
}
