import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localAwsClientConfig } from './state-table';

/**
 * The bridge's two SQS FIFO queues on this machine, served by fauxqs, a real SQS API emulator, in-process.
 *
 * Why fauxqs and not a hand-written queue: its 1.9.2 FIFO support covers what the bridge relies on (checked in
 * its dist/sqs/sqsStore.js and by test/integration/cli/local-queues.test.ts): messages of one MessageGroupId are
 * received in order and the group is locked while one of them is in flight; MessageDeduplicationId is honoured
 * for 5 minutes; MessageGroupId comes back as a system attribute; RedrivePolicy moves a message to the
 * dead-letter queue after maxReceiveCount receives. One difference from SQS: a receive returns at most one
 * message per group, so local batches are smaller; order and safety are the same.
 *
 * Two things are adapted here:
 * - `startFauxqs` listens on 0.0.0.0 whatever it is told (fauxqs 1.9.2); `buildApp` + our own listen
 *   keeps it on 127.0.0.1.
 * - fauxqs names queues `http://sqs.<region>.localhost:<port>/...`, a host that does not resolve everywhere, and
 *   the SDK sends each request to the QueueUrl's host when it differs from the endpoint. We hand out
 *   `http://127.0.0.1:<port>/...` instead and map it back to fauxqs' own URL before its handlers run.
 */
export interface LocalQueues {
  /** For AWS_ENDPOINT_URL_SQS. */
  endpoint: string;
  queueUrl: string;
  queueArn: string;
  deadLetterQueueUrl: string;
  close(): Promise<void>;
}

export interface LocalQueuesOptions {
  /** Queue names; FIFO names end in `.fifo`. */
  queueName?: string;
  deadLetterQueueName?: string;
  /** Receives before SQS moves a message to the dead-letter queue, as the deployed queue's RedrivePolicy does. */
  maxReceiveCount?: number;
  port?: number;
}

export const DEFAULT_QUEUE_NAME = 'vox-admin-bridge-events.fifo';
export const DEFAULT_DEAD_LETTER_QUEUE_NAME = 'vox-admin-bridge-dead-letters.fifo';

export async function startLocalQueues(opts: LocalQueuesOptions = {}): Promise<LocalQueues> {
  // Loaded on use: the build keeps fauxqs external, and a static import would load it (and fastify) for every CLI
  // command, and break them all where dev dependencies are not installed.
  const { buildApp } = await import('fauxqs');
  const app = buildApp({ logger: false });
  const aliases = new Map<string, string>();
  app.addHook('preHandler', async (request: { body: unknown }) => {
    const body = request.body as { QueueUrl?: unknown } | undefined;
    if (body !== null && typeof body === 'object' && typeof body.QueueUrl === 'string') {
      const own = aliases.get(body.QueueUrl);
      if (own !== undefined) body.QueueUrl = own;
    }
  });
  const endpoint = (await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' })).replace(/\/$/, '');

  const sqs = new SQSClient({ ...localAwsClientConfig, endpoint, maxAttempts: 1 });
  /** Creates a queue; its URL on 127.0.0.1 (see above) and its ARN. */
  const create = async (name: string, attributes: Record<string, string>) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    if (QueueUrl === undefined) throw new Error(`fauxqs returned no QueueUrl for ${name}`);
    const url = `${endpoint}${new URL(QueueUrl).pathname}`;
    aliases.set(url, QueueUrl);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    return { url, arn: Attributes?.QueueArn };
  };
  try {
    const dlq = await create(opts.deadLetterQueueName ?? DEFAULT_DEAD_LETTER_QUEUE_NAME, { FifoQueue: 'true' });
    const main = await create(opts.queueName ?? DEFAULT_QUEUE_NAME, {
      FifoQueue: 'true',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: opts.maxReceiveCount ?? 5 }),
    });
    let closing: Promise<void> | undefined;
    return {
      endpoint,
      queueUrl: main.url,
      queueArn: main.arn ?? '',
      deadLetterQueueUrl: dlq.url,
      close: () => {
        closing ??= Promise.resolve(app.close()).then(() => undefined);
        return closing;
      },
    };
  } catch (error) {
    await app.close();
    throw error;
  } finally {
    sqs.destroy();
  }
}
