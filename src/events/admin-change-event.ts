import * as z from 'zod';

/**
 * The canonical change (docs/CONTRACT.md#events): a CloudEvents 1.0 event whose `data` names one Voximplant admin user.
 * The field names inside `data` are Voximplant's own, so the mapping to SetAdminUserInfo stays obvious.
 */

// Voximplant: admin_user_name "< 50", admin_user_display_name "< 256" (SetAdminUserInfo and AddAdminUser parameters,
// https://voximplant.com/docs/references/httpapi/adminusers).
export const ADMIN_USER_NAME_MAX = 49;
export const DISPLAY_NAME_MAX = 255;
/** A `time` this far ahead of our clock is a producer bug, not a change that happened (docs/CONTRACT.md#events). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

const adminUserId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const accountId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const adminUserName = z
  .string()
  .min(1)
  .max(ADMIN_USER_NAME_MAX, `must be shorter than ${ADMIN_USER_NAME_MAX + 1} characters`);
const displayName = z
  .string()
  .min(1)
  .max(DISPLAY_NAME_MAX, `must be shorter than ${DISPLAY_NAME_MAX + 1} characters`);

const targetFields = {
  admin_user_id: adminUserId.optional(),
  admin_user_name: adminUserName.optional(),
  account_id: accountId.optional(),
};

function exactlyOneTarget(
  data: { admin_user_id?: number | undefined; admin_user_name?: string | undefined },
  ctx: z.RefinementCtx,
) {
  const hasId = data.admin_user_id !== undefined;
  const hasName = data.admin_user_name !== undefined;
  if (hasId === hasName) {
    ctx.addIssue({
      code: 'custom',
      path: hasId ? ['admin_user_name'] : ['admin_user_id'],
      message: hasId
        ? 'name the admin with exactly one of admin_user_id or admin_user_name, not both'
        : 'name the admin with exactly one of admin_user_id (preferred) or admin_user_name',
    });
  }
}

const toggleData = z.strictObject(targetFields).superRefine(exactlyOneTarget);
const renamedData = z
  .strictObject({
    ...targetFields,
    new_admin_user_name: adminUserName,
    admin_user_display_name: displayName.optional(),
  })
  .superRefine(exactlyOneTarget);
const updatedData = z
  .strictObject({
    ...targetFields,
    new_admin_user_name: adminUserName.optional(),
    admin_user_display_name: displayName.optional(),
    admin_user_active: z.boolean().optional(),
  })
  .superRefine(exactlyOneTarget)
  .superRefine((data, ctx) => {
    if (
      data.new_admin_user_name === undefined &&
      data.admin_user_display_name === undefined &&
      data.admin_user_active === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'admin.updated needs at least one of new_admin_user_name, admin_user_display_name, admin_user_active',
      });
    }
  });

// CloudEvents type system (spec "Type System"): a String may not hold an unpaired surrogate. UTF-8 cannot carry one,
// so two ids differing only there would reach the idempotency key as the same bytes.
const wellFormed = (s: string) => !/\p{Cs}/u.test(s);
const ceString = (max: number) =>
  z.string().min(1).max(max).refine(wellFormed, 'must not contain an unpaired UTF-16 surrogate');

// `subject`, `datacontenttype` and `dataschema` are optional, but when present MUST be non-empty (CloudEvents spec
// "Optional Attributes"); `dataschema` is an absolute URI (RFC 3986 §4.3: it starts with a scheme).
const envelope = {
  specversion: z.literal('1.0'),
  id: ceString(256),
  source: ceString(1024),
  time: z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time, e.g. 2026-11-27T09:15:00Z' }),
  subject: z.string().min(1, 'must not be empty when present').optional(),
  datacontenttype: z.string().min(1, 'must not be empty when present').optional(),
  dataschema: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, 'must be an absolute URI when present')
    .optional(),
};

export const adminChangeEventSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ ...envelope, type: z.literal('admin.deactivated'), data: toggleData }),
    z.object({ ...envelope, type: z.literal('admin.activated'), data: toggleData }),
    z.object({ ...envelope, type: z.literal('admin.renamed'), data: renamedData }),
    z.object({ ...envelope, type: z.literal('admin.updated'), data: updatedData }),
  ],
  { error: 'type must be one of admin.deactivated, admin.activated, admin.renamed, admin.updated' },
);

export type AdminChangeEvent = z.infer<typeof adminChangeEventSchema>;
