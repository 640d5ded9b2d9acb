import type { Context } from 'aws-lambda';
import { lambdaHttpHandler } from '../http/lambda-http-handler';
import type { Logger } from '../observability/logger';
import { type Deadline, deadlineFrom, deadlineIn } from '../runtime/deadline';
import { ScimError } from './protocol/scim-error';
import { scimErrorResponse } from './protocol/scim-response';
import type { ScimDeps } from './scim-deps';
import { handleScimRequest } from './scim-request';

/**
 * API Gateway ends an integration after 30 s whatever the Lambda timeout (HTTP API quotas,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html); a change still retrying then
 * would be answered with API Gateway's bare 503 while it may yet apply. 25 s leaves time to record the outcome and
 * answer.
 */
const SCIM_BUDGET_MS = 25_000;
/** Kept back from the Lambda's own remaining time, for the same reason. */
const SAFETY_MARGIN_MS = 2_000;

export interface ScimLambdaOptions {
  logger: Logger;
  /** Builds the collaborators once per container; a failure is not cached, so the next request tries again. */
  init: () => ScimDeps | Promise<ScimDeps>;
  after?: () => void;
}

/** The deadline of one request: 25 s, or the Lambda's remaining time less a margin when that is shorter. */
function scimDeadline(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined): Deadline {
  const budget = deadlineIn(SCIM_BUDGET_MS);
  if (context === undefined) return budget;
  const lambda = deadlineFrom(() => context.getRemainingTimeInMillis(), SAFETY_MARGIN_MS);
  return { remainingMs: () => Math.min(budget.remainingMs(), lambda.remainingMs()) };
}

/** The shared HTTP Lambda wrapper (src/http), with SCIM's Error body for failures and a deadline per request. */
export function scimLambdaHandler(options: ScimLambdaOptions) {
  return lambdaHttpHandler<ScimDeps>({
    ...options,
    handle: (request, deps, { context, receivedAt }) =>
      handleScimRequest(request, deps, { deadline: scimDeadline(context), receivedAt }),
    failure: (detail) => scimErrorResponse(new ScimError(500, detail)),
  });
}
