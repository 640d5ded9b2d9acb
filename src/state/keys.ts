/**
 * The one state table (STATE_TABLE, docs/CONTRACT.md#configuration: partition key `pk` S, sort key `sk` S, TTL
 * attribute `expires_at` in epoch seconds). Each kind of item owns a `pk` prefix, so kinds never collide and a new
 * kind is one new entry here.
 *
 * Items (kind: `pk`, `sk`; other attributes; `expires_at`):
 * - idempotency record: `idem#<idempotency key>`, `idem`; status, fingerprint, lease_expires_at (epoch ms), outcome
 *   (map), completed_at (RFC 3339); the retention, 8 days by default.
 * - ordering versions: `admin#<account>#<admin_user_id>`, `order`; per attribute (below); never expires (below).
 * - per-admin lease: `admin#<account>#<admin_user_id>`, `lock`; owner, lease_expires_at (epoch ms)
 *   (admin-lock.ts); the lease's end + 1 day.
 * - name → id cache: `name#<account>#<admin_user_name>`, `name`; admin_user_id N; 1 day by default.
 * - SCIM record: `scim#<account>`, `user#<admin_user_id>`; the IdP's attributes, tombstone (scim-records.ts); none.
 * - accepted webhook-id: `webhook#<webhook-id>`, `webhook`; body_sha256 (hex SHA-256 of the raw body);
 *   2 × the timestamp tolerance.
 *
 * The ordering item (ordering-store.ts) holds, per attribute `<attr>` of `active`, `name`, `displayName` and
 * `password`, the last change Voximplant took:
 * - `<attr>_time_ms` N (the ordering time, epoch ms), `<attr>_event_id` S, `<attr>_source` S and `<attr>_value`
 *   (BOOL for `active`, S otherwise; never written for `password`, whose version alone is kept). Items written
 *   before sources and values were stored lack the last two.
 * - Pending marks, set before the Voximplant call and removed once the change is recorded or refused:
 *   `<attr>_pending_time_ms`, `<attr>_pending_event_id`, `<attr>_pending_source`, `<attr>_pending_value` (as
 *   above) and `<attr>_pending_marked_at` (epoch ms).
 *
 * - `<account>` is the Voximplant `account_id` of a child account, or `main` when the change names none: the same
 *   spelling as the message group (docs/CONTRACT.md#message-groups), so one admin has one spelling everywhere.
 * - Other `sk` values under an `admin#<account>#<id>` partition are free for further per-admin items.
 * - Ordering versions never expire: a forgotten version would let a late, older change undo a newer one, and
 *   any past `time` is accepted (docs/CONTRACT.md#events). There is one small item per admin.
 * - Expiry is checked on every read as well: DynamoDB TTL deletes lazily (typically within a few days,
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html) and DynamoDB Local has no TTL
 *   at all.
 * - The idempotency key is already a SHA-256 hex (docs/CONTRACT.md#idempotency); admin names are matched exactly,
 *   so they are used as given. `<account>` never contains `#` (digits or `main`), so the layout cannot be ambiguous.
 */
export interface ItemKey {
  pk: string;
  sk: string;
}

/** Prefix reserved for the SCIM records; `scim-records.ts` chooses the rest of its layout. */
export const SCIM_PK_PREFIX = 'scim#';

export function accountSegment(accountId: number | undefined): string {
  return accountId === undefined ? 'main' : String(accountId);
}

export function idempotencyItemKey(idempotencyKey: string): ItemKey {
  return { pk: `idem#${idempotencyKey}`, sk: 'idem' };
}

const WEBHOOK_ID_PK_PREFIX = 'webhook#';

export function webhookIdItemKey(webhookId: string): ItemKey {
  return { pk: `${WEBHOOK_ID_PK_PREFIX}${webhookId}`, sk: 'webhook' };
}

export function orderingItemKey(accountId: number | undefined, adminUserId: number): ItemKey {
  return { pk: `admin#${accountSegment(accountId)}#${adminUserId}`, sk: 'order' };
}

export function nameCacheItemKey(accountId: number | undefined, adminUserName: string): ItemKey {
  return { pk: `name#${accountSegment(accountId)}#${adminUserName}`, sk: 'name' };
}
