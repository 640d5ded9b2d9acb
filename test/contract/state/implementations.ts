import type { ZodType } from 'zod';
import type { ChangeStore } from '../../../src/state/change-store';
import { DynamoChangeStore } from '../../../src/state/dynamo-change-store';
import { DynamoIdempotencyStore } from '../../../src/state/idempotency-store';
import { DynamoNameCache } from '../../../src/state/name-cache';
import { DynamoOrderingStore, type OrderingStore } from '../../../src/state/ordering-store';
import { DynamoScimRecordStore } from '../../../src/state/scim-records';
import { dynamoWebhookIdStore } from '../../../src/state/webhook-id-store';
import type { StateTable } from '../../support/dynamo';
import {
  MemoryChangeStore,
  MemoryIdempotencyStore,
  MemoryNameCache,
  MemoryOrderingStore,
  MemoryScimRecordStore,
  MemoryWebhookIdStore,
} from '../../support/memory-state';

/** A clock the test moves; every store built from one implementation reads it. */
export interface Clock {
  now: number;
}

/**
 * How to build each store of one implementation. The contract suites run once per implementation, so the in-memory
 * stores the unit tests use are held to exactly what the DynamoDB ones do on DynamoDB Local. Each test builds its store once
 * and works on keys of its own, since the DynamoDB ones share one table.
 */
export interface StateImplementation {
  name: string;
  idempotency<O extends Record<string, unknown>>(
    clock: Clock,
    opts?: { retentionSeconds?: number; outcomeSchema?: ZodType<O> },
  ): DynamoIdempotencyStore<O> | MemoryIdempotencyStore<O>;
  ordering(): DynamoOrderingStore | MemoryOrderingStore;
  /** A change store and the ordering store it keeps versions in, on one clock. */
  changes<O extends Record<string, unknown>>(clock: Clock): { changes: ChangeStore<O>; ordering: OrderingStore };
  names(clock: Clock, opts?: { ttlSeconds?: number }): DynamoNameCache | MemoryNameCache;
  scimRecords(accountId?: number): DynamoScimRecordStore | MemoryScimRecordStore;
  webhookIds(): ReturnType<typeof dynamoWebhookIdStore> | MemoryWebhookIdStore;
}

export function stateImplementations(table: StateTable): StateImplementation[] {
  return [
    {
      name: 'DynamoDB (DynamoDB Local)',
      idempotency: (clock, opts = {}) =>
        new DynamoIdempotencyStore(table.doc, table.tableName, { ...opts, now: () => clock.now }),
      ordering: () => new DynamoOrderingStore(table.doc, table.tableName),
      changes: <O extends Record<string, unknown>>(clock: Clock) => {
        const ordering = new DynamoOrderingStore(table.doc, table.tableName);
        const idempotency = new DynamoIdempotencyStore<O>(table.doc, table.tableName, { now: () => clock.now });
        const changes = new DynamoChangeStore<O>(table.doc, table.tableName, idempotency, ordering, () => clock.now);
        return { changes, ordering };
      },
      names: (clock, opts = {}) => new DynamoNameCache(table.doc, table.tableName, { ...opts, now: () => clock.now }),
      scimRecords: (accountId) => new DynamoScimRecordStore(table.doc, table.tableName, accountId),
      webhookIds: () => dynamoWebhookIdStore(table.doc, table.tableName),
    },
    {
      name: 'in memory',
      idempotency: (clock, opts = {}) => new MemoryIdempotencyStore({ ...opts, now: () => clock.now }),
      ordering: () => new MemoryOrderingStore(),
      changes: <O extends Record<string, unknown>>(clock: Clock) => {
        const ordering = new MemoryOrderingStore();
        const idempotency = new MemoryIdempotencyStore<O>({ now: () => clock.now });
        return { changes: new MemoryChangeStore<O>(idempotency, ordering, () => clock.now), ordering };
      },
      names: (clock, opts = {}) => new MemoryNameCache({ ...opts, now: () => clock.now }),
      scimRecords: () => new MemoryScimRecordStore(),
      webhookIds: () => new MemoryWebhookIdStore(),
    },
  ];
}

let counter = 0;
/** A key, id or name no other test of the shared table uses. */
export const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(16).slice(2, 10)}`;
export const uniqueId = () => 10_000 + ++counter * 7 + Math.floor(Math.random() * 5);
