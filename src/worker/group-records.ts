import type { SQSRecord } from 'aws-lambda';

/**
 * Records of one SQS FIFO batch split by MessageGroupId, each group in delivery order. Groups are independent
 * (different admins) and may run at once; records inside a group must not.
 */
export function groupRecords(records: readonly SQSRecord[]): SQSRecord[][] {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of records) {
    // A standard queue (or a test) has no group: each record is then its own group.
    const key = record.attributes?.MessageGroupId ?? `__record:${record.messageId}`;
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  return [...groups.values()];
}

/** Runs `work` over items with at most `limit` in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
