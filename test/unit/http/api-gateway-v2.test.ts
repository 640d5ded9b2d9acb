import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { fromApiGatewayV2, toApiGatewayV2 } from '../../../src/http/api-gateway-v2';
import { headerValue } from '../../../src/http/http-message';
import { apiGatewayEvent } from '../../../tooling/local/api-gateway-event';

function event(overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    ...apiGatewayEvent({
      method: 'post',
      path: '/events',
      rawQueryString: 'a=1&b=2&b=3&f=x+eq+%22y%22',
      headers: { 'content-type': 'application/json', 'X-Mixed': 'v' },
      body: '{"a":1}',
      routeKey: 'POST /events',
      requestId: 'r-1',
    }),
    ...overrides,
  };
}

describe('fromApiGatewayV2', () => {
  it('keeps the body bytes, lower-cases header names and the method; reads the query as a form', () => {
    const request = fromApiGatewayV2(event());
    expect(request).toEqual({
      method: 'POST',
      path: '/events',
      headers: { 'content-type': 'application/json', 'x-mixed': 'v' },
      rawBody: Buffer.from('{"a":1}'),
      // From the raw string: `+` is a space (API Gateway's own decoding keeps it), a repeat keeps its first value.
      query: { a: '1', b: '2', f: 'x eq "y"' },
    });
    expect(headerValue(request, 'X-MIXED')).toBe('v');
  });

  it('decodes a base64 body to its exact bytes', () => {
    const bytes = Buffer.from([0x00, 0xff, 0x7b, 0xc3, 0xa9]);
    expect(fromApiGatewayV2(event({ body: bytes.toString('base64'), isBase64Encoded: true })).rawBody).toEqual(bytes);
  });

  it('reads a missing body as empty and restores cookies as a Cookie header', () => {
    const request = fromApiGatewayV2(
      event({ body: undefined, cookies: ['a=1', 'b=2'], rawQueryString: '', queryStringParameters: undefined }),
    );
    expect(request.rawBody.length).toBe(0);
    expect(request.headers.cookie).toBe('a=1; b=2');
    expect(request.query).toEqual({});
  });
});

describe('toApiGatewayV2', () => {
  it('maps status, headers and body, never base64', () => {
    expect(toApiGatewayV2({ statusCode: 202, headers: { 'content-type': 'application/json' }, body: '{}' })).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      isBase64Encoded: false,
    });
  });
});
