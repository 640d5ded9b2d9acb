import { afterEach, describe, expect, it, vi } from 'vitest';
import { protectedAdmins } from '../../../src/events/protected-admins';
import { handleEventsRequest } from '../../../src/ingress/events-request';
import { handleOktaRequest } from '../../../src/ingress/okta-request';
import { createLogger } from '../../../src/observability/logger';
import { QueueUnavailableError } from '../../../src/queue/enqueue';
import { cloudEvent } from '../../support/cloud-event';
import {
  constantSecret,
  memoryWebhookIds,
  NOW,
  newWebhookSecret,
  recordingQueue,
  signedRequest,
} from '../../support/ingress-fixtures';
import { OKTA_AUTH, oktaDelivery, oktaEvent, oktaPost } from '../../support/okta-fixtures';

/** Every log line of the ingress paths, at debug level, captured and searched for the secrets in play. */
function captureLogs(): { lines: string[] } {
  const lines: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  }
  return { lines };
}

afterEach(() => vi.restoreAllMocks());

describe('ingress logs hold no secret', () => {
  it('on acceptance, refusal and queue failure of /events and /hooks/okta', async () => {
    const { lines } = captureLogs();
    const logger = createLogger('test', 'debug');
    const secret = newWebhookSecret();
    const body = JSON.stringify(cloudEvent());
    const events = (request: ReturnType<typeof signedRequest>, fail?: Error) =>
      handleEventsRequest({
        request,
        now: NOW,
        secrets: constantSecret({ secrets: [secret] }),
        toleranceSeconds: 300,
        webhookIds: memoryWebhookIds(),
        enqueue: recordingQueue(fail).enqueue,
        protected: protectedAdmins(['owner']),
        logger,
      });
    await events(signedRequest({ secrets: [secret], body }));
    await events(signedRequest({ secrets: [newWebhookSecret()], body }));
    await events(signedRequest({ secrets: [secret], body: JSON.stringify(cloudEvent({ time: 'x' })) }));
    await events(signedRequest({ secrets: [secret], body }), new QueueUnavailableError('SQS refused', 0));

    const okta = (authorization: string) =>
      handleOktaRequest({
        request: oktaPost(oktaDelivery([oktaEvent(), oktaEvent({ eventType: 'user.session.start' })]), {
          authorization,
        }),
        now: NOW,
        authorization: constantSecret({ authorization: OKTA_AUTH }),
        enqueue: recordingQueue().enqueue,
        nameFrom: 'local-part',
        logger,
      });
    await okta(OKTA_AUTH);
    await okta(`${OKTA_AUTH}x`);

    vi.restoreAllMocks();
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(5); // the paths did log
    expect(all).not.toContain(secret.slice('whsec_'.length));
    expect(all).not.toContain(OKTA_AUTH);
  });
});
