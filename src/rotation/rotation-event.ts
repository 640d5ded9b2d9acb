import * as z from 'zod';
import { RotationError } from './rotation-error';

const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/**
 * What Secrets Manager sends the rotation function, once per step
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda.html). `Step` is
 * camelCase in real events (the docs page's create_secret spelling is not what arrives). `RotationToken` is only
 * for cross-account rotation and is sensitive: it is accepted and ignored, never logged.
 */
const rotationEventSchema = z.object({
  Step: z.enum(ROTATION_STEPS),
  SecretId: z.string().min(1),
  ClientRequestToken: z.string().min(1),
  RotationToken: z.string().optional(),
});

export type RotationStep = (typeof ROTATION_STEPS)[number];
export type RotationEvent = z.infer<typeof rotationEventSchema>;

/** The event, or an `invalid_event` error that names the bad fields (never their values). */
export function parseRotationEvent(input: unknown): RotationEvent {
  const parsed = rotationEventSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((i) => (i.path.length > 0 ? i.path.join('.') : '(event)')))];
  throw new RotationError(
    'invalid_event',
    `not a Secrets Manager rotation event: ${fields.join(', ')} missing or invalid (Step must be one of ${ROTATION_STEPS.join(', ')})`,
  );
}
