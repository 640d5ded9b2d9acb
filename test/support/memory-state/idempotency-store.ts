import type { ZodType } from 'zod';
import { StateError } from '../../../src/state/errors';
import { expiresAtSeconds, isExpired } from '../../../src/state/expiry';
import {
  type BeginResult,
  DEFAULT_RETENTION_SECONDS,
  type IdempotencyRecord,
  type IdempotencyStore,
} from '../../../src/state/idempotency-store';

type Stored<O> = IdempotencyRecord<O> & { expiresAt: number };

/** Idempotency records in a Map, with the DynamoDB store's conditions and expiry worked out on read. */
export class MemoryIdempotencyStore<O extends Record<string, unknown>> implements IdempotencyStore<O> {
  readonly records = new Map<string, Stored<O>>();
  private readonly retentionSeconds: number;
  private readonly now: () => number;
  private readonly outcomeSchema: ZodType<O> | undefined;

  constructor(opts: { retentionSeconds?: number; now?: () => number; outcomeSchema?: ZodType<O> } = {}) {
    this.retentionSeconds = opts.retentionSeconds ?? DEFAULT_RETENTION_SECONDS;
    this.now = opts.now ?? Date.now;
    this.outcomeSchema = opts.outcomeSchema;
  }

  async begin(key: string, fingerprint: string, leaseMs: number): Promise<BeginResult<O>> {
    if (!Number.isFinite(leaseMs)) throw new RangeError('leaseMs must be a finite number of milliseconds');
    const now = this.now();
    const stored = this.records.get(key);
    const free =
      stored === undefined ||
      isExpired(stored.expiresAt, now) ||
      (stored.status === 'in_progress' && stored.fingerprint === fingerprint && stored.leaseExpiresAt < now);
    if (free) {
      this.records.set(key, {
        status: 'in_progress',
        fingerprint,
        leaseExpiresAt: now + Math.max(0, leaseMs),
        expiresAt: expiresAtSeconds(now, this.retentionSeconds),
      });
      return { state: 'started' };
    }
    const record = (await this.get(key))!;
    if (record.fingerprint !== fingerprint) return { state: 'mismatch' };
    if (record.status === 'completed') return { state: 'completed', outcome: record.outcome };
    return { state: 'in_progress', leaseExpiresAt: record.leaseExpiresAt };
  }

  async complete(key: string, fingerprint: string, outcome: O): Promise<void> {
    const stored = this.records.get(key);
    if (
      stored?.fingerprint === fingerprint &&
      stored.status === 'completed' &&
      !isExpired(stored.expiresAt, this.now())
    ) {
      return;
    }
    if (stored?.status !== 'in_progress' || stored.fingerprint !== fingerprint) {
      throw new StateError(
        'idempotency_record_lost',
        `idempotency record ${key} is no longer in progress with this fingerprint`,
      );
    }
    const now = this.now();
    this.records.set(key, {
      status: 'completed',
      fingerprint,
      outcome: JSON.parse(JSON.stringify(outcome)) as O,
      completedAt: new Date(now).toISOString(),
      expiresAt: expiresAtSeconds(now, this.retentionSeconds),
    });
  }

  async release(key: string, fingerprint: string): Promise<void> {
    const stored = this.records.get(key);
    if (stored?.status === 'in_progress' && stored.fingerprint === fingerprint) this.records.delete(key);
  }

  async get(key: string): Promise<IdempotencyRecord<O> | undefined> {
    const stored = this.records.get(key);
    if (stored === undefined || isExpired(stored.expiresAt, this.now())) return undefined;
    if (stored.status === 'in_progress') {
      return { status: 'in_progress', fingerprint: stored.fingerprint, leaseExpiresAt: stored.leaseExpiresAt };
    }
    const copy = JSON.parse(JSON.stringify(stored.outcome)) as unknown;
    const outcome =
      this.outcomeSchema === undefined
        ? { success: true as const, data: copy as O }
        : this.outcomeSchema.safeParse(copy);
    if (!outcome.success) {
      throw new StateError(
        'state_record_malformed',
        `idempotency record ${key} holds an outcome of an unexpected shape`,
      );
    }
    return {
      status: 'completed',
      fingerprint: stored.fingerprint,
      outcome: outcome.data,
      completedAt: stored.completedAt,
    };
  }
}
