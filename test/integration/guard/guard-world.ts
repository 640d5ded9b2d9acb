import { afterAll, beforeAll } from 'vitest';
import type { ApplyDeps } from '../../../src/apply/apply-change';
import { changeStoreOn } from '../../../src/apply/create-apply-deps';
import { ProtectedGuard } from '../../../src/apply/protected-guard';
import { protectedAdmins } from '../../../src/events/protected-admins';
import { AdminCount } from '../../../src/guard/admin-count';
import { BlastRadiusGuard } from '../../../src/guard/blast-radius-guard';
import type { GuardSettings } from '../../../src/guard/guard-settings';
import { DynamoHeldStore } from '../../../src/guard/held-store';
import { DynamoGuardWindow } from '../../../src/guard/window-store';
import { ReactivationPolicy } from '../../../src/ordering/reactivation-policy';
import { sleep } from '../../../src/runtime/sleep';
import { DynamoNameCache } from '../../../src/state/name-cache';
import { DynamoOrderingStore } from '../../../src/state/ordering-store';
import { createSimulator, type Simulator } from '../../../tooling/sim/simulator';
import { useStateTable } from '../../support/dynamo';
import { recordingLogger } from '../../support/recorders';
import { simulatorClient } from '../../support/simulator-client';

/** A window of 15 minutes; the guard's clock starts one minute into a bucket and moves only when a test moves it. */
export const WINDOW_MS = 15 * 60 * 1000;

/**
 * The apply core over real parts with the blast-radius guard: dynalite (the state table), the Voximplant simulator
 * with `admins` active admins named `user1`..`userN`, and the guard's window and held store on the same table.
 */
export function useGuardWorld(opts: { admins: number; settings?: Partial<GuardSettings>; reactivation?: string[] }) {
  const table = useStateTable();
  const world = {
    sim: undefined as unknown as Simulator,
    apply: undefined as unknown as ApplyDeps,
    held: undefined as unknown as DynamoHeldStore,
    log: recordingLogger(),
    /** The guard's clock. */
    clock: { now: 0 },
    ids: new Map<string, number>(),
  };
  beforeAll(async () => {
    world.sim = await createSimulator({ seed: 'empty' });
    const { apiUrl } = await world.sim.listen(0);
    for (let i = 1; i <= opts.admins; i++) {
      const a = world.sim.addAdmin({ admin_user_name: `user${i}`, admin_user_active: true });
      world.ids.set(`user${i}`, a.admin_user_id);
    }
    world.clock.now = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS + 60_000;
    const { doc, tableName } = table;
    const { logger } = world.log;
    const ordering = new DynamoOrderingStore(doc, tableName);
    const voximplant = simulatorClient(world.sim, apiUrl, logger);
    const now = () => world.clock.now;
    world.held = new DynamoHeldStore(doc, tableName);
    world.apply = {
      changes: changeStoreOn(doc, tableName, ordering),
      ordering,
      names: new DynamoNameCache(doc, tableName),
      voximplant,
      protectedGuard: new ProtectedGuard(protectedAdmins(['owner'])),
      reactivation: new ReactivationPolicy(opts.reactivation ?? []),
      logger,
      dryRun: false,
      now: Date.now,
      sleep,
      guard: new BlastRadiusGuard({
        settings: {
          windowMs: WINDOW_MS,
          maxActivations: 2,
          holdDeactivations: true,
          maxDeactivationPercent: 25,
          minDeactivations: 0,
          ...opts.settings,
        },
        window: new DynamoGuardWindow(doc, tableName, WINDOW_MS, now),
        held: world.held,
        ordering,
        adminCount: new AdminCount(),
        voximplant,
        logger,
        now,
      }),
    };
  });
  afterAll(async () => {
    await world.sim?.close();
  });
  return world;
}

/** How many SetAdminUserInfo calls reached the simulator for this admin. */
export function writesTo(sim: Simulator, adminUserId: number): Record<string, string>[] {
  return sim
    .calls()
    .filter((c) => c.method === 'SetAdminUserInfo' && c.params.required_admin_user_id === String(adminUserId))
    .map((c) => c.params);
}
