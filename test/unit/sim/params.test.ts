import { describe, expect, it } from 'vitest';
import { SimApiError } from '../../../tooling/sim/api-error';
import { Params, ParamsFormatError, parseParams } from '../../../tooling/sim/params';

const url = (q = '') => new URL(`http://sim.invalid/platform_api/X${q}`);

describe('parseParams', () => {
  it('reads the query string', async () => {
    const p = await parseParams(url('?a=1&b=two'), undefined, Buffer.alloc(0));
    expect([...p.values]).toEqual([
      ['a', '1'],
      ['b', 'two'],
    ]);
    expect(p).toMatchObject({ queryKeys: ['a', 'b'], encoding: 'query' });
  });

  it('reads an urlencoded body; body values win over the query', async () => {
    const p = await parseParams(
      url('?a=q'),
      'application/x-www-form-urlencoded; charset=utf-8',
      Buffer.from('a=b&c=%20d'),
    );
    expect(Object.fromEntries(p.values)).toEqual({ a: 'b', c: ' d' });
    expect(p.encoding).toBe('mixed');
  });

  it('reads multipart/form-data', async () => {
    const form = new FormData();
    form.append('cmd', 'GetAccountInfo');
    form.append('x', 'y');
    const req = new Request('http://x/', { method: 'POST', body: form });
    const body = Buffer.from(await req.arrayBuffer());
    const p = await parseParams(url(), req.headers.get('content-type')!, body);
    expect(Object.fromEntries(p.values)).toEqual({ cmd: 'GetAccountInfo', x: 'y' });
    expect(p.encoding).toBe('multipart');
  });

  it('ignores a body of another type and reports no parameters', async () => {
    const p = await parseParams(url(), 'application/json', Buffer.from('{"a":1}'));
    expect(p.values.size).toBe(0);
    expect(p.encoding).toBe('none');
  });

  it('throws ParamsFormatError on a broken multipart body', async () => {
    await expect(parseParams(url(), 'multipart/form-data; boundary=B', Buffer.from('junk'))).rejects.toBeInstanceOf(
      ParamsFormatError,
    );
  });
});

describe('Params', () => {
  const p = new Params(
    new Map([
      ['n', ' 42 '],
      ['neg', '-3'],
      ['bad', '4.5'],
      ['t', 'TRUE'],
      ['f', '0'],
      ['odd', 'yes'],
      ['list', 'a; b;;c '],
    ]),
  );

  it('reads integers, and throws the given error on anything else', () => {
    expect(p.int('n')).toBe(42);
    expect(p.int('neg')).toBe(-3);
    expect(p.int('missing')).toBeUndefined();
    expect(() => p.int('bad')).toThrow(SimApiError);
    expect(() => p.int('bad', () => new SimApiError(285))).toThrow(expect.objectContaining({ code: 285 }));
  });

  it('reads booleans as true/false in any case and 1/0; anything else is 496', () => {
    expect(p.bool('t')).toBe(true);
    expect(p.bool('f')).toBe(false);
    expect(p.bool('missing')).toBeUndefined();
    expect(() => p.bool('odd')).toThrow(expect.objectContaining({ code: 496, msg: "The 'odd' parameter is invalid." }));
  });

  it('splits ; lists, trimming and dropping empty items', () => {
    expect(p.list('list')).toEqual(['a', 'b', 'c']);
    expect(p.list('missing')).toBeUndefined();
  });
});
