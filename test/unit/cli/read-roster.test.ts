import { describe, expect, it } from 'vitest';
import { readRoster } from '../../../src/cli/roster/read-roster';
import { rosterPlan } from '../../../src/cli/roster/roster-plan';
import { protectedAdmins } from '../../../src/events/protected-admins';

const admin = (id: number, name: string, active = true) => ({
  admin_user_id: id,
  admin_user_name: name,
  admin_user_display_name: name,
  admin_user_active: active,
});

describe('roster', () => {
  it('reads JSON names or objects, and CSV by its admin_user_name column', () => {
    expect(readRoster('r.json', '["jdoe", {"admin_user_name": "asmith", "email": "a@x"}]')).toEqual(['jdoe', 'asmith']);
    expect(readRoster('r.csv', 'email,admin_user_name\r\n"a,b@x",jdoe\nx@y,"as""mith"\n')).toEqual(['jdoe', 'as"mith']);
  });

  it('refuses an empty roster, a CSV without the column, and over-long names', () => {
    expect(() => readRoster('r.json', '[]')).toThrow('the roster is empty');
    expect(() => readRoster('r.csv', 'admin_user_name\n')).toThrow('the roster is empty');
    expect(() => readRoster('r.csv', 'name\njdoe\n')).toThrow('admin_user_name column');
    expect(() => readRoster('r.json', JSON.stringify(['x'.repeat(50)]))).toThrow('shorter than 50');
  });

  it('plans the active, unprotected admins absent from the roster, matching names exactly', () => {
    const live = [admin(1, 'owner'), admin(2, 'jdoe'), admin(3, 'jdoe2'), admin(4, 'asmith', false), admin(5, 'bwong')];
    const plan = rosterPlan(['jdoe', 'asmith', 'ghost'], live, protectedAdmins(['owner']));
    expect(plan.deactivate.map((a) => a.admin_user_name)).toEqual(['jdoe2', 'bwong']);
    expect(plan.inactive.map((a) => a.admin_user_name)).toEqual(['asmith']);
    expect(plan.unknown).toEqual(['ghost']);
    expect(plan.protected.map((a) => a.admin_user_name)).toEqual(['owner']);
  });
});
