import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { lambdaProcessEnv } from '../../support/invoke-bundle';

/**
 * A warm Lambda container of the built worker (dist/worker/index.mjs) in its own process, invoked over IPC one
 * batch at a time, so a test can SIGKILL it at any moment. A killed container is replaced by a fresh (cold) one on
 * the next invocation, as Lambda does.
 */
const RUNNER = `
const { handler } = await import(process.env.__BUNDLE_URL);
process.on('message', async (msg) => {
  if (msg.type !== 'invoke') return;
  const deadline = Date.now() + msg.remainingMs;
  const context = {
    awsRequestId: 'chaos-' + msg.id, functionName: 'vox-admin-bridge-worker', functionVersion: '$LATEST',
    memoryLimitInMB: '256', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:worker',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    process.send({ type: 'result', id: msg.id, result: await handler({ Records: msg.records }, context) });
  } catch (error) {
    process.send({ type: 'error', id: msg.id, message: String(error) });
  }
});
process.send({ type: 'ready' });
`;

interface Reply {
  type: 'ready' | 'result' | 'error';
  id?: number;
  result?: SQSBatchResponse;
  message?: string;
}

export class WorkerContainers {
  /** Containers started (cold starts) and killed so far. */
  readonly counts = { started: 0, killed: 0 };
  /** Everything the processes wrote, for the failure message. */
  readonly output: string[] = [];
  #child: ChildProcess | undefined;
  #ready: Promise<ChildProcess> | undefined;
  #nextId = 0;

  constructor(
    private readonly env: Record<string, string>,
    private readonly remainingMs: number,
  ) {}

  /** SIGKILL the running container now, if there is one. True when a process was killed. */
  kill(): boolean {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return false;
    this.#child = undefined;
    this.#ready = undefined;
    child.kill('SIGKILL');
    this.counts.killed += 1;
    return true;
  }

  /** One invocation; undefined when the container died before answering (its batch is lost, as in Lambda). */
  async invoke(records: SQSRecord[]): Promise<SQSBatchResponse | undefined> {
    const child = await this.#container();
    const id = ++this.#nextId;
    return new Promise((done) => {
      const onMessage = (reply: Reply) => {
        if (reply.id !== id) return;
        cleanup();
        done(reply.type === 'result' ? reply.result : undefined);
      };
      const onExit = () => {
        cleanup();
        done(undefined);
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ type: 'invoke', id, records, remainingMs: this.remainingMs });
    });
  }

  async close(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    this.#ready = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }

  #container(): Promise<ChildProcess> {
    this.#ready ??= new Promise<ChildProcess>((ready, fail) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', RUNNER], {
        env: {
          ...lambdaProcessEnv(),
          POWERTOOLS_METRICS_DISABLED: 'true',
          ...this.env,
          __BUNDLE_URL: `file://${resolve('dist', 'worker', 'index.mjs')}`,
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      this.counts.started += 1;
      this.#child = child;
      child.stdout?.on('data', (d: Buffer) => this.output.push(d.toString()));
      child.stderr?.on('data', (d: Buffer) => this.output.push(d.toString()));
      child.once('message', (reply: Reply) => (reply.type === 'ready' ? ready(child) : fail(new Error('no ready'))));
      child.once('exit', (code, signal) =>
        fail(new Error(`worker process exited before it was ready (${code ?? signal})`)),
      );
    });
    return this.#ready;
  }
}
