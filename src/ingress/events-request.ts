import type { AdminChangeEvent } from '../events/admin-change-event';
import { idempotencyKey } from '../events/idempotency-key';
import { parseAdminChangeEvent } from '../events/parse-admin-change-event';
import type { ProtectedAdmins } from '../events/protected-admins';
import { protectedEventRefusal } from '../events/protected-refusal';
import type { FieldError } from '../events/validation-error';
import type { HttpRequest, HttpResponse } from '../http/http-message';
import { jsonResponse } from '../http/json-response';
import { errorSummary } from '../http/lambda-http-handler';
import { problemResponse } from '../http/problem';
import { allowMethods, limitBodySize } from '../http/request-guards';
import type { Enqueue, QueueEntry } from '../queue/enqueue';
import type { WebhookIdStore } from '../state/webhook-id-store';
import type { IngressCommonDeps, SecretSource } from './ingress-deps';
import { MAX_EVENTS_BODY_BYTES, MAX_EVENTS_PER_REQUEST } from './ingress-limits';
import { queueEntry } from './queue-body';
import { type EventInput, readCloudEvents } from './read-cloud-events';
import { reservedSourceError } from './reserved-sources';
import { secretFailureResponse } from './secret-failure';
import { verifyStandardWebhook, WebhookSignatureError } from './standard-webhooks';
import type { WebhookSecrets } from './webhook-secrets';

export interface EventsRequestDeps extends IngressCommonDeps {
  request: HttpRequest;
  secrets: SecretSource<WebhookSecrets>;
  /** WEBHOOK_TOLERANCE_SECONDS. */
  toleranceSeconds: number;
  enqueue: Enqueue;
  protected: ProtectedAdmins;
  /** Accepted webhook-ids (the state table), so one id never carries two different bodies. */
  webhookIds: WebhookIdStore;
}

export interface AcceptedEvent {
  id: string;
  source: string;
  idempotency_key: string;
}

/**
 * `POST /events`, in the order that spends the least on a request we will refuse:
 * method → size → signature over the raw bytes → content type and JSON (no `ce-*` headers) → every event valid,
 * none in a reserved source namespace → no duplicate → no protected target or name → webhook-id not used for another body →
 * enqueue all → 202. Each refusal is problem+json and happens before anything is enqueued; 202 is sent only after
 * SQS accepted every message. The webhook-id is remembered only for a request that is otherwise acceptable, so a
 * refused request leaves no trace and a sender may fix it and send it again under the same id.
 */
export async function handleEventsRequest(deps: EventsRequestDeps): Promise<HttpResponse> {
  const { request, logger } = deps;
  // Log context for this request only: the logger is shared by every request of the container (or local server).
  const context: { webhook_id?: string } = {};
  const refuse = (reason: string, response: HttpResponse, extra: Record<string, unknown> = {}) => {
    logger.info('events request refused', { status: response.statusCode, reason, ...context, ...extra });
    deps.count?.('EventsRequestRefused');
    return response;
  };

  const wrongMethod = allowMethods(request, ['POST']);
  if (wrongMethod) return refuse('method-not-allowed', wrongMethod, { method: request.method });
  const tooLarge = limitBodySize(request, MAX_EVENTS_BODY_BYTES);
  if (tooLarge) return refuse('payload-too-large', tooLarge, { bytes: request.rawBody.length });

  let secrets: WebhookSecrets;
  try {
    secrets = await deps.secrets.get();
  } catch (error) {
    return secretFailureResponse(error, 'the webhook secret', logger);
  }

  let webhookId: string;
  try {
    ({ webhookId } = verifyStandardWebhook(request, {
      secrets: secrets.secrets,
      nowMs: deps.now,
      toleranceSeconds: deps.toleranceSeconds,
    }));
  } catch (error) {
    if (!(error instanceof WebhookSignatureError)) throw error;
    return refuse(error.code, problemResponse('invalid-signature', { detail: error.message }));
  }
  context.webhook_id = webhookId;

  const read = readCloudEvents(request, { maxEvents: MAX_EVENTS_PER_REQUEST });
  if (!read.ok) return refuse('unreadable-body', read.response);

  // The signature holds: the request's time (read once, when it arrived) caps every event's ordering time.
  const acceptedAtMs = deps.now;
  const validated = validateAll(read.inputs, deps.now, acceptedAtMs);
  if (!validated.ok) {
    const detail =
      read.mode === 'batch'
        ? `${describeIndexes(validated.badIndexes)} of the batch ${validated.badIndexes.length === 1 ? 'is' : 'are'} invalid; nothing was accepted`
        : 'the event is invalid';
    return refuse('invalid-event', problemResponse('invalid-event', { detail, errors: validated.errors }), {
      mode: read.mode,
      errors: validated.errors,
    });
  }
  const events = validated.events;

  const duplicates = findDuplicates(events);
  if (duplicates.length > 0) {
    return refuse(
      'duplicate-event',
      problemResponse('invalid-event', {
        detail:
          'the batch names the same event (source and id) more than once; the queue would keep only the first, so nothing was accepted',
        errors: duplicates,
      }),
    );
  }

  const protectedErrors = events.flatMap(({ event, pointer }) => {
    const refusal = protectedEventRefusal(deps.protected, event.data);
    return refusal === undefined ? [] : [{ path: `${pointer}/data/${refusal.field}`, message: refusal.message }];
  });
  if (protectedErrors.length > 0) {
    return refuse(
      'protected-admin',
      problemResponse('protected-admin', {
        detail: `${protectedErrors.length === 1 ? 'an event targets' : `${protectedErrors.length} events target`} a protected admin or a protected name (PROTECTED_ADMIN_USERS); nothing was accepted`,
        errors: protectedErrors,
      }),
    );
  }

  // Kept for twice the tolerance: a timestamp may be up to the tolerance ahead of our clock, and the signature over
  // it verifies until the tolerance after it.
  let claim: 'accepted' | 'conflict';
  try {
    claim = await deps.webhookIds.remember(webhookId, request.rawBody, deps.now, 2 * deps.toleranceSeconds);
  } catch (error) {
    logger.error('could not record the webhook-id; answering 503 so the sender retries', {
      ...context,
      ...errorSummary(error),
    });
    return problemResponse('service-unavailable', { detail: 'the request could not be recorded; retry later' });
  }
  if (claim === 'conflict') {
    return refuse(
      'webhook-id-reused',
      problemResponse('webhook-id-reused', {
        detail:
          'this webhook-id was accepted recently with a different body; a resend must carry the same body, and a new message needs a new webhook-id',
      }),
    );
  }

  const entries = events.map((e) => e.entry);
  try {
    await deps.enqueue(entries);
  } catch (error) {
    logger.error('enqueue failed; answering 503 so the sender retries', {
      ...context,
      events: entries.length,
      ...errorSummary(error),
    });
    deps.count?.('EnqueueFailed');
    return problemResponse('queue-unavailable', {
      detail:
        'the events could not be queued; nothing is confirmed, retry the same request with the same webhook-id (it is safe: events are deduplicated by source and id)',
    });
  }

  const accepted: AcceptedEvent[] = events.map(({ event, key }) => ({
    id: event.id,
    source: event.source,
    idempotency_key: key,
  }));
  logger.info('events accepted', { ...context, mode: read.mode, events: accepted.map((a) => a.idempotency_key) });
  deps.count?.('EventsAccepted', accepted.length);
  return jsonResponse(202, { accepted });
}

interface ValidEvent {
  event: AdminChangeEvent;
  /** Its queue message, whose body is the JSON value as sent, so CloudEvents extension attributes survive. */
  entry: QueueEntry;
  /** Its idempotency key (source and id). */
  key: string;
  pointer: string;
}

type ValidationResult = { ok: true; events: ValidEvent[] } | { ok: false; errors: FieldError[]; badIndexes: number[] };

/** All events are checked, and every error reported, so a sender fixes a batch in one round. */
function validateAll(inputs: readonly EventInput[], now: number, acceptedAtMs: number): ValidationResult {
  const events: ValidEvent[] = [];
  const errors: FieldError[] = [];
  const badIndexes: number[] = [];
  inputs.forEach((input, index) => {
    const result = parseAdminChangeEvent(input.value, now, input.pointer);
    const reserved = result.ok ? reservedSourceError(result.event.source, input.pointer) : undefined;
    if (result.ok && reserved === undefined) {
      events.push({
        event: result.event,
        entry: queueEntry(result.event, input.value, acceptedAtMs),
        key: idempotencyKey(result.event.source, result.event.id),
        pointer: input.pointer,
      });
    } else {
      errors.push(...(result.ok ? [reserved as FieldError] : result.errors));
      badIndexes.push(index);
    }
  });
  return errors.length === 0 ? { ok: true, events } : { ok: false, errors, badIndexes };
}

/**
 * Two events with the same source and id in one request share an idempotency key: the worker would apply one and
 * refuse or skip the other. Refusing the request says so at once instead (400 naming both).
 */
function findDuplicates(events: readonly ValidEvent[]): FieldError[] {
  const firstByKey = new Map<string, string>();
  const errors: FieldError[] = [];
  for (const { key, pointer } of events) {
    const first = firstByKey.get(key);
    if (first === undefined) firstByKey.set(key, pointer);
    else errors.push({ path: `${pointer}/id`, message: `repeats the source and id of the event at ${first}` });
  }
  return errors;
}

function describeIndexes(indexes: readonly number[]): string {
  const shown = indexes.slice(0, 10).join(', ');
  const more = indexes.length > 10 ? ` and ${indexes.length - 10} more` : '';
  return `${indexes.length === 1 ? 'event' : 'events'} at index ${shown}${more}`;
}
