/**
 * The one CloudEvent builder for tests: a structured-mode admin change event (CloudEvents 1.0 JSON format,
 * https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md) that passes validation as it
 * stands; a test overrides only the attributes it is about. The defaults are fixed so assertions can name them.
 */
export interface CloudEventFields {
  specversion?: string;
  id?: string;
  source?: string;
  type?: string;
  time?: string;
  data?: Record<string, unknown>;
  [attribute: string]: unknown;
}

export interface CloudEvent extends CloudEventFields {
  specversion: string;
  id: string;
  source: string;
  type: string;
  time: string;
  data: Record<string, unknown>;
}

export const EVENT_DEFAULTS = {
  specversion: '1.0',
  id: 'evt-1',
  source: 'urn:hr:workday',
  type: 'admin.deactivated',
  time: '2026-11-27T09:15:00Z',
  data: { admin_user_name: 'jdoe' },
} as const;

export function cloudEvent(fields: CloudEventFields = {}): CloudEvent {
  return { ...EVENT_DEFAULTS, ...fields };
}

let counter = 0;

/** An event id no other event in this process carries (tests that share a state table need distinct keys). */
export function uniqueEventId(): string {
  counter += 1;
  return `evt-${process.pid}-${Date.now()}-${counter}`;
}

/** An ISO `time` so many minutes before now (negative: in the future). */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}
