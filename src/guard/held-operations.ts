import * as z from 'zod';
import type { ApplyDeps } from '../apply/apply-change';
import type { Logger } from '../observability/logger';
import { deadlineIn } from '../runtime/deadline';
import type { HeldChange } from './held-change';
import type { HeldStore } from './held-store';
import { discardHeld, type HeldSelector, type ReleaseReport, releaseHeld, selectHeld } from './release-held';

/** One held change as an operator sees it (`vox-admin-bridge held`, `GET /__dev/held`). */
export interface HeldView {
  hold_id: string;
  event_id: string;
  source: string;
  type: string;
  account: string;
  admin_user_id: number;
  target: HeldChange['change']['target'];
  sets: HeldChange['change']['set'];
  kind: HeldChange['kind'];
  reason_code: string;
  reason: string;
  ordering_time: string;
  held_at: string;
  password_dropped: boolean;
}

export function heldView(h: HeldChange): HeldView {
  return {
    hold_id: h.hold_id,
    event_id: h.change.eventId,
    source: h.change.source,
    type: h.change.type,
    account: h.change.target.accountId === undefined ? 'main' : String(h.change.target.accountId),
    admin_user_id: h.admin_user_id,
    target: h.change.target,
    sets: h.change.set,
    kind: h.kind,
    reason_code: h.reason_code,
    reason: h.reason,
    ordering_time: new Date(h.change.timeMs).toISOString(),
    held_at: h.held_at,
    password_dropped: h.password_dropped,
  };
}

/** What the operator commands do, wherever the state lives (the deployed table, or `npm start`'s). */
export interface HeldOperations {
  list(): Promise<HeldView[]>;
  release(selector: HeldSelector): Promise<ReleaseReport[]>;
  discard(id: string): Promise<{ hold_id: string; event_id: string; outcome: 'discarded' | 'already_gone' }>;
}

/** An operator's request, as the local control routes read it. */
export const releaseRequestSchema = z.union([
  z.strictObject({ all: z.literal(true) }),
  z.strictObject({ id: z.string().min(1).max(512) }),
]);
export const discardRequestSchema = z.strictObject({ id: z.string().min(1).max(512) });

/** Each released change gets this long (a Lambda-sized budget: retries inside it, then it stays held). */
const RELEASE_TIME_PER_CHANGE_MS = 60_000;

/**
 * The operations over the stores themselves: the CLI with operator credentials, and `npm start`. The apply core is
 * built on first use, so listing and discarding need no Voximplant credentials.
 */
export function storeHeldOperations(deps: { apply: () => ApplyDeps; held: HeldStore; logger: Logger }): HeldOperations {
  let apply: ApplyDeps | undefined;
  const applyDeps = () => {
    apply ??= deps.apply();
    return apply;
  };
  return {
    list: async () => (await deps.held.list()).map(heldView),
    release: async (selector) => {
      const selected = selectHeld(await deps.held.list(), selector);
      const reports: ReleaseReport[] = [];
      for (const one of selected) {
        const [report] = await releaseHeld(
          [one],
          { apply: applyDeps(), held: deps.held },
          deadlineIn(RELEASE_TIME_PER_CHANGE_MS),
        );
        if (report === undefined) break;
        reports.push(report);
        if (report.outcome === 'retry') break;
      }
      return reports;
    },
    discard: async (id) => {
      const [held] = selectHeld(await deps.held.list(), { id });
      if (held === undefined) throw new Error(`no held change has the id "${id}"`);
      const removed = await discardHeld(held, { apply: { logger: deps.logger }, held: deps.held });
      return { hold_id: held.hold_id, event_id: held.change.eventId, outcome: removed ? 'discarded' : 'already_gone' };
    },
  };
}
