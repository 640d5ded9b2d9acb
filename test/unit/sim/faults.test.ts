import { describe, expect, it } from 'vitest';
import { FaultQueue, parseFaultSpec } from '../../../tooling/sim/faults';

describe('FaultQueue', () => {
  it('matches by method or any, first in first out, counting down times', () => {
    const q = new FaultQueue();
    q.add(parseFaultSpec({ method: 'SetAdminUserInfo', times: 2, error: { code: 2 } }));
    q.add(parseFaultSpec({ error: { code: 162 } }));
    expect(q.take('GetAdminUsers')?.error?.code).toBe(162);
    expect(q.take('GetAdminUsers')).toBeUndefined();
    expect(q.take('SetAdminUserInfo')?.error?.code).toBe(2);
    expect(q.take('SetAdminUserInfo')?.error?.code).toBe(2);
    expect(q.take('SetAdminUserInfo')).toBeUndefined();
  });

  it('clear() drops everything', () => {
    const q = new FaultQueue();
    q.add(parseFaultSpec({ delayMs: 1, times: 3 }));
    q.clear();
    expect(q.take('X')).toBeUndefined();
  });
});

describe('parseFaultSpec', () => {
  it.each([
    [{ error: { code: 416 } }],
    [{ httpStatus: 502 }],
    [{ body: '<html>' }],
    [{ delayMs: 0 }],
    [{ drop: 'before' }],
    [{ drop: 'after', delayMs: 10 }],
    [{ error: { code: 4 }, httpStatus: 503, delayMs: 5, method: 'GetKeys', times: 3 }],
  ])('accepts %j', (spec) => {
    expect(parseFaultSpec(spec)).toEqual(spec);
  });

  it.each([
    [{}, /needs error/],
    [{ drop: 'before', httpStatus: 500 }, /drop cannot/],
    [{ error: { code: 2 }, extra: true }, /extra|Unrecognized/i],
    [{ error: { code: 'x' } }, /error\.code/],
    [{ delayMs: -1 }, /delayMs/],
    [{ times: 1.5, error: { code: 2 } }, /times/],
    ['a string', /fault/],
  ])('refuses %j', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});
