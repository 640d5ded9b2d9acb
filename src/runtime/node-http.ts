import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Two things every local server here (the simulator, the local Secrets Manager, DynamoDB Local, the dev adapter) does
 * with plain node:http.
 */

/** Listens and resolves with the bound address; a failure to bind (EADDRINUSE) rejects instead of throwing later. */
export function listenOn(server: Server, port = 0, host = '127.0.0.1'): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * The whole request body, or `undefined` when it is larger than `maxBytes`. The excess is drained rather than the
 * socket destroyed mid-upload, so the client reliably sees the server's 413 instead of a connection reset.
 */
export function readBoundedBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A close function for the server: stops listening and drops open connections (SDK clients keep idle keep-alive
 * sockets, and a plain close would wait for them to time out). Calling it again returns the same promise.
 */
export function closerOf(server: Server): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error?: Error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    return closing;
  };
}
