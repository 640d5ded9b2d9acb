import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface ApiGatewayRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** API Gateway base64-encodes bodies it does not take for text; either way the handler must see the same bytes. */
  base64: boolean;
  rawQueryString?: string;
}

/** An API Gateway HTTP API (payload 2.0) event, as the Lambda handlers receive it. */
export function apiGatewayEvent(r: ApiGatewayRequest): APIGatewayProxyEventV2 {
  const method = r.method.toUpperCase();
  // API Gateway passes a body as text only when it is text; bytes that are not UTF-8 always arrive base64-encoded.
  const base64 = r.base64 || !Buffer.from(r.body.toString('utf8'), 'utf8').equals(r.body);
  return {
    version: '2.0',
    routeKey: `${method} ${r.path}`,
    rawPath: r.path,
    rawQueryString: r.rawQueryString ?? '',
    headers: r.headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'fuzz',
      domainName: 'fuzz.example',
      domainPrefix: 'fuzz',
      http: { method, path: r.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'fuzz' },
      requestId: `fuzz-${Math.random().toString(16).slice(2)}`,
      routeKey: `${method} ${r.path}`,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    ...(r.body.length > 0 && { body: base64 ? r.body.toString('base64') : r.body.toString('utf8') }),
    isBase64Encoded: base64,
  } as APIGatewayProxyEventV2;
}

export interface HandlerAnswer {
  statusCode?: number;
  headers?: Record<string, unknown>;
  body?: string;
}

export type ApiGatewayHandler = (event: APIGatewayProxyEventV2) => Promise<HandlerAnswer>;
