import type * as z from 'zod';
import type { Logger } from '../observability/logger';
import type { Deadline } from '../runtime/deadline';
import { parseSecretText, SecretError } from '../secrets/json-secret';
import { RotationError } from './rotation-error';
import type { RotationStep } from './rotation-event';
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, type RotationSecretStore } from './secret-versions';

/** What one step of one rotation gets; the guard has passed, so `token` is AWSPENDING and not AWSCURRENT. */
export interface StepContext {
  step: RotationStep;
  secretId: string;
  /** The ClientRequestToken: the version id of AWSPENDING. */
  token: string;
  /** The version id that holds AWSCURRENT now. */
  currentVersionId: string;
  store: RotationSecretStore;
  deadline: Deadline;
  logger: Logger;
}

/** What a step did, for the log line and the handler's result. Details hold ids and names, never a secret. */
export interface StepOutcome {
  outcome: string;
  details?: Record<string, string | number | boolean>;
}

export type StepHandler = (ctx: StepContext) => Promise<StepOutcome>;

/** The four steps of one kind of rotation; the protocol around them (guard, dispatch, logs, metrics) is shared. */
export type RotationSteps = Record<RotationStep, StepHandler>;

function parseVersion<S extends z.ZodType>(label: string, text: string, schema: S): z.infer<S> {
  try {
    return parseSecretText(label, text, schema);
  } catch (error) {
    // parseSecretText names the fields that are wrong, never their values.
    if (error instanceof SecretError) throw new RotationError('secret_malformed', error.message);
    throw error;
  }
}

/** AWSCURRENT, parsed: what the rotation starts from. */
export async function readCurrent<S extends z.ZodType>(ctx: StepContext, schema: S, what: string): Promise<z.infer<S>> {
  const text = await ctx.store.getValue(ctx.secretId, { versionId: ctx.currentVersionId, stage: AWSCURRENT });
  if (text === undefined) throw new RotationError('no_current', `secret ${ctx.secretId} has no AWSCURRENT value`);
  return parseVersion(`${what} (AWSCURRENT of ${ctx.secretId})`, text, schema);
}

/** The token's AWSPENDING value, parsed; undefined while it is still the value-less version. */
export async function readPending<S extends z.ZodType>(
  ctx: StepContext,
  schema: S,
  what: string,
): Promise<z.infer<S> | undefined> {
  const text = await ctx.store.getValue(ctx.secretId, { versionId: ctx.token, stage: AWSPENDING });
  return text === undefined
    ? undefined
    : parseVersion(`${what} (AWSPENDING ${ctx.token} of ${ctx.secretId})`, text, schema);
}

/** As readPending, for the steps after createSecret: a value-less AWSPENDING there means createSecret never ran. */
export async function requirePending<S extends z.ZodType>(
  ctx: StepContext,
  schema: S,
  what: string,
): Promise<z.infer<S>> {
  const pending = await readPending(ctx, schema, what);
  if (pending === undefined) {
    throw new RotationError(
      'no_pending_value',
      `AWSPENDING ${ctx.token} of ${ctx.secretId} has no value yet: createSecret has not completed for this rotation`,
    );
  }
  return pending;
}

/** AWSPREVIOUS, when it exists and has this shape (it may be a setup placeholder); undefined otherwise. */
export async function readPrevious<S extends z.ZodType>(ctx: StepContext, schema: S): Promise<z.infer<S> | undefined> {
  const text = await ctx.store.getValue(ctx.secretId, { stage: AWSPREVIOUS });
  if (text === undefined) return undefined;
  try {
    return schema.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * finishSecret's common part: AWSCURRENT moves to the token, naming the version it leaves (Secrets Manager refuses
 * to take the label from a version it was not told about, which protects against a racing rotation). The version
 * it leaves becomes AWSPREVIOUS by itself.
 */
export async function moveCurrentToToken(ctx: StepContext): Promise<void> {
  await ctx.store.moveCurrent(ctx.secretId, ctx.token, ctx.currentVersionId);
}
