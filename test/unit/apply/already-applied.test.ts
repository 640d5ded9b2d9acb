import { describe, expect, it } from 'vitest';
import { isAlreadyApplied } from '../../../src/apply/already-applied';

const admin = {
  admin_user_id: 7,
  admin_user_name: 'jdoe',
  admin_user_display_name: 'John Doe',
  admin_user_active: false,
};

describe('isAlreadyApplied (after an ambiguous outcome)', () => {
  it.each([
    [{ active: false }, true],
    [{ active: true }, false],
    [{ name: 'jdoe' }, true],
    [{ name: 'jdoe3' }, false],
    [{ name: 'jdoe', displayName: 'John Doe', active: false }, true],
    [{ name: 'jdoe', displayName: 'Johnny' }, false],
    [{ password: 'whatever1' }, false],
    [{ active: false, password: 'whatever1' }, false],
  ])('%j → %s', (set, expected) => {
    expect(isAlreadyApplied(admin, set)).toBe(expected);
  });

  it('is never true for an admin that could not be read', () => {
    expect(isAlreadyApplied(undefined, { active: false })).toBe(false);
  });
});
