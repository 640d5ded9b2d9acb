import { Agent, createServer, request as httpRequest } from 'node:http';
import { listenOn } from '../../src/runtime/node-http';

export interface LatencyProxy {
  /** The upstream URL with this proxy's origin instead. */
  url: string;
  close(): Promise<void>;
}

/**
 * An HTTP proxy that holds every request `latencyMs` before forwarding it, so a benchmark can put a network's delay
 * between the bridge and the simulator (which answers in well under a millisecond on the same machine). The delay is
 * added once per request: what a client sees as a round trip of at least `latencyMs`.
 */
export async function startLatencyProxy(upstream: string, latencyMs: number): Promise<LatencyProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const forward = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host },
            agent,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on('error', () => res.destroy());
        forward.end(Buffer.concat(chunks));
      }, latencyMs);
    });
  });
  const { port } = await listenOn(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${target.pathname}`.replace(/\/$/, ''),
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
