import type { SQSRecord } from 'aws-lambda';

/**
 * An SQS FIFO queue as the worker's event source mapping sees it, small enough to reason about in a test
 * (fauxqs hands out one message per group per receive, which would make batches of one; this model does what SQS
 * documents instead):
 * - messages of one MessageGroupId are handed out in send order, several per batch, and a group with a message
 *   in flight (or waiting out its visibility timeout) hands out nothing else;
 * - a received message is invisible for `visibilityTimeoutMs`; Lambda deletes the ones that succeeded and leaves
 *   batch item failures (and every message of a crashed invocation) to reappear when that timeout ends;
 * - a message received `maxReceiveCount` times and still not deleted is moved to the dead-letter queue by the next
 *   receive (the RedrivePolicy), with that as its reason.
 */
export interface ModelMessage {
  messageId: string;
  body: string;
  groupId: string;
  seq: number;
  receiveCount: number;
  visibleAt: number;
}

export interface RedrivenMessage {
  messageId: string;
  body: string;
  groupId: string;
  reason: string;
}

export interface FifoQueueModelOptions {
  visibilityTimeoutMs: number;
  maxReceiveCount?: number;
  now?: () => number;
}

export class FifoQueueModel {
  readonly redriven: RedrivenMessage[] = [];
  /** Receives that handed out at least one message, messages handed out again after a failure, and deletes. */
  readonly counts = { batches: 0, received: 0, redelivered: 0, deleted: 0 };
  #messages: ModelMessage[] = [];
  #seq = 0;
  readonly #opts: Required<FifoQueueModelOptions>;

  constructor(opts: FifoQueueModelOptions) {
    this.#opts = { maxReceiveCount: 5, now: Date.now, ...opts };
  }

  send(body: string, groupId: string): string {
    this.#seq += 1;
    const messageId = `m-${this.#seq}`;
    this.#messages.push({ messageId, body, groupId, seq: this.#seq, receiveCount: 0, visibleAt: 0 });
    return messageId;
  }

  /** Messages not yet deleted or redriven. */
  get remaining(): number {
    return this.#messages.length;
  }

  /** Milliseconds until some message becomes visible again; undefined when none is waiting. */
  nextVisibleInMs(): number | undefined {
    const now = this.#opts.now();
    const waiting = this.#messages.filter((m) => m.visibleAt > now).map((m) => m.visibleAt - now);
    return waiting.length === 0 ? undefined : Math.min(...waiting);
  }

  receive(max = 10): SQSRecord[] {
    const now = this.#opts.now();
    const blocked = new Set<string>();
    const out: ModelMessage[] = [];
    for (const m of [...this.#messages]) {
      if (out.length >= max) break;
      if (blocked.has(m.groupId)) continue;
      if (m.visibleAt > now) {
        blocked.add(m.groupId);
        continue;
      }
      if (m.receiveCount >= this.#opts.maxReceiveCount) {
        this.#remove(m.messageId);
        this.redriven.push({
          messageId: m.messageId,
          body: m.body,
          groupId: m.groupId,
          reason: `received ${m.receiveCount} times without success (maxReceiveCount ${this.#opts.maxReceiveCount})`,
        });
        continue;
      }
      if (m.receiveCount > 0) this.counts.redelivered += 1;
      m.receiveCount += 1;
      m.visibleAt = now + this.#opts.visibilityTimeoutMs;
      out.push(m);
    }
    if (out.length > 0) this.counts.batches += 1;
    this.counts.received += out.length;
    return out.map((m) => toRecord(m, now));
  }

  /** After an invocation: the messages that succeeded are deleted; the rest wait out their visibility timeout. */
  settle(records: readonly SQSRecord[], failedIds: ReadonlySet<string>): void {
    for (const r of records) {
      if (failedIds.has(r.messageId)) continue;
      if (this.#remove(r.messageId)) this.counts.deleted += 1;
    }
  }

  #remove(messageId: string): boolean {
    const index = this.#messages.findIndex((m) => m.messageId === messageId);
    if (index < 0) return false;
    this.#messages.splice(index, 1);
    return true;
  }
}

function toRecord(m: ModelMessage, now: number): SQSRecord {
  return {
    messageId: m.messageId,
    receiptHandle: `rh-${m.messageId}-${m.receiveCount}`,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(now),
      SenderId: 'AIDACHAOS',
      ApproximateFirstReceiveTimestamp: String(now),
      MessageGroupId: m.groupId,
      MessageDeduplicationId: m.messageId,
      SequenceNumber: String(m.seq),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:vox-admin-bridge-chaos.fifo',
    awsRegion: 'us-east-1',
  };
}
