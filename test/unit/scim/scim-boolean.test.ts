import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBoolean } from '../../../src/scim/protocol/scim-boolean';

describe('toBoolean', () => {
  it('passes JSON booleans through', () => {
    expect(toBoolean(true)).toBe(true);
    expect(toBoolean(false)).toBe(false);
  });

  it('reads "true"/"false" in any case, blanks around them ignored', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.stringMatching(/^[ \t]*$/),
        (value, upper, pad) => {
          const word = [...String(value)].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
          expect(toBoolean(`${pad}${word}${pad}`)).toBe(value);
        },
      ),
    );
  });

  it('refuses anything else rather than guessing', () => {
    for (const value of ['yes', 'no', '1', '0', '', 't', 'truee', 'null', 1, 0, null, undefined, {}, [], ['true']]) {
      expect(toBoolean(value)).toBeUndefined();
    }
  });
});
