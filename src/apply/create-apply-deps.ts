import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Config, required } from '../config';
import { protectedAdmins } from '../events/protected-admins';
import { AdminCount } from '../guard/admin-count';
import { BlastRadiusGuard } from '../guard/blast-radius-guard';
import { guardSettings } from '../guard/guard-settings';
import { DynamoHeldStore } from '../guard/held-store';
import { DynamoGuardWindow } from '../guard/window-store';
import type { Logger } from '../observability/logger';
import { ReactivationPolicy } from '../ordering/reactivation-policy';
import { sleep } from '../runtime/sleep';
import { dynamoDocumentClient } from '../state/dynamo';
import { DynamoChangeStore } from '../state/dynamo-change-store';
import { DynamoIdempotencyStore } from '../state/idempotency-store';
import { DynamoNameCache } from '../state/name-cache';
import { DynamoOrderingStore } from '../state/ordering-store';
import { AdaptiveLimiter } from '../voximplant/adaptive-limiter';
import { VoximplantClient, type VoximplantClientOptions } from '../voximplant/client';
import { credentialsFromConfig } from '../voximplant/credentials';
import type { ApplyDeps } from './apply-change';
import { type RecordedOutcome, recordedOutcomeSchema } from './outcome';
import { ProtectedGuard } from './protected-guard';

/**
 * The composition root of the apply step for a Lambda container: the real state table, the Voximplant client with
 * credentials from Secrets Manager (or a file), the protected list. Built once per container and reused, so the
 * credentials, the JWT and the HTTP connections are too.
 */
export function createApplyDeps(
  config: Config,
  logger: Logger,
  overrides: Partial<Pick<VoximplantClientOptions, 'fetch' | 'limiter' | 'onAttempt'>> = {},
  /** The state table's client; the CLI passes one for the endpoint it was pointed at. */
  doc: DynamoDBDocumentClient = dynamoDocumentClient(),
): ApplyDeps {
  const table = required(config, 'STATE_TABLE');
  const list = protectedAdmins(config.PROTECTED_ADMIN_USERS);
  const credentials = credentialsFromConfig(config);
  const ordering = new DynamoOrderingStore(doc, table);
  const voximplant = new VoximplantClient({
    apiUrl: config.VOXIMPLANT_API_URL,
    credentials,
    logger,
    // One limiter per container, shared by every concurrent call: it paces nothing until Voximplant answers 340
    // or 416, then adapts (AIMD; src/voximplant/adaptive-limiter.ts, figures in docs/PERFORMANCE.md).
    limiter: new AdaptiveLimiter({ logger }),
    ...overrides,
  });
  return {
    changes: changeStoreOn(doc, table, ordering),
    ordering,
    names: new DynamoNameCache(doc, table),
    voximplant,
    protectedGuard: new ProtectedGuard(list),
    reactivation: new ReactivationPolicy(config.REACTIVATION_SOURCES),
    logger,
    dryRun: config.DRY_RUN,
    now: Date.now,
    sleep,
    mainAccountId: async () => (await credentials.get()).account_id,
    ...guardFor(config, { doc, table, ordering, voximplant, logger }),
  };
}

/** The blast-radius guard on the same table, unless GUARD_ENABLED=false. */
function guardFor(
  config: Config,
  parts: {
    doc: DynamoDBDocumentClient;
    table: string;
    ordering: DynamoOrderingStore;
    voximplant: VoximplantClient;
    logger: Logger;
  },
): Pick<ApplyDeps, 'guard'> {
  const settings = guardSettings(config);
  if (settings === undefined) return {};
  return {
    guard: new BlastRadiusGuard({
      settings,
      window: new DynamoGuardWindow(parts.doc, parts.table, settings.windowMs),
      held: new DynamoHeldStore(parts.doc, parts.table),
      ordering: parts.ordering,
      adminCount: new AdminCount(),
      voximplant: parts.voximplant,
      logger: parts.logger,
      now: Date.now,
    }),
  };
}

/** The apply step's change store on the state table, its outcomes validated when read back. */
export function changeStoreOn(
  doc: DynamoDBDocumentClient,
  table: string,
  ordering: DynamoOrderingStore = new DynamoOrderingStore(doc, table),
  now: () => number = Date.now,
): DynamoChangeStore<RecordedOutcome> {
  const idempotency = new DynamoIdempotencyStore<RecordedOutcome>(doc, table, {
    outcomeSchema: recordedOutcomeSchema,
    now,
  });
  return new DynamoChangeStore<RecordedOutcome>(doc, table, idempotency, ordering, now);
}
