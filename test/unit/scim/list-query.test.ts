import { describe, expect, it } from 'vitest';
import { queryOf } from '../../../src/http/api-gateway-v2';
import { DEFAULT_COUNT, MAX_RESULTS, readListQuery } from '../../../src/scim/protocol/list-query';
import { ScimError } from '../../../src/scim/protocol/scim-error';

describe('list queries: paging, filters and projections as clients send them', () => {
  it('defaults: startIndex 1, the default page size, no filter', () => {
    expect(readListQuery({})).toEqual({ startIndex: 1, count: DEFAULT_COUNT });
  });

  it('reads numbers sent as strings, and bounds them (RFC 7644 §3.4.2.4)', () => {
    expect(readListQuery({ startIndex: '3', count: '2' })).toMatchObject({ startIndex: 3, count: 2 });
    expect(readListQuery({ startIndex: '0', count: '-5' })).toMatchObject({ startIndex: 1, count: 0 });
    expect(readListQuery({ startIndex: 7, count: 100000 })).toMatchObject({ startIndex: 7, count: MAX_RESULTS });
    expect(readListQuery({ StartIndex: '2', COUNT: '1' })).toMatchObject({ startIndex: 2, count: 1 });
  });

  it('refuses numbers that are not', () => {
    expect(() => readListQuery({ count: 'ten' })).toThrow(ScimError);
  });

  it('ignores what it does not know (Entra’s aadOptscim062020 flag, sortBy)', () => {
    expect(readListQuery({ aadOptscim062020: '', sortBy: 'userName' })).toEqual({
      startIndex: 1,
      count: DEFAULT_COUNT,
    });
  });

  it('reads a filter whose spaces arrived as "+"', () => {
    const query = readListQuery({ filter: 'DisplayName+eq+"BobIsAmazing"' });
    expect(query.filter).toMatchObject({ op: 'eq', path: { attr: 'displayName' }, value: 'BobIsAmazing' });
    // A well-decoded filter keeps a "+" in its value.
    expect(readListQuery({ filter: 'emails.value eq "a+b@x.com"' }).filter).toMatchObject({ value: 'a+b@x.com' });
  });

  it('reads attributes and excludedAttributes, a value filter in a name selecting the attribute', () => {
    expect(readListQuery({ attributes: 'userName,emails[type eq "work"]' }).attributes).toEqual([
      { attr: 'userName' },
      { attr: 'emails' },
    ]);
    expect(readListQuery({ excludedAttributes: ['name.givenName'] }).excludedAttributes).toEqual([
      { attr: 'name', sub: 'givenName' },
    ]);
  });

  it('decodes the raw query string as a form: "+" is a space, %2B a plus', () => {
    expect(
      queryOf({ rawQueryString: 'filter=DisplayName+eq+%22Bob%22&x=a%2Bb&x=second', queryStringParameters: {} }),
    ).toEqual({ filter: 'DisplayName eq "Bob"', x: 'a+b' });
    expect(queryOf({ rawQueryString: '', queryStringParameters: { a: 'b' } })).toEqual({ a: 'b' });
  });
});
