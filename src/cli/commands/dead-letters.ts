import { SQSClient } from '@aws-sdk/client-sqs';
import { usageError } from '../cli-error';
import { defineCommand } from '../command';
import { type DeadLetterLine, peekDeadLetters } from './dead-letters-sqs';
import { localBridgeUrl, localCall } from './held-access';

export const DEAD_LETTER_OPTIONS = {
  local: { type: 'boolean' },
  url: { type: 'string' },
  'dlq-url': { type: 'string' },
} as const;

const help = `Usage: vox-admin-bridge dead-letters (--local | --dlq-url <url>) [--max <n>] [--json]

Lists dead letters with their reasons (error_code, error_message, event id), without removing them.
Deployed, the oldest letter of each message group (admin) is shown: a FIFO queue hides the rest of a
group while one of its messages is being read; the total is the queue's approximate count.

Options:
  --local            the bridge of \`npm start\` (its dead-letter watcher)
  --url <url>        with --local: the local bridge (default: http://127.0.0.1:$PORT, PORT=8787)
  --dlq-url <url>    deployed: the dead-letter queue (stack output DeadLetterQueueUrl;
                     default: $DEAD_LETTER_QUEUE_URL), read with your AWS credentials
  --max <n>          deployed: read at most n letters (default 50)
  --json             print JSON
  -h, --help         show this help`;

export function formatLetters(letters: readonly DeadLetterLine[], total?: number): string {
  if (letters.length === 0) return 'no dead letters';
  const head =
    total === undefined ? `${letters.length} dead letter(s):` : `${letters.length} of ~${total} dead letter(s):`;
  return [
    head,
    ...letters.map(
      (l) =>
        `${l.message_id}  group ${l.message_group_id ?? '-'}  event ${l.event_id ?? '-'}\n    ${l.error_code ?? 'moved by SQS after too many receives'}${l.error_message ? `: ${l.error_message}` : ''}`,
    ),
  ].join('\n');
}

export const deadLettersCommand = defineCommand({
  name: 'dead-letters',
  summary: 'list dead letters with their reasons',
  help,
  options: { ...DEAD_LETTER_OPTIONS, max: { type: 'string' }, json: { type: 'boolean' } },
  positionals: [],
  async run({ values }, io) {
    if (values.local === true) {
      const letters = (await localCall(io, localBridgeUrl(values, io), '/__dev/dead-letters')) as DeadLetterLine[];
      io.out(values.json === true ? JSON.stringify(letters, null, 2) : formatLetters(letters));
      return 0;
    }
    const url = values['dlq-url'] ?? io.env.DEAD_LETTER_QUEUE_URL;
    if (url === undefined || url === '')
      throw usageError('give --dlq-url (stack output DeadLetterQueueUrl) or --local');
    const max = Number(values.max ?? '50');
    if (!Number.isInteger(max) || max < 1 || max > 1000)
      throw usageError('--max must be a whole number from 1 to 1000');
    const sqs = new SQSClient({});
    try {
      const { approximate, letters } = await peekDeadLetters(sqs, url, max);
      io.out(values.json === true ? JSON.stringify(letters, null, 2) : formatLetters(letters, approximate));
    } finally {
      sqs.destroy();
    }
    return 0;
  },
});
