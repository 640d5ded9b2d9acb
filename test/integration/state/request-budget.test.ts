import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApplyDeps, applyChange } from '../../../src/apply/apply-change';
import { changeStoreOn } from '../../../src/apply/create-apply-deps';
import { ProtectedGuard } from '../../../src/apply/protected-guard';
import {
  type AdminAttributes,
  type AdminChange,
  type AdminTarget,
  changeFingerprint,
} from '../../../src/events/admin-change';
import { idempotencyKey } from '../../../src/events/idempotency-key';
import { protectedAdmins } from '../../../src/events/protected-admins';
import { createLogger } from '../../../src/observability/logger';
import { ReactivationPolicy } from '../../../src/ordering/reactivation-policy';
import { deadlineIn } from '../../../src/runtime/deadline';
import { DynamoNameCache } from '../../../src/state/name-cache';
import { DynamoOrderingStore } from '../../../src/state/ordering-store';
import { createSimulator, type Simulator } from '../../../tooling/sim/simulator';
import { localDocumentClient } from '../../support/aws';
import { useStateTable } from '../../support/dynamo';
import { fastRetryPolicy, simulatorClient } from '../../support/simulator-client';

/**
 * What one change costs the state table, on DynamoDB Local through the real stores: every request the apply step
 * sends is recorded with its start and end, and requests whose intervals overlap count as one round trip. These
 * are the figures docs/PERFORMANCE.md states (an applied change by id: 2 requests in 2 round trips; a duplicate: 1).
 */
const table = useStateTable();
const HR = 'urn:hr:workday';
const T = Date.parse('2026-12-01T09:00:00Z');

let sim: Simulator;
let apiUrl: string;
beforeAll(async () => {
  sim = await createSimulator({ seed: [{ admin_user_name: 'ann' }, { admin_user_name: 'bob' }] });
  ({ apiUrl } = await sim.listen(0));
});
afterAll(async () => {
  await sim?.close();
});

interface Sent {
  command: string;
  start: number;
  end: number;
}
let sent: Sent[] = [];
let deps: ApplyDeps;

beforeEach(() => {
  sim.reset();
  sent = [];
  const doc = localDocumentClient(table.endpoint);
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const entry = { command: String(context.commandName).replace(/Command$/, ''), start: performance.now(), end: 0 };
      sent.push(entry);
      try {
        return await next(args);
      } finally {
        entry.end = performance.now();
      }
    },
    { step: 'initialize', name: 'recordRequests' },
  );
  const logger = createLogger('request-budget-test', 'silent');
  const ordering = new DynamoOrderingStore(doc, table.tableName);
  deps = {
    changes: changeStoreOn(doc, table.tableName, ordering),
    ordering,
    names: new DynamoNameCache(doc, table.tableName),
    voximplant: simulatorClient(sim, apiUrl, logger, fastRetryPolicy(3)),
    protectedGuard: new ProtectedGuard(protectedAdmins([])),
    reactivation: new ReactivationPolicy([]),
    logger,
    dryRun: false,
    now: Date.now,
    sleep: async () => undefined,
  };
});

/** Requests whose intervals overlap were in flight together: one round trip. */
function roundTrips(requests: readonly Sent[]): number {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  let trips = 0;
  let waveEnd = Number.NEGATIVE_INFINITY;
  for (const r of sorted) {
    if (r.start >= waveEnd) trips++;
    waveEnd = Math.max(waveEnd, r.end);
  }
  return trips;
}

let seq = 0;
function change(target: AdminTarget, set: AdminAttributes, timeMs = T): AdminChange {
  const eventId = `budget-${++seq}-${Math.random().toString(16).slice(2, 8)}`;
  const time = new Date(timeMs).toISOString();
  return {
    idempotencyKey: idempotencyKey(HR, eventId),
    fingerprint: changeFingerprint('admin.updated', time, target, set),
    eventId,
    source: HR,
    type: 'admin.updated',
    time,
    timeMs,
    target,
    set,
  };
}

const idOf = (name: string) => sim.admins().find((a) => a.admin_user_name === name)?.admin_user_id ?? -1;
const apply = (c: AdminChange, d = deps) => applyChange(c, d, deadlineIn(20_000));
const measured = async (c: AdminChange, d = deps) => {
  sent = [];
  const result = await apply(c, d);
  return { result, commands: sent.map((s) => s.command), trips: roundTrips(sent) };
};

describe('DynamoDB requests per change', () => {
  it('an applied deactivation by id: one claim and one settle transaction, 2 requests in 2 round trips', async () => {
    const c = change({ adminUserId: idOf('ann') }, { active: false });
    const { result, commands, trips } = await measured(c);
    expect(result).toMatchObject({ kind: 'done', outcome: { status: 'applied' } });
    expect(commands).toEqual(['TransactWriteItems', 'TransactWriteItems']);
    expect(trips).toBe(2);
  });

  it('a duplicate: the claim answers from the record, 1 request and no Voximplant call', async () => {
    const c = change({ adminUserId: idOf('ann') }, { active: false });
    await apply(c);
    const calls = sim.calls().length;
    const { result, commands } = await measured(c);
    expect(result).toMatchObject({ kind: 'done', duplicate: true });
    expect(commands).toEqual(['TransactWriteItems']);
    expect(sim.calls()).toHaveLength(calls);
  });

  it('a stale change: the refused claim, then its record closed: 2 requests, nothing sent', async () => {
    await apply(change({ adminUserId: idOf('bob') }, { displayName: 'newer' }, T + 60_000));
    const writes = sim.calls().length;
    const { result, commands } = await measured(change({ adminUserId: idOf('bob') }, { displayName: 'older' }));
    expect(result).toMatchObject({ kind: 'done', outcome: { status: 'stale' } });
    expect(commands).toEqual(['TransactWriteItems', 'PutItem']);
    expect(sim.calls()).toHaveLength(writes);
  });

  it('by name: the record and the name cache are read together first, so a duplicate calls nothing', async () => {
    const c = change({ adminUserName: 'ann' }, { displayName: 'Ann A.' });
    const first = await measured(c);
    expect(first.result).toMatchObject({ kind: 'done', outcome: { status: 'applied' } });
    // Record ∥ name cache, the name cache write after the lookup, claim, settle.
    expect(first.commands).toEqual(['GetItem', 'GetItem', 'PutItem', 'TransactWriteItems', 'TransactWriteItems']);
    const calls = sim.calls().length;
    const again = await measured(c);
    expect(again.result).toMatchObject({ kind: 'done', duplicate: true });
    expect(again.commands).toEqual(['GetItem', 'GetItem']);
    expect(again.trips).toBe(1);
    expect(sim.calls()).toHaveLength(calls);
  });

  it('a dry run reads the admin item once and writes nothing', async () => {
    const { result, commands } = await measured(change({ adminUserId: idOf('bob') }, { active: false }), {
      ...deps,
      dryRun: true,
    });
    expect(result).toMatchObject({ kind: 'done', outcome: { status: 'applied' } });
    expect(commands).toEqual(['GetItem']);
  });
});
