import { type RecordedOutcome, recordedOutcomeSchema } from '../../../src/apply/outcome';
import { MemoryAdminLock } from './admin-lock';
import { MemoryIdempotencyStore } from './idempotency-store';
import { MemoryNameCache } from './name-cache';
import { MemoryOrderingStore } from './ordering-store';

export { MemoryAdminLock } from './admin-lock';
export { MemoryIdempotencyStore } from './idempotency-store';
export { MemoryNameCache } from './name-cache';
export { MemoryOrderingStore } from './ordering-store';
export { MemoryScimRecordStore } from './scim-records';
export { MemoryWebhookIdStore } from './webhook-id-store';

/** The apply step's four stores in memory, on one clock, as ApplyDeps takes them. */
export function memoryApplyState(now: () => number = Date.now) {
  return {
    idempotency: new MemoryIdempotencyStore<RecordedOutcome>({ now, outcomeSchema: recordedOutcomeSchema }),
    ordering: new MemoryOrderingStore(),
    lock: new MemoryAdminLock(now),
    names: new MemoryNameCache({ now }),
  };
}
