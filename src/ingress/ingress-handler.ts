import type { z } from 'zod';
import { type Config, loadConfig, required } from '../config';
import { type ProtectedAdmins, protectedAdmins } from '../events/protected-admins';
import type { HttpRequest, HttpResponse } from '../http/http-message';
import { type ApiGatewayV2Handler, lambdaHttpHandler } from '../http/lambda-http-handler';
import { createLogger } from '../observability/logger';
import { count, createMetrics, publishCounted } from '../observability/metrics';
import { type Enqueue, sqsEnqueue } from '../queue/enqueue';
import { sqsClient } from '../queue/sqs-client';
import { secretsManagerJson } from '../secrets/json-secret';
import { secretsManagerClient } from '../secrets/secrets-manager-client';
import type { IngressCommonDeps, SecretSource } from './ingress-deps';

/** The collaborators every ingress route has: its configuration, its sender's secret, the queue, protected admins. */
export interface IngressWiring<S> {
  config: Config;
  /** The Secrets Manager secret that authenticates this route's sender, cached for `secret.ttlMs`. */
  secret: SecretSource<S>;
  enqueue: Enqueue;
  protected: ProtectedAdmins;
}

export interface IngressHandlerOptions<Schema extends z.ZodType, D> {
  /** The service name on this route's logs and metrics. */
  name: string;
  secret: {
    /** The variable holding the secret's id; a missing one is a configuration error, logged, answered 500. */
    idVariable: 'WEBHOOK_SECRET_ID' | 'OKTA_HOOK_SECRET_ID';
    schema: Schema;
    /** How errors name the secret (never its value). */
    label: string;
    /** How long a read value is used before Secrets Manager is asked again. */
    ttlMs: number;
  };
  /** The route's own collaborators, from the shared ones; runs once per container. */
  init: (wiring: IngressWiring<z.infer<Schema>>) => D;
  /** The request logic; it gets the collaborators plus the request, the time it is handled, a logger and a counter. */
  handle: (deps: D & IngressCommonDeps & { request: HttpRequest }) => Promise<HttpResponse>;
}

/**
 * The Lambda entry point of an ingress route (`/events`, `/hooks/okta`): collaborators are built once per container
 * on the first request, so a configuration error becomes a logged 500 problem rather than a failed init, which API
 * Gateway would answer with its bare 500; every request then gets the same logger and metrics, flushed after it.
 */
export function ingressHandler<Schema extends z.ZodType, D>(
  options: IngressHandlerOptions<Schema, D>,
): ApiGatewayV2Handler {
  const logger = createLogger(options.name);
  const metrics = createMetrics(options.name);
  return lambdaHttpHandler({
    logger,
    init: () => {
      const config = loadConfig();
      return options.init({
        config,
        secret: secretsManagerJson({
          client: secretsManagerClient(),
          secretId: required(config, options.secret.idVariable),
          schema: options.secret.schema,
          label: options.secret.label,
          ttlMs: options.secret.ttlMs,
        }),
        enqueue: sqsEnqueue(sqsClient(), required(config, 'QUEUE_URL')),
        protected: protectedAdmins(config.PROTECTED_ADMIN_USERS),
      });
    },
    handle: (request, deps) =>
      options.handle({ ...deps, request, now: Date.now(), logger, count: (name, n) => count(metrics, name, n) }),
    after: () => publishCounted(metrics),
  });
}
