import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyChange } from '../../../src/apply/apply-change';
import { dynamoAuditSink } from '../../../src/audit/audit-sink';
import { loadConfig } from '../../../src/config';
import { adminChangeFromEvent } from '../../../src/events/admin-change';
import { adminChangeEventSchema } from '../../../src/events/admin-change-event';
import { createLogger } from '../../../src/observability/logger';
import { createReconcileDeps } from '../../../src/reconcile/create-reconcile-deps';
import { runReconcile } from '../../../src/reconcile/run-reconcile';
import { deadlineIn } from '../../../src/runtime/deadline';
import { setAdminUserInfo } from '../../../src/voximplant/admin-users';
import { createSimulator, type Simulator } from '../../../tooling/sim/simulator';
import { cloudEvent, minutesAgo, uniqueEventId } from '../../support/cloud-event';
import { useStateTable } from '../../support/dynamo';
import { simulatorClient } from '../../support/simulator-client';

const table = useStateTable();
const logger = createLogger('reconcile-test', 'silent');
let sim: Simulator;
let apiUrl: string;
let credentialsFile: string;

beforeAll(async () => {
  sim = await createSimulator({ seed: 'demo' });
  apiUrl = (await sim.listen(0)).apiUrl;
  credentialsFile = join(mkdtempSync(join(tmpdir(), 'vab-reconcile-')), 'credentials.json');
  await sim.writeCredentialsFile(credentialsFile);
});
afterAll(async () => {
  await sim?.close();
});

function deps() {
  const config = loadConfig({
    STATE_TABLE: table.tableName,
    VOXIMPLANT_API_URL: apiUrl,
    VOXIMPLANT_CREDENTIALS_FILE: credentialsFile,
    PROTECTED_ADMIN_USERS: 'owner',
  });
  return createReconcileDeps(config, logger, { doc: table.doc });
}

function change(type: 'admin.deactivated' | 'admin.activated', adminUserId: number, ago: number) {
  const event = adminChangeEventSchema.parse(
    cloudEvent({
      id: uniqueEventId(),
      source: 'urn:test:hr',
      type,
      time: minutesAgo(ago),
      data: { admin_user_id: adminUserId },
    }),
  );
  return adminChangeFromEvent(event, Date.now());
}

describe('reconcile in process: a change that lands while a repair is on its way', () => {
  it('leaves a newer legitimate activation applied between the drift check and the repair in place', async () => {
    sim.reset();
    const reconcile = deps();
    const jdoe = sim.admins().find((a) => a.admin_user_name === 'jdoe')!;
    const applied = await applyChange(
      change('admin.deactivated', jdoe.admin_user_id, 10),
      reconcile.apply,
      deadlineIn(10_000),
    );
    expect(applied).toMatchObject({ kind: 'done', outcome: { status: 'applied' } });
    const byHand = simulatorClient(sim, apiUrl, logger);
    await setAdminUserInfo(byHand, { adminUserId: jdoe.admin_user_id, active: true }, { deadline: deadlineIn(5_000) });

    // The drift's audit record is written just before the repair: the legitimate activation lands right then.
    const audit = reconcile.audit;
    let raced = false;
    reconcile.audit = {
      async record(entry) {
        await audit.record(entry);
        if (entry.status === 'drift' && !raced) {
          raced = true;
          const newer = await applyChange(
            change('admin.activated', jdoe.admin_user_id, 1),
            reconcile.apply,
            deadlineIn(10_000),
          );
          expect(newer).toMatchObject({ kind: 'done', outcome: { status: 'applied' } });
        }
      },
    };
    const writesBefore = sim.calls().filter((c) => c.method === 'SetAdminUserInfo').length;

    const result = await runReconcile(reconcile, { mode: 'repair' }, deadlineIn(20_000));

    expect(raced).toBe(true);
    expect(result.drift).toEqual([expect.objectContaining({ admin_user_id: jdoe.admin_user_id, action: 'overtaken' })]);
    expect(result.drift_repaired).toBe(0);
    expect(sim.admins().find((a) => a.admin_user_id === jdoe.admin_user_id)?.admin_user_active).toBe(true);
    // Only the legitimate activation was written; the repair was stale and sent nothing.
    const writes = sim
      .calls()
      .filter((c) => c.method === 'SetAdminUserInfo')
      .slice(writesBefore);
    expect(writes.map((c) => c.params.admin_user_active)).toEqual(['true']);
  });

  it('an audit write that fails is logged and counted, never thrown', async () => {
    const lines: string[] = [];
    const counted: string[] = [];
    const sink = dynamoAuditSink({
      doc: table.doc,
      table: 'no-such-table',
      retentionDays: 400,
      logger: { error: (m: string) => lines.push(m) } as unknown as ReturnType<typeof createLogger>,
      metrics: { addMetric: (name: string) => counted.push(name) } as never,
    });
    await expect(
      sink.record({
        status: 'applied',
        account: 'main',
        admin: '2',
        source: 'urn:test:hr',
        event_id: 'e1',
        idempotency_key: 'k1',
        type: 'admin.deactivated',
        event_time: '2026-01-01T00:00:00.000Z',
        accepted_at: '2026-01-01T00:00:02.000Z',
        decided_at: '2026-01-01T00:00:05.000Z',
        applied_at: '2026-01-01T00:00:05.000Z',
        attempts: 1,
        attributes: ['active'],
        deactivation: true,
      }),
    ).resolves.toBeUndefined();
    expect(lines).toEqual(['audit record not written']);
    expect(counted).toEqual(['TimeToOffboardAccepted', 'TimeToOffboardEvent', 'AuditWriteFailed']);
  });
});
