import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/audit/audit-entry';
import { nearestRank, reportCsv, reportFigures } from '../../../src/cli/report/report-figures';

const T0 = Date.parse('2026-11-02T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** An applied deactivation accepted at T0 + i min and applied `spanMs` later; its event time 30 s before acceptance. */
function deactivation(i: number, spanMs: number, over: Partial<AuditEntry> = {}): AuditEntry {
  const accepted = T0 + i * 60_000;
  return {
    status: 'applied',
    account: 'main',
    admin: String(100 + i),
    admin_user_name: `user${i}`,
    source: 'urn:hr:workday',
    event_id: `evt-${i}`,
    idempotency_key: `k${i}`,
    type: 'admin.deactivated',
    event_time: iso(accepted - 30_000),
    accepted_at: iso(accepted),
    decided_at: iso(accepted + spanMs),
    applied_at: iso(accepted + spanMs),
    attempts: 1,
    attributes: ['active'],
    deactivation: true,
    ...over,
  };
}

describe('report figures', () => {
  it('computes p50, p95 and the maximum time to offboard from known timestamps (nearest rank)', () => {
    // Twenty applied deactivations taking 1 s, 2 s, ... 20 s from acceptance to Voximplant.
    const entries = Array.from({ length: 20 }, (_, i) => deactivation(i, (i + 1) * 1000));
    const figures = reportFigures(entries);
    expect(figures.offboarded).toBe(20);
    expect(figures.p50_ms).toBe(10_000); // rank ceil(0.5 × 20) = 10
    expect(figures.p95_ms).toBe(19_000); // rank ceil(0.95 × 20) = 19
    expect(figures.max_ms).toBe(20_000);
    expect(figures.rows[0]).toMatchObject({ time_to_offboard_ms: 1000, outcome: 'applied', admin: '100' });
  });

  it('lists refused and stale deactivations without a time, counts drift, and leaves other changes out', () => {
    const entries = [
      deactivation(3, 4000),
      deactivation(1, 0, { status: 'rejected', applied_at: undefined, error_code: 'protected_admin' }),
      deactivation(2, 0, { status: 'stale', applied_at: undefined, attributes: ['active'] }),
      deactivation(4, 500, { deactivation: false, type: 'admin.renamed', attributes: ['name'] }),
      deactivation(5, 0, { status: 'drift', deactivation: false, source: 'urn:vox-admin-bridge:reconcile' }),
      deactivation(6, 0, { status: 'repaired', deactivation: false, source: 'urn:vox-admin-bridge:reconcile' }),
    ];
    const figures = reportFigures(entries);
    expect(figures.rows.map((r) => [r.event_id, r.outcome, r.time_to_offboard_ms])).toEqual([
      ['evt-1', 'rejected (protected_admin)', ''],
      ['evt-2', 'stale', ''],
      ['evt-3', 'applied', 4000],
    ]);
    expect(figures).toMatchObject({ offboarded: 1, p50_ms: 4000, p95_ms: 4000, max_ms: 4000 });
    expect(figures).toMatchObject({ drift_found: 1, drift_repaired: 1 });
  });

  it('has no percentiles without an applied deactivation', () => {
    expect(reportFigures([])).toMatchObject({ rows: [], p50_ms: null, p95_ms: null, max_ms: null });
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([7], 95)).toBe(7);
  });

  it('writes CSV with a header row and one row per change, quoting and defusing formulas', () => {
    const lines = reportCsv(reportFigures([deactivation(0, 1500, { event_id: 'evt,"1"', admin_user_name: '=cmd' })]));
    expect(lines).toEqual([
      'account,admin,admin_user_name,source,event_id,event_time,accepted_at,applied_at,time_to_offboard_ms,outcome',
      `main,100,'=cmd,urn:hr:workday,"evt,""1""",2026-11-02T08:59:30.000Z,2026-11-02T09:00:00.000Z,2026-11-02T09:00:01.500Z,1500,applied`,
    ]);
  });
});
