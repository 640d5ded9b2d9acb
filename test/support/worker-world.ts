import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { afterAll, beforeAll } from 'vitest';
import { type LocalQueues, startLocalQueues } from '../../tooling/local/local-queues';
import { ensureStateTable, localAwsClientConfig } from '../../tooling/local/state-table';
import { createSimulator, type Simulator } from '../../tooling/sim/simulator';
import { cloudEvent, minutesAgo, uniqueEventId } from './cloud-event';
import { type DrainedMessage, drainQueue } from './drain-queue';
import { useStateTable } from './dynamo';
import { invokeBundleInFreshProcess } from './invoke-bundle';
import { useSecretsManager } from './secrets-manager';
import { sqsFifoEvent } from './sqs-event';

export const CREDENTIALS_SECRET = 'vox-admin-bridge/voximplant-credentials';

export type DeadLetterSeen = DrainedMessage;

/**
 * Everything the worker talks to, real where a real implementation runs here: the Voximplant simulator, DynamoDB Local,
 * the local Secrets Manager (over HTTP, through AWS_ENDPOINT_URL_SECRETS_MANAGER) and fauxqs for the dead-letter
 * queue. The worker itself is the built bundle, run in fresh processes as Lambda would.
 */
export function useWorkerWorld(extraEnv: Record<string, string> = {}) {
  const table = useStateTable();
  const secrets = useSecretsManager();
  const world = {
    sim: undefined as unknown as Simulator,
    queues: undefined as unknown as LocalQueues,
    sqs: undefined as unknown as SQSClient,
    env: {} as Record<string, string>,
    /** Every byte every worker process wrote, for the secret scan. */
    output: [] as string[],
  };

  beforeAll(async () => {
    world.sim = await createSimulator({ seed: 'demo' });
    const { apiUrl } = await world.sim.listen(0);
    secrets.server.putSecret(CREDENTIALS_SECRET, world.sim.credentials());
    world.queues = await startLocalQueues();
    world.sqs = new SQSClient({ ...localAwsClientConfig, endpoint: world.queues.endpoint });
    world.env = {
      VOXIMPLANT_API_URL: apiUrl,
      VOXIMPLANT_CREDENTIALS_SECRET_ID: CREDENTIALS_SECRET,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      AWS_ENDPOINT_URL_SQS: world.queues.endpoint,
      STATE_TABLE: table.tableName,
      DEAD_LETTER_QUEUE_URL: world.queues.deadLetterQueueUrl,
      QUEUE_URL: world.queues.queueUrl,
      PROTECTED_ADMIN_USERS: 'owner',
      LOG_LEVEL: 'debug',
      ...extraEnv,
    };
  });
  afterAll(async () => {
    world.sqs?.destroy();
    await world.queues?.close();
    await world.sim?.close();
  });

  /** Runs one worker process over these batches, one invocation each, in order. */
  async function runWorker(
    batches: { body: unknown; groupId: string; messageId?: string; receiptHandle?: string }[][],
    opts: { remainingMs?: number; env?: Record<string, string> } = {},
  ) {
    const run = await invokeBundleInFreshProcess<SQSBatchResponse>(
      'worker',
      batches.map((b) => sqsFifoEvent(b)),
      { ...world.env, ...opts.env },
      opts,
    );
    world.output.push(run.stdout, run.stderr);
    if (run.result === undefined) throw new Error(`worker process failed (exit ${run.exitCode}): ${run.stderr}`);
    return { ...run, results: run.result };
  }

  /** Takes every message now in the dead-letter queue. */
  const drainDeadLetters = (): Promise<DeadLetterSeen[]> => drainQueue(world.sqs, world.queues.deadLetterQueueUrl);

  /** A clean slate for one test: the simulator back to its seed and a new, empty state table. */
  async function fresh(): Promise<string> {
    world.sim.reset();
    const tableName = `state-${randomUUID()}`;
    await ensureStateTable(table.endpoint, tableName);
    world.env.STATE_TABLE = tableName;
    await drainDeadLetters();
    return tableName;
  }

  return { world, table, secrets, runWorker, drainDeadLetters, fresh };
}

/** A CloudEvent with a unique id; `ago` (minutes) sets its `time` so tests control the order. */
export function workerEvent(type: string, data: Record<string, unknown>, ago = 10, id?: string) {
  return cloudEvent({ id: id ?? uniqueEventId(), source: 'urn:test:hr', type, time: minutesAgo(ago), data });
}

export function auditLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.message === 'audit');
}
