import type { AuditEntry } from './audit-entry';

export interface TimeToOffboard {
  /** From the moment the bridge accepted the deactivation to the moment Voximplant took it. */
  acceptedMs?: number;
  /** From the event's own time (the sender's clock) to the moment Voximplant took it. */
  eventMs?: number;
}

/**
 * How long an applied deactivation took, or undefined for any other record. Only a change that wrote `active`
 * counts: a deactivation skipped as stale or refused offboarded no one. A negative span (a sender's clock ahead of
 * ours) is reported as 0 rather than as an offboarding faster than instant.
 */
export function timeToOffboard(entry: AuditEntry): TimeToOffboard | undefined {
  if (!entry.deactivation || entry.status !== 'applied' || entry.applied_at === undefined) return undefined;
  if (!entry.attributes.includes('active')) return undefined;
  const applied = Date.parse(entry.applied_at);
  const span = (from: string | undefined) => (from === undefined ? undefined : Math.max(0, applied - Date.parse(from)));
  const acceptedMs = span(entry.accepted_at);
  const eventMs = span(entry.event_time);
  return {
    ...(acceptedMs !== undefined && { acceptedMs }),
    ...(eventMs !== undefined && { eventMs }),
  };
}
