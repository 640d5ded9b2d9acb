import type { AttributeVersion } from './ordering-rule';

/**
 * REACTIVATION_SOURCES: who may give access back to an admin that another source deactivated. A source may always
 * undo its own deactivation; any other source must be listed, exactly or by a prefix entry ending in `*`
 * (`urn:okta:*`). The default is an empty list: only the deactivating source can re-activate.
 */
export class ReactivationPolicy {
  private readonly exact: ReadonlySet<string>;
  private readonly prefixes: readonly string[];

  constructor(readonly entries: readonly string[]) {
    this.exact = new Set(entries.filter((e) => !e.endsWith('*')));
    this.prefixes = entries.filter((e) => e.endsWith('*')).map((e) => e.slice(0, -1));
  }

  lists(source: string): boolean {
    return this.exact.has(source) || this.prefixes.some((p) => source.startsWith(p));
  }

  /**
   * Why an activation from `source` is refused, or undefined when it may go ahead. `applied` is the last applied
   * change of `active`. An item written before values were stored has no value: it counts as a deactivation by an
   * unknown source, so only listed sources can re-activate until a newer change of `active` is applied.
   */
  refusal(source: string, applied: AttributeVersion | undefined): string | undefined {
    if (applied === undefined || applied.value === true) return undefined;
    if (applied.source !== undefined && applied.source === source) return undefined;
    if (this.lists(source)) return undefined;
    const by = applied.source === undefined ? 'an unknown source' : `"${applied.source}"`;
    return (
      `the admin was deactivated by ${by}; "${source}" may not re-activate it ` +
      '(REACTIVATION_SOURCES lists the sources that may)'
    );
  }
}
