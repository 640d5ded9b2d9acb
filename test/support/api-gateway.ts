import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiGatewayEvent as buildEvent } from '../../tooling/local/api-gateway-event';

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
  return buildEvent({
    method: r.method.toUpperCase(),
    path: r.path,
    headers: r.headers,
    body: r.body,
    base64: r.base64,
    rawQueryString: r.rawQueryString ?? '',
    apiId: 'fuzz',
  });
}

export interface HandlerAnswer {
  statusCode?: number;
  headers?: Record<string, unknown>;
  body?: string;
}

export type ApiGatewayHandler = (event: APIGatewayProxyEventV2) => Promise<HandlerAnswer>;
