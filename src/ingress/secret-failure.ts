import { classifyError } from '../errors/classify-error';
import type { HttpResponse } from '../http/http-message';
import { errorSummary } from '../http/lambda-http-handler';
import { problemResponse } from '../http/problem';
import type { Logger } from '../observability/logger';

/**
 * A secret we could not read. Secrets Manager being unreachable is temporary: 503 tells the sender to retry
 * (Standard Webhooks and Okta both retry 5xx). A secret with the wrong shape (a permanent SecretError) is an
 * operator's mistake: 500, and the log says which secret and which field (SecretError messages never hold the value).
 */
export function secretFailureResponse(error: unknown, what: string, logger: Logger): HttpResponse {
  logger.error(`could not read ${what}`, errorSummary(error));
  if (classifyError(error).retry === 'permanent') {
    return problemResponse('internal-error', { detail: `${what} is misconfigured; see the function's logs` });
  }
  return problemResponse('service-unavailable', { detail: `${what} could not be read; retry later` });
}
