import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DevLog } from './dev-log';
import { pause } from './event-source-mapping';

/** One dead letter as `GET /__dev/dead-letters` shows it (docs/CONTRACT.md#dead-letters names the attributes). */
export interface DeadLetterView {
  received_at: string;
  message_id: string;
  message_group_id?: string;
  /** Ours or Voximplant's code; absent when SQS redrove the message after maxReceiveCount receives. */
  error_code?: string;
  error_message?: string;
  event_id?: string;
  idempotency_key?: string;
  /** The original CloudEvent (parsed when it is JSON). */
  body: unknown;
}

/** A dead letter with the bytes it arrived with, for a redrive. */
export interface HeldDeadLetter extends DeadLetterView {
  raw_body: string;
}

export interface DeadLetterWatcher {
  /** Oldest first, at most `keep`. */
  list(): DeadLetterView[];
  /** Removes the letters and hands them over (a redrive), oldest first. */
  take(): HeldDeadLetter[];
  /** Puts letters back at the front (a redrive that could not send them). */
  putBack(letters: readonly HeldDeadLetter[]): void;
  stop(): Promise<void>;
}

/**
 * Makes the dead-letter queue visible on this machine: it drains the local DLQ, keeps the last `keep` letters for
 * `GET /__dev/dead-letters`, and logs each one as it arrives. In AWS the letters stay in the queue for an operator;
 * locally the queue lives in memory and dies with the process, so holding them here loses nothing.
 */
export function watchDeadLetters(opts: {
  sqs: SQSClient;
  queueUrl: string;
  log: DevLog;
  keep?: number;
  waitTimeSec?: number;
}): DeadLetterWatcher {
  const keep = opts.keep ?? 1000;
  const letters: HeldDeadLetter[] = [];
  const stopping = new AbortController();

  const record = (m: Message) => {
    const attr = (name: string) => m.MessageAttributes?.[name]?.StringValue;
    const view: HeldDeadLetter = {
      received_at: new Date().toISOString(),
      message_id: m.MessageId ?? '',
      ...(m.Attributes?.MessageGroupId !== undefined && { message_group_id: m.Attributes.MessageGroupId }),
      ...optional('error_code', attr('error_code')),
      ...optional('error_message', attr('error_message')),
      ...optional('event_id', attr('event_id')),
      ...optional('idempotency_key', attr('idempotency_key')),
      body: parseOrText(m.Body ?? ''),
      raw_body: m.Body ?? '',
    };
    letters.push(view);
    if (letters.length > keep) {
      const dropped = letters.shift();
      opts.log.warn(`more than ${keep} dead letters: the oldest (${dropped?.message_id}) is no longer kept`);
    }
    const why =
      view.error_code === undefined
        ? 'moved by SQS after too many receives'
        : `${view.error_code}${view.error_message === undefined ? '' : `: ${view.error_message}`}`;
    opts.log.warn(`dead letter${view.event_id === undefined ? '' : ` for event ${view.event_id}`} (${why})`);
  };

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        const out = await opts.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: opts.queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: opts.waitTimeSec ?? 20,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: stopping.signal },
        );
        const messages = out.Messages ?? [];
        if (messages.length === 0) continue;
        for (const m of messages) record(m);
        await opts.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: opts.queueUrl,
            Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      } catch (error) {
        if (stopping.signal.aborted) return;
        opts.log.warn(`reading the local dead-letter queue failed: ${error instanceof Error ? error.message : error}`);
        await pause(1_000, stopping.signal);
      }
    }
  })();

  return {
    list: () => letters.map(({ raw_body: _raw, ...view }) => view),
    take: () => letters.splice(0),
    putBack: (back) => {
      letters.unshift(...back);
    },
    stop: async () => {
      stopping.abort();
      await loop;
    },
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
