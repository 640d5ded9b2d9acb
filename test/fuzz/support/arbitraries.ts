import fc from 'fast-check';
import { cloudEvent } from '../../support/cloud-event';

/**
 * Building blocks for the fuzz properties: random and mutated bodies, encodings, sizes, content types, header
 * noise. Mutations that make a CloudEvent invalid for sure carry the JSON Pointer the error must name.
 */

/** Fixed, printed, overridable: a failure replays with FUZZ_SEED=<seed>. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 7_112_026);

export const HTTP_METHODS = ['POST', 'POST', 'POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;

export const CONTENT_TYPES = [
  'application/json',
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
  'application/json; charset=utf-8',
  'application/json; charset="UTF-8"',
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'application/scim+json',
  'APPLICATION/JSON',
  'application/json;;;',
  'text/plain',
  'text/html; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  '',
  'json',
  '*/*',
];

export type TextEncoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16le-bom' | 'latin1' | 'broken-utf8';

export function encodeText(text: string, encoding: TextEncoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'latin1':
      return Buffer.from(text, 'latin1');
    case 'broken-utf8': {
      // A lone continuation byte and a truncated sequence in the middle: invalid UTF-8 for sure.
      const bytes = Buffer.from(text, 'utf8');
      const middle = Math.floor(bytes.length / 2);
      return Buffer.concat([bytes.subarray(0, middle), Buffer.from([0x80, 0xe2, 0x82]), bytes.subarray(middle)]);
    }
  }
}

export const textEncoding = fc.constantFrom<TextEncoding>(
  'utf8',
  'utf8',
  'utf8',
  'utf8-bom',
  'utf16le',
  'utf16le-bom',
  'latin1',
  'broken-utf8',
);

/** Bodies of every kind: bytes, text, JSON of any shape, empty, and now and then one far over any size limit. */
export const anyBody: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.string({ unit: 'grapheme', maxLength: 512 }), textEncoding)
      .map(([t, e]) => encodeText(t, e)),
  },
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null', 'utf8')) },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
  { weight: 1, arbitrary: fc.integer({ min: 1_100_000, max: 1_300_000 }).map((n) => Buffer.alloc(n, 0x61)) },
  { weight: 1, arbitrary: fc.constant(Buffer.from(`${'['.repeat(5000)}${']'.repeat(5000)}`)) },
);

/** Headers a client, a proxy or an attacker might add: CloudEvents binary-mode ones included. */
export const noiseHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'ce-specversion',
      'ce-id',
      'ce-source',
      'ce-type',
      'ce-time',
      'ce-data',
      'x-forwarded-for',
      'content-encoding',
      'transfer-encoding',
      'accept',
      'x-okta-verification-challenge',
    ),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
  ),
  fc.string({ maxLength: 200 }),
  { maxKeys: 5 },
);

const recentPast = fc.integer({ min: 1, max: 365 * 86_400 }).map((s) => new Date(Date.now() - s * 1000).toISOString());
const adminName = fc.stringMatching(/^[a-z][a-z0-9._-]{0,30}$/);
const displayName = fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim() !== '');

/** A CloudEvent the contract accepts (docs/CONTRACT.md#events). */
export const validCloudEvent: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    id: fc.stringMatching(/^[A-Za-z0-9-]{1,40}$/),
    source: fc.constantFrom('urn:hr:workday', 'urn:hr:bamboo', 'https://hr.example/feed'),
    time: recentPast,
    target: fc.oneof(
      fc.integer({ min: 2, max: 1_000_000 }).map((id) => ({ admin_user_id: id })),
      adminName.filter((n) => n !== 'owner').map((name) => ({ admin_user_name: name })),
    ),
    change: fc.oneof(
      fc.constant({ type: 'admin.deactivated', data: {} }),
      fc.constant({ type: 'admin.activated', data: {} }),
      fc
        .record({ new_admin_user_name: adminName, admin_user_display_name: fc.option(displayName, { nil: undefined }) })
        .map((d) => ({ type: 'admin.renamed', data: withoutUndefined(d) })),
      fc
        .record(
          { new_admin_user_name: adminName, admin_user_display_name: displayName, admin_user_active: fc.boolean() },
          { requiredKeys: [] },
        )
        .filter((d) => Object.keys(d).length > 0)
        .map((d) => ({ type: 'admin.updated', data: d })),
    ),
  })
  .map(({ id, source, time, target, change }) =>
    cloudEvent({ id, source, type: change.type, time, data: { ...target, ...change.data } }),
  );

function withoutUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface Mutated {
  value: unknown;
  /** Set when the mutation makes the event invalid for certain: an error must name this JSON Pointer (or below). */
  invalidAt?: string;
  what: string;
}

const clone = <T>(v: T): T => structuredClone(v);

/** Mutations that break a CloudEvent for certain, each with where the error must point. */
export function breakingMutation(event: Record<string, unknown>): fc.Arbitrary<Mutated> {
  const data = event.data as Record<string, unknown>;
  const withData = (patch: Record<string, unknown>, drop: string[] = []) => {
    const copy = clone(event);
    const d = { ...(copy.data as Record<string, unknown>), ...patch };
    for (const k of drop) delete d[k];
    copy.data = d;
    return copy;
  };
  const withField = (field: string, value: unknown) => ({ ...clone(event), [field]: value });
  const without = (field: string) => {
    const copy = clone(event);
    delete copy[field];
    return copy;
  };
  const targetField = data.admin_user_id !== undefined ? 'admin_user_id' : 'admin_user_name';
  return fc.oneof(
    fc.constantFrom('id', 'source', 'type', 'time', 'specversion', 'data').map((f) => ({
      value: without(f),
      invalidAt: f === 'data' || f === 'type' ? '' : `/${f}`,
      what: `without ${f}`,
    })),
    fc
      .constantFrom<[string, unknown]>(
        ['id', 42],
        ['id', ''],
        ['source', ''],
        ['specversion', '0.3'],
        ['time', 'yesterday'],
        ['time', '2026-13-45T99:00:00Z'],
        ['time', new Date(Date.now() + 3_600_000).toISOString()],
      )
      .map(([f, v]) => ({ value: withField(f, v), invalidAt: `/${f}`, what: `${f} = ${JSON.stringify(v)}` })),
    fc.constantFrom('admin.deleted', 'admin.Deactivated', '', 'user.lifecycle.deactivate').map((t) => ({
      value: withField('type', t),
      invalidAt: '',
      what: `type ${JSON.stringify(t)}`,
    })),
    fc
      .constantFrom<[Record<string, unknown>, string[]]>(
        [{ surprise: true }, []],
        [{ admin_user_id: 7, admin_user_name: 'both' }, []],
        [{}, ['admin_user_id', 'admin_user_name']],
        [{ [targetField]: targetField === 'admin_user_id' ? -1 : '' }, []],
        [{ [targetField]: targetField === 'admin_user_id' ? 1.5 : 'x'.repeat(50) }, []],
        [{ [targetField]: targetField === 'admin_user_id' ? '12' : 12 }, []],
        [{ account_id: 'main' }, []],
      )
      .map(([patch, drop]) => ({
        value: withData(patch, drop),
        invalidAt: '/data',
        what: `data ${JSON.stringify(patch)} without ${drop.join(',')}`,
      })),
    fc.constant({ value: withField('data', 'jdoe'), invalidAt: '/data', what: 'data is a string' }),
    fc.constant({ value: [event], invalidAt: undefined, what: 'an array where one event belongs' }),
    fc.constant({ value: 'just a string', invalidAt: undefined, what: 'a JSON string' }),
  );
}

/** Random edits anywhere in the JSON: they may keep the event valid, or break it in any way. */
export function randomMutation(value: unknown): fc.Arbitrary<Mutated> {
  return fc
    .tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('replace', 'delete', 'add'))
    .map(([pick, replacement, op]) => {
      const copy = clone(value);
      const slots: { parent: Record<string, unknown>; key: string }[] = [];
      const walk = (node: unknown) => {
        if (node === null || typeof node !== 'object') return;
        for (const key of Object.keys(node as object)) {
          slots.push({ parent: node as Record<string, unknown>, key });
          walk((node as Record<string, unknown>)[key]);
        }
      };
      walk(copy);
      const slot = slots[pick % Math.max(1, slots.length)];
      if (slot === undefined) return { value: replacement, what: 'replaced whole' };
      if (op === 'delete' && !Array.isArray(slot.parent)) delete slot.parent[slot.key];
      else if (op === 'add' && !Array.isArray(slot.parent)) slot.parent[`x${pick % 7}`] = replacement;
      else slot.parent[slot.key] = replacement;
      return { value: copy, what: `${op} ${slot.key}` };
    });
}

/** Byte-level damage to a serialised body: truncation, a flipped byte, an inserted byte. */
export function damagedBytes(text: string): fc.Arbitrary<{ bytes: Buffer; what: string }> {
  const bytes = Buffer.from(text, 'utf8');
  return fc.oneof(
    fc
      .nat({ max: Math.max(0, bytes.length - 1) })
      .map((n) => ({ bytes: bytes.subarray(0, n), what: `truncated at ${n}` })),
    fc.tuple(fc.nat({ max: Math.max(0, bytes.length - 1) }), fc.integer({ min: 0, max: 255 })).map(([at, b]) => {
      const copy = Buffer.from(bytes);
      copy[at] = b;
      return { bytes: copy, what: `byte ${at} = ${b}` };
    }),
    fc.tuple(fc.nat({ max: bytes.length }), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([at, ins]) => ({
      bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from(ins), bytes.subarray(at)]),
      what: `inserted ${ins.length} byte(s) at ${at}`,
    })),
  );
}
