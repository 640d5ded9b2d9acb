import { describe, expect, it } from 'vitest';
import { PROBLEMS, problemResponse, problemType } from '../../../src/http/problem';
import { allowMethods, limitBodySize, unsupportedMediaType } from '../../../src/http/request-guards';

describe('problemResponse (RFC 9457)', () => {
  it('writes type, title, status, detail and errors as application/problem+json', () => {
    const response = problemResponse('invalid-event', {
      detail: 'the event is invalid',
      errors: [{ path: '/time', message: 'must be an RFC 3339 date-time' }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toEqual({
      type: 'https://vox-admin-bridge.dev/problems/invalid-event',
      title: 'The event is invalid',
      status: 400,
      detail: 'the event is invalid',
      errors: [{ path: '/time', message: 'must be an RFC 3339 date-time' }],
    });
  });

  it('has one status per slug and omits errors when there are none', () => {
    for (const [slug, { status }] of Object.entries(PROBLEMS)) {
      const response = problemResponse(slug as keyof typeof PROBLEMS, { detail: 'x' });
      expect(response.statusCode).toBe(status);
      expect(JSON.parse(response.body)).not.toHaveProperty('errors');
      expect(JSON.parse(response.body).type).toBe(problemType(slug as keyof typeof PROBLEMS));
    }
  });
});

describe('request guards', () => {
  it('405 with Allow for a method not listed, nothing for one that is', () => {
    expect(allowMethods({ method: 'post' }, ['POST'])).toBeUndefined();
    const response = allowMethods({ method: 'DELETE' }, ['GET', 'POST']);
    expect(response?.statusCode).toBe(405);
    expect(response?.headers.allow).toBe('GET, POST');
  });

  it('413 on the raw byte count, not the character count', () => {
    expect(limitBodySize({ rawBody: Buffer.from('é'.repeat(5)) }, 10)).toBeUndefined();
    expect(limitBodySize({ rawBody: Buffer.from('é'.repeat(6)) }, 10)?.statusCode).toBe(413);
  });

  it('415 names what is accepted and does not echo an overlong header', () => {
    const response = unsupportedMediaType(`text/plain; x=${'y'.repeat(500)}`, ['application/json']);
    expect(response.statusCode).toBe(415);
    expect(response.headers['accept-post']).toBe('application/json');
    expect(JSON.parse(response.body).detail.length).toBeLessThan(200);
  });
});
