import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * Media types API Gateway HTTP APIs pass as text; any other body arrives base64 with `isBase64Encoded: true`.
 * Bodies that are not valid UTF-8 are always sent base64, so the bytes a signature covers reach the handler intact.
 */
function isTextType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript'
  );
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Payload v2 joins repeated headers and query parameters with commas and keeps cookies apart. */
function joinedHeaders(req: IncomingMessage): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    const value = req.rawHeaders[i + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return { headers, cookies };
}

/** The path before `{proxy+}` of a greedy route (`ANY /scim/v2/{proxy+}` → `/scim/v2/`); undefined for any other. */
export function greedyPathPrefix(routeKey: string): string | undefined {
  const routePath = routeKey.split(' ')[1] ?? '';
  return routePath.endsWith('/{proxy+}') ? routePath.slice(0, -'{proxy+}'.length) : undefined;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * `queryStringParameters` as API Gateway fills it: %-escapes decoded, `+` kept as it is (not a space), repeated
 * names joined with commas.
 */
function queryStringParameters(rawQueryString: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const pair of rawQueryString.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const key = decoded(at === -1 ? pair : pair.slice(0, at));
    const value = at === -1 ? '' : decoded(pair.slice(at + 1));
    query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  }
  return query;
}

/** What a request carries before API Gateway shapes it; everything else of the event follows from it. */
export interface ApiGatewayEventInput {
  /** As the client sent it; the node adapter passes it upper-cased, as API Gateway does. */
  method: string;
  /** The raw path, `/scim/v2/Users/42`. */
  path: string;
  /** Without the `?`; `a=1&a=2`. */
  rawQueryString?: string;
  /** Names as given (API Gateway lower-cases them; tests may not, to check the handler does). */
  headers?: Record<string, string>;
  cookies?: string[];
  body?: Buffer | string;
  /**
   * Chooses the encoding of the body; left out, API Gateway's rule picks it from the media type. Bytes that are not
   * valid UTF-8 are base64 either way, as API Gateway sends them.
   */
  base64?: boolean;
  /** The route that matched; defaults to `<METHOD> <path>`. A greedy route also gives `pathParameters.proxy`. */
  routeKey?: string;
  apiId?: string;
  sourceIp?: string;
  protocol?: string;
  requestId?: string;
  /** Epoch milliseconds of the request. */
  timeEpoch?: number;
}

/**
 * An API Gateway HTTP API event (payload format 2.0), as the Lambda handlers receive it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html):
 * `queryStringParameters` beside the raw query string, the body byte for byte (text as a string, anything else
 * base64), the greedy path segment in `pathParameters.proxy`.
 */
export function apiGatewayEvent(input: ApiGatewayEventInput): APIGatewayProxyEventV2 {
  const headers = input.headers ?? {};
  const rawQueryString = input.rawQueryString ?? '';
  const routeKey = input.routeKey ?? `${input.method.toUpperCase()} ${input.path}`;
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : (input.body ?? Buffer.alloc(0));
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const host = Object.entries(headers).find(([name]) => name.toLowerCase() === 'host')?.[1];
  const userAgent = Object.entries(headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1];
  const binary = body.length > 0 && ((input.base64 ?? !isTextType(contentType)) || !isUtf8(body));
  const query = queryStringParameters(rawQueryString);
  const prefix = greedyPathPrefix(routeKey);
  const proxy = prefix === undefined ? undefined : input.path.slice(prefix.length);
  const apiId = input.apiId ?? 'local';
  const now = input.timeEpoch ?? Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath: input.path,
    rawQueryString,
    ...(input.cookies !== undefined && input.cookies.length > 0 && { cookies: input.cookies }),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(proxy !== undefined && { pathParameters: { proxy } }),
    requestContext: {
      accountId: '000000000000',
      apiId,
      domainName: host ?? '127.0.0.1',
      domainPrefix: apiId,
      http: {
        method: input.method,
        path: input.path,
        protocol: input.protocol ?? 'HTTP/1.1',
        sourceIp: input.sourceIp ?? '127.0.0.1',
        userAgent: userAgent ?? '',
      },
      requestId: input.requestId ?? randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body.length > 0 && { body: binary ? body.toString('base64') : body.toString('utf8') }),
    isBase64Encoded: binary,
  };
}

/**
 * A Node request as API Gateway HTTP API (payload format 2.0) hands it to a Lambda function. The raw body is kept
 * byte for byte: text as a string, anything else base64, because a webhook signature covers the raw bytes.
 */
export function apiGatewayEventFromNode(req: IncomingMessage, body: Buffer, routeKey: string): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const { headers, cookies } = joinedHeaders(req);
  return apiGatewayEvent({
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    cookies,
    body,
    routeKey,
    protocol: `HTTP/${req.httpVersion}`,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
  });
}
