import { type RecordedOutcome, recordedOutcomeSchema } from '../../../src/apply/outcome';
import { MemoryChangeStore } from './change-store';
import { MemoryIdempotencyStore } from './idempotency-store';
import { MemoryNameCache } from './name-cache';
import { MemoryOrderingStore } from './ordering-store';

export { MemoryChangeStore } from './change-store';
export { MemoryIdempotencyStore } from './idempotency-store';
export { MemoryNameCache } from './name-cache';
export { MemoryOrderingStore } from './ordering-store';
export { MemoryScimRecordStore } from './scim-records';
export { MemoryWebhookIdStore } from './webhook-id-store';

/**
 * The apply step's stores in memory, on one clock: ApplyDeps takes `changes`, `ordering` and `names`; the
 * idempotency store is the one `changes` keeps its records in, for tests to look at.
 */
export function memoryApplyState(now: () => number = Date.now) {
  const idempotency = new MemoryIdempotencyStore<RecordedOutcome>({ now, outcomeSchema: recordedOutcomeSchema });
  const ordering = new MemoryOrderingStore();
  return {
    idempotency,
    ordering,
    changes: new MemoryChangeStore<RecordedOutcome>(idempotency, ordering, now),
    names: new MemoryNameCache({ now }),
  };
}
