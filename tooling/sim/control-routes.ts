import * as z from 'zod';
import { parseFaultSpec } from './faults';
import type { Simulator } from './types';

export interface ControlAnswer {
  status: number;
  body: unknown;
}

/**
 * The `/__sim/*` routes (docs/CONTRACT.md#simulator): test and CLI control over HTTP, for tests in other processes and
 * users' own CI. They need no authentication: the simulator is a local test double that binds to 127.0.0.1 by default,
 * and it must never be exposed where the real API's secrets would matter.
 */
/** `POST /__sim/admins/<id>`: a change by hand, as in the control panel (simulator.ts editAdmin). */
const adminEditSchema = z
  .object({
    account_id: z.number().int().positive().optional(),
    admin_user_active: z.boolean().optional(),
    admin_user_display_name: z.string().max(255).optional(),
  })
  .strict();

export function handleControlRoute(httpMethod: string, url: URL, body: Buffer, sim: Simulator): ControlAnswer {
  const route = `${httpMethod} ${url.pathname.replace(/\/+$/, '')}`;
  const edit = /^POST \/__sim\/admins\/(\d+)$/.exec(route);
  if (edit !== null) {
    const input = adminEditSchema.safeParse(parseJson(body));
    if (!input.success) {
      return problem(
        400,
        'the body must be {"admin_user_active"?: boolean, "admin_user_display_name"?: string, "account_id"?: number}',
      );
    }
    const { account_id, ...change } = input.data;
    try {
      return { status: 200, body: sim.editAdmin(account_id, Number(edit[1]), change) };
    } catch (error) {
      return problem(404, (error as Error).message);
    }
  }
  switch (route) {
    case 'GET /__sim/admins': {
      const raw = url.searchParams.get('account_id');
      const accountId = raw === null ? undefined : Number(raw);
      if (accountId !== undefined && !Number.isSafeInteger(accountId))
        return problem(400, 'account_id must be an integer');
      try {
        return { status: 200, body: sim.admins(accountId) };
      } catch (error) {
        return problem(404, (error as Error).message);
      }
    }
    case 'GET /__sim/calls':
      return { status: 200, body: sim.calls() };
    case 'POST /__sim/faults': {
      const input = parseJson(body);
      if (input === undefined) return problem(400, 'the body must be a JSON fault or array of faults');
      const list = Array.isArray(input) ? input : [input];
      try {
        // Every fault is checked before any is queued, so a bad array queues nothing.
        const faults = list.map(parseFaultSpec);
        for (const f of faults) sim.queueFault(f);
        return { status: 200, body: { queued: faults.length } };
      } catch (error) {
        return problem(400, (error as Error).message);
      }
    }
    case 'POST /__sim/reset':
      sim.reset();
      return { status: 200, body: { reset: true } };
    case 'POST /__sim/rate-limit': {
      const input = parseJson(body) as { per_second?: unknown } | undefined;
      const perSecond = input?.per_second;
      if (perSecond !== null && typeof perSecond !== 'number') {
        return problem(400, 'the body must be {"per_second": <number> | null}');
      }
      try {
        sim.setRateLimit(perSecond ?? undefined);
        return { status: 200, body: { per_second: perSecond } };
      } catch (error) {
        return problem(400, (error as Error).message);
      }
    }
    // The service-account key of a local simulator, so a process that did not start it (the CLI, a test in
    // another language) can sign requests. A real deployment's key never travels like this.
    case 'GET /__sim/credentials':
      return { status: 200, body: sim.credentials() };
    default:
      return problem(404, `no control route ${route}`);
  }
}

function problem(status: number, message: string): ControlAnswer {
  return { status, body: { error: message } };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
