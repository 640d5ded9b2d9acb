import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { closerOf, listenOn, readBoundedBody } from '../../src/runtime/node-http';
import { apiGatewayEventFromNode, greedyPathPrefix } from './api-gateway-event';
import type { DevLog } from './dev-log';
import { localLambdaContext } from './lambda-context';

export type HttpLambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** One HTTP API route in front of one function, as the deployment's routes (docs/CONTRACT.md#functions). */
export interface DevRoute {
  /** As API Gateway writes it: `POST /events`, `ANY /scim/v2/{proxy+}`. */
  routeKey: string;
  functionName: string;
  handler: HttpLambdaHandler;
}

/**
 * A route of the dev server itself (`GET /__dev/dead-letters`, the operator routes of docs/LOCAL.md), answering JSON.
 * A POST route gets the parsed JSON body; a DevRouteError it throws is answered with its status and message.
 */
export interface DevJsonRoute {
  path: string;
  method?: 'GET' | 'POST';
  answer: (body: unknown) => unknown;
}

export class DevRouteError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DevRouteError';
  }
}

/** Operator bodies are small JSON objects. */
const MAX_DEV_BODY_BYTES = 64 * 1024;

export interface DevHttpServer {
  url: string;
  close(): Promise<void>;
}

/** API Gateway's payload limit (10 MB); the functions enforce their own, smaller, limits. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway HTTP API ends an integration after 30 s. */
const INTEGRATION_TIMEOUT_MS = 30_000;

function matches(routeKey: string, method: string, path: string): boolean {
  const [routeMethod = '', routePath = ''] = routeKey.split(' ');
  if (routeMethod !== 'ANY' && routeMethod !== method) return false;
  const prefix = greedyPathPrefix(routeKey);
  if (prefix !== undefined) return path.startsWith(prefix) && path.length > prefix.length;
  return path === routePath;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = `${JSON.stringify(value, null, 2)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A function's answer as API Gateway turns it into HTTP (a bare string is a 200 JSON body). */
function sendResult(res: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(result);
    return;
  }
  const headers: Record<string, string | number | boolean | string[]> = { ...(result.headers ?? {}) };
  if (result.cookies !== undefined && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(result.statusCode ?? 200, headers as Record<string, string | string[]>);
  res.end(body);
}

async function answerDev(route: DevJsonRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: unknown;
  if (route.method === 'POST') {
    const raw = await readBoundedBody(req, MAX_DEV_BODY_BYTES);
    if (raw === undefined) return sendJson(res, 413, { error: 'the body is too large' });
    try {
      body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    } catch {
      return sendJson(res, 400, { error: 'the body is not JSON' });
    }
  } else {
    req.resume();
  }
  try {
    sendJson(res, 200, await route.answer(body));
  } catch (error) {
    if (error instanceof DevRouteError) return sendJson(res, error.status, { error: error.message });
    throw error;
  }
}

/**
 * The HTTP side of `npm start`: the same function handlers as in Lambda, behind a small adapter that plays
 * API Gateway HTTP API (payload v2) on 127.0.0.1. Unknown routes answer as API Gateway does (404 `Not Found`).
 */
export async function startDevHttpServer(opts: {
  port: number;
  routes: readonly DevRoute[];
  devRoutes?: readonly DevJsonRoute[];
  log: DevLog;
}): Promise<DevHttpServer> {
  const server = createServer(async (req, res) => {
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const dev = opts.devRoutes?.find((r) => r.path === path && (r.method ?? 'GET') === method);
      if (dev !== undefined) {
        await answerDev(dev, req, res);
        return;
      }
      const route = opts.routes.find((r) => matches(r.routeKey, method, path));
      if (route === undefined) {
        req.resume();
        sendJson(res, 404, { message: 'Not Found' });
        return;
      }
      const body = await readBoundedBody(req, MAX_BODY_BYTES);
      if (body === undefined) {
        sendJson(res, 413, { message: 'Request Entity Too Large' });
        return;
      }
      const event = apiGatewayEventFromNode(req, body, route.routeKey);
      const result = await route.handler(event, localLambdaContext(route.functionName, INTEGRATION_TIMEOUT_MS));
      sendResult(res, result);
    } catch (error) {
      // What API Gateway answers when the function itself fails.
      opts.log.warn(`a function failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
      else res.end();
    }
  });
  const { port } = await listenOn(server, opts.port);
  return { url: `http://127.0.0.1:${port}`, close: closerOf(server) };
}
