import type { FieldError } from '../events/validation-error';
import type { HttpResponse } from './http-message';

/**
 * RFC 9457 problem details. Every `type` is `PROBLEM_TYPE_BASE + slug`: an identifier a client can branch on
 * (RFC 9457 §3.1.1 allows a type URI that does not resolve; the base is the one place to change if the project
 * publishes pages for them). `about:blank` is not used because it would tell a client only the status code, and
 * 400 covers both "not JSON" and "a field is wrong".
 */
export const PROBLEM_TYPE_BASE = 'https://vox-admin-bridge.dev/problems/';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Each slug with the status it is used with and its fixed title (RFC 9457: the title does not vary). */
export const PROBLEMS = {
  'malformed-request': { status: 400, title: 'The request body could not be read' },
  'invalid-event': { status: 400, title: 'The event is invalid' },
  'invalid-signature': { status: 401, title: 'The request is not authentic' },
  unauthorized: { status: 401, title: 'The request is not authorized' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'webhook-id-reused': { status: 409, title: 'The webhook-id was already used for another body' },
  'payload-too-large': { status: 413, title: 'The request is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'protected-admin': { status: 422, title: 'The target is a protected admin' },
  'internal-error': { status: 500, title: 'Internal error' },
  'queue-unavailable': { status: 503, title: 'The queue is unavailable' },
  'service-unavailable': { status: 503, title: 'A dependency is unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemSlug = keyof typeof PROBLEMS;

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

export interface ProblemInput {
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
}

export function problemType(slug: ProblemSlug): string {
  return `${PROBLEM_TYPE_BASE}${slug}`;
}

export function problemDetails(slug: ProblemSlug, detail: string, errors?: FieldError[]): ProblemDetails {
  const { status, title } = PROBLEMS[slug];
  return { type: problemType(slug), title, status, detail, ...(errors !== undefined && { errors }) };
}

/** The response for a problem; `detail` must never contain a secret (callers write it from fixed text and names). */
export function problemResponse(slug: ProblemSlug, input: ProblemInput): HttpResponse {
  const body = problemDetails(slug, input.detail, input.errors);
  return {
    statusCode: body.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...input.headers },
    body: JSON.stringify(body),
  };
}
