import { describe, expect, it } from 'vitest';
import { schemaDocuments } from '../../../src/scim/protocol/discovery';
import { coreAttribute, ENTERPRISE_USER_SCHEMA } from '../../../src/scim/protocol/schema';

type AttributeDocument = Record<string, unknown> & { name: string; subAttributes?: AttributeDocument[] };

/** Every attribute document with its dotted name, sub-attributes included. */
function flatten(attributes: AttributeDocument[], prefix = ''): [string, AttributeDocument][] {
  return attributes.flatMap((a) => [
    [`${prefix}${a.name}`, a] as [string, AttributeDocument],
    ...flatten(a.subAttributes ?? [], `${prefix}${a.name}.`),
  ]);
}

describe('/Schemas: reference attributes carry referenceTypes (RFC 7643 §2.3.7, §7, §8.7.1)', () => {
  const documents = schemaDocuments('https://sp.example/scim/v2');
  const all = documents.flatMap((d) => flatten(d.attributes as AttributeDocument[], `${String(d.id)}:`));

  it('every attribute of type reference names what it refers to', () => {
    const references = all.filter(([, a]) => a.type === 'reference');
    expect(references.length).toBeGreaterThan(0);
    for (const [name, a] of references) {
      expect(a.referenceTypes, name).toEqual(expect.arrayContaining([expect.any(String)]));
    }
    // Only reference attributes have them.
    for (const [name, a] of all.filter(([, a]) => a.type !== 'reference'))
      expect(a, name).not.toHaveProperty('referenceTypes');
  });

  it('gives the RFC values to groups.$ref, manager.$ref, photos.value and profileUrl', () => {
    const byName = new Map(all);
    const core = 'urn:ietf:params:scim:schemas:core:2.0:User:';
    expect(byName.get(`${core}groups.$ref`)?.referenceTypes).toEqual(['User', 'Group']);
    expect(byName.get(`${ENTERPRISE_USER_SCHEMA}:manager.$ref`)?.referenceTypes).toEqual(['User']);
    expect(byName.get(`${core}photos.value`)?.referenceTypes).toEqual(['external']);
    expect(byName.get(`${core}profileUrl`)?.referenceTypes).toEqual(['external']);
  });

  it('meta.location (a common attribute, not served in a schema) is a uri reference', () => {
    const location = coreAttribute('meta')?.subAttributes?.find((a) => a.name === 'location');
    expect(location).toMatchObject({ type: 'reference', referenceTypes: ['uri'] });
  });
});
