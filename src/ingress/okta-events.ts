import * as z from 'zod';
import type { Config } from '../config';
import type { AdminChangeEvent } from '../events/admin-change-event';
import { parseAdminChangeEvent } from '../events/parse-admin-change-event';
import type { FieldError } from '../events/validation-error';
import { fieldErrorsFromZod } from '../events/validation-error';

/**
 * Okta Event Hook deliveries → our CloudEvents (docs/CONTRACT.md#okta-hook). An Okta delivery is an envelope
 * (`eventType: com.okta.event_hook`, `source` = the hook's URL on the org) whose `data.events[]` are System Log
 * events: `{uuid, eventType, published, outcome:{result}, target:[{id, type:'User', alternateId (login), ...}]}`
 * (https://developer.okta.com/docs/concepts/event-hooks/).
 */
export const OKTA_EVENT_TYPES: Readonly<Record<string, 'admin.deactivated' | 'admin.activated'>> = {
  'user.lifecycle.deactivate': 'admin.deactivated',
  'user.lifecycle.suspend': 'admin.deactivated',
  'user.lifecycle.activate': 'admin.activated',
  'user.lifecycle.reactivate': 'admin.activated',
  'user.lifecycle.unsuspend': 'admin.activated',
};

export type OktaNameFrom = Config['OKTA_NAME_FROM'];

const envelopeSchema = z.looseObject({
  source: z.string().optional(),
  data: z.looseObject({ events: z.array(z.unknown()) }),
});

const oktaEventSchema = z.looseObject({
  uuid: z.string().min(1),
  eventType: z.string().min(1),
  published: z.string().min(1),
  outcome: z.looseObject({ result: z.string().optional() }).nullish(),
  target: z
    .array(
      z.looseObject({ type: z.string().optional(), id: z.string().optional(), alternateId: z.string().optional() }),
    )
    .nullish(),
});

export type OktaEventOutcome =
  | { kind: 'mapped'; uuid: string; oktaType: string; event: AdminChangeEvent; cloudEvent: Record<string, unknown> }
  | { kind: 'ignored'; index: number; uuid?: string; oktaType?: string; reason: string; errors?: FieldError[] };

export type OktaDeliveryResult = { ok: true; outcomes: OktaEventOutcome[] } | { ok: false; errors: FieldError[] };

/**
 * `urn:okta:<org host>` from the envelope's `source` (`https://acme.okta.com/api/v1/eventHooks/who…`). The host and
 * not the whole URL: the same System Log event delivered through two hooks of one org has one uuid and must get
 * one idempotency key. Without a usable source the org is unknown, and `urn:okta:unknown` is still stable.
 */
export function oktaSource(envelopeSource: string | undefined): string {
  if (envelopeSource !== undefined) {
    try {
      const host = new URL(envelopeSource).host.toLowerCase();
      if (host !== '') return `urn:okta:${host}`;
    } catch {
      // not a URL: fall through
    }
  }
  return 'urn:okta:unknown';
}

/** OKTA_NAME_FROM: `local-part` of the login (`jdoe@corp.com` → `jdoe`; a login without `@` is kept), or the `login`. */
export function adminNameFromLogin(login: string, nameFrom: OktaNameFrom): string {
  if (nameFrom === 'login') return login;
  const at = login.lastIndexOf('@');
  return at === -1 ? login : login.slice(0, at);
}

export function mapOktaDelivery(body: unknown, options: { nameFrom: OktaNameFrom; now: number }): OktaDeliveryResult {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, errors: fieldErrorsFromZod(envelope.error) };
  const source = oktaSource(envelope.data.source);
  const outcomes = envelope.data.data.events.map((raw, index) => mapOne(raw, index, source, options));
  return { ok: true, outcomes };
}

function mapOne(
  raw: unknown,
  index: number,
  source: string,
  options: { nameFrom: OktaNameFrom; now: number },
): OktaEventOutcome {
  const parsed = oktaEventSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      kind: 'ignored',
      index,
      reason: 'not a System Log event (uuid, eventType, published)',
      errors: fieldErrorsFromZod(parsed.error, `/data/events/${index}`),
    };
  }
  const { uuid, eventType, published, outcome, target } = parsed.data;
  const base = { kind: 'ignored' as const, index, uuid, oktaType: eventType };
  const type = OKTA_EVENT_TYPES[eventType];
  if (type === undefined) return { ...base, reason: 'event type is not mapped' };
  // A System Log entry with outcome FAILURE records an attempt that did not happen in Okta; applying it would
  // deactivate someone Okta kept active.
  const result = outcome?.result;
  if (result !== undefined && result !== 'SUCCESS') return { ...base, reason: `outcome is ${result}, not SUCCESS` };
  const user = (target ?? []).find((t) => t.type === 'User' && typeof t.alternateId === 'string');
  if (user?.alternateId === undefined) return { ...base, reason: 'no User target with an alternateId (login)' };

  // `time` is Okta's `published`. Like every sender's time it never outranks our clock: the worker orders the change
  // by the earlier of it and the hook's `accepted_at`, so a future `published` counts as the moment of acceptance.
  // It is kept (rather than replaced by the acceptance time) because Okta re-sends a delivery it timed out on with
  // the same uuid and `published`: the resend then carries the same change and SQS deduplicates it, and an older
  // event re-sent late still orders as older.
  const cloudEvent: Record<string, unknown> = {
    specversion: '1.0',
    id: uuid,
    source,
    type,
    time: published,
    ...(user.id !== undefined && { subject: user.id }),
    data: { admin_user_name: adminNameFromLogin(user.alternateId, options.nameFrom) },
  };
  const checked = parseAdminChangeEvent(cloudEvent, options.now);
  if (!checked.ok) {
    return { ...base, reason: 'the mapped event fails the CloudEvent schema', errors: checked.errors };
  }
  return { kind: 'mapped', uuid, oktaType: eventType, event: checked.event, cloudEvent };
}
