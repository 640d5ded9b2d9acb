import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../tooling/sim/authenticate';
import { getAdminUsers } from '../../../tooling/sim/methods/get-admin-users';
import { Params } from '../../../tooling/sim/params';
import { SimStore } from '../../../tooling/sim/store';

const caller: Caller = { kind: 'jwt', accountId: 1, keyId: 'k', roleIds: [1], allowed: ['GetAdminUsers'] };

describe('GetAdminUsers filter and paging (model check)', () => {
  it('returns exactly the case-insensitive substring matches, ordered by id, paged by count/offset', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-cA-C]{1,4}$/), { maxLength: 25, selector: (s) => s }),
        fc.stringMatching(/^[a-cA-C]{0,2}$/),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (names, part, count, offset) => {
          const store = new SimStore(
            1,
            [],
            names.map((admin_user_name) => ({ admin_user_name })),
            () => 0,
            20,
          );
          const account = store.account(1)!;
          const values = new Map([
            ['count', String(count)],
            ['offset', String(offset)],
          ]);
          if (part !== '') values.set('required_admin_user_name', part);
          const out = getAdminUsers({
            store,
            caller,
            account,
            params: new Params(values),
            now: () => 0,
            apiUrl: '',
          }) as {
            result: { admin_user_name: string }[];
            total_count: number;
            count: number;
          };
          const all = ['owner', ...names].filter((n) => n.toLowerCase().includes(part.toLowerCase()));
          expect(out.total_count).toBe(all.length);
          expect(out.result.map((a) => a.admin_user_name)).toEqual(all.slice(offset, offset + count));
          expect(out.count).toBe(out.result.length);
        },
      ),
    );
  });
});
