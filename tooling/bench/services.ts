import { type ChildProcess, fork } from 'node:child_process';
import { startLocalDynamo } from '../local/dynamodb-local';
import { startSecretsManager } from '../local/secrets-manager-server';
import { createSimulator } from '../sim/simulator';
import { startLatencyProxy } from './latency-proxy';

/**
 * What the benchmarked code talks to, in a process of its own: the Voximplant simulator (direct, and behind a
 * latency proxy), DynamoDB Local and the local Secrets Manager. Keeping them out of the measured process means
 * `process.cpuUsage()` there is the bridge's own CPU (or the naive baseline's), not the servers'.
 */
export interface BenchEndpoints {
  apiUrl: string;
  /** The same simulator behind `latencyMs` of added delay per request. */
  slowApiUrl: string;
  latencyMs: number;
  dynamoEndpoint: string;
  secretsEndpoint: string;
  credentialsSecretId: string;
  adminIds: number[];
}

export interface ServiceCounts {
  /** Management API requests received, by method (the simulator's call log). */
  voximplant: Record<string, number>;
  /** Secrets Manager requests received, by operation. */
  secrets: Record<string, number>;
}

export const CREDENTIALS_SECRET_ID = 'bench/voximplant-credentials';
const SECRETS_OPERATIONS = ['GetSecretValue', 'DescribeSecret', 'PutSecretValue'];

type Request = { id: number; op: 'counts' | 'stop' };
type Reply = { id: number; counts?: ServiceCounts } | { ready: BenchEndpoints };

/** The child's side: start everything, report the endpoints, answer count requests until told to stop. */
export async function runServices(opts: { admins: number; latencyMs: number }): Promise<void> {
  const adminIds = Array.from({ length: opts.admins }, (_, i) => 100 + i);
  const sim = await createSimulator({
    seed: adminIds.map((id, i) => ({
      admin_user_id: id,
      admin_user_name: `bench-${String(i).padStart(3, '0')}`,
      admin_user_display_name: `Bench ${i}`,
    })),
  });
  const { apiUrl } = await sim.listen(0);
  const slow = await startLatencyProxy(apiUrl, opts.latencyMs);
  const dynamo = await startLocalDynamo();
  const secrets = await startSecretsManager();
  secrets.putSecret(CREDENTIALS_SECRET_ID, sim.credentials());
  const send = (reply: Reply) => process.send?.(reply);

  process.on('message', async (message: Request) => {
    if (message.op === 'counts') {
      const voximplant: Record<string, number> = {};
      for (const call of sim.calls()) voximplant[call.method] = (voximplant[call.method] ?? 0) + 1;
      const counts: Record<string, number> = {};
      for (const op of SECRETS_OPERATIONS) counts[op] = secrets.requestCount(op);
      send({ id: message.id, counts: { voximplant, secrets: counts } });
      return;
    }
    await Promise.allSettled([slow.close(), sim.close(), dynamo.close(), secrets.close()]);
    send({ id: message.id });
    process.disconnect?.();
  });
  send({
    ready: {
      apiUrl,
      slowApiUrl: slow.url,
      latencyMs: opts.latencyMs,
      dynamoEndpoint: dynamo.endpoint,
      secretsEndpoint: secrets.endpoint,
      credentialsSecretId: CREDENTIALS_SECRET_ID,
      adminIds,
    },
  });
}

/** The measuring process's side: fork `entry services`, wait for the endpoints, ask for counts over IPC. */
export class BenchServices {
  #nextId = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly endpoints: BenchEndpoints,
  ) {}

  static async start(entry: string, opts: { admins: number; latencyMs: number }): Promise<BenchServices> {
    const child = fork(entry, ['services', String(opts.admins), String(opts.latencyMs)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const endpoints = await new Promise<BenchEndpoints>((ready, fail) => {
      child.once('message', (reply: Reply) =>
        'ready' in reply ? ready(reply.ready) : fail(new Error('no endpoints')),
      );
      child.once('exit', (code) => fail(new Error(`the benchmark services exited early (${code})`)));
    });
    return new BenchServices(child, endpoints);
  }

  counts(): Promise<ServiceCounts> {
    return this.#ask('counts').then((reply) => {
      if (!('id' in reply) || reply.counts === undefined) throw new Error('no counts in the reply');
      return reply.counts;
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    await this.#ask('stop').catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  #ask(op: Request['op']): Promise<Reply> {
    const id = ++this.#nextId;
    return new Promise((done) => {
      const onMessage = (reply: Reply) => {
        if ('id' in reply && reply.id === id) {
          this.child.off('message', onMessage);
          done(reply);
        }
      };
      this.child.on('message', onMessage);
      this.child.send({ id, op } satisfies Request);
    });
  }
}

/** `b - a`, key by key. */
export function countsBetween(a: ServiceCounts, b: ServiceCounts): { voximplant: number; secrets: number } {
  const sum = (o: Record<string, number>) => Object.values(o).reduce((x, y) => x + y, 0);
  return { voximplant: sum(b.voximplant) - sum(a.voximplant), secrets: sum(b.secrets) - sum(a.secrets) };
}
