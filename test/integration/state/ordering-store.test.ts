import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { AdminAttributes } from '../../../src/events/admin-change';
import type { OrderedChange } from '../../../src/ordering/ordering-rule';
import { orderingItemKey } from '../../../src/state/keys';
import {
  type AdminRef,
  DynamoOrderingStore,
  type OrderedAttribute,
  type OrderingStore,
} from '../../../src/state/ordering-store';
import { useStateTable } from '../../support/dynamo';

let adminCounter = 1000;
const newAdmin = (accountId?: number): AdminRef =>
  accountId === undefined ? { adminUserId: ++adminCounter } : { accountId, adminUserId: ++adminCounter };

const change = (timeMs: number, eventId: string, set: AdminAttributes, source = 'urn:hr'): OrderedChange => ({
  timeMs,
  eventId,
  source,
  set,
});
const attrs = (set: AdminAttributes) => Object.keys(set) as OrderedAttribute[];

describe('OrderingStore', () => {
  const table = useStateTable();
  const store = () => new DynamoOrderingStore(table.doc, table.tableName);
  const record = (s: OrderingStore, admin: AdminRef, c: OrderedChange) => s.record(admin, attrs(c.set), c);

  it('records a newer change, and refuses a strictly older one (the write is conditional)', async () => {
    const s = store();
    const admin = newAdmin();
    expect(await record(s, admin, change(100, 'e1', { name: 'a' }))).toEqual({ recorded: ['name'], overtaken: [] });
    expect(await record(s, admin, change(200, 'e2', { name: 'b' }))).toEqual({ recorded: ['name'], overtaken: [] });
    expect(await record(s, admin, change(199, 'e4', { name: 'c' }))).toEqual({ recorded: [], overtaken: ['name'] });
    expect(await s.versions(admin)).toEqual({ name: { timeMs: 200, eventId: 'e2', source: 'urn:hr', value: 'b' } });
  });

  it('equal times: a deactivation wins over an activation, an activation does not over a deactivation', async () => {
    const s = store();
    const on = newAdmin();
    await record(s, on, change(100, 'act', { active: true }));
    expect(await record(s, on, change(100, 'deact', { active: false }))).toEqual({
      recorded: ['active'],
      overtaken: [],
    });
    expect(await record(s, on, change(100, 'act-2', { active: true }))).toEqual({
      recorded: [],
      overtaken: ['active'],
    });
    expect((await s.versions(on)).active).toEqual({ timeMs: 100, eventId: 'deact', source: 'urn:hr', value: false });
  });

  it('the same change can record again (a redelivery after a crash), even against its own tie rule', async () => {
    const s = store();
    const admin = newAdmin();
    await record(s, admin, change(100, 'deact', { active: false }));
    await record(s, admin, change(100, 'act', { active: true }, 'urn:other'));
    const again = change(100, 'deact', { active: false });
    expect(await record(s, admin, again)).toEqual({ recorded: ['active'], overtaken: [] });
  });

  it('never stores a password, only its version', async () => {
    const s = store();
    const admin = newAdmin();
    await record(s, admin, change(100, 'pw', { password: 'Secret-Passw0rd!' }, 'urn:vox-admin-bridge:scim'));
    const item = (
      await table.doc.send(
        new GetCommand({
          TableName: table.tableName,
          Key: orderingItemKey(undefined, admin.adminUserId),
        }),
      )
    ).Item;
    expect(JSON.stringify(item)).not.toContain('Secret-Passw0rd!');
    expect(await s.versions(admin)).toEqual({
      password: { timeMs: 100, eventId: 'pw', source: 'urn:vox-admin-bridge:scim' },
    });
  });

  it('reads items written before sources and values were stored', async () => {
    const s = store();
    const admin = newAdmin();
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...orderingItemKey(undefined, admin.adminUserId),
          active_time_ms: 500,
          active_event_id: 'old',
          name_time_ms: 400,
          name_event_id: 'old-name',
        },
      }),
    );
    expect(await s.versions(admin)).toEqual({
      active: { timeMs: 500, eventId: 'old' },
      name: { timeMs: 400, eventId: 'old-name' },
    });
    // An old `active` of unknown value counts as a deactivation: an activation at the same time does not win.
    expect(await record(s, admin, change(500, 'act', { active: true }))).toEqual({
      recorded: [],
      overtaken: ['active'],
    });
    expect(await record(s, admin, change(501, 'act', { active: true }))).toEqual({
      recorded: ['active'],
      overtaken: [],
    });
  });

  it('orders each attribute on its own: a record can be partly overtaken', async () => {
    const s = store();
    const admin = newAdmin();
    await record(s, admin, change(300, 'rename', { name: 'n' }));
    await record(s, admin, change(100, 'deactivate', { active: false }));
    const result = await record(s, admin, change(200, 'update', { active: true, name: 'm', displayName: 'D' }));
    expect(result).toEqual({ recorded: ['active', 'displayName'], overtaken: ['name'] });
    expect(await s.versions(admin)).toEqual({
      active: { timeMs: 200, eventId: 'update', source: 'urn:hr', value: true },
      name: { timeMs: 300, eventId: 'rename', source: 'urn:hr', value: 'n' },
      displayName: { timeMs: 200, eventId: 'update', source: 'urn:hr', value: 'D' },
    });
  });

  it('an older writer whose write lands after a newer one loses (a writer whose lease expired)', async () => {
    const admin = newAdmin();
    await record(store(), admin, change(100, 'first', { active: false }));
    let releaseOlder!: () => void;
    const olderMayWrite = new Promise<void>((resolve) => {
      releaseOlder = resolve;
    });
    const gated = {
      send: async (command: unknown) => {
        if (command instanceof UpdateCommand && command.input.ExpressionAttributeValues?.[':eventId'] === 'older') {
          await olderMayWrite;
        }
        return table.doc.send(command as UpdateCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    const older = record(
      new DynamoOrderingStore(gated, table.tableName),
      admin,
      change(200, 'older', { active: true, name: 'x' }),
    );
    const newer = await record(store(), admin, change(300, 'newer', { active: false }));
    releaseOlder();
    expect(newer).toEqual({ recorded: ['active'], overtaken: [] });
    expect(await older).toEqual({ recorded: ['name'], overtaken: ['active'] });
    expect(await store().versions(admin)).toEqual({
      active: { timeMs: 300, eventId: 'newer', source: 'urn:hr', value: false },
      name: { timeMs: 200, eventId: 'older', source: 'urn:hr', value: 'x' },
    });
  });

  it('many concurrent records: the newest always remains recorded', async () => {
    const s = store();
    const admin = newAdmin();
    const times = [7, 3, 12, 1, 9, 5, 11, 2, 8, 4, 10, 6];
    await Promise.all(times.map((t, i) => record(s, admin, change(t, `e${i}-${t}`, { active: false, name: `n${t}` }))));
    const versions = await s.versions(admin);
    expect(versions.active?.timeMs).toBe(12);
    expect(versions.name).toMatchObject({ timeMs: 12, value: 'n12' });
  });

  it('keeps admins of different accounts apart', async () => {
    const s = store();
    const { adminUserId } = newAdmin();
    await record(s, { accountId: 1, adminUserId }, change(500, 'child-1', { active: false }));
    expect((await record(s, { adminUserId }, change(100, 'main', { active: false }))).recorded).toEqual(['active']);
    expect((await record(s, { accountId: 1, adminUserId }, change(400, 'late', { active: false }))).recorded).toEqual(
      [],
    );
  });

  it('records nothing for no attributes, and takes each attribute once', async () => {
    const s = store();
    const admin = newAdmin();
    expect(await s.record(admin, [], change(100, 'e', {}))).toEqual({ recorded: [], overtaken: [] });
    expect(await s.versions(admin)).toEqual({});
    expect(await s.record(admin, ['password', 'password'], change(100, 'e', { password: 'p' }))).toEqual({
      recorded: ['password'],
      overtaken: [],
    });
  });

  it('pending marks: set before the call, never count as applied, and only their own change clears them', async () => {
    const s = store();
    const admin = newAdmin();
    await s.markPending(admin, ['active'], change(300, 'in-flight', { active: false }), 1_000);
    expect(await s.state(admin)).toEqual({
      applied: {},
      pending: { active: { timeMs: 300, eventId: 'in-flight', source: 'urn:hr', value: false, markedAtMs: 1_000 } },
    });
    await s.clearPending(admin, ['active'], 'someone-else');
    expect((await s.state(admin)).pending.active?.eventId).toBe('in-flight');
    await record(s, admin, change(300, 'in-flight', { active: false }));
    await s.clearPending(admin, ['active'], 'in-flight');
    expect(await s.state(admin)).toEqual({
      applied: { active: { timeMs: 300, eventId: 'in-flight', source: 'urn:hr', value: false } },
      pending: {},
    });
  });

  it('rejects a time that is not a number', async () => {
    await expect(
      store().record(newAdmin(), ['active'], change(Number.NaN, 'e', { active: false })),
    ).rejects.toBeInstanceOf(RangeError);
  });
});
