import { type HttpRequest, type HttpResponse, headerValue } from '../http/http-message';
import { isUtf8, requestMediaType } from '../http/media-type';
import { problemResponse } from '../http/problem';
import { readJsonBody } from '../http/read-json-body';
import { unsupportedMediaType } from '../http/request-guards';

/**
 * The CloudEvents in a `/events` request, before validation:
 * - structured: one event as `application/cloudevents+json` (or plain `application/json`);
 * - batch: a JSON array as `application/cloudevents-batch+json`.
 * Binary mode (CloudEvents HTTP binding §3.1: `type`, `id`, `source`, `time` as `ce-*` headers) is refused: a
 * Standard Webhooks signature covers the id, the timestamp and the body only, so those headers could be changed
 * on a captured, validly signed request. A request with any `ce-*` header is refused, whatever its content type,
 * so that no attribute can ever come from outside the signed bytes.
 * Each input carries the JSON Pointer prefix its validation errors get (`/3` for the fourth of a batch).
 */
export type EventsMode = 'structured' | 'batch';

export const CLOUDEVENT_MEDIA_TYPE = 'application/cloudevents+json';
export const CLOUDEVENTS_BATCH_MEDIA_TYPE = 'application/cloudevents-batch+json';
export const ACCEPTED_EVENT_MEDIA_TYPES = [CLOUDEVENT_MEDIA_TYPE, CLOUDEVENTS_BATCH_MEDIA_TYPE, 'application/json'];

export interface EventInput {
  value: unknown;
  pointer: string;
}

export type ReadEventsResult =
  | { ok: true; mode: EventsMode; inputs: EventInput[] }
  | { ok: false; response: HttpResponse };

const reject = (response: HttpResponse): ReadEventsResult => ({ ok: false, response });

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function readCloudEvents(
  request: Pick<HttpRequest, 'headers' | 'rawBody'>,
  limits: { maxEvents: number },
): ReadEventsResult {
  const mediaType = requestMediaType(request);
  const declared = headerValue(request, 'content-type');
  const ceHeaders = Object.keys(request.headers).filter((name) => name.toLowerCase().startsWith('ce-'));
  if (ceHeaders.length > 0) return reject(binaryModeRefused(ceHeaders));
  if (mediaType === undefined || !isUtf8(mediaType)) {
    return reject(unsupportedMediaType(declared, ACCEPTED_EVENT_MEDIA_TYPES));
  }

  if (mediaType.essence === CLOUDEVENTS_BATCH_MEDIA_TYPE) {
    const body = readJsonBody(request);
    if (!body.ok) return reject(body.response);
    if (!Array.isArray(body.value)) {
      return reject(
        problemResponse('malformed-request', {
          detail: `a ${CLOUDEVENTS_BATCH_MEDIA_TYPE} body must be a JSON array of CloudEvents`,
        }),
      );
    }
    if (body.value.length === 0) {
      return reject(problemResponse('malformed-request', { detail: 'the batch is empty; send at least one event' }));
    }
    if (body.value.length > limits.maxEvents) {
      return reject(
        problemResponse('payload-too-large', {
          detail: `the batch holds ${body.value.length} events; at most ${limits.maxEvents} are accepted per request`,
        }),
      );
    }
    return { ok: true, mode: 'batch', inputs: body.value.map((value, i) => ({ value, pointer: `/${i}` })) };
  }

  if (mediaType.essence === CLOUDEVENT_MEDIA_TYPE) {
    return readSingle(request, 'structured');
  }

  if (mediaType.essence === 'application/json') return readSingle(request, 'structured');
  return reject(unsupportedMediaType(declared, ACCEPTED_EVENT_MEDIA_TYPES));
}

function readSingle(request: Pick<HttpRequest, 'rawBody'>, mode: EventsMode): ReadEventsResult {
  const body = readJsonBody(request);
  if (!body.ok) return reject(body.response);
  if (Array.isArray(body.value)) {
    return reject(
      problemResponse('malformed-request', {
        detail: `the body is a JSON array; send a batch as ${CLOUDEVENTS_BATCH_MEDIA_TYPE}`,
      }),
    );
  }
  if (!isPlainObject(body.value)) {
    return reject(problemResponse('malformed-request', { detail: 'the body must be a JSON object (one CloudEvent)' }));
  }
  return { ok: true, mode, inputs: [{ value: body.value, pointer: '' }] };
}

/** 415: binary mode is a content mode we do not take; `Accept-Post` names the structured and batch media types. */
function binaryModeRefused(ceHeaders: readonly string[]): HttpResponse {
  const names = ceHeaders
    .slice(0, 5)
    .map((n) => n.toLowerCase())
    .join(', ');
  return problemResponse('unsupported-media-type', {
    detail: `CloudEvents binary mode (ce-* headers: ${names}) is not accepted, because the webhook signature does not cover headers; send the whole event in the body as ${CLOUDEVENT_MEDIA_TYPE} or a batch as ${CLOUDEVENTS_BATCH_MEDIA_TYPE}, without ce-* headers`,
    headers: { 'accept-post': ACCEPTED_EVENT_MEDIA_TYPES.join(', ') },
  });
}
