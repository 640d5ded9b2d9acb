import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOn } from '../../../src/runtime/node-http';

/**
 * A DynamoDB endpoint in front of DynamoDB Local that lets a test act on a request before it is forwarded: here, kill the
 * worker process at the exact moment it tries to record an outcome (the settle transaction that completes the
 * idempotency record, src/state/dynamo-change-store.ts, or the single `completed` update of its fallback), i.e. after
 * its Voximplant call succeeded and before anything says so. The request
 * is held, never forwarded: the kill, not a DynamoDB error, is what the worker meets. No product code is involved.
 */
export interface DynamoRequest {
  target: string;
  body: Record<string, unknown>;
}

export interface DynamoKillProxy {
  endpoint: string;
  completions: number;
  close(): Promise<void>;
}

/** `intercept` answers true to hold the request forever (the test kills its sender). */
export async function startDynamoKillProxy(
  upstream: string,
  intercept: (request: DynamoRequest, completionIndex: number | undefined) => boolean,
): Promise<DynamoKillProxy> {
  const target = new URL(upstream);
  const held = new Set<ServerResponse>();
  const proxy: DynamoKillProxy = { endpoint: '', completions: 0, close: async () => undefined };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const amzTarget = String(req.headers['x-amz-target'] ?? '');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        // not JSON: forwarded as is
      }
      const completion = isCompletion(amzTarget, body);
      const index = completion ? ++proxy.completions : undefined;
      if (intercept({ target: amzTarget, body }, index)) {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      const forward = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(raw);
    });
  });
  const { port } = await listenOn(server);
  proxy.endpoint = `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise<void>((done) => {
      for (const res of held) res.destroy();
      server.close(() => done());
      server.closeAllConnections();
    });
  return proxy;
}

const completes = (update: unknown) =>
  String((update as { UpdateExpression?: unknown } | undefined)?.UpdateExpression ?? '').startsWith(
    'SET #status = :completed',
  );

/** A request that completes an idempotency record: on its own, or inside a transaction. */
function isCompletion(amzTarget: string, body: Record<string, unknown>): boolean {
  if (amzTarget.endsWith('.UpdateItem')) return completes(body);
  if (!amzTarget.endsWith('.TransactWriteItems') || !Array.isArray(body.TransactItems)) return false;
  return body.TransactItems.some((item: { Update?: unknown }) => completes(item.Update));
}
