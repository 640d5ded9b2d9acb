import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { listenOn } from '../../../src/runtime/node-http';

/**
 * A recording SendMessage/SendMessageBatch target for the fuzz tests: it speaks just enough of the SQS JSON protocol
 * (X-Amz-Target `AmazonSQS.<Op>`, MD5 of each body, which the SDK checks) for the real handlers and the real AWS SDK
 * to enqueue through it, and it counts every message, so a property can say "nothing was enqueued" per request.
 * Anything else is refused as AWS would refuse an unknown operation.
 */
export interface RecordedMessage {
  body: string;
  groupId?: string;
  dedupId?: string;
}

export interface RecordingSqs {
  endpoint: string;
  queueUrl: string;
  messages: RecordedMessage[];
  close(): Promise<void>;
}

interface Entry {
  Id?: string;
  MessageBody?: string;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export async function startRecordingSqs(): Promise<RecordingSqs> {
  const messages: RecordedMessage[] = [];
  const record = (e: Entry): RecordedMessage => ({
    body: e.MessageBody ?? '',
    ...(e.MessageGroupId !== undefined && { groupId: e.MessageGroupId }),
    ...(e.MessageDeduplicationId !== undefined && { dedupId: e.MessageDeduplicationId }),
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const op = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Entry & { Entries?: Entry[] };
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body));
      };
      if (op === 'SendMessageBatch') {
        const entries = input.Entries ?? [];
        for (const e of entries) messages.push(record(e));
        answer(200, {
          Successful: entries.map((e) => ({
            Id: e.Id,
            MessageId: randomUUID(),
            MD5OfMessageBody: md5(e.MessageBody ?? ''),
            SequenceNumber: String(messages.length),
          })),
          Failed: [],
        });
      } else if (op === 'SendMessage') {
        messages.push(record(input));
        answer(200, { MessageId: randomUUID(), MD5OfMessageBody: md5(input.MessageBody ?? '') });
      } else {
        answer(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `${op} is not recorded here` });
      }
    });
  });
  const { port } = await listenOn(server);
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    queueUrl: `${endpoint}/000000000000/fuzz-events.fifo`,
    messages,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
