import { describe, expect, it } from 'vitest';
import { parseAttributeList, projectResource } from '../../../src/scim/protocol/projection';
import { ENTERPRISE_USER_SCHEMA } from '../../../src/scim/protocol/schema';

const resource = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '7',
  userName: 'jdoe',
  name: { givenName: 'John', familyName: 'Doe' },
  emails: [{ type: 'work', value: 'w@x', primary: true }],
  [ENTERPRISE_USER_SCHEMA]: { department: 'Ops', employeeNumber: '1' },
  meta: { resourceType: 'User' },
};

describe('attributes and excludedAttributes (RFC 7644 §3.4.2.5)', () => {
  it('returns only what is asked, with id and schemas always', () => {
    expect(projectResource(resource, parseAttributeList('userName,EMAILS'), undefined)).toEqual({
      schemas: resource.schemas,
      id: '7',
      userName: 'jdoe',
      emails: resource.emails,
    });
    expect(projectResource(resource, parseAttributeList('name.givenName,emails.value'), undefined)).toEqual({
      schemas: resource.schemas,
      id: '7',
      name: { givenName: 'John' },
      emails: [{ value: 'w@x' }],
    });
    expect(projectResource(resource, parseAttributeList(`${ENTERPRISE_USER_SCHEMA}:department`), undefined)).toEqual({
      schemas: resource.schemas,
      id: '7',
      [ENTERPRISE_USER_SCHEMA]: { department: 'Ops' },
    });
  });

  it('removes what is excluded, never id or schemas', () => {
    const out = projectResource(resource, undefined, parseAttributeList('emails,name.familyName,id,schemas'));
    expect(out).toEqual({
      schemas: resource.schemas,
      id: '7',
      userName: 'jdoe',
      name: { givenName: 'John' },
      [ENTERPRISE_USER_SCHEMA]: resource[ENTERPRISE_USER_SCHEMA],
      meta: resource.meta,
    });
    expect(resource.name).toEqual({ givenName: 'John', familyName: 'Doe' });
  });
});
