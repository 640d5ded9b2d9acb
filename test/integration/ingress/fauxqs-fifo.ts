import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';

/**
 * A real SQS API (fauxqs 1.9.2, in-process) with one FIFO queue, for the ingress tests. fauxqs' FIFO support is what
 * these tests rely on: SendMessageBatch refuses more than 10 entries, requires MessageGroupId, honours
 * MessageDeduplicationId for 5 minutes, and returns both as system attributes (its dist/sqs/actions/*.js).
 * `buildApp` + our own listen keeps it on 127.0.0.1 (`startFauxqs` listens on 0.0.0.0; research/tooling.md §4).
 * fauxqs names the queue `http://sqs.<region>.localhost:<port>/...`, which does not resolve here, and the SDK sends
 * to the QueueUrl's host when the endpoint comes from AWS_ENDPOINT_URL_SQS; so the test hands out
 * `<endpoint>/<account>/<name>` and maps it back to fauxqs' own URL before its handlers look the queue up
 * (the same adaptation src/local/local-queues.ts makes for `npm start`).
 */
export interface FifoQueue {
  endpoint: string;
  queueUrl: string;
  /** A client for the test's own receives; the code under test builds its own. */
  sqs: SQSClient;
  close(): Promise<void>;
}

export const localAws = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

export async function startFifoQueue(name: string): Promise<FifoQueue> {
  const app = buildApp({ logger: false });
  const aliases = new Map<string, string>();
  app.addHook('preHandler', async (request: { body: unknown }) => {
    const body = request.body as { QueueUrl?: unknown } | undefined;
    if (body !== null && typeof body === 'object' && typeof body.QueueUrl === 'string') {
      body.QueueUrl = aliases.get(body.QueueUrl) ?? body.QueueUrl;
    }
  });
  const endpoint = (await app.listen({ port: 0, host: '127.0.0.1' })).replace(/\/$/, '');
  const sqs = new SQSClient({ ...localAws, endpoint, maxAttempts: 1 });
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: 'true' } }));
    if (QueueUrl === undefined) throw new Error('fauxqs returned no QueueUrl');
    const queueUrl = `${endpoint}${new URL(QueueUrl).pathname}`;
    aliases.set(queueUrl, QueueUrl);
    return {
      endpoint,
      queueUrl,
      sqs,
      close: async () => {
        sqs.destroy();
        await app.close();
      },
    };
  } catch (error) {
    sqs.destroy();
    await app.close();
    throw error;
  }
}
