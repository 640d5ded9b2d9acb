import { describe, expect, it } from 'vitest';
import { jsonResponse } from '../../../src/http/json-response';
import { lambdaHttpHandler } from '../../../src/http/lambda-http-handler';
import { createLogger } from '../../../src/observability/logger';
import { apiGatewayEvent } from '../../../tooling/local/api-gateway-event';

const logger = createLogger('test', 'silent');
const event = apiGatewayEvent({ method: 'POST', path: '/x', body: 'hi', base64: true, requestId: 'r' });

describe('lambdaHttpHandler', () => {
  it('adapts the event, builds collaborators once, and shapes the answer', async () => {
    let inits = 0;
    const handler = lambdaHttpHandler({
      logger,
      init: () => ({ n: ++inits }),
      handle: async (request, deps) => jsonResponse(200, { body: request.rawBody.toString(), n: deps.n }),
    });
    await handler(event);
    const result = await handler(event);
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: false });
    expect(JSON.parse(result.body!)).toEqual({ body: 'hi', n: 1 });
    expect(inits).toBe(1);
  });

  it('turns a thrown error into a 500 problem without a stack, and never throws', async () => {
    const handler = lambdaHttpHandler({
      logger,
      init: () => ({}),
      handle: async () => {
        throw new Error('boom at secret place');
      },
    });
    const result = await handler(event);
    expect(result.statusCode).toBe(500);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(result.body).not.toMatch(/boom|at |\.ts/);
  });

  it('answers 500 while initialisation fails, and retries it on the next request', async () => {
    let attempts = 0;
    const handler = lambdaHttpHandler({
      logger,
      init: () => {
        attempts += 1;
        if (attempts === 1) throw new Error('QUEUE_URL is required by this function but not set');
        return {};
      },
      handle: async () => jsonResponse(200, {}),
    });
    const first = await handler(event);
    expect(first.statusCode).toBe(500);
    expect(JSON.parse(first.body!).detail).toBe('the function is not configured correctly; see its logs');
    expect((await handler(event)).statusCode).toBe(200);
  });

  it('survives a failing after-hook', async () => {
    const handler = lambdaHttpHandler({
      logger,
      init: () => ({}),
      handle: async () => jsonResponse(200, {}),
      after: () => {
        throw new Error('flush failed');
      },
    });
    expect((await handler(event)).statusCode).toBe(200);
  });
});
