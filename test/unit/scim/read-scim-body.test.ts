import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../../src/scim/protocol/json-depth';
import { MAX_SCIM_BODY_DEPTH, readScimBody } from '../../../src/scim/protocol/read-scim-body';
import { ScimError } from '../../../src/scim/protocol/scim-error';

const read = (text: string) =>
  readScimBody({ headers: { 'content-type': 'application/scim+json' }, rawBody: Buffer.from(text) });

/** Nesting depth of a parsed value, the outermost object or array being level 1. */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (typeof value === 'object' && value !== null) return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

const nested = (levels: number, leaf = '"x"') => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`;

describe('readScimBody bounds how deep a body nests', () => {
  it(`accepts ${MAX_SCIM_BODY_DEPTH} levels and refuses one more with 400 invalidSyntax`, () => {
    expect(depthOf(read(nested(MAX_SCIM_BODY_DEPTH)))).toBe(MAX_SCIM_BODY_DEPTH);
    expect(() => read(nested(MAX_SCIM_BODY_DEPTH + 1))).toThrowError(ScimError);
    expect(() => read(nested(MAX_SCIM_BODY_DEPTH + 1))).toThrowError(
      expect.objectContaining({
        status: 400,
        scimType: 'invalidSyntax',
        detail: expect.stringContaining(`${MAX_SCIM_BODY_DEPTH} levels`),
      }),
    );
  });

  it('refuses a custom extension nested 5,000 deep, and 60,000 deep arrays, without overflowing the stack', () => {
    const deep = `{"userName":"x","urn:example:custom:2.0:User":${nested(5_000)}}`;
    expect(() => read(deep)).toThrowError(ScimError);
    expect(() => read(deep)).toThrowError(expect.objectContaining({ scimType: 'invalidSyntax' }));
    const arrays = `{"a":${'['.repeat(60_000)}${']'.repeat(60_000)}}`;
    expect(arrays.length).toBeLessThan(128 * 1024);
    expect(() => read(arrays)).toThrowError(ScimError);
    expect(() => read(arrays)).toThrowError(expect.objectContaining({ scimType: 'invalidSyntax' }));
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ userName: `${'{['.repeat(100)}\\"${'['.repeat(100)}` });
    expect(read(text)).toEqual(JSON.parse(text));
  });

  it('property: nestsDeeperThan agrees with the depth of the parsed value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(nestsDeeperThan(text, limit)).toBe(depthOf(value) > limit);
      }),
      { numRuns: 300 },
    );
  });
});
