import { type ScimRecord, ScimRecordConflictError, type ScimRecordStore } from '../../../src/state/scim-records';

/** A copy through JSON, as the table stores `attributes`: what is read back never aliases what was written. */
const copy = (record: ScimRecord): ScimRecord => JSON.parse(JSON.stringify(record)) as ScimRecord;

/** One account's SCIM records in a Map, with the table's conditions: create where none is live, writes at a version. */
export class MemoryScimRecordStore implements ScimRecordStore {
  readonly records = new Map<number, ScimRecord>();

  async get(adminUserId: number): Promise<ScimRecord | undefined> {
    const record = this.records.get(adminUserId);
    return record === undefined ? undefined : copy(record);
  }

  async list(): Promise<ScimRecord[]> {
    return [...this.records.values()].map(copy).sort((a, b) => a.adminUserId - b.adminUserId);
  }

  async create(record: Omit<ScimRecord, 'version' | 'deletedAt'>): Promise<ScimRecord> {
    const existing = this.records.get(record.adminUserId);
    if (existing !== undefined && existing.deletedAt === undefined) {
      throw new ScimRecordConflictError(`admin ${record.adminUserId} already has a live SCIM record`);
    }
    const stored: ScimRecord = { ...copy(record as ScimRecord), version: 1 };
    this.records.set(record.adminUserId, stored);
    return copy(stored);
  }

  async update(
    record: ScimRecord,
    change: { attributes: Record<string, unknown>; lastModified: string },
  ): Promise<ScimRecord> {
    this.liveAt(record);
    const next: ScimRecord = {
      adminUserId: record.adminUserId,
      attributes: change.attributes,
      created: record.created,
      lastModified: change.lastModified,
      version: record.version + 1,
    };
    this.records.set(record.adminUserId, copy(next));
    return next;
  }

  async tombstone(record: ScimRecord, at: string): Promise<void> {
    const stored = this.liveAt(record);
    this.records.set(record.adminUserId, { ...stored, deletedAt: at, lastModified: at, version: record.version + 1 });
  }

  async remove(adminUserId: number): Promise<void> {
    this.records.delete(adminUserId);
  }

  /** The stored record, when it is still live at the version that was read; otherwise the write loses. */
  private liveAt(record: ScimRecord): ScimRecord {
    const stored = this.records.get(record.adminUserId);
    if (stored === undefined || stored.deletedAt !== undefined || stored.version !== record.version) {
      throw new ScimRecordConflictError(`the SCIM record of admin ${record.adminUserId} changed meanwhile`);
    }
    return stored;
  }
}
