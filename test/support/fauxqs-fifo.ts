import { SQSClient } from '@aws-sdk/client-sqs';
import { startLocalQueues } from '../../tooling/local/local-queues';
import { localAwsClientConfig } from '../../tooling/local/state-table';

/**
 * A real SQS API (fauxqs, in-process) with one FIFO queue for the ingress tests: the queues `npm start` runs
 * (tooling/local/local-queues.ts, which keeps fauxqs on 127.0.0.1 and hands out queue URLs that resolve here), plus a
 * client for the test's own receives. fauxqs' FIFO support is what these tests rely on: SendMessageBatch refuses
 * more than 10 entries, requires MessageGroupId, honours MessageDeduplicationId for 5 minutes, and returns both as
 * system attributes (its dist/sqs/actions/*.js).
 */
export interface FifoQueue {
  endpoint: string;
  queueUrl: string;
  /** A client for the test's own receives; the code under test builds its own. */
  sqs: SQSClient;
  close(): Promise<void>;
}

export async function startFifoQueue(name: string): Promise<FifoQueue> {
  const queues = await startLocalQueues({ queueName: name });
  const sqs = new SQSClient({ ...localAwsClientConfig, endpoint: queues.endpoint, maxAttempts: 1 });
  return {
    endpoint: queues.endpoint,
    queueUrl: queues.queueUrl,
    sqs,
    close: async () => {
      sqs.destroy();
      await queues.close();
    },
  };
}
