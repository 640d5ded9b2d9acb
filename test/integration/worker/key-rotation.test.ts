import { resolve } from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { deadlineIn } from '../../../src/runtime/deadline';
import { VoximplantClient } from '../../../src/voximplant/client';
import { credentialsFromValue } from '../../../src/voximplant/credentials';
import { createKey, deleteKey } from '../../../src/voximplant/keys';
import { sqsFifoEvent } from '../../support/sqs-event';
import { CREDENTIALS_SECRET, useWorkerWorld, workerEvent } from '../../support/worker-world';

const { world, secrets } = useWorkerWorld();

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

function lambdaContext(): Context {
  const deadline = Date.now() + 30_000;
  return { getRemainingTimeInMillis: () => deadline - Date.now(), awsRequestId: 'req-rotation' } as Context;
}

describe('a worker container across a rotation of its own Voximplant key', () => {
  it('keeps applying changes after the key it cached is deleted: one refresh of the secret, then success', async () => {
    // One container: the bundle is loaded once and keeps its cached credentials and JWT between invocations.
    Object.assign(process.env, world.env, {
      LOG_LEVEL: 'error',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    const { handler } = (await import(resolve('dist/worker/index.mjs'))) as { handler: Handler };
    const oldKey = world.sim.credentials();

    const before = await handler(
      sqsFifoEvent([{ body: workerEvent('admin.deactivated', { admin_user_name: 'jdoe' }), groupId: 'g-jdoe' }]),
      lambdaContext(),
    );
    expect(before).toEqual({ batchItemFailures: [] });

    // What rotate-key does, in short: a new key, stored as the secret's current value, then the old key deleted.
    const operator = new VoximplantClient({
      apiUrl: world.env.VOXIMPLANT_API_URL!,
      credentials: credentialsFromValue(oldKey),
    });
    const newKey = await createKey(
      operator,
      { keyName: 'rotated', roleNames: ['Owner'] },
      { deadline: deadlineIn(10_000) },
    );
    secrets.server.putSecret(CREDENTIALS_SECRET, newKey);
    await deleteKey(operator, oldKey.key_id, { deadline: deadlineIn(10_000) });

    const after = await handler(
      sqsFifoEvent([{ body: workerEvent('admin.deactivated', { admin_user_name: 'asmith' }), groupId: 'g-asmith' }]),
      lambdaContext(),
    );
    expect(after).toEqual({ batchItemFailures: [] });
    expect(world.sim.admins().find((a) => a.admin_user_name === 'asmith')?.admin_user_active).toBe(false);
    const asmithWrite = world.sim
      .calls()
      .filter((c) => c.method === 'SetAdminUserInfo' && c.error_code === undefined)
      .at(-1);
    expect(asmithWrite?.key_id).toBe(newKey.key_id);
    // The stale key was tried once and refused; the worker did not keep hammering with it.
    const refused = world.sim.calls().filter((c) => c.error_code !== undefined);
    expect(refused.map((c) => c.error_code)).toEqual([433]);
  });
});
