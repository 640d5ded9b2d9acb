import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readBoundedBody } from '../../src/runtime/node-http';
import { handleControlRoute } from './control-routes';
import { type ApiAnswer, handleApiCall, type PlatformApiDeps } from './platform-api';
import type { Simulator } from './types';

/** Larger bodies are refused with HTTP 413: no admin-user call comes near it. */
export const MAX_BODY_BYTES = 1024 * 1024;

const API_PREFIX = '/platform_api';

class BodyTooLargeError extends Error {}

/**
 * The simulator's HTTP surface on node:http: the Management API under `/platform_api` (every answer HTTP 200
 * JSON unless a fault says otherwise) and the control routes under `/__sim`. Every response carries a `Date`
 * header from the simulator's clock, which clients use to detect clock skew.
 */
export function createSimHttpServer(deps: PlatformApiDeps, sim: Simulator): Server {
  return createServer((req, res) => {
    route(req, res, deps, sim).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        send(res, deps, 413, 'application/json', JSON.stringify({ error: 'request body too large' }), true);
      } else if (!res.headersSent) {
        send(res, deps, 500, 'application/json', JSON.stringify({ error: (error as Error).message }));
      } else {
        res.destroy();
      }
    });
  });
}

async function route(req: IncomingMessage, res: ServerResponse, deps: PlatformApiDeps, sim: Simulator): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const httpMethod = req.method ?? 'GET';
  const path = url.pathname;

  if (path.startsWith('/__sim/')) {
    const body = await readBody(req);
    const answer = handleControlRoute(httpMethod, url, body, sim);
    send(res, deps, answer.status, 'application/json', JSON.stringify(answer.body));
    return;
  }

  if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
    // POST is what every client sends; GET with a query string is the legacy docs' form
    // (https://voximplant.com/docs/references/httpapi/).
    if (httpMethod !== 'POST' && httpMethod !== 'GET') {
      res.setHeader('allow', 'GET, POST');
      send(res, deps, 405, 'application/json', JSON.stringify({ error: `method ${httpMethod} not allowed` }));
      return;
    }
    const body = await readBody(req);
    const rest = path.slice(API_PREFIX.length).replace(/^\/+|\/+$/g, '');
    const answer = await handleApiCall(
      {
        url,
        pathMethod: rest === '' ? undefined : safeDecode(rest),
        contentType: header(req, 'content-type'),
        authorization: header(req, 'authorization'),
        idempotencyKey: header(req, 'idempotency-key'),
        body,
      },
      deps,
    );
    answer.kind === 'drop' ? req.socket.destroy() : sendAnswer(res, deps, answer);
    return;
  }

  send(res, deps, 404, 'application/json', JSON.stringify({ error: `no route ${path}` }));
}

function sendAnswer(res: ServerResponse, deps: PlatformApiDeps, answer: Exclude<ApiAnswer, { kind: 'drop' }>): void {
  if (answer.kind === 'raw') send(res, deps, answer.status, answer.contentType, answer.body);
  else send(res, deps, answer.status, 'application/json; charset=utf-8', JSON.stringify(answer.body));
}

function send(
  res: ServerResponse,
  deps: PlatformApiDeps,
  status: number,
  contentType: string,
  body: string,
  close = false,
): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    date: new Date(deps.now()).toUTCString(),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The whole body, or BodyTooLargeError (answered with 413) when it is larger than MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const body = await readBoundedBody(req, MAX_BODY_BYTES);
  if (body === undefined) throw new BodyTooLargeError();
  return body;
}
