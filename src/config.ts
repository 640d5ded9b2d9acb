import * as z from 'zod';
import { BridgeError } from './errors/bridge-error';

/**
 * Environment → typed configuration (docs/CONTRACT.md#configuration), read once per container. Every function reads the
 * same schema; a function that needs a variable asks for it with `required`, which fails with the variable's name.
 */
const boolString = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

/** A switch that is on unless set to false/0 (an empty value counts as unset, so as on). */
const boolDefaultTrue = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => !(v === 'false' || v === '0'));

const commaList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );

/** An optional variable; empty or blank counts as unset (templates often render unset parameters as ''). */
export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** An empty or blank value counts as unset, so the inner schema's default applies. */
function blankAsUnset<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);
}

/** LOG_LEVEL, read on its own by the logger at module load (before the rest of the configuration). */
export const logLevelSchema = z
  .string()
  .default('info')
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(['debug', 'info', 'warn', 'error', 'silent']));

/**
 * The production Management API: `POST https://api.voximplant.com/platform_api/<Method>`
 * (https://voximplant.com/docs/references/httpapi/adminusers), the default host of every official client.
 * VOXIMPLANT_API_URL overrides it.
 */
export const DEFAULT_API_URL = 'https://api.voximplant.com/platform_api';

/**
 * The largest Standard Webhooks timestamp tolerance. Every accepted webhook-id is kept in the state table for twice
 * the tolerance, and a day is already far more than a sender's clock skew or retry delay needs.
 */
export const MAX_WEBHOOK_TOLERANCE_SECONDS = 86_400;

export const configSchema = z.object({
  VOXIMPLANT_API_URL: z.url().default(DEFAULT_API_URL),
  VOXIMPLANT_CREDENTIALS_SECRET_ID: optionalString,
  VOXIMPLANT_CREDENTIALS_FILE: optionalString,
  WEBHOOK_SECRET_ID: optionalString,
  OKTA_HOOK_SECRET_ID: optionalString,
  SCIM_TOKEN_SECRET_ID: optionalString,
  QUEUE_URL: optionalString,
  DEAD_LETTER_QUEUE_URL: optionalString,
  STATE_TABLE: optionalString,
  PROTECTED_ADMIN_USERS: commaList,
  /** Sources (exact, or a prefix ending in `*`) that may re-activate an admin another source deactivated. */
  REACTIVATION_SOURCES: commaList,
  DRY_RUN: boolString,
  WEBHOOK_TOLERANCE_SECONDS: z.coerce
    .number()
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second')
    .max(MAX_WEBHOOK_TOLERANCE_SECONDS, `must be at most ${MAX_WEBHOOK_TOLERANCE_SECONDS} seconds (24 hours)`)
    .default(300),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  OKTA_NAME_FROM: z.enum(['local-part', 'login']).default('local-part'),
  /** `repair`: drift is applied again through the apply path; `report`: drift is only recorded and alerted. */
  RECONCILE_MODE: blankAsUnset(z.enum(['repair', 'report']).default('repair')),
  /** How long audit records are kept (src/audit/): a yearly audit plus margin by default. */
  AUDIT_RETENTION_DAYS: blankAsUnset(
    z.coerce
      .number()
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(3650, 'must be at most 3650 days (10 years)')
      .default(400),
  ),
  /** The blast-radius guard (src/guard/, docs/OPERATIONS.md#blast-radius-guard); `false` turns both halves off. */
  GUARD_ENABLED: boolDefaultTrue,
  /** The guard's sliding window, in seconds. */
  GUARD_WINDOW_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /** Activations per account per window applied before the next ones are held. */
  GUARD_MAX_ACTIVATIONS: z.coerce.number().int().min(0).max(100_000).default(5),
  /** `false` turns the deactivation half off (a planned layoff): every deactivation applies at once. */
  GUARD_HOLD_DEACTIVATIONS: boolDefaultTrue,
  /** Deactivations per account per window, as a percentage of the account's admins, before the next ones are held. */
  GUARD_MAX_DEACTIVATION_PERCENT: z.coerce.number().min(0).max(100).default(10),
  /** ...but never fewer than this many: a small account may still offboard a few people at once. */
  GUARD_MIN_DEACTIVATIONS: z.coerce.number().int().min(0).max(100_000).default(10),
  LOG_LEVEL: logLevelSchema,
});

export type Config = z.infer<typeof configSchema>;

/** The environment is wrong: no retry fixes it until an operator changes the function's configuration. */
export class ConfigError extends BridgeError {
  declare readonly code: 'config_invalid';
  constructor(message: string) {
    super('config_invalid', message, { retry: 'permanent' });
    this.name = 'ConfigError';
  }
}

/**
 * Parses environment variables with a zod schema, or throws a ConfigError naming every variable that is wrong.
 * Each function's extra settings (SCIM, rotation) use it too, so every configuration error reads the same.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
  what = 'configuration',
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid ${what}: ${problems}`);
  }
  return parsed.data;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return parseEnv(configSchema, env);
}

type OptionalKeys = {
  [K in keyof Config]: undefined extends Config[K] ? K : never;
}[keyof Config];

/** The value of a variable this function cannot work without, or a ConfigError naming it. */
export function required<K extends OptionalKeys>(config: Config, name: K): NonNullable<Config[K]> {
  const value = config[name];
  if (value === undefined) throw new ConfigError(`${name} is required by this function but not set`);
  return value as NonNullable<Config[K]>;
}
