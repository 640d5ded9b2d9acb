/** At most 100 events and 256 KiB per `/events` request (docs/CONTRACT.md#post-events). */
export const MAX_EVENTS_PER_REQUEST = 100;
export const MAX_EVENTS_BODY_BYTES = 256 * 1024;

/**
 * Okta batches several System Log events in one delivery and does not retry a 4xx
 * (https://developer.okta.com/docs/concepts/event-hooks/), so a 413 would lose them for good. Its bodies are allowed to
 * be larger than ours (API Gateway itself stops at 10 MB).
 */
export const MAX_OKTA_BODY_BYTES = 1024 * 1024;
