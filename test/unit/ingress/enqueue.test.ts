import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chunkEntries,
  enqueueEvents,
  MAX_BATCH_BYTES,
  type QueueEntry,
  QueueUnavailableError,
} from '../../../src/queue/enqueue';

const sqs = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const mock = mockClient(sqs);
afterAll(() => mock.restore());
beforeEach(() => mock.reset());

const entry = (i: number, body = `{"i":${i}}`): QueueEntry => ({
  body,
  groupId: `main/id:${i}`,
  dedupId: `k${i}`,
  acceptedAtMs: 1_700_000_000_000 + i,
});
const entries = (n: number) => Array.from({ length: n }, (_, i) => entry(i));

describe('enqueueEvents', () => {
  it('sends chunks of at most 10, in order, with group and dedup ids', async () => {
    mock.on(SendMessageBatchCommand).callsFake((input: { Entries: unknown[] }) => ({
      Successful: input.Entries.map((_, i) => ({ Id: `m${i}`, MessageId: 'x', MD5OfMessageBody: 'y' })),
      Failed: [],
    }));
    await enqueueEvents(sqs, 'https://sqs/q.fifo', entries(23));
    const calls = mock.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls.flatMap((c) => c.Entries ?? []).map((e) => e.MessageDeduplicationId)).toEqual(
      entries(23).map((e) => e.dedupId),
    );
    expect(calls[0]?.Entries?.[0]).toEqual({
      Id: 'm0',
      MessageBody: '{"i":0}',
      MessageGroupId: 'main/id:0',
      MessageDeduplicationId: 'k0',
      MessageAttributes: { accepted_at: { DataType: 'Number', StringValue: '1700000000000' } },
    });
    expect(calls[0]?.QueueUrl).toBe('https://sqs/q.fifo');
  });

  it('throws QueueUnavailableError when any entry failed, naming codes but no bodies', async () => {
    mock.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: 'm0', MessageId: 'x', MD5OfMessageBody: 'y' }],
      Failed: [{ Id: 'm1', Code: 'InternalError', SenderFault: false, Message: 'body {"i":1} failed' }],
    });
    const sending = enqueueEvents(sqs, 'q', entries(2));
    await expect(sending).rejects.toThrowError(QueueUnavailableError);
    await expect(sending).rejects.toMatchObject({
      code: 'queue_unavailable',
      message: 'SQS refused 1 of 2 messages: InternalError',
      enqueued: 1,
    });
  });

  it('throws QueueUnavailableError on an SDK error, and stops sending', async () => {
    mock
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: entries(10).map((_, i) => ({ Id: `m${i}`, MessageId: 'x', MD5OfMessageBody: 'y' })) })
      .rejects(Object.assign(new Error('throttled'), { name: 'RequestThrottled' }));
    const sending = enqueueEvents(sqs, 'q', entries(30));
    await expect(sending).rejects.toThrowError(QueueUnavailableError);
    await expect(sending).rejects.toMatchObject({ message: 'SendMessageBatch failed: RequestThrottled', enqueued: 10 });
    expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
  });

  it('sends nothing for no entries', async () => {
    await enqueueEvents(sqs, 'q', []);
    expect(mock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});

describe('chunkEntries', () => {
  it('keeps each request under 256 KiB, and a larger message alone', () => {
    const big = 'x'.repeat(100 * 1024);
    const chunks = chunkEntries([
      entry(0, big),
      entry(1, big),
      entry(2, big),
      entry(3, 'x'.repeat(MAX_BATCH_BYTES + 1)),
      entry(4),
    ]);
    expect(chunks.map((c) => c.map((e) => e.dedupId))).toEqual([['k0', 'k1'], ['k2'], ['k3'], ['k4']]);
  });
});
