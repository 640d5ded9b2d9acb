import { describe, expect, it } from 'vitest';
import { groupRecords, mapWithConcurrency } from '../../../src/worker/group-records';
import { sqsFifoEvent } from '../../support/sqs-event';

describe('groupRecords', () => {
  it('splits a batch by MessageGroupId and keeps delivery order inside each group', () => {
    const { Records } = sqsFifoEvent([
      { body: 1, groupId: 'a', messageId: 'a1' },
      { body: 2, groupId: 'b', messageId: 'b1' },
      { body: 3, groupId: 'a', messageId: 'a2' },
      { body: 4, groupId: 'a', messageId: 'a3' },
    ]);
    expect(groupRecords(Records).map((g) => g.map((r) => r.messageId))).toEqual([['a1', 'a2', 'a3'], ['b1']]);
  });

  it('treats records without a group (a standard queue) as independent', () => {
    const { Records } = sqsFifoEvent([
      { body: 1, groupId: 'x', messageId: 'm1' },
      { body: 2, groupId: 'x', messageId: 'm2' },
    ]);
    for (const r of Records) delete (r.attributes as { MessageGroupId?: string }).MessageGroupId;
    expect(groupRecords(Records)).toHaveLength(2);
  });
});

describe('mapWithConcurrency', () => {
  it('never runs more than the limit at once and keeps results in input order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running -= 1;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});
