import { createHash } from 'node:crypto';
import type { AdminAttributes, AdminChange } from '../events/admin-change';
import { accountSegment } from '../state/keys';
import type { AdminRef } from '../state/ordering-store';
import type { Drift } from './find-drift';

/** The `source` of the reconcile run in audit records and logs (a reserved namespace, docs/CONTRACT.md#events). */
export const RECONCILE_SOURCE = 'urn:vox-admin-bridge:reconcile';

/**
 * One repair per distinct recorded version: attributes whose versions came from the same change are restored
 * together, in the order the drift lists them.
 */
export function groupByVersion(drift: readonly Drift[]): Drift[][] {
  const groups = new Map<string, Drift[]>();
  for (const d of drift) {
    const key = JSON.stringify([d.version.source, d.version.eventId, d.version.timeMs]);
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups.values()];
}

/**
 * The change that applies a recorded version again. Its ordering identity IS that version: the same event id,
 * source and ordering time, so the ordering rule treats it as a redelivery of the change that was applied (never
 * stale against itself, stale against anything newer: a repair can never undo a newer change), and the recorded
 * provenance (who deactivated) stays as it was, which the re-activation policy reads. Its idempotency key and
 * fingerprint are its own, so the apply step does not answer it as a duplicate of the original.
 */
export function repairChange(runId: string, admin: AdminRef, drift: readonly Drift[]): AdminChange {
  const first = drift[0];
  if (first === undefined) throw new RangeError('a repair needs at least one drifted attribute');
  const { version } = first;
  const set: AdminAttributes = {};
  for (const d of drift) {
    if (d.attribute === 'active') set.active = d.desired as boolean;
    else set[d.attribute] = d.desired as string;
  }
  const material = JSON.stringify([
    'reconcile',
    runId,
    accountSegment(admin.accountId),
    admin.adminUserId,
    drift.map((d) => d.attribute),
  ]);
  const key = createHash('sha256').update(material, 'utf8').digest('hex');
  return {
    idempotencyKey: key,
    fingerprint: key,
    eventId: version.eventId,
    source: version.source,
    type: 'reconcile.repair',
    time: new Date(version.timeMs).toISOString(),
    timeMs: version.timeMs,
    target: { ...(admin.accountId !== undefined && { accountId: admin.accountId }), adminUserId: admin.adminUserId },
    set,
  };
}
