import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADMIN_USER_NAME_MAX } from '../../../src/events/admin-change-event';
import { protectedAdmins } from '../../../src/events/protected-admins';
import { protectedNameKey, sameProtectedName } from '../../../src/events/protected-name';

const PROTECTED = ['owner', 'breakglass', 'ops-bot'] as const;
const list = protectedAdmins(['1', ...PROTECTED]);

/** Default_Ignorable_Code_Point samples: ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, CGJ, VS16, LRM, Hangul filler. */
const INVISIBLE = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u034F', '\uFE0F', '\u200E', '\u3164'];
const SPACE = [' ', '\t', '\u00A0', '\u2003', '\u3000', '\n'];
/** Cyrillic letters that confusables.txt maps to Latin ones. */
const CYRILLIC: Record<string, string> = {
  a: '\u0430',
  e: '\u0435',
  o: '\u043E',
  p: '\u0440',
  c: '\u0441',
  x: '\u0445',
  y: '\u0443',
  s: '\u0455',
  i: '\u0456',
};

/** One character of a protected name, disguised: another case, full width (NFKC), or a Cyrillic look-alike. */
function disguisedChar(char: string) {
  const options = [fc.constant(char), fc.constant(char.toUpperCase())];
  const code = char.codePointAt(0) ?? 0;
  if (code > 0x20 && code < 0x7f) options.push(fc.constant(String.fromCodePoint(code + 0xfee0)));
  const cyrillic = CYRILLIC[char];
  if (cyrillic !== undefined) options.push(fc.constant(cyrillic), fc.constant(cyrillic.toUpperCase()));
  return fc.tuple(fc.oneof(...options), fc.option(fc.constantFrom(...INVISIBLE), { nil: '' }));
}

/** A protected name as an attacker might spell it to slip past an exact comparison. */
const disguised = fc.constantFrom(...PROTECTED).chain((name) =>
  fc
    .tuple(
      fc.array(fc.constantFrom(...SPACE, ...INVISIBLE), { maxLength: 3 }),
      fc.tuple(...[...name].map(disguisedChar)),
      fc.array(fc.constantFrom(...SPACE, ...INVISIBLE), { maxLength: 3 }),
    )
    .map(([before, chars, after]) => ({
      name,
      spelled: before.join('') + chars.map(([c, extra]) => c + extra).join('') + after.join(''),
    })),
);

describe('protectedNameKey', () => {
  it.each([
    ['Owner', 'owner'],
    ['OWNER', 'owner'],
    ['owner ', 'owner'],
    [' owner', 'owner'],
    ['\u043Ewner', 'owner'],
    ['owner\u200B', 'owner'],
    ['\uFF4F\uFF57\uFF4E\uFF45\uFF52', 'owner'],
    ['0wner', 'owner'],
    ['BreakGlass', 'breakglass'],
    ['Break\u00ADGlass', 'breakglass'],
    ['STRASSE', 'stra\u00DFe'],
  ])('%j is the same name as %j', (a, b) => {
    expect(sameProtectedName(a, b)).toBe(true);
  });

  it.each([
    ['owners', 'owner'],
    ['ow ner', 'owner'],
    ['asmith', 'owner'],
    ['jdoe', 'jdoe2'],
    ['\u00F6wner', 'owner'],
  ])('%j is not the same name as %j', (a, b) => {
    expect(sameProtectedName(a, b)).toBe(false);
  });

  it('is idempotent, for any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: ADMIN_USER_NAME_MAX, unit: 'binary' }), (name) => {
        const key = protectedNameKey(name);
        expect(protectedNameKey(key)).toBe(key);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives every case, white space, zero-width, NFKC and Cyrillic variant of a protected name its key', () => {
    fc.assert(
      fc.property(disguised, ({ name, spelled }) => {
        expect(protectedNameKey(spelled)).toBe(protectedNameKey(name));
        expect(list.matchesName(spelled)).toBe(true);
        expect(list.matchesTarget({ adminUserName: spelled })).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves unrelated names unprotected', () => {
    // None of the protected names has q, z or j, and no ASCII letter is a look-alike of them.
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9._-]{0,10}[qzj][a-z0-9._-]{0,10}$/), (name) => {
        expect(list.matchesName(name)).toBe(false);
        expect(list.matchesAdmin(2, name)).toBe(false);
      }),
    );
    for (const name of ['asmith', 'jdoe', 'owners', 'powner', 'break-glass', 'ops_bot']) {
      expect(list.matchesName(name), name).toBe(false);
    }
  });
});

describe('protectedAdmins', () => {
  it('matches listed ids, and names by their key on both sides', () => {
    const spelledOddly = protectedAdmins([' Owner\u200B ', '42', '']);
    expect(spelledOddly.size).toBe(2);
    expect(spelledOddly.hasNames).toBe(true);
    expect(spelledOddly.hasId(42)).toBe(true);
    expect(spelledOddly.matchesTarget({ adminUserId: 42 })).toBe(true);
    expect(spelledOddly.matchesTarget({ adminUserId: 41 })).toBe(false);
    expect(spelledOddly.matchesTarget({ adminUserName: '\u043Ewner' })).toBe(true);
    expect(spelledOddly.matchesAdmin(7, 'OWNER')).toBe(true);
    expect(spelledOddly.matchesAdmin(7, 'jdoe')).toBe(false);
  });

  it('an id-only list holds no names and matches no name', () => {
    const ids = protectedAdmins(['1', '2']);
    expect(ids.hasNames).toBe(false);
    expect(ids.matchesName('1')).toBe(false);
    expect(ids.matchesName('owner')).toBe(false);
  });
});
