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

/**
 * A Node request as API Gateway HTTP API (payload format 2.0) hands it to a Lambda function. The raw body is kept
 * byte for byte: text as a string, anything else base64 (the signature is verified over raw bytes,
 * docs/CONTRACT.md#post-events).
 */
export function apiGatewayEventFromNode(req: IncomingMessage, body: Buffer, routeKey: string): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const { headers, cookies } = joinedHeaders(req);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  const method = (req.method ?? 'GET').toUpperCase();
  const binary = body.length > 0 && !(isTextType(headers['content-type']) && isUtf8(body));
  const now = Date.now();
  const prefix = greedyPathPrefix(routeKey);
  const proxy = prefix === undefined ? undefined : url.pathname.slice(prefix.length);
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(proxy !== undefined && { pathParameters: { proxy } }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body.length > 0 && { body: binary ? body.toString('base64') : body.toString('utf8') }),
    isBase64Encoded: binary,
  };
}
