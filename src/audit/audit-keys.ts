import type { AttributeDefinition, GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import type { ItemKey } from '../state/keys';
import type { AuditEntry } from './audit-entry';

/**
 * Where audit records live in the state table (the layout of src/state/keys.ts, one more kind):
 * - `pk` `audit#<account>#<admin>`, `sk` `<applied or decided time, ISO>#<idempotency key>#<status>`: an admin's
 *   history is one Query, in time order; the key and the status keep two records of one millisecond apart (a drift
 *   and its repair share a key).
 * - Deactivations and drift also carry `audit_day` (`<yyyy-mm-dd>`, UTC) and `audit_at` (the same ISO time): the keys
 *   of the sparse global secondary index AUDIT_DAY_INDEX, so the deactivation report reads one partition per day
 *   instead of scanning the table. Other records do not carry them and are not in the index
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general-sparse-indexes.html).
 * - `expires_at`: decided time + AUDIT_RETENTION_DAYS, in epoch seconds (the table's TTL attribute).
 */
export const AUDIT_PK_PREFIX = 'audit#';
export const AUDIT_DAY_INDEX = 'audit-by-day';
export const AUDIT_DAY_ATTRIBUTE = 'audit_day';
export const AUDIT_AT_ATTRIBUTE = 'audit_at';

/**
 * The index as CreateTable takes it: the local table helpers create it, and infra/state-table.yml declares the same.
 * Keys only plus the projected entry fields would save little on items this small, so everything is projected.
 */
export const AUDIT_DAY_INDEX_DEFINITION: {
  attributeDefinitions: AttributeDefinition[];
  globalSecondaryIndex: GlobalSecondaryIndex;
} = {
  attributeDefinitions: [
    { AttributeName: AUDIT_DAY_ATTRIBUTE, AttributeType: 'S' },
    { AttributeName: AUDIT_AT_ATTRIBUTE, AttributeType: 'S' },
  ],
  globalSecondaryIndex: {
    IndexName: AUDIT_DAY_INDEX,
    KeySchema: [
      { AttributeName: AUDIT_DAY_ATTRIBUTE, KeyType: 'HASH' },
      { AttributeName: AUDIT_AT_ATTRIBUTE, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  },
};

export function auditPartitionKey(account: string, admin: string): string {
  return `${AUDIT_PK_PREFIX}${account}#${admin}`;
}

/** The time a record is filed under: when Voximplant took it, else when it was decided. */
export function auditTime(entry: Pick<AuditEntry, 'applied_at' | 'decided_at'>): string {
  return entry.applied_at ?? entry.decided_at;
}

export function auditItemKey(entry: AuditEntry): ItemKey {
  return {
    pk: auditPartitionKey(entry.account, entry.admin),
    sk: `${auditTime(entry)}#${entry.idempotency_key}#${entry.status}`,
  };
}

/** Whether a record belongs in the day index: deactivations (the report's rows) and drift (its last figure). */
export function inDayIndex(entry: Pick<AuditEntry, 'deactivation' | 'status'>): boolean {
  return entry.deactivation || entry.status === 'drift' || entry.status === 'repaired';
}

/** The UTC calendar day of an ISO time, `yyyy-mm-dd`. */
export function auditDay(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}
