import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse } from 'aws-lambda';
import { afterAll, beforeAll } from 'vitest';
import { createLogger } from '../../../src/observability/logger';
import type { ReconcileResult } from '../../../src/reconcile/reconcile-result';
import { deadlineIn } from '../../../src/runtime/deadline';
import { setAdminUserInfo } from '../../../src/voximplant/admin-users';
import type { VoximplantClient } from '../../../src/voximplant/client';
import { type LocalQueues, startLocalQueues } from '../../../tooling/local/local-queues';
import { ensureStateTable } from '../../../tooling/local/state-table';
import { createSimulator, type Simulator } from '../../../tooling/sim/simulator';
import { useStateTable } from '../../support/dynamo';
import { invokeBundleInFreshProcess } from '../../support/invoke-bundle';
import { useSecretsManager } from '../../support/secrets-manager';
import { simulatorClient } from '../../support/simulator-client';
import { sqsFifoEvent } from '../../support/sqs-event';

export const CHILD_ACCOUNT = 2_000_002;
const CREDENTIALS_SECRET = 'vox-admin-bridge/voximplant-credentials';

/**
 * The built worker and reconcile bundles, each in fresh processes as Lambda runs them, against the simulator (a main
 * account with 130 extra admins, so GetAdminUsers has more than one page of 100, and one child account), the local
 * Secrets Manager, the state table and fauxqs for the worker's dead-letter queue.
 */
export function useReconcileWorld() {
  const table = useStateTable();
  const secrets = useSecretsManager();
  const world = {
    sim: undefined as unknown as Simulator,
    apiUrl: '',
    queues: undefined as unknown as LocalQueues,
    env: {} as Record<string, string>,
    /** Another API client (the control panel, in effect): changes admins behind the bridge's back. */
    byHand: undefined as unknown as VoximplantClient,
  };

  beforeAll(async () => {
    world.sim = await createSimulator({ seed: 'demo', childAccountIds: [CHILD_ACCOUNT] });
    world.apiUrl = (await world.sim.listen(0)).apiUrl;
    secrets.server.putSecret(CREDENTIALS_SECRET, world.sim.credentials());
    world.queues = await startLocalQueues();
    world.byHand = simulatorClient(world.sim, world.apiUrl, createLogger('by-hand', 'silent'));
    world.env = {
      VOXIMPLANT_API_URL: world.apiUrl,
      VOXIMPLANT_CREDENTIALS_SECRET_ID: CREDENTIALS_SECRET,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      AWS_ENDPOINT_URL_SQS: world.queues.endpoint,
      STATE_TABLE: table.tableName,
      DEAD_LETTER_QUEUE_URL: world.queues.deadLetterQueueUrl,
      PROTECTED_ADMIN_USERS: 'owner',
      LOG_LEVEL: 'info',
    };
  });
  afterAll(async () => {
    await world.queues?.close();
    await world.sim?.close();
  });

  /** A clean slate: the simulator back to its seed (plus the extra admins), a new empty state table. */
  async function fresh(): Promise<void> {
    world.sim.reset();
    for (let i = 1; i <= 130; i += 1) world.sim.addAdmin({ admin_user_name: `bulk${String(i).padStart(3, '0')}` });
    world.sim.addAdmin({ account_id: CHILD_ACCOUNT, admin_user_name: 'cdoe' });
    const tableName = `state-${randomUUID()}`;
    await ensureStateTable(table.endpoint, tableName);
    world.env.STATE_TABLE = tableName;
  }

  async function runWorker(events: { body: unknown; groupId: string }[]): Promise<void> {
    const run = await invokeBundleInFreshProcess<SQSBatchResponse>(
      'worker',
      events.map((e) => sqsFifoEvent([e])),
      world.env,
    );
    const failures = run.result?.flatMap((r) => r.batchItemFailures) ?? [];
    if (run.result === undefined || failures.length > 0) {
      throw new Error(`worker did not apply everything (exit ${run.exitCode}): ${run.stdout}${run.stderr}`);
    }
  }

  async function runReconcile(env: Record<string, string> = {}, remainingMs?: number) {
    const run = await invokeBundleInFreshProcess<ReconcileResult>(
      'reconcile',
      [{ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }],
      { ...world.env, ...env },
      remainingMs === undefined ? {} : { remainingMs },
    );
    const result = run.result?.[0];
    if (result === undefined) throw new Error(`reconcile process failed (exit ${run.exitCode}): ${run.stderr}`);
    return { result, logs: `${run.stdout}${run.stderr}` };
  }

  function admin(name: string, accountId?: number) {
    const found = world.sim.admins(accountId).find((a) => a.admin_user_name === name);
    if (found === undefined) throw new Error(`no admin ${name}`);
    return found;
  }

  async function setByHand(adminUserId: number, set: { active?: boolean; displayName?: string }, accountId?: number) {
    await setAdminUserInfo(
      world.byHand,
      { adminUserId, ...set },
      { deadline: deadlineIn(10_000), ...(accountId !== undefined && { accountId }) },
    );
  }

  /** Successful SetAdminUserInfo calls since the last reset, optionally only those after `since` calls. */
  function writes(since = 0) {
    return world.sim
      .calls()
      .slice(since)
      .filter((c) => c.method === 'SetAdminUserInfo' && c.error_code === undefined);
  }

  return { world, table, fresh, runWorker, runReconcile, admin, setByHand, writes };
}
