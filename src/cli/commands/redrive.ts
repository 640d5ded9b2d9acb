import { SQSClient } from '@aws-sdk/client-sqs';
import { usageError } from '../cli-error';
import { defineCommand } from '../command';
import { DEAD_LETTER_OPTIONS, formatLetters } from './dead-letters';
import { type DeadLetterLine, peekDeadLetters, queueArn, startRedrive } from './dead-letters-sqs';
import { localBridgeUrl, localCall } from './held-access';

const help = `Usage: vox-admin-bridge redrive (--local | --dlq-url <url> --queue-url <url>) [--dry-run]

Moves the dead letters back to the event queue, once their cause is fixed: the worker tries each
again (rejected and failed changes are never recorded as done, so a redriven change is applied;
one that fails again is dead-lettered again).
Deployed, it starts SQS's message-move task from the dead-letter queue to the event queue (one task
at a time per queue; it runs on in SQS). Locally, the letters held by \`npm start\` are sent back
with their message group, in the order they arrived.

Options:
  --dry-run          say what would be moved, move nothing
  --local            the bridge of \`npm start\`
  --url <url>        with --local: the local bridge (default: http://127.0.0.1:$PORT, PORT=8787)
  --dlq-url <url>    deployed: the dead-letter queue (stack output DeadLetterQueueUrl;
                     default: $DEAD_LETTER_QUEUE_URL)
  --queue-url <url>  deployed: the event queue (stack output EventQueueUrl; default: $QUEUE_URL)
  -h, --help         show this help`;

export const redriveCommand = defineCommand({
  name: 'redrive',
  summary: 'move dead letters back to the event queue (--dry-run to look first)',
  help,
  options: { ...DEAD_LETTER_OPTIONS, 'queue-url': { type: 'string' }, 'dry-run': { type: 'boolean' } },
  positionals: [],
  async run({ values }, io) {
    const dryRun = values['dry-run'] === true;
    if (values.local === true) {
      const out = (await localCall(io, localBridgeUrl(values, io), '/__dev/dead-letters/redrive', {
        dry_run: dryRun,
      })) as { would_redrive?: DeadLetterLine[]; redriven?: number };
      io.out(
        dryRun
          ? `dry run: would redrive ${out.would_redrive?.length ?? 0}\n${formatLetters(out.would_redrive ?? [])}`
          : `redrove ${out.redriven ?? 0} dead letter(s) to the queue`,
      );
      return 0;
    }
    const dlq = values['dlq-url'] ?? io.env.DEAD_LETTER_QUEUE_URL;
    const queue = values['queue-url'] ?? io.env.QUEUE_URL;
    if (!dlq || !queue) {
      throw usageError('give --dlq-url and --queue-url (stack outputs DeadLetterQueueUrl, EventQueueUrl) or --local');
    }
    const sqs = new SQSClient({});
    try {
      if (dryRun) {
        const { approximate, letters } = await peekDeadLetters(sqs, dlq, 50);
        io.out(
          `dry run: would start a message-move task for ~${approximate} letter(s)\n${formatLetters(letters, approximate)}`,
        );
        return 0;
      }
      const handle = await startRedrive(sqs, await queueArn(sqs, dlq), await queueArn(sqs, queue));
      io.out(
        `started the message-move task ${handle}; follow it with: aws sqs list-message-move-tasks --source-arn <dlq arn>`,
      );
    } finally {
      sqs.destroy();
    }
    return 0;
  },
});
