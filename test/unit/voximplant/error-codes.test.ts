import { describe, expect, it } from 'vitest';
import { scimErrorForVoximplantCode } from '../../../src/scim/failure';
import { VOXIMPLANT_ERROR_CODES, voximplantCodeOf, voximplantErrorCode } from '../../../src/voximplant/error-codes';
import { classifyErrorCode, ERROR_CODE_KINDS } from '../../../src/voximplant/errors';

describe('the Voximplant error-code table', () => {
  it('is what the client classifies by: every entry gives its kind, unlisted codes are permanent', () => {
    for (const [code, entry] of Object.entries(VOXIMPLANT_ERROR_CODES)) {
      expect(classifyErrorCode(Number(code))).toBe(entry.kind);
      expect(ERROR_CODE_KINDS[Number(code)]).toBe(entry.kind);
    }
    expect(classifyErrorCode(99999)).toBe('permanent');
    expect(voximplantErrorCode(99999)).toBeUndefined();
    // Not fooled by inherited properties.
    expect(voximplantErrorCode('constructor' as unknown as number)).toBeUndefined();
  });

  it('names every code and says what it means', () => {
    for (const entry of Object.values(VOXIMPLANT_ERROR_CODES)) {
      expect(entry.name).toMatch(/^[A-Z_]+$/);
      expect(entry.meaning.length).toBeGreaterThan(0);
    }
  });

  it('only permanent codes refuse the request (SCIM maps those), and each one that does maps', () => {
    for (const [code, entry] of Object.entries(VOXIMPLANT_ERROR_CODES)) {
      if (entry.refuses !== undefined) {
        expect(entry.kind).toBe('permanent');
        expect(scimErrorForVoximplantCode(Number(code))).toBeDefined();
      } else {
        expect(scimErrorForVoximplantCode(Number(code))).toBeUndefined();
      }
    }
  });

  it('gives doctor a fix for the credential and clock codes', () => {
    for (const code of [100, 433, 447, 455, 456]) expect(voximplantErrorCode(code)?.fix).toBeDefined();
  });

  it('reads the API code back out of a VoximplantError code', () => {
    expect(voximplantCodeOf('voximplant_340')).toBe(340);
    expect(voximplantCodeOf('timeout')).toBeUndefined();
    expect(voximplantCodeOf('voximplant_')).toBeUndefined();
  });
});
