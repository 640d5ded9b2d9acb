import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { fromApiGatewayV2 } from '../../../src/http/api-gateway-v2';
import {
  signStandardWebhook,
  verifyStandardWebhook,
  WebhookSignatureError,
} from '../../../src/ingress/standard-webhooks';
import { apiGatewayEvent } from '../../../tooling/local/api-gateway-event';
import { NOW, NOW_SECONDS, newWebhookSecret, signedRequest } from '../../support/ingress-fixtures';

const body = JSON.stringify({ specversion: '1.0', id: 'évt-1', data: { admin_user_name: 'jdoe' } });
const verify = (request: Parameters<typeof verifyStandardWebhook>[0], secrets: string[], toleranceSeconds = 300) =>
  verifyStandardWebhook(request, { secrets, nowMs: NOW, toleranceSeconds });

describe('verifyStandardWebhook', () => {
  const secret = newWebhookSecret();

  it('accepts a payload signed by the official standardwebhooks package', () => {
    const request = signedRequest({ secrets: [secret], body, webhookId: 'msg_1' });
    expect(verify(request, [secret])).toEqual({ webhookId: 'msg_1', timestamp: NOW_SECONDS });
  });

  it('agrees with the official verifier on what it signs (our signer, their verifier)', () => {
    const ts = Math.floor(Date.now() / 1000); // the official verifier reads the real clock
    const signature = signStandardWebhook(secret, 'msg_2', ts, Buffer.from(body));
    const headers = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(ts), 'webhook-signature': signature };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('refuses a tampered body', () => {
    const request = signedRequest({ secrets: [secret], body });
    request.rawBody = Buffer.from(body.replace('jdoe', 'jdoF'));
    expect(() => verify(request, [secret])).toThrowError(WebhookSignatureError);
    expect(() => verify(request, [secret])).toThrowError(expect.objectContaining({ code: 'no_matching_signature' }));
  });

  it('refuses a tampered webhook-id (it is part of the signed content)', () => {
    const request = signedRequest({ secrets: [secret], body, webhookId: 'msg_a' });
    request.headers['webhook-id'] = 'msg_b';
    expect(() => verify(request, [secret])).toThrowError(WebhookSignatureError);
    expect(() => verify(request, [secret])).toThrowError(expect.objectContaining({ code: 'no_matching_signature' }));
  });

  it('refuses a signature made with a secret we do not hold', () => {
    const request = signedRequest({ secrets: [newWebhookSecret()], body });
    expect(() => verify(request, [secret])).toThrowError(WebhookSignatureError);
    expect(() => verify(request, [secret])).toThrowError(
      expect.objectContaining({
        code: 'no_matching_signature',
        message: expect.not.stringContaining(secret.slice(6, 20)),
      }),
    );
  });

  it.each([
    ['one second past the tolerance', NOW_SECONDS - 301, 'timestamp_too_old'],
    ['an hour old', NOW_SECONDS - 3600, 'timestamp_too_old'],
    ['one second beyond the future tolerance', NOW_SECONDS + 301, 'timestamp_too_new'],
  ])('refuses a timestamp %s', (_label, timestampSeconds, code) => {
    const request = signedRequest({ secrets: [secret], body, timestampSeconds });
    expect(() => verify(request, [secret])).toThrowError(WebhookSignatureError);
    expect(() => verify(request, [secret])).toThrowError(
      expect.objectContaining({ code, message: expect.stringMatching(/\d+ s/) }),
    );
  });

  it.each([NOW_SECONDS - 300, NOW_SECONDS + 300])('accepts a timestamp exactly at the tolerance (%s)', (ts) => {
    expect(verify(signedRequest({ secrets: [secret], body, timestampSeconds: ts }), [secret]).timestamp).toBe(ts);
  });

  it('uses the configured tolerance, not a fixed five minutes', () => {
    const request = signedRequest({ secrets: [secret], body, timestampSeconds: NOW_SECONDS - 600 });
    expect(() => verify(request, [secret], 300)).toThrowError(WebhookSignatureError);
    expect(() => verify(request, [secret], 300)).toThrowError(expect.objectContaining({ code: 'timestamp_too_old' }));
    expect(verify(request, [secret], 900).timestamp).toBe(NOW_SECONDS - 600);
    const strict = signedRequest({ secrets: [secret], body, timestampSeconds: NOW_SECONDS - 31 });
    expect(() => verify(strict, [secret], 30)).toThrowError(WebhookSignatureError);
    expect(() => verify(strict, [secret], 30)).toThrowError(expect.objectContaining({ code: 'timestamp_too_old' }));
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('refuses a request without %s, naming it', (h) => {
    const request = signedRequest({ secrets: [secret], body });
    delete request.headers[h];
    expect(() => verify(request, [secret])).toThrowError(WebhookSignatureError);
    expect(() => verify(request, [secret])).toThrowError(
      expect.objectContaining({ code: 'missing_headers', message: expect.stringContaining(h) }),
    );
  });

  it('names every missing header at once', () => {
    const request = { headers: {}, rawBody: Buffer.from(body) };
    expect(() => verify(request, [secret])).toThrowError(WebhookSignatureError);
    expect(() => verify(request, [secret])).toThrowError(
      expect.objectContaining({
        message: 'missing Standard Webhooks header(s): webhook-id, webhook-timestamp, webhook-signature',
      }),
    );
  });

  it.each(['soon', '1.5', '-3', '2026-11-27T09:20:00Z'])('refuses a timestamp that is not Unix seconds (%s)', (ts) => {
    const request = signedRequest({ secrets: [secret], body });
    request.headers['webhook-timestamp'] = ts;
    expect(() => verify(request, [secret])).toThrowError(WebhookSignatureError);
    expect(() => verify(request, [secret])).toThrowError(expect.objectContaining({ code: 'bad_timestamp' }));
  });

  describe('secret rotation', () => {
    const oldSecret = newWebhookSecret();
    const newSecret = newWebhookSecret();

    it.each([
      ['signed with the old secret only', [oldSecret]],
      ['signed with the new secret only', [newSecret]],
      ['signed with both (the rotation overlap)', [oldSecret, newSecret]],
      ['signed with an unknown secret and the new one', [newWebhookSecret(), newSecret]],
    ])('accepts a request %s while both are active', (_label, signers) => {
      expect(verify(signedRequest({ secrets: signers, body }), [oldSecret, newSecret]).webhookId).toBeTruthy();
    });

    it('refuses the old secret once it is retired', () => {
      const request = signedRequest({ secrets: [oldSecret], body });
      expect(() => verify(request, [newSecret])).toThrowError(WebhookSignatureError);
      expect(() => verify(request, [newSecret])).toThrowError(
        expect.objectContaining({ code: 'no_matching_signature' }),
      );
    });
  });

  it('ignores v1a (ed25519) entries and refuses a header with no v1 entry', () => {
    const request = signedRequest({ secrets: [secret], body });
    const v1 = request.headers['webhook-signature']!;
    request.headers['webhook-signature'] = `v1a,${Buffer.alloc(64).toString('base64')} ${v1}`;
    expect(verify(request, [secret]).webhookId).toBeTruthy();
    request.headers['webhook-signature'] = `v1a,${Buffer.alloc(64).toString('base64')}`;
    expect(() => verify(request, [secret])).toThrowError(WebhookSignatureError);
    expect(() => verify(request, [secret])).toThrowError(expect.objectContaining({ code: 'no_v1_signature' }));
  });

  it('refuses a header with too many signatures before computing any', () => {
    const request = signedRequest({ secrets: [secret], body });
    request.headers['webhook-signature'] = Array.from({ length: 17 }, () => request.headers['webhook-signature']).join(
      ' ',
    );
    expect(() => verify(request, [secret])).toThrowError(WebhookSignatureError);
    expect(() => verify(request, [secret])).toThrowError(expect.objectContaining({ code: 'too_many_signatures' }));
  });

  it('verifies the decoded bytes of a base64 API Gateway body (isBase64Encoded)', () => {
    const signed = signedRequest({ secrets: [secret], body });
    const event = apiGatewayEvent({
      method: 'POST',
      path: '/events',
      routeKey: 'POST /events',
      headers: signed.headers,
      body,
      base64: true,
      requestId: 'r1',
    });
    expect(verify(fromApiGatewayV2(event), [secret]).webhookId).toBeTruthy();
    // The same text read as if it were not base64 is a different body: proof the flag matters.
    const wrong = fromApiGatewayV2({ ...event, isBase64Encoded: false });
    expect(() => verify(wrong, [secret])).toThrowError(WebhookSignatureError);
    expect(() => verify(wrong, [secret])).toThrowError(expect.objectContaining({ code: 'no_matching_signature' }));
  });

  describe('signature encoding, against the official verifier', () => {
    // The official verifier reads the real clock, so these requests are signed now.
    const now = () => Date.now();
    const sign = (id: string, ts: number, payload: string) =>
      new Webhook(secret).sign(id, new Date(ts * 1000), payload);
    const ours = (headers: Record<string, string>, payload: string) => {
      try {
        verifyStandardWebhook(
          { headers, rawBody: Buffer.from(payload) },
          { secrets: [secret], nowMs: now(), toleranceSeconds: 300 },
        );
        return true;
      } catch (error) {
        if (error instanceof WebhookSignatureError) return false;
        throw error;
      }
    };
    const theirs = (headers: Record<string, string>, payload: string) => {
      try {
        new Webhook(secret).verify(payload, headers, { jsonParse: false });
        return true;
      } catch {
        return false;
      }
    };
    const headersFor = (id: string, ts: number, signature: string) => ({
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': signature,
    });

    it.each([
      ['padding removed', (b64: string) => b64.replace(/=+$/, '')],
      ['padding added', (b64: string) => `${b64}==`],
      ['"!!" inserted', (b64: string) => `${b64.slice(0, 10)}!!${b64.slice(10)}`],
      ['"." inserted', (b64: string) => `${b64.slice(0, 10)}.${b64.slice(10)}`],
      ['the base64url alphabet', (b64: string) => b64.replaceAll('+', '-').replaceAll('/', '_')],
      ['a space inside', (b64: string) => `${b64.slice(0, 10)}%20${b64.slice(10)}`.replace('%20', '\t')],
    ])('refuses a signature with %s, as the official verifier does', (_label, mutate) => {
      const ts = Math.floor(now() / 1000);
      // A signature with both + and / in it, so the base64url case changes something.
      let id = 'msg_enc_0';
      for (let i = 0; !/[+/]/.test(sign(id, ts, body)); i++) id = `msg_enc_${i}`;
      const valid = sign(id, ts, body);
      expect(ours(headersFor(id, ts, valid), body)).toBe(true);
      const mutated = `v1,${mutate(valid.slice(3))}`;
      expect(theirs(headersFor(id, ts, mutated), body)).toBe(false);
      expect(ours(headersFor(id, ts, mutated), body)).toBe(false);
    });

    it('accepts what the official package signs, and refuses whatever its verifier refuses (property)', () => {
      const edit = fc.oneof(
        fc.constant((s: string) => s),
        fc.record({ at: fc.nat(60), text: fc.string({ unit: fc.constantFrom(...'=!.-_+/ ,Aa0'), maxLength: 3 }) }).map(
          ({ at, text }) =>
            (s: string) =>
              s.slice(0, at % (s.length + 1)) + text + s.slice(at % (s.length + 1)),
        ),
        fc.nat(60).map((at) => (s: string) => s.slice(0, at % s.length) + s.slice((at % s.length) + 1)),
        fc.constant((s: string) => s.replaceAll('+', '-').replaceAll('/', '_')),
        fc.constant((s: string) => s.replace(/=+$/, '')),
      );
      fc.assert(
        fc.property(
          fc.string({ minLength: 1, maxLength: 20 }),
          fc.string({ maxLength: 50 }),
          edit,
          (id, payload, change) => {
            fc.pre(!id.includes(' ') && id.trim() === id);
            const ts = Math.floor(now() / 1000);
            const signature = sign(id, ts, payload);
            expect(ours(headersFor(id, ts, signature), payload)).toBe(true);
            const edited = change(signature);
            const headers = headersFor(id, ts, edited);
            if (!theirs(headers, payload)) expect(ours(headers, payload)).toBe(false);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
