import type { AdminChange } from '../events/admin-change';
import type { Logger } from '../observability/logger';
import { splitStale } from '../ordering/ordering-rule';
import type { AdminRef, OrderingStore } from '../state/ordering-store';
import type { VoximplantCaller } from '../voximplant/admin-user';
import type { CallOptions } from '../voximplant/client';
import type { AdminCount } from './admin-count';
import type { GuardSettings } from './guard-settings';
import { type HeldChange, HOLD_REASONS, heldChangeOf, holdIdOf } from './held-change';
import type { HeldStore } from './held-store';
import { deactivationThreshold, guardedKind } from './window-estimate';
import type { GuardWindow } from './window-store';

/** Why a change was held: a stable code (the outcome's error_code) and a sentence for people. */
export interface HoldVerdict {
  code: HeldChange['reason_code'];
  reason: string;
}

/**
 * What applyChange asks once it holds the per-admin lease, before the Voximplant call: undefined = go on, a verdict
 * = the change is held. `known.notStale`: the caller's claim already proved `active` is not stale, so the guard
 * need not read the versions again.
 */
export interface ChangeGuard {
  admit(
    change: AdminChange,
    admin: AdminRef,
    opts: CallOptions,
    known?: { notStale?: boolean },
  ): Promise<HoldVerdict | undefined>;
}

export interface BlastRadiusGuardDeps {
  settings: GuardSettings;
  window: GuardWindow;
  held: HeldStore;
  ordering: Pick<OrderingStore, 'versions'>;
  adminCount: AdminCount;
  voximplant: VoximplantCaller;
  logger: Logger;
  now: () => number;
}

/**
 * Holds changes of `active` past a per-account threshold over a sliding window (docs/OPERATIONS.md#blast-radius-guard).
 * A burst of re-activations is the attack case (a stolen webhook secret), so holding activations fails safe; a
 * burst of deactivations is the broken-HR-job case (Entra ID's accidental-deletions prevention stops provisioning
 * the same way, https://learn.microsoft.com/en-us/entra/identity/app-provisioning/accidental-deletions), and holding
 * one delays an offboarding, so that half can be turned off.
 *
 * In order, for a change that sets `active`:
 * 1. the admin already has a held change: this one is that change again (same hold id: answered held, nothing new
 *    stored, nothing counted) or a later one, which is held behind it so the release keeps their order;
 * 2. stale against the applied versions: not counted (applyChange then skips it as stale);
 * 3. counted in the account's window; over the threshold it is stored as held, with its reason.
 * Held changes are not counted: they did not happen.
 */
export class BlastRadiusGuard implements ChangeGuard {
  constructor(private readonly deps: BlastRadiusGuardDeps) {}

  async admit(
    change: AdminChange,
    admin: AdminRef,
    opts: CallOptions,
    known: { notStale?: boolean } = {},
  ): Promise<HoldVerdict | undefined> {
    const { settings } = this.deps;
    const kind = guardedKind(change);
    if (kind === undefined) return undefined;
    if (kind === 'deactivation' && !settings.holdDeactivations) return undefined;
    const holdId = holdIdOf(change);

    const already = await this.deps.held.forAdmin(admin.accountId, admin.adminUserId);
    const same = already.find((h) => h.hold_id === holdId);
    if (same !== undefined) return { code: same.reason_code, reason: same.reason };
    if (already.length > 0) {
      return this.hold(change, admin, kind, {
        code: HOLD_REASONS.behindHeld,
        reason: `held behind ${already.length} held change(s) to the same admin, so a release keeps their order`,
      });
    }

    if (known.notStale !== true) {
      const versions = await this.deps.ordering.versions(admin);
      if (splitStale(['active'], change, versions).stale.length > 0) return undefined;
    }

    const threshold =
      kind === 'activation'
        ? settings.maxActivations
        : deactivationThreshold(
            await this.deps.adminCount.of(this.deps.voximplant, admin.accountId, opts),
            settings.maxDeactivationPercent,
            settings.minDeactivations,
          );
    const answer = await this.deps.window.count(admin.accountId, kind, holdId, threshold);
    if (answer !== 'over') return undefined;
    const minutes = Math.round(settings.windowMs / 60_000);
    return this.hold(
      change,
      admin,
      kind,
      kind === 'activation'
        ? {
            code: HOLD_REASONS.activations,
            reason: `more than ${threshold} activations in this account within ${minutes} minutes`,
          }
        : {
            code: HOLD_REASONS.deactivations,
            reason: `more than ${threshold} deactivations in this account within ${minutes} minutes`,
          },
    );
  }

  private async hold(
    change: AdminChange,
    admin: AdminRef,
    kind: HeldChange['kind'],
    verdict: HoldVerdict,
  ): Promise<HoldVerdict> {
    const held = heldChangeOf(change, admin.adminUserId, {
      kind,
      reasonCode: verdict.code,
      reason: verdict.reason,
      at: this.deps.now(),
    });
    // Stored before the caller answers: a held change is never lost. A concurrent delivery of the same change
    // may have stored it first; then there is one item, and both answer held.
    await this.deps.held.put(held);
    this.deps.logger.warn('change held by the blast-radius guard', {
      event_id: change.eventId,
      source: change.source,
      idempotency_key: change.idempotencyKey,
      hold_id: held.hold_id,
      admin_user_id: admin.adminUserId,
      account: admin.accountId ?? 'main',
      kind,
      reason_code: verdict.code,
      reason: verdict.reason,
    });
    return verdict;
  }
}
