import type { EventPlan } from './plan-event';

/** A plan as a person reads it: each request as method + URL, headers, then one form field per line. */
export function formatPlans(plans: readonly EventPlan[]): string {
  const out: string[] = [];
  plans.forEach((plan, i) => {
    const heading = plans.length > 1 ? `Event ${i + 1} of ${plans.length}: ` : 'Event ';
    out.push(`${heading}${plan.event_id} (${plan.type}) from ${plan.source}`);
    out.push(`  idempotency key   ${plan.idempotency_key}`);
    out.push(`  message group     ${plan.message_group_id}`);
    out.push(`  ordering time     ${plan.ordering_time} (its time, capped by acceptance)`);
    if (plan.refused !== undefined) {
      out.push(`  REFUSED: ${plan.refused}`);
    }
    plan.requests.forEach((request, n) => {
      out.push('');
      out.push(`  ${n + 1}. POST ${request.url}`);
      for (const [name, value] of Object.entries(request.headers)) out.push(`     ${name}: ${value}`);
      out.push('     form:');
      for (const [name, value] of Object.entries(request.form)) out.push(`       ${name}=${value}`);
      out.push(`     (${request.note})`);
    });
    out.push('');
  });
  return out.join('\n').trimEnd();
}
