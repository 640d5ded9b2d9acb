import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/scim/protocol/filter';
import { matchesFilter } from '../../../src/scim/protocol/filter-match';
import { ENTERPRISE_USER_SCHEMA } from '../../../src/scim/protocol/schema';
import { ScimError } from '../../../src/scim/protocol/scim-error';

const user = {
  userName: 'OMalley',
  displayName: 'Kimberly Baker',
  active: true,
  externalId: 'Ext-1',
  name: { givenName: 'Darl', familyName: 'Employee' },
  emails: [
    { type: 'work', value: 'anna33@example.com', primary: true },
    { type: 'home', value: 'anna33@gmail.com' },
  ],
  [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '701984', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } },
  meta: { created: '2019-09-18T18:15:26.578Z' },
};

const matches = (filter: string) => matchesFilter(parseFilter(filter), user);

describe('SCIM filters (RFC 7644 §3.4.2.2) as IdPs send them', () => {
  it.each([
    ['userName eq "OMalley"', true],
    ['userName eq "omalley"', true], // userName has caseExact=false (RFC 7643 §4.1); the Okta suite checks this
    ['userName eq "OMalle"', false],
    ['USERNAME EQ "omalley"', true], // attribute names and operators in any case
    ['userName sw O', true], // unquoted value (the Microsoft suite)
    ['userName sw "x"', false],
    ['userName ew "ley"', true],
    ['userName co "mall"', true],
    ['userName ne "someone"', true],
    ['displayName eq "Kimberly Baker"', true],
    ['DisplayName eq "Kimberly Baker"', true],
    ['externalId eq "ext-1"', false], // externalId is caseExact
    ['externalId eq Ext-1', true], // Entra's documented unquoted form
    ['active eq true', true],
    ['active eq "True"', true],
    ['active eq false', false],
    ['name.FamilyName eq Employee', true],
    ['name.familyName eq Employee and (emails.Value co example.com or emails.Value co example.org)', true],
    ['emails.value co "gmail"', true],
    ['emails co "gmail"', true], // a complex attribute compares its value
    ['emails[type eq "work" and value co "@example.com"]', true],
    ['emails[type eq "other"]', false],
    ['emails[type eq "work"].value eq "anna33@example.com"', true], // Entra's matching attribute
    ['emails[type eq "home"].value eq "anna33@example.com"', false],
    ['title pr', false],
    ['name pr', true],
    ['not (userName eq "x")', true],
    ['not(userName eq "OMalley")', false],
    ['meta.Created gt 2015-10-10T14:38:21.8617979-07:00', true], // .NET's 7 fractional digits
    ['meta.created lt "2015-10-10T14:38:21Z"', false],
    [`${ENTERPRISE_USER_SCHEMA}:employeeNumber eq "701984"`, true],
    [`${ENTERPRISE_USER_SCHEMA}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "OMalley"', true],
    ['userName eq "a" or userName eq "OMalley" and active eq true', true], // and binds tighter than or
    ['(userName eq "a" or userName eq "OMalley") and active eq false', false],
    ['title eq null', true],
    ['userName ne null', true],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it.each([
    ['userName', 'an operator expected'],
    ['userName eq', 'a value expected'],
    ['userName xx "a"', 'an operator expected'],
    ['(userName eq "a"', '")" expected'],
    ['userName eq "a', 'is not closed'],
    ['userName eq "a" extra', 'unexpected'],
    ['emails[type eq "work"', 'not closed'],
    ['1abc eq "x"', 'bad attribute name'],
    ['active gt true', 'cannot compare a boolean'],
    ['', 'it is empty'],
  ])('refuses %j with 400 invalidFilter (%s)', (filter, message) => {
    expect(() => matches(filter)).toThrowError(ScimError);
    expect(() => matches(filter)).toThrowError(
      expect.objectContaining({ status: 400, scimType: 'invalidFilter', detail: expect.stringContaining(message) }),
    );
  });

  it('refuses filters that are too long or nested too deeply', () => {
    expect(() => matches(`userName eq "${'a'.repeat(5000)}"`)).toThrowError(ScimError);
    expect(() => matches(`userName eq "${'a'.repeat(5000)}"`)).toThrowError(
      expect.objectContaining({ detail: expect.stringContaining('longer than') }),
    );
    expect(() => matches(`${'('.repeat(40)}userName eq "a"${')'.repeat(40)}`)).toThrowError(ScimError);
    expect(() => matches(`${'('.repeat(40)}userName eq "a"${')'.repeat(40)}`)).toThrowError(
      expect.objectContaining({ detail: expect.stringContaining('nested') }),
    );
  });
});
