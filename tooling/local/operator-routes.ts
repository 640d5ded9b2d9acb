import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { discardRequestSchema, type HeldOperations, releaseRequestSchema } from '../../src/guard/held-operations';
import { HeldSelectionError } from '../../src/guard/release-held';
import type { DeadLetterWatcher } from './dead-letter-watcher';
import { type DevJsonRoute, DevRouteError } from './dev-http-server';
import type { DevLog } from './dev-log';

const redriveRequestSchema = z.strictObject({ dry_run: z.boolean().optional() });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new DevRouteError(
      400,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}

async function operatorCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof HeldSelectionError) throw new DevRouteError(404, error.message);
    throw error;
  }
}

/**
 * The operator routes of `npm start` (docs/LOCAL.md#operator-routes), which the CLI's `--local` flag calls: the held
 * changes in the local state table, and a redrive of the local dead letters. Locally the dead-letter watcher holds the
 * letters (the queue lives in memory), so a redrive sends each back to the queue with its original message group and
 * a fresh deduplication id (a letter's own id would be deduplicated against nothing, but a second redrive of the same
 * letter must arrive too), in the order they arrived.
 */
export function operatorRoutes(opts: {
  held: HeldOperations;
  deadLetters: DeadLetterWatcher;
  sqs: SQSClient;
  queueUrl: string;
  log: DevLog;
}): DevJsonRoute[] {
  return [
    { path: '/__dev/held', answer: () => opts.held.list() },
    {
      path: '/__dev/held/release',
      method: 'POST',
      answer: (body) => operatorCall(() => opts.held.release(parse(releaseRequestSchema, body))),
    },
    {
      path: '/__dev/held/discard',
      method: 'POST',
      answer: (body) => operatorCall(() => opts.held.discard(parse(discardRequestSchema, body).id)),
    },
    {
      path: '/__dev/dead-letters/redrive',
      method: 'POST',
      answer: async (body) => {
        const { dry_run: dryRun = false } = parse(redriveRequestSchema, body);
        if (dryRun) return { dry_run: true, would_redrive: opts.deadLetters.list() };
        const letters = opts.deadLetters.take();
        const moved: string[] = [];
        for (const [i, letter] of letters.entries()) {
          try {
            await opts.sqs.send(
              new SendMessageCommand({
                QueueUrl: opts.queueUrl,
                MessageBody: letter.raw_body,
                MessageGroupId: letter.message_group_id ?? 'redriven',
                MessageDeduplicationId: randomUUID(),
              }),
            );
            moved.push(letter.message_id);
          } catch (error) {
            opts.deadLetters.putBack(letters.slice(i));
            throw new DevRouteError(
              503,
              `redrive stopped after ${moved.length} letters: ${error instanceof Error ? error.message : 'send failed'}`,
            );
          }
        }
        opts.log.info(`redrove ${moved.length} dead letter(s) to the queue`);
        return { dry_run: false, redriven: moved.length, message_ids: moved };
      },
    },
  ];
}
