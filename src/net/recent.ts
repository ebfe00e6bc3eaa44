/**
 * The last `limit` records a process keeps of what it did, for a read-only GET endpoint: kept by key so a record
 * can change state in place (a lock offered, then settled), and the oldest dropped first, so the list cannot grow
 * without bound however long the process runs.
 */
export class Recent<T extends object> {
  private readonly records = new Map<string, T>();

  constructor(readonly limit = 200) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Recent: limit ${limit} is not a positive integer`);
  }

  /** Adds the record under `key`, or merges `record` into the one already there (which keeps its place). */
  put(key: string, record: T): void {
    const known = this.records.get(key);
    if (known) return void Object.assign(known, record);
    this.records.set(key, record);
    if (this.records.size > this.limit) this.records.delete(this.records.keys().next().value as string);
  }

  /** Merges `patch` into the record under `key`, if it is still kept. */
  update(key: string, patch: Partial<T>): void {
    const known = this.records.get(key);
    if (known) Object.assign(known, patch);
  }

  /** Oldest first. */
  list(): T[] {
    return [...this.records.values()];
  }
}
