import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchDeadLetters } from '../../../tooling/local/dead-letter-watcher';
import { silentDevLog } from '../../../tooling/local/dev-log';
import {
  type EventSourceMapping,
  type EventSourceMappingOptions,
  startEventSourceMapping,
} from '../../../tooling/local/event-source-mapping';
import { type LocalQueues, startLocalQueues } from '../../../tooling/local/local-queues';
import { localAwsClientConfig } from '../../../tooling/local/state-table';
import { waitUntil } from '../../support/wait-until';

describe('local queues (fauxqs) and the event source mapping', () => {
  // A fresh pair of queues per test: a stopped mapping abandons its receive in flight, whose messages stay invisible.
  let queues: LocalQueues;
  let sqs: SQSClient;
  const mappings: EventSourceMapping[] = [];

  beforeEach(async () => {
    queues = await startLocalQueues({ maxReceiveCount: 3 });
    sqs = new SQSClient({ ...localAwsClientConfig, endpoint: queues.endpoint });
  });
  afterEach(async () => {
    await Promise.all(mappings.splice(0).map((m) => m.stop()));
    sqs.destroy();
    await queues.close();
  });

  /** A mapping on this test's queue (stopped after the test); 1 s receives keep stop() quick. */
  const startMapping = (o: Pick<EventSourceMappingOptions, 'handler'> & Partial<EventSourceMappingOptions>) =>
    mappings.push(
      startEventSourceMapping({
        sqs,
        queueUrl: queues.queueUrl,
        queueArn: queues.queueArn,
        log: silentDevLog,
        waitTimeSec: 1,
        ...o,
      }),
    );

  const send = (body: string, group: string, dedup = body) =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: queues.queueUrl,
        MessageBody: body,
        MessageGroupId: group,
        MessageDeduplicationId: dedup,
      }),
    );

  it('binds to 127.0.0.1 and hands out queue URLs on that endpoint', () => {
    expect(queues.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(queues.queueUrl.startsWith(`${queues.endpoint}/`)).toBe(true);
    expect(queues.deadLetterQueueUrl.startsWith(`${queues.endpoint}/`)).toBe(true);
  });

  it('speaks SQS FIFO through the real SDK: order per group, in-flight groups locked, deduplication', async () => {
    const a = await send('a1', 'ga');
    await send('a2', 'ga');
    await send('b1', 'gb');
    const again = await send('a1', 'ga'); // same MessageDeduplicationId within 5 minutes: not enqueued twice
    expect(again.MessageId).toBe(a.MessageId);

    const first = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const bodies = (first.Messages ?? []).map((m) => m.Body);
    expect(bodies).toContain('a1');
    expect(bodies).toContain('b1');
    expect(bodies).not.toContain('a2'); // a1 of the same group is in flight
    expect(first.Messages?.find((m) => m.Body === 'a1')?.Attributes?.MessageGroupId).toBe('ga');

    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.queueUrl, MaxNumberOfMessages: 10 }));
    expect(second.Messages ?? []).toEqual([]);
  });

  it('deletes what succeeded and redelivers reported batch item failures after the retry delay', async () => {
    const deliveries: { body: string; receiveCount: string; group: string | undefined }[] = [];
    const failOnce = new Set(['r-fail']);
    startMapping({
      retryDelaySec: 1,
      handler: async (event: SQSEvent): Promise<SQSBatchResponse> => {
        const failures: { itemIdentifier: string }[] = [];
        for (const r of event.Records) {
          deliveries.push({
            body: r.body,
            receiveCount: r.attributes.ApproximateReceiveCount,
            group: r.attributes.MessageGroupId,
          });
          if (failOnce.delete(r.body)) failures.push({ itemIdentifier: r.messageId });
        }
        return { batchItemFailures: failures };
      },
    });
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queues.queueUrl,
        Entries: [
          { Id: '1', MessageBody: 'r-ok', MessageGroupId: 'g1', MessageDeduplicationId: 'r-ok' },
          { Id: '2', MessageBody: 'r-fail', MessageGroupId: 'g2', MessageDeduplicationId: 'r-fail' },
        ],
      }),
    );
    await waitUntil(
      'the failed message redelivered',
      () => deliveries.find((d) => d.body === 'r-fail' && d.receiveCount === '2'),
      { timeoutMs: 10_000, intervalMs: 25 },
    );
    expect(deliveries.filter((d) => d.body === 'r-ok')).toHaveLength(1);
    expect(deliveries.find((d) => d.body === 'r-ok')?.group).toBe('g1');
  });

  it('fails the whole batch when the handler throws, and dead-letters after maxReceiveCount', async () => {
    const dead = watchDeadLetters({ sqs, queueUrl: queues.deadLetterQueueUrl, log: silentDevLog, waitTimeSec: 1 });
    let calls = 0;
    startMapping({
      retryDelaySec: 1,
      handler: async () => {
        calls += 1;
        throw new Error('boom');
      },
    });
    await send('{"id":"evt-poison"}', 'g-poison', 'poison');
    const letter = await waitUntil(
      'the poison message in the dead-letter queue',
      () => dead.list().find((l) => (l.body as { id?: string }).id === 'evt-poison'),
      { timeoutMs: 20_000, intervalMs: 25 },
    );
    await dead.stop();
    expect(calls).toBe(3); // maxReceiveCount receives, then SQS moves it
    expect(letter.message_group_id).toBe('g-poison');
  }, 30_000);

  it('never runs two batches of the same message group at once', async () => {
    const running = new Set<string>();
    let overlap = false;
    let done = 0;
    startMapping({
      pollers: 4,
      batchSize: 1,
      handler: async (event) => {
        const groups = event.Records.map((r) => r.attributes.MessageGroupId ?? '');
        if (groups.some((g) => running.has(g))) overlap = true;
        for (const g of groups) running.add(g);
        await new Promise((r) => setTimeout(r, 30));
        for (const g of groups) running.delete(g);
        done += event.Records.length;
      },
    });
    for (let i = 0; i < 12; i++) await send(`o-${i}`, `og-${i % 3}`);
    await waitUntil('all twelve processed', () => (done >= 12 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 25,
    });
    expect(overlap).toBe(false);
  });
});
