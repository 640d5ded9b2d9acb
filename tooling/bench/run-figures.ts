/** What one benchmark run measured: one implementation, one latency, one container processing every event. */
export interface RunFigures {
  implementation: 'worker' | 'naive';
  latencyMs: number;
  events: number;
  wallMs: number;
  cpuMs: number;
  voximplantCalls: number;
  secretsCalls: number;
  dynamoCalls: number;
  jwtSigns: number;
  /** Records that did not end applied (batch item failures, dead letters, or a thrown naive batch). */
  failures: number;
}
