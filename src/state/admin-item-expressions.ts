import type { AdminAttribute } from '../events/admin-change';
import type { OrderedChange } from '../ordering/ordering-rule';
import { eventAttr, PENDING_FIELDS, pendingAttr, sourceAttr, storedValue, timeAttr, valueAttr } from './admin-item';

/**
 * DynamoDB expressions over the admin item, with placeholders for every name and value (attribute names such as
 * `name` are reserved words). One builder per request, so placeholders never collide across its parts.
 */
export class AdminItemExpressions {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private readonly nameOf = new Map<string, string>();
  private valueCount = 0;

  name(attribute: string): string {
    let placeholder = this.nameOf.get(attribute);
    if (placeholder === undefined) {
      placeholder = `#n${this.nameOf.size}`;
      this.nameOf.set(attribute, placeholder);
      this.names[placeholder] = attribute;
    }
    return placeholder;
  }

  value(v: unknown): string {
    const placeholder = `:v${this.valueCount++}`;
    this.values[placeholder] = v;
    return placeholder;
  }

  /**
   * The ordering rule (src/ordering/ordering-rule.ts `isStale`) as a condition: true when `change` is not stale for
   * `a` against the version stored under `names` (the applied version, or a pending mark). No version, an older one,
   * an equal time (except that an activation ties only with an applied activation: a deactivation wins a tie), or
   * the very same change again (same event id and source).
   */
  notStale(
    a: AdminAttribute,
    change: OrderedChange,
    names: { time: string; event: string; source: string; value: string },
  ): string {
    // DynamoDB refuses a placeholder the expressions do not use, so each is made where it is used.
    const [t, e, s] = [this.name(names.time), this.name(names.event), this.name(names.source)];
    const time = this.value(change.timeMs);
    const same = `(${e} = ${this.value(change.eventId)} AND (attribute_not_exists(${s}) OR ${s} = ${this.value(change.source)}))`;
    const tie =
      a === 'active' && change.set.active === true
        ? `(${t} = ${time} AND ${this.name(names.value)} = ${this.value(true)})`
        : `${t} = ${time}`;
    return `(attribute_not_exists(${t}) OR ${t} < ${time} OR ${tie} OR ${same})`;
  }

  /** Not stale against the applied version of `a`. */
  notStaleApplied(a: AdminAttribute, change: OrderedChange): string {
    return this.notStale(a, change, {
      time: timeAttr(a),
      event: eventAttr(a),
      source: sourceAttr(a),
      value: valueAttr(a),
    });
  }

  /**
   * No pending mark of `a` holds this change back: none, one marked before `cutoffMs` (its holder gave up long
   * ago), or one this change is not stale against.
   */
  pendingAllows(a: AdminAttribute, change: OrderedChange, cutoffMs: number): string {
    const marked = this.name(pendingAttr(a, 'marked_at'));
    const notStale = this.notStale(a, change, {
      time: pendingAttr(a, 'time_ms'),
      event: pendingAttr(a, 'event_id'),
      source: pendingAttr(a, 'source'),
      value: pendingAttr(a, 'value'),
    });
    return `(attribute_not_exists(${marked}) OR ${marked} < ${this.value(cutoffMs)} OR ${notStale})`;
  }

  /** `SET` clauses storing `change` as the applied version of `a`. */
  setVersion(a: AdminAttribute, change: OrderedChange): string[] {
    const sets = [
      `${this.name(timeAttr(a))} = ${this.value(change.timeMs)}`,
      `${this.name(eventAttr(a))} = ${this.value(change.eventId)}`,
      `${this.name(sourceAttr(a))} = ${this.value(change.source)}`,
    ];
    const value = storedValue(a, change);
    if (value !== undefined) sets.push(`${this.name(valueAttr(a))} = ${this.value(value)}`);
    return sets;
  }

  /** `SET` clauses marking `change` as sent for `a` with its outcome unknown. */
  setPending(a: AdminAttribute, change: OrderedChange, nowMs: number): string[] {
    const sets = [
      `${this.name(pendingAttr(a, 'time_ms'))} = ${this.value(change.timeMs)}`,
      `${this.name(pendingAttr(a, 'event_id'))} = ${this.value(change.eventId)}`,
      `${this.name(pendingAttr(a, 'source'))} = ${this.value(change.source)}`,
      `${this.name(pendingAttr(a, 'marked_at'))} = ${this.value(nowMs)}`,
    ];
    const value = storedValue(a, change);
    if (value !== undefined) sets.push(`${this.name(pendingAttr(a, 'value'))} = ${this.value(value)}`);
    return sets;
  }

  /** Attribute placeholders to `REMOVE` for the pending mark of `a`. */
  removePending(a: AdminAttribute): string[] {
    return PENDING_FIELDS.map((f) => this.name(pendingAttr(a, f)));
  }
}
