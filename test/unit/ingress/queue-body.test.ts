import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queueBody } from '../../../src/ingress/queue-body';

describe('queueBody', () => {
  it('is the same JSON value, in printable ASCII only', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const body = queueBody({ v: value });
        expect(body).toMatch(/^[\x20-\x7e]*$/);
        expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify({ v: value })));
      }),
    );
  });

  it('escapes the characters SQS refuses and those fauxqs mishandles', () => {
    expect(queueBody({ n: '\ufffe🎧é' })).toBe('{"n":"\\ufffe\\ud83c\\udfa7\\u00e9"}');
  });
});
