/**
 * Every EMF metric name the bridge emits (namespace VoxAdminBridge, src/observability/metrics.ts), in one place so
 * the dashboard (infra/dashboard.yml), the alarms and the code cannot drift apart: test/infra/dashboard-metrics.test.ts
 * checks that every metric the dashboard shows is named here and emitted by the code.
 */
export const METRIC = {
  // worker: one per change, by outcome (src/worker/process-batch.ts)
  ChangesApplied: 'ChangesApplied',
  ChangesStale: 'ChangesStale',
  ChangesDuplicate: 'ChangesDuplicate',
  ChangesRejected: 'ChangesRejected',
  ChangesRetried: 'ChangesRetried',
  /** Held by the blast-radius guard (worker and SCIM alike). */
  ChangesHeld: 'ChangesHeld',
  VoximplantPermanentFailures: 'VoximplantPermanentFailures',
  DeadLettered: 'DeadLettered',
  InvalidEvents: 'InvalidEvents',
  RecordsNotStarted: 'RecordsNotStarted',
  // Voximplant calls (functions/worker.ts)
  VoximplantRetries: 'VoximplantRetries',
  VoximplantThrottled: 'VoximplantThrottled',
  // ingress (src/ingress/)
  EventsAccepted: 'EventsAccepted',
  EventsRequestRefused: 'EventsRequestRefused',
  EnqueueFailed: 'EnqueueFailed',
  OktaEventQueued: 'OktaEventQueued',
  OktaEventIgnored: 'OktaEventIgnored',
  OktaRequestRefused: 'OktaRequestRefused',
  // SCIM (src/scim/scim-request.ts)
  ScimRequests: 'ScimRequests',
  ScimUnauthorized: 'ScimUnauthorized',
  ScimThrottled: 'ScimThrottled',
  ScimServerErrors: 'ScimServerErrors',
  // rotation (src/rotation/rotation-metrics.ts)
  RotationSucceeded: 'RotationSucceeded',
  RotationFailed: 'RotationFailed',
  // time to offboard and drift: emitted by the offboarding timer and the reconciler
  TimeToOffboardAccepted: 'TimeToOffboardAccepted',
  TimeToOffboardEvent: 'TimeToOffboardEvent',
  DriftFound: 'DriftFound',
  DriftRepaired: 'DriftRepaired',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

export const METRIC_NAMES: readonly MetricName[] = Object.values(METRIC);
