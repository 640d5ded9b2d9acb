import { describe, expect, it } from 'vitest';
import { isJsonMediaType, isUtf8, parseMediaType } from '../../../src/http/media-type';
import { readJsonBody } from '../../../src/http/read-json-body';

describe('parseMediaType', () => {
  it.each([
    ['application/json', 'application/json', {}],
    ['Application/CloudEvents+JSON; Charset="UTF-8"', 'application/cloudevents+json', { charset: 'UTF-8' }],
    [' application/json ;charset=utf-8; x=y', 'application/json', { charset: 'utf-8', x: 'y' }],
  ])('%s', (value, essence, parameters) => {
    expect(parseMediaType(value)).toEqual({ essence, parameters });
  });

  it.each([undefined, '', 'json', 'a/b/c'])('refuses %s', (value) => {
    expect(parseMediaType(value)).toBeUndefined();
  });

  it('knows JSON types and UTF-8 charsets', () => {
    expect(isJsonMediaType(parseMediaType('application/merge-patch+json')!)).toBe(true);
    expect(isJsonMediaType(parseMediaType('text/json')!)).toBe(false);
    expect(isUtf8(parseMediaType('application/json; charset=ISO-8859-1')!)).toBe(false);
  });
});

describe('readJsonBody', () => {
  it('parses JSON', () => {
    expect(readJsonBody({ rawBody: Buffer.from('{"a":[1]}') })).toEqual({ ok: true, value: { a: [1] } });
  });

  it.each([
    [Buffer.from(''), 'the body is empty'],
    [Buffer.from([0x22, 0xc3, 0x22]), 'the body is not valid UTF-8'],
    [Buffer.from('{"password": "hunter2", oops}'), 'the body is not valid JSON'],
  ])('refuses with 400 and a reason that echoes nothing', (rawBody, detail) => {
    const result = readJsonBody({ rawBody });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.statusCode).toBe(400);
    expect(JSON.parse(result.response.body).detail).toBe(detail);
  });
});
