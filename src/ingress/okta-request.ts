import { targetOf } from '../events/admin-change';
import type { ProtectedAdmins } from '../events/protected-admins';
import { type HttpRequest, type HttpResponse, headerValue } from '../http/http-message';
import { emptyResponse, jsonResponse } from '../http/json-response';
import { errorSummary } from '../http/lambda-http-handler';
import { isJsonMediaType, isUtf8, requestMediaType } from '../http/media-type';
import { problemResponse } from '../http/problem';
import { readJsonBody } from '../http/read-json-body';
import { allowMethods, limitBodySize, unsupportedMediaType } from '../http/request-guards';
import type { Enqueue, QueueEntry } from '../queue/enqueue';
import { equalsConstantTime } from './constant-time';
import type { IngressCommonDeps, SecretSource } from './ingress-deps';
import { MAX_OKTA_BODY_BYTES } from './ingress-limits';
import { mapOktaDelivery, type OktaNameFrom } from './okta-events';
import type { OktaHookSecret } from './okta-hook-secret';
import { queueEntry } from './queue-body';
import { secretFailureResponse } from './secret-failure';

export interface OktaRequestDeps extends IngressCommonDeps {
  request: HttpRequest;
  authorization: SecretSource<OktaHookSecret>;
  enqueue: Enqueue;
  /** OKTA_NAME_FROM. */
  nameFrom: OktaNameFrom;
  /** Only to say so in the log: a protected target is still queued, so the worker dead-letters it where operators look. */
  protected?: ProtectedAdmins;
}

/**
 * `GET|POST /hooks/okta` (docs/CONTRACT.md#okta-hook). Okta waits 3 s and retries once, and never retries a 4xx
 * (https://developer.okta.com/docs/concepts/event-hooks/), so the POST path does only what must happen before the
 * answer: authenticate, map, enqueue. It answers 204 without a body (Okta accepts a 200 or a 204; 204 is the 2xx with
 * no content). Events we do not map are acknowledged and logged, never refused: a refusal would only make Okta drop the
 * whole delivery.
 */
export async function handleOktaRequest(deps: OktaRequestDeps): Promise<HttpResponse> {
  const { request, logger } = deps;
  const refuse = (reason: string, response: HttpResponse) => {
    logger.info('okta request refused', { status: response.statusCode, reason });
    deps.count?.('OktaRequestRefused');
    return response;
  };

  const wrongMethod = allowMethods(request, ['GET', 'POST']);
  if (wrongMethod) return refuse('method-not-allowed', wrongMethod);

  if (request.method.toUpperCase() === 'GET') {
    // The one-time verification: echo the challenge. It proves we own the URL, not who Okta is, so it needs no secret.
    const challenge = headerValue(request, 'x-okta-verification-challenge');
    if (challenge === undefined || challenge === '') {
      return refuse(
        'no-challenge',
        problemResponse('malformed-request', {
          detail: 'GET is only for the Okta verification and needs an X-Okta-Verification-Challenge header',
        }),
      );
    }
    logger.info('okta verification challenge answered');
    return jsonResponse(200, { verification: challenge });
  }

  const tooLarge = limitBodySize(request, MAX_OKTA_BODY_BYTES);
  if (tooLarge) return refuse('payload-too-large', tooLarge);

  let configured: OktaHookSecret;
  try {
    configured = await deps.authorization.get();
  } catch (error) {
    return secretFailureResponse(error, 'the Okta hook secret', logger);
  }
  const presented = headerValue(request, 'authorization');
  if (presented === undefined) {
    return refuse(
      'no-authorization',
      problemResponse('unauthorized', { detail: 'the Authorization header is missing' }),
    );
  }
  if (!equalsConstantTime(presented, configured.authorization)) {
    return refuse(
      'wrong-authorization',
      problemResponse('unauthorized', { detail: 'the Authorization header does not match the configured value' }),
    );
  }

  const mediaType = requestMediaType(request);
  if (mediaType === undefined || !isJsonMediaType(mediaType) || !isUtf8(mediaType)) {
    return refuse(
      'unsupported-media-type',
      unsupportedMediaType(headerValue(request, 'content-type'), ['application/json']),
    );
  }
  const body = readJsonBody(request);
  if (!body.ok) return refuse('unreadable-body', body.response);
  const delivery = mapOktaDelivery(body.value, { nameFrom: deps.nameFrom, now: deps.now });
  if (!delivery.ok) {
    return refuse(
      'not-an-event-hook',
      problemResponse('invalid-event', {
        detail: 'the body is not an Okta Event Hook delivery',
        errors: delivery.errors,
      }),
    );
  }

  const entries: QueueEntry[] = [];
  const seen = new Set<string>();
  for (const outcome of delivery.outcomes) {
    if (outcome.kind === 'ignored') {
      // Unknown types are normal (a hook subscribed to more than we map); malformed ones deserve a warning.
      const log = outcome.errors === undefined ? logger.info.bind(logger) : logger.warn.bind(logger);
      log('okta event ignored', {
        index: outcome.index,
        okta_uuid: outcome.uuid,
        okta_event_type: outcome.oktaType,
        reason: outcome.reason,
        ...(outcome.errors !== undefined && { errors: outcome.errors }),
      });
      deps.count?.('OktaEventIgnored');
      continue;
    }
    const entry = queueEntry(outcome.event, outcome.cloudEvent, deps.now);
    // The same uuid twice in one delivery: one message (SQS would drop the second anyway, as it does a redelivery).
    if (seen.has(entry.dedupId)) continue;
    seen.add(entry.dedupId);
    if (deps.protected?.matchesTarget(targetOf(outcome.event.data))) {
      logger.warn('okta event targets a protected admin; queued so the worker dead-letters it', {
        okta_uuid: outcome.uuid,
        message_deduplication_id: entry.dedupId,
      });
    }
    entries.push(entry);
  }

  if (entries.length > 0) {
    try {
      await deps.enqueue(entries);
    } catch (error) {
      logger.error('enqueue failed; answering 503 so Okta retries', { events: entries.length, ...errorSummary(error) });
      deps.count?.('EnqueueFailed');
      return problemResponse('queue-unavailable', { detail: 'the events could not be queued; retry' });
    }
  }
  logger.info('okta delivery accepted', {
    events: delivery.outcomes.length,
    queued: entries.map((e) => e.dedupId),
  });
  deps.count?.('OktaEventQueued', entries.length);
  return emptyResponse(204);
}
