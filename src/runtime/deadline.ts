/**
 * How long a piece of work may still run. Lambda gives `getRemainingTimeInMillis()`; the safety margin keeps
 * enough time to record the outcome and answer before the runtime kills the invocation.
 */
export interface Deadline {
  /** Milliseconds left for new work, already less the safety margin; never negative. */
  remainingMs(): number;
}

export function deadlineFrom(getRemainingMs: () => number, safetyMarginMs: number): Deadline {
  return { remainingMs: () => Math.max(0, getRemainingMs() - safetyMarginMs) };
}

/** A deadline at a fixed instant, for callers without a Lambda context (SCIM inside API Gateway's 30 s, the CLI). */
export function deadlineAt(instantMs: number, now: () => number = Date.now): Deadline {
  return { remainingMs: () => Math.max(0, instantMs - now()) };
}

export function deadlineIn(ms: number, now: () => number = Date.now): Deadline {
  return deadlineAt(now() + ms, now);
}
