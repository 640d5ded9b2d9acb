import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORE, ENTERPRISE, patchOp } from './idp-bodies';
import { useScimWorld } from './scim-world';

/**
 * Property: a random list of PATCH operations over the attributes the bridge supports either gets a 4xx with no
 * Voximplant write and nothing changed, or a 2xx after which GET equals what an independent model of RFC 7644
 * §3.5.2 expects, and the simulator's admin agrees. The model is written from the RFC and the documented choices
 * (userName and active cannot be unassigned; "True"/"False" are booleans), not from the code under test.
 */

type Field =
  | 'userName'
  | 'displayName'
  | 'active'
  | 'title'
  | 'nickName'
  | 'name.givenName'
  | 'name.familyName'
  | 'department'
  | 'employeeNumber';

interface Op {
  op: 'add' | 'replace' | 'remove';
  field: Field;
  /** How the attribute is named: a path, a core/extension-qualified path, a path-less value, a schema-keyed value. */
  form: 'path' | 'qualified' | 'value' | 'wrapped';
  value: unknown;
}

type Model = Map<Field, string | boolean>;

const STRING_FIELDS: Field[] = [
  'displayName',
  'title',
  'nickName',
  'name.givenName',
  'name.familyName',
  'department',
  'employeeNumber',
];
const isEnterprise = (f: Field) => f === 'department' || f === 'employeeNumber';

const opArb = (names: string[]): fc.Arbitrary<Op> =>
  fc.record({
    op: fc.constantFrom('add', 'replace', 'remove'),
    field: fc.constantFrom<Field>('userName', 'active', ...STRING_FIELDS),
    form: fc.constantFrom('path', 'qualified', 'value', 'wrapped'),
    value: fc.oneof(
      fc.constantFrom(true, false, 'True', 'False', 'maybe', null, ''),
      fc.constantFrom(...names),
      fc.constantFrom('Ann', 'Bo Lee', 'Ops'),
    ),
  });

/** The operation as an IdP would send it. */
function wire(o: Op): Record<string, unknown> {
  const [attr, sub] = o.field.split('.') as [string, string | undefined];
  const schema = isEnterprise(o.field) ? ENTERPRISE : CORE;
  const pathForm = o.form === 'path' || o.form === 'qualified' || o.op === 'remove';
  if (pathForm) {
    const qualified = o.form === 'qualified' || isEnterprise(o.field);
    const path = qualified ? `${schema}:${o.field}` : o.field;
    return o.op === 'remove' ? { op: o.op, path } : { op: o.op, path, value: o.value };
  }
  const inner = sub === undefined ? { [attr]: o.value } : { [o.field]: o.value };
  if (o.form === 'wrapped') return { op: o.op, value: { [schema]: inner } };
  return { op: o.op, value: isEnterprise(o.field) ? { [`${ENTERPRISE}:${attr}`]: o.value } : inner };
}

/** The model's answer: the next state, or the scimType of the refusal. */
function model(state: Model, ops: Op[]): { next: Model } | { refused: string } {
  const next = new Map(state);
  for (const o of ops) {
    const unassign = o.op === 'remove' || o.value === null || o.value === '';
    if (o.field === 'userName') {
      if (unassign) return { refused: 'mutability' };
      if (typeof o.value !== 'string') next.set('userName', String(o.value));
      else next.set('userName', o.value);
      continue;
    }
    if (o.field === 'active') {
      if (o.op === 'remove' || o.value === null) return { refused: 'mutability' };
      const b = typeof o.value === 'boolean' ? o.value : String(o.value).toLowerCase();
      if (b !== true && b !== false && b !== 'true' && b !== 'false') return { refused: 'invalidValue' };
      next.set('active', b === true || b === 'true');
      continue;
    }
    if (unassign) next.delete(o.field);
    else next.set(o.field, String(o.value));
  }
  return { next };
}

/** The resource GET should show for a model state (plus id, meta, schemas). */
function resourceOf(state: Model): Record<string, unknown> {
  const out: Record<string, unknown> = { userName: state.get('userName'), active: state.get('active') };
  for (const f of ['displayName', 'title', 'nickName'] as const) if (state.has(f)) out[f] = state.get(f);
  const name: Record<string, unknown> = {};
  if (state.has('name.givenName')) name.givenName = state.get('name.givenName');
  if (state.has('name.familyName')) name.familyName = state.get('name.familyName');
  if (Object.keys(name).length > 0) out.name = name;
  const ent: Record<string, unknown> = {};
  if (state.has('department')) ent.department = state.get('department');
  if (state.has('employeeNumber')) ent.employeeNumber = state.get('employeeNumber');
  if (Object.keys(ent).length > 0) out[ENTERPRISE] = ent;
  return out;
}

describe('property: random PATCH lists are refused untouched, or applied exactly as the model says', () => {
  const { world, scim } = useScimWorld();
  const writes = () =>
    world.sim.calls().filter((c) => ['AddAdminUser', 'SetAdminUserInfo', 'DelAdminUser'].includes(c.method)).length;
  let run = 0;

  it('holds for random operation lists', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb(['a', 'B', 'b']), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        async (requests) => {
          run++;
          // Each run has its own user and userNames, so runs share one simulator without clashing.
          const named = (o: Op): Op =>
            o.field === 'userName' && o.value !== null && o.value !== ''
              ? { ...o, value: `p${run}.${String(o.value)}` }
              : o;
          const created = await scim('POST', '/Users', {
            schemas: [CORE],
            userName: `p${run}.start`,
            displayName: 'Prop User',
            active: true,
          });
          expect(created.status, created.text).toBe(201);
          const id = String(created.json().id);
          let state: Model = new Map<Field, string | boolean>([
            ['userName', `p${run}.start`],
            ['displayName', 'Prop User'],
            ['active', true],
          ]);
          for (const request of requests) {
            const usable = request.map(named);
            const before = writes();
            const res = await scim('PATCH', `/Users/${id}`, patchOp(...usable.map(wire)));
            const expected = model(state, usable);
            const label = `${JSON.stringify(usable.map(wire))} → ${res.status} ${res.text}`;
            if ('refused' in expected) {
              expect(res.status, label).toBe(400);
              expect(res.json().scimType, label).toBe(expected.refused);
              expect(writes(), label).toBe(before);
            } else {
              expect(res.status, label).toBe(204);
              state = expected.next;
            }
            const got = await scim('GET', `/Users/${id}`);
            const { id: _id, meta: _meta, schemas, ...shown } = got.json();
            expect(shown, label).toEqual(resourceOf(state));
            expect(schemas, label).toEqual(
              state.has('department') || state.has('employeeNumber') ? [CORE, ENTERPRISE] : [CORE],
            );
            const admin = world.sim.admins().find((a) => a.admin_user_id === Number(id));
            expect(admin, label).toMatchObject({
              admin_user_name: state.get('userName'),
              admin_user_active: state.get('active'),
              admin_user_display_name: state.get('displayName') ?? '',
            });
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
