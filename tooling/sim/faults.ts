import * as z from 'zod';

/**
 * A queued misbehaviour for the next call(s) of a method (or of any method). What each kind does:
 * - `error`: answer this Voximplant error without applying the call. Except 484 and 515: the real server says these
 *   when it takes a request for a probable resend of one it has already performed (484 HTTP_REQUEST_REJECTED "probable
 *   automatic request resend", 515 SAME_OPERATION_LIMIT, apiclient-php `src/Enum/Errors.php`), so the simulator applies
 *   the call first and then answers the error: the ambiguous case a client must re-read for. If the call itself fails
 *   (nothing was applied), its own error is answered instead.
 * - `httpStatus` / `body`: answer that status and raw body (an HTML page from a proxy, say) without applying.
 *   With `error` too, the error JSON is sent with that status.
 * - `drop: 'before'`: destroy the connection without applying. `drop: 'after'`: apply, then destroy it.
 * - `delayMs`: apply (unless an `error`/`httpStatus`/`body` says not to), then wait before answering; a client
 *   that times out in between cannot know whether the change happened.
 */
export const faultSpecSchema = z
  .object({
    method: z.string().min(1).optional(),
    times: z.number().int().min(1).max(1_000_000).optional(),
    error: z
      .object({ code: z.number().int().min(1), msg: z.string().optional() })
      .strict()
      .optional(),
    httpStatus: z.number().int().min(100).max(599).optional(),
    body: z.string().optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    drop: z.enum(['before', 'after']).optional(),
  })
  .strict()
  .refine(
    (f) =>
      f.error !== undefined ||
      f.httpStatus !== undefined ||
      f.body !== undefined ||
      f.delayMs !== undefined ||
      f.drop !== undefined,
    { message: 'a fault needs error, httpStatus, body, delayMs or drop' },
  )
  .refine(
    (f) => f.drop === undefined || (f.error === undefined && f.httpStatus === undefined && f.body === undefined),
    {
      message: 'a dropped connection answers nothing: drop cannot be combined with error, httpStatus or body',
    },
  );

export type FaultSpec = z.infer<typeof faultSpecSchema>;

/** Voximplant's "probable resend" answers, given after the call was applied (see above). */
export const APPLIED_ERROR_CODES: ReadonlySet<number> = new Set([484, 515]);

/** Validates a fault, or throws an Error naming what is wrong. */
export function parseFaultSpec(input: unknown): FaultSpec {
  const parsed = faultSpecSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(
      `invalid fault: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(fault)'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

interface QueuedFault {
  spec: FaultSpec;
  remaining: number;
}

/** First-in, first-out: a call takes the oldest fault whose method matches (or that names no method). */
export class FaultQueue {
  private queue: QueuedFault[] = [];

  add(spec: FaultSpec): void {
    this.queue.push({ spec, remaining: spec.times ?? 1 });
  }

  take(method: string): FaultSpec | undefined {
    const index = this.queue.findIndex((f) => f.spec.method === undefined || f.spec.method === method);
    if (index < 0) return undefined;
    const fault = this.queue[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.queue.splice(index, 1);
    return fault.spec;
  }

  clear(): void {
    this.queue = [];
  }
}
