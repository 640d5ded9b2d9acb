import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RotationStepResult } from '../../../src/rotation/run-rotation-step';
import type { VoximplantCredentials } from '../../../src/voximplant/credentials';
import { sqsFifoEvent } from '../../support/sqs-event';
import { CREDENTIALS_SECRET, useWorkerWorld, workerEvent } from '../../support/worker-world';

/**
 * The built bundles, as Lambda runs them: one worker container (imported once, so it keeps its cached credentials
 * and JWT between invocations) keeps applying changes while rotate-key rotates the very secret it reads, twice, so
 * that the key the worker cached is deleted ("two generations back") under it.
 */
const { world, secrets } = useWorkerWorld();

type Handler<E, R> = (event: E, context: Context) => Promise<R>;
let worker: Handler<SQSEvent, SQSBatchResponse>;
let rotateKey: Handler<unknown, RotationStepResult>;

function lambdaContext(): Context {
  const deadline = Date.now() + 30_000;
  return { getRemainingTimeInMillis: () => deadline - Date.now(), awsRequestId: 'req-rotation' } as Context;
}

async function importBundle<T>(name: string): Promise<T> {
  const path = resolve('dist', name, 'index.mjs');
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build first`);
  return (await import(path)) as T;
}

afterEach(() => vi.restoreAllMocks());

beforeAll(async () => {
  Object.assign(process.env, world.env, {
    LOG_LEVEL: 'info',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  ({ handler: worker } = await importBundle<{ handler: typeof worker }>('worker'));
  ({ handler: rotateKey } = await importBundle<{ handler: typeof rotateKey }>('rotate-key'));
});

/** One whole rotation of the credentials secret, step by step, as Secrets Manager drives it. */
async function rotateCredentials(): Promise<string[]> {
  const token = secrets.server.beginRotation(CREDENTIALS_SECRET);
  const outcomes: string[] = [];
  for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
    const result = await rotateKey({ Step, SecretId: CREDENTIALS_SECRET, ClientRequestToken: token }, lambdaContext());
    outcomes.push(result.outcome);
  }
  return outcomes;
}

const deactivate = (name: string) =>
  sqsFifoEvent([{ body: workerEvent('admin.deactivated', { admin_user_name: name }), groupId: `g-${name}` }]);
const active = (name: string) => world.sim.admins().find((a) => a.admin_user_name === name)?.admin_user_active;
const currentKeyId = () => (JSON.parse(secrets.server.current(CREDENTIALS_SECRET)!) as VoximplantCredentials).key_id;

describe('a worker container across rotations of its own key by rotate-key (built bundles)', () => {
  it('keeps applying changes: the first rotation leaves its key valid, the second deletes it and one refresh heals', async () => {
    const output: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        output.push(String(chunk));
        return true;
      });
    }
    const k0 = world.sim.credentials().key_id;

    expect(await worker(deactivate('jdoe'), lambdaContext())).toEqual({ batchItemFailures: [] });

    expect(await rotateCredentials()).toEqual(['created', 'nothing_to_set', 'key_works', 'current_moved']);
    const k1 = currentKeyId();
    // The worker still holds k0 (cached for minutes): it is AWSPREVIOUS now, and still valid.
    expect(await worker(deactivate('jdoe2'), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(world.sim.calls().filter((c) => c.error_code !== undefined)).toEqual([]);

    expect(await rotateCredentials()).toEqual(['created', 'nothing_to_set', 'key_works', 'current_moved']);
    const k2 = currentKeyId();
    expect(new Set([k0, k1, k2]).size).toBe(3);
    expect(
      world.sim
        .calls()
        .filter((c) => c.method === 'DeleteKey')
        .map((c) => c.params.key_id),
    ).toEqual([k0]);

    // k0, which the worker still caches, is gone: the next batch is refused once, re-reads the secret, applies.
    expect(await worker(deactivate('asmith'), lambdaContext())).toEqual({ batchItemFailures: [] });
    vi.restoreAllMocks();
    expect([active('jdoe'), active('jdoe2'), active('asmith')]).toEqual([false, false, false]);
    const applied = world.sim
      .calls()
      .filter((c) => c.method === 'SetAdminUserInfo' && c.error_code === undefined)
      .at(-1);
    expect(applied?.key_id).toBe(k2);
    // Exactly one refusal (433, the deleted key), then the refreshed key: the worker did not keep hammering.
    expect(
      world.sim
        .calls()
        .filter((c) => c.error_code !== undefined)
        .map((c) => c.error_code),
    ).toEqual([433]);

    // Logs and metrics of both functions went to stdout: the outcome is counted, no key material is printed.
    const text = output.join('');
    expect(text).toContain('RotationSucceeded');
    expect(text).toContain('"outcome":"current_moved"');
    expect(text).not.toContain('PRIVATE KEY');
  });
});
