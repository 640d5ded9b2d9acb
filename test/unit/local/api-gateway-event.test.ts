import { describe, expect, it } from 'vitest';
import { fromApiGatewayV2 } from '../../../src/http/api-gateway-v2';
import { apiGatewayEvent } from '../../../tooling/local/api-gateway-event';

describe('apiGatewayEvent', () => {
  it('fills queryStringParameters as API Gateway does: %-escapes decoded, + kept, repeats joined', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/scim/v2/Users', rawQueryString: 'f=a+eq+%22b%22&x=1&x=2' });
    expect(event.rawQueryString).toBe('f=a+eq+%22b%22&x=1&x=2');
    expect(event.queryStringParameters).toEqual({ f: 'a+eq+"b"', x: '1,2' });
    expect(apiGatewayEvent({ method: 'GET', path: '/' }).queryStringParameters).toBeUndefined();
  });

  it('gives a greedy route its proxy path parameter, and defaults the route key to method and path', () => {
    const scim = apiGatewayEvent({ method: 'GET', path: '/scim/v2/Users/42', routeKey: 'ANY /scim/v2/{proxy+}' });
    expect(scim.pathParameters).toEqual({ proxy: 'Users/42' });
    expect(scim.requestContext.routeKey).toBe('ANY /scim/v2/{proxy+}');
    const events = apiGatewayEvent({ method: 'post', path: '/events' });
    expect(events.routeKey).toBe('POST /events');
    expect(events.pathParameters).toBeUndefined();
  });

  it('passes text media types as text and anything else base64, the same bytes either way', () => {
    const json = apiGatewayEvent({
      method: 'POST',
      path: '/e',
      headers: { 'Content-Type': 'application/json' },
      body: '{"é":1}',
    });
    expect(json).toMatchObject({ isBase64Encoded: false, body: '{"é":1}' });
    const octets = apiGatewayEvent({
      method: 'POST',
      path: '/e',
      headers: { 'content-type': 'application/octet-stream' },
      body: 'abc',
    });
    expect(octets).toMatchObject({ isBase64Encoded: true, body: Buffer.from('abc').toString('base64') });
    expect(fromApiGatewayV2(octets).rawBody.toString()).toBe('abc');
  });

  it('base64-encodes bytes that are not UTF-8 even when text is asked for, so none is lost', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    const event = apiGatewayEvent({
      method: 'POST',
      path: '/e',
      headers: { 'content-type': 'application/json' },
      body: bytes,
      base64: false,
    });
    expect(event.isBase64Encoded).toBe(true);
    expect(fromApiGatewayV2(event).rawBody).toEqual(bytes);
  });

  it('reads the domain and user agent from the headers, and leaves out an empty body', () => {
    const event = apiGatewayEvent({
      method: 'GET',
      path: '/',
      headers: { Host: 'abc.execute-api.eu-west-1.amazonaws.com', 'User-Agent': 'Okta' },
      apiId: 'abc',
    });
    expect(event.requestContext).toMatchObject({
      apiId: 'abc',
      domainName: 'abc.execute-api.eu-west-1.amazonaws.com',
      http: { method: 'GET', path: '/', userAgent: 'Okta' },
    });
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });
});
