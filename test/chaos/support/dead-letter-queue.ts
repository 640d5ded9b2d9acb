import type { SQSClient } from '@aws-sdk/client-sqs';
import { drainQueue } from '../../support/drain-queue';
import type { SeenDeadLetter } from './checks';

/** Takes every message now in a (fauxqs) dead-letter queue, with the reason the worker gave as attributes. */
export async function drainDeadLetters(sqs: SQSClient, queueUrl: string): Promise<SeenDeadLetter[]> {
  return (await drainQueue(sqs, queueUrl)).map(({ body, attributes }) => ({
    body,
    errorCode: attributes.error_code ?? '(none)',
    ...(attributes.idempotency_key !== undefined && { idempotencyKey: attributes.idempotency_key }),
  }));
}
