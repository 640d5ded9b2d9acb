import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { changeStoreOn } from '../../../src/apply/create-apply-deps';
import { adminChangeFromEvent } from '../../../src/events/admin-change';
import { adminChangeEventSchema } from '../../../src/events/admin-change-event';
import { idempotencyKey } from '../../../src/events/idempotency-key';
import { legacyLockItemKey } from '../../../src/state/dynamo-change-store';
import { DynamoIdempotencyStore } from '../../../src/state/idempotency-store';
import { auditLines, useWorkerWorld, workerEvent } from '../../support/worker-world';

const { world, table, runWorker, drainDeadLetters, fresh } = useWorkerWorld();

function admin(name: string) {
  const found = world.sim.admins().find((a) => a.admin_user_name === name);
  if (!found) throw new Error(`no admin ${name} in the simulator`);
  return found;
}

function setCalls() {
  return world.sim.calls().filter((c) => c.method === 'SetAdminUserInfo' && c.error_code === undefined);
}

describe('worker bundle against the simulator, DynamoDB Local, Secrets Manager and SQS', () => {
  it('deactivates by exact name (jdoe, never jdoe2), by id, with a form body and an Idempotency-Key', async () => {
    await fresh();
    const event = workerEvent('admin.deactivated', { admin_user_name: 'jdoe' });
    const { results } = await runWorker([[{ body: event, groupId: 'main/name:jdoe' }]]);

    expect(results).toEqual([{ batchItemFailures: [] }]);
    expect(admin('jdoe').admin_user_active).toBe(false);
    expect(admin('jdoe2').admin_user_active).toBe(true);
    const [call] = setCalls();
    expect(call?.params).toEqual({
      required_admin_user_id: String(admin('jdoe').admin_user_id),
      admin_user_active: 'false',
    });
    expect(call?.query_keys).toEqual([]);
    expect(call?.encoding).toBe('urlencoded');
    expect(call?.idempotency_key).toBe(idempotencyKey(event.source, event.id));
  });

  it('applies a duplicate delivery once, even in a fresh process', async () => {
    await fresh();
    const event = workerEvent('admin.deactivated', { admin_user_name: 'asmith' });
    await runWorker([[{ body: event, groupId: 'main/name:asmith' }]]);
    const second = await runWorker([[{ body: event, groupId: 'main/name:asmith' }]]);

    expect(second.results).toEqual([{ batchItemFailures: [] }]);
    expect(setCalls()).toHaveLength(1);
    expect(auditLines(second.stdout).map((l) => l.outcome)).toEqual(['duplicate']);
  });

  it('skips a stale activation that arrives after a newer deactivation', async () => {
    await fresh();
    const id = admin('bwong').admin_user_id;
    const deactivate = workerEvent('admin.deactivated', { admin_user_id: id }, 5);
    const lateActivate = workerEvent('admin.activated', { admin_user_id: id }, 30);
    const { stdout } = await runWorker([
      [{ body: deactivate, groupId: `main/id:${id}` }],
      [{ body: lateActivate, groupId: `main/id:${id}` }],
    ]);

    expect(admin('bwong').admin_user_active).toBe(false);
    expect(setCalls()).toHaveLength(1);
    expect(auditLines(stdout).map((l) => l.outcome)).toEqual(['applied', 'stale']);
  });

  it('treats the main account named by id and not named at all as one: a late activation stays stale', async () => {
    await fresh();
    const id = admin('asmith').admin_user_id;
    const deactivate = workerEvent('admin.deactivated', { admin_user_id: id, account_id: world.sim.accountId }, 5);
    const lateActivate = workerEvent('admin.activated', { admin_user_id: id }, 30);
    const { stdout } = await runWorker([
      [{ body: deactivate, groupId: `${world.sim.accountId}/id:${id}` }],
      [{ body: lateActivate, groupId: `main/id:${id}` }],
    ]);

    expect(auditLines(stdout).map((l) => l.outcome)).toEqual(['applied', 'stale']);
    expect(admin('asmith').admin_user_active).toBe(false);
  });

  it('renames by name; a lost answer is resolved by re-reading, and the retry does not rename twice', async () => {
    await fresh();
    const id = admin('jdoe2').admin_user_id;
    world.sim.queueFault({ method: 'SetAdminUserInfo', drop: 'after' });
    const rename = workerEvent('admin.renamed', { admin_user_name: 'jdoe2', new_admin_user_name: 'jdoe3' });
    const first = await runWorker([[{ body: rename, groupId: 'main/name:jdoe2' }]]);
    const retry = await runWorker([[{ body: rename, groupId: 'main/name:jdoe2' }]]);

    expect(first.results).toEqual([{ batchItemFailures: [] }]);
    expect(world.sim.admins().find((a) => a.admin_user_id === id)?.admin_user_name).toBe('jdoe3');
    const [audit] = auditLines(first.stdout);
    expect(audit).toMatchObject({ outcome: 'applied', verified: true });
    expect(auditLines(retry.stdout).map((l) => l.outcome)).toEqual(['duplicate']);
    expect(await drainDeadLetters()).toEqual([]);
  });

  it('backs off on throttling (340) and then applies', async () => {
    await fresh();
    world.sim.queueFault({ method: 'SetAdminUserInfo', error: { code: 340 }, times: 2 });
    const event = workerEvent('admin.deactivated', { admin_user_name: 'asmith' });
    const { results, stdout } = await runWorker([[{ body: event, groupId: 'main/name:asmith' }]]);

    expect(results).toEqual([{ batchItemFailures: [] }]);
    expect(admin('asmith').admin_user_active).toBe(false);
    expect(auditLines(stdout)[0]).toMatchObject({ outcome: 'applied', attempts: 3 });
    const emf = stdout.split('\n').find((l) => l.includes('"VoximplantRetries"'));
    expect(JSON.parse(emf ?? '{}').VoximplantRetries).toEqual([1, 1]);
  });

  it('dead-letters an unknown admin and a protected admin (by name and by id) without touching them', async () => {
    await fresh();
    const unknown = workerEvent('admin.deactivated', { admin_user_name: 'nobody' });
    const ownerByName = workerEvent('admin.deactivated', { admin_user_name: 'owner' });
    const ownerById = workerEvent('admin.renamed', {
      admin_user_id: admin('owner').admin_user_id,
      new_admin_user_name: 'x',
    });
    const { results } = await runWorker([
      [
        { body: unknown, groupId: 'main/name:nobody' },
        { body: ownerByName, groupId: 'main/name:owner' },
        { body: ownerById, groupId: 'main/id:1' },
      ],
    ]);

    expect(results).toEqual([{ batchItemFailures: [] }]);
    expect(setCalls()).toHaveLength(0);
    expect(admin('owner').admin_user_active).toBe(true);
    const letters = await drainDeadLetters();
    const byEvent = Object.fromEntries(letters.map((l) => [l.attributes.event_id, l]));
    expect(byEvent[unknown.id]?.attributes.error_code).toBe('admin_not_found');
    expect(byEvent[ownerByName.id]?.attributes.error_code).toBe('protected_admin');
    expect(byEvent[ownerById.id]?.attributes.error_code).toBe('protected_admin');
    expect(JSON.parse(byEvent[unknown.id]?.body ?? '{}')).toEqual(unknown);
    expect(byEvent[unknown.id]?.attributes.idempotency_key).toBe(idempotencyKey(unknown.source, unknown.id));
  });

  it('dead-letters a permanent Voximplant error at once with its code and message; a redrive after the fix applies it', async () => {
    await fresh();
    world.sim.queueFault({ method: 'SetAdminUserInfo', error: { code: 104, msg: 'Forbidden command' } });
    const event = workerEvent('admin.deactivated', { admin_user_name: 'jdoe' });
    const { results } = await runWorker([[{ body: event, groupId: 'main/name:jdoe' }]]);

    expect(results).toEqual([{ batchItemFailures: [] }]);
    const [letter] = await drainDeadLetters();
    expect(letter?.attributes).toMatchObject({
      error_code: '104',
      error_message: 'Forbidden command',
      event_id: event.id,
    });
    expect(admin('jdoe').admin_user_active).toBe(true);

    // The operator fixes the key's roles and redrives the dead letter: it is tried again, not answered from a record.
    const redrive = await runWorker([[{ body: letter?.body, groupId: 'main/name:jdoe' }]]);
    expect(auditLines(redrive.stdout).map((l) => l.outcome)).toEqual(['applied']);
    expect(admin('jdoe').admin_user_active).toBe(false);
  });

  it('delivers every dead letter: a redrive that fails again within 5 minutes gives a second letter (fauxqs)', async () => {
    await fresh();
    world.sim.queueFault({ method: 'SetAdminUserInfo', error: { code: 104, msg: 'Forbidden command' }, times: 2 });
    const event = workerEvent('admin.deactivated', { admin_user_name: 'jdoe' });
    await runWorker([[{ body: event, groupId: 'main/name:jdoe' }]]);
    const [first] = await drainDeadLetters();
    expect(first?.attributes).toMatchObject({ error_code: '104', event_id: event.id });

    // Redriven before the cause is fixed: a new message (new id) with the same body, failing the same way at once.
    await runWorker([[{ body: first?.body, groupId: 'main/name:jdoe' }]]);
    const second = await drainDeadLetters();
    expect(second).toHaveLength(1);
    expect(second[0]?.attributes).toMatchObject({ error_code: '104', event_id: event.id });
    expect(admin('jdoe').admin_user_active).toBe(true);
  });

  it('fails at once, with the code, when a read before the write is refused for good', async () => {
    await fresh();
    world.sim.queueFault({ method: 'GetAdminUsers', error: { code: 104, msg: 'Forbidden command' } });
    const event = workerEvent('admin.deactivated', { admin_user_name: 'jdoe' });
    const { results } = await runWorker([[{ body: event, groupId: 'main/name:jdoe' }]]);

    expect(results).toEqual([{ batchItemFailures: [] }]);
    expect(setCalls()).toHaveLength(0);
    const [letter] = await drainDeadLetters();
    expect(letter?.attributes).toMatchObject({ error_code: '104', event_id: event.id });
  });

  it('hands a change back before the deadline during an outage longer than the remaining time, then applies it', async () => {
    await fresh();
    world.sim.queueFault({ method: 'SetAdminUserInfo', httpStatus: 503, times: 10_000 });
    const event = workerEvent('admin.deactivated', { admin_user_name: 'jdoe' });
    const message = { body: event, groupId: 'main/name:jdoe', messageId: 'm-outage' };
    const outage = await runWorker([[message]], { remainingMs: 8_000 });

    expect(outage.results).toEqual([{ batchItemFailures: [{ itemIdentifier: 'm-outage' }] }]);
    expect(admin('jdoe').admin_user_active).toBe(true);

    world.sim.reset(); // the outage ends (state stays: the change must still apply)
    const after = await runWorker([[message]]);
    expect(after.results).toEqual([{ batchItemFailures: [] }]);
    expect(admin('jdoe').admin_user_active).toBe(false);
  });

  it("offers a handed-back record again within seconds, not after the queue's visibility timeout", async () => {
    await fresh();
    world.sim.queueFault({ method: 'SetAdminUserInfo', httpStatus: 503, times: 10_000 });
    const event = workerEvent('admin.deactivated', { admin_user_name: 'jdoe' });
    const queueUrl = world.queues.queueUrl;
    await world.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(event),
        MessageGroupId: 'main/name:jdoe',
        MessageDeduplicationId: `dedup-${event.id}`,
      }),
    );
    // Received as Lambda would, hidden for 5 minutes: without the worker's own retry delay it stays hidden that long.
    const first = await world.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 300, WaitTimeSeconds: 1 }),
    );
    const message = first.Messages?.[0];
    expect(message?.ReceiptHandle).toBeDefined();
    const outage = await runWorker(
      [
        [
          {
            body: event,
            groupId: 'main/name:jdoe',
            messageId: message?.MessageId,
            receiptHandle: message?.ReceiptHandle,
          },
        ],
      ],
      { remainingMs: 6_000 },
    );
    expect(outage.results[0]?.batchItemFailures).toHaveLength(1);

    const again = await world.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 30, WaitTimeSeconds: 15 }),
    );
    expect(again.Messages?.[0]?.MessageId).toBe(message?.MessageId);
    await world.sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: again.Messages?.[0]?.ReceiptHandle }),
    );
  });

  it('keeps FIFO order in a group: a record that must wait holds back every later record of its group only', async () => {
    const tableName = await fresh();
    const a = workerEvent('admin.deactivated', { admin_user_name: 'jdoe' });
    const b = workerEvent('admin.deactivated', { admin_user_name: 'bwong' });
    const c = workerEvent('admin.deactivated', { admin_user_name: 'asmith' });
    const d = workerEvent('admin.deactivated', { admin_user_name: 'jdoe2' });
    // Another invocation is applying b right now (its idempotency record is in progress).
    const bChange = adminChangeFromEvent(adminChangeEventSchema.parse(b));
    const store = new DynamoIdempotencyStore(table.doc, tableName);
    expect(await store.begin(bChange.idempotencyKey, bChange.fingerprint, 60_000)).toEqual({ state: 'started' });

    const batch = [
      { body: a, groupId: 'g1', messageId: 'a' },
      { body: b, groupId: 'g1', messageId: 'b' },
      { body: c, groupId: 'g1', messageId: 'c' },
      { body: d, groupId: 'g2', messageId: 'd' },
    ];
    const first = await runWorker([batch]);
    expect(first.results[0]?.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['b', 'c']);
    expect(admin('jdoe').admin_user_active).toBe(false);
    expect(admin('jdoe2').admin_user_active).toBe(false);
    expect(admin('asmith').admin_user_active).toBe(true);

    await store.release(bChange.idempotencyKey, bChange.fingerprint);
    const redelivery = await runWorker([batch.slice(1, 3)]);
    expect(redelivery.results).toEqual([{ batchItemFailures: [] }]);
    const order = setCalls().map((call) => call.params.required_admin_user_id);
    expect(order.slice(-2)).toEqual([String(admin('bwong').admin_user_id), String(admin('asmith').admin_user_id)]);
  });

  it('never has two changes to one admin in flight: a change waits for the lease, then goes back to SQS', async () => {
    const tableName = await fresh();
    const id = admin('asmith').admin_user_id;
    // Another change to asmith (from SCIM, or another message group naming her by name) holds her lease.
    const changes = changeStoreOn(table.doc, tableName);
    const holder = {
      key: 'other-change',
      fingerprint: 'other-fingerprint',
      admin: { adminUserId: id },
      attributes: ['displayName'] as const,
      eventId: 'other-event',
    };
    const change = { timeMs: Date.now(), eventId: holder.eventId, source: 'urn:test', set: { displayName: 'x' } };
    expect(
      await changes.claim({ ...holder, leaseMs: 60_000, change, reactivationListed: false, pendingCutoffMs: 0 }),
    ).toEqual({ state: 'claimed' });
    const event = workerEvent('admin.deactivated', { admin_user_id: id });
    const message = { body: event, groupId: `main/id:${id}`, messageId: 'm-busy' };
    const busy = await runWorker([[message]]);

    expect(busy.results).toEqual([{ batchItemFailures: [{ itemIdentifier: 'm-busy' }] }]);
    expect(busy.stderr).toContain('"error_code":"admin_busy"');
    expect(setCalls()).toHaveLength(0);

    await changes.release({ ...holder, clearPending: true });
    const after = await runWorker([[message]]);
    expect(after.results).toEqual([{ batchItemFailures: [] }]);
    expect(admin('asmith').admin_user_active).toBe(false);
  });

  it('waits for a lease of the earlier table layout (a change in flight across a deploy)', async () => {
    const tableName = await fresh();
    const id = admin('asmith').admin_user_id;
    const leaseEnd = Date.now() + 60_000;
    await table.doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...legacyLockItemKey({ adminUserId: id }), owner: 'old-code', lease_expires_at: leaseEnd },
      }),
    );
    const message = {
      body: workerEvent('admin.deactivated', { admin_user_id: id }),
      groupId: `main/id:${id}`,
      messageId: 'm-legacy',
    };
    const busy = await runWorker([[message]]);
    expect(busy.results).toEqual([{ batchItemFailures: [{ itemIdentifier: 'm-legacy' }] }]);
    expect(busy.stderr).toContain('"error_code":"admin_busy"');
    expect(setCalls()).toHaveLength(0);

    await table.doc.send(new DeleteCommand({ TableName: tableName, Key: legacyLockItemKey({ adminUserId: id }) }));
    const after = await runWorker([[message]]);
    expect(after.results).toEqual([{ batchItemFailures: [] }]);
    expect(admin('asmith').admin_user_active).toBe(false);
  });

  it('dead-letters malformed JSON, an invalid CloudEvent and an unknown type with a reason; applies nothing', async () => {
    await fresh();
    const invalid = { ...workerEvent('admin.deactivated', {}), data: { admin_user_id: 'twelve' } };
    const unknownType = workerEvent('admin.deleted', { admin_user_id: 3 });
    const { results } = await runWorker([
      [
        { body: '{"specversion":"1.0",', groupId: 'x1', messageId: 'm1' },
        { body: invalid, groupId: 'x2', messageId: 'm2' },
        { body: unknownType, groupId: 'x3', messageId: 'm3' },
      ],
    ]);

    expect(results).toEqual([{ batchItemFailures: [] }]);
    expect(world.sim.calls()).toEqual([]);
    const letters = await drainDeadLetters();
    expect(letters.map((l) => l.attributes.error_code)).toEqual(['invalid_event', 'invalid_event', 'invalid_event']);
    const reasons = letters.map((l) => l.attributes.error_message).join(' | ');
    expect(reasons).toContain('not valid JSON');
    expect(reasons).toContain('/data/admin_user_id');
    expect(reasons).toContain('/type');
  });

  it('in a dry run logs the exact request and writes nothing, not even state', async () => {
    await fresh();
    const event = workerEvent('admin.deactivated', { admin_user_name: 'jdoe' });
    const dry = await runWorker([[{ body: event, groupId: 'main/name:jdoe' }]], { env: { DRY_RUN: 'true' } });
    expect(setCalls()).toHaveLength(0);
    expect(dry.stdout).toContain('would call SetAdminUserInfo');
    expect(dry.stdout).toContain('"admin_user_active":"false"');

    const real = await runWorker([[{ body: event, groupId: 'main/name:jdoe' }]]);
    expect(auditLines(real.stdout).map((l) => l.outcome)).toEqual(['applied']);
    expect(admin('jdoe').admin_user_active).toBe(false);
  });

  it('a message written straight to the queue is capped by SentTimestamp: a future activation outranks nothing', async () => {
    await fresh();
    // An activation stamped 4m59s ahead, then a real deactivation: the first is ordered at its SentTimestamp.
    const future = workerEvent('admin.activated', { admin_user_name: 'jdoe' }, -(4 * 60 + 59) / 60);
    await runWorker([[{ body: future, groupId: 'main/name:jdoe' }]]);
    const deactivation = workerEvent('admin.deactivated', { admin_user_name: 'jdoe' }, 0);
    const { stdout } = await runWorker([[{ body: deactivation, groupId: 'main/name:jdoe' }]]);
    expect(auditLines(stdout).map((l) => l.outcome)).toEqual(['applied']);
    expect(admin('jdoe').admin_user_active).toBe(false);
  });

  it('logs and counts every record it hands back unstarted for lack of time', async () => {
    await fresh();
    const a = workerEvent('admin.deactivated', { admin_user_name: 'jdoe' });
    const b = workerEvent('admin.deactivated', { admin_user_name: 'bwong' });
    const run = await runWorker(
      [
        [
          { body: a, groupId: 'main/name:jdoe', messageId: 'm-late-1' },
          { body: b, groupId: 'main/name:bwong', messageId: 'm-late-2' },
        ],
      ],
      { remainingMs: 1_000 },
    );
    expect(run.results[0]?.batchItemFailures).toEqual([{ itemIdentifier: 'm-late-1' }, { itemIdentifier: 'm-late-2' }]);
    const lines = `${run.stdout}\n${run.stderr}`
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const handedBack = lines.filter((l) => l.message === 'record handed back unstarted');
    expect(handedBack.map((l) => [l.message_id, l.reason])).toEqual([
      ['m-late-1', 'no_time_to_start'],
      ['m-late-2', 'no_time_to_start'],
    ]);
    const counted = lines.flatMap((l) => (l.RecordsNotStarted === undefined ? [] : [l.RecordsNotStarted].flat()));
    expect(counted.reduce((sum: number, n) => sum + Number(n), 0)).toBe(2);
    expect(setCalls()).toHaveLength(0);
  });

  it('never writes a private key, a JWT or a password to its logs', () => {
    const all = world.output.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    const privateKeyBody = world.sim.credentials().private_key.split('\n')[1] ?? 'unreachable';
    expect(all).not.toContain(privateKeyBody);
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    expect(all).not.toContain('PRIVATE KEY');
  });
});
