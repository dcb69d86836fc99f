/**
 * Insertion-ordered map that forgets its oldest entries past a count (and optionally a
 * total weight, e.g. bytes). Serves both as the "recent records" list and as a lookup.
 */
export class CappedMap<K, V> {
  private readonly map = new Map<K, { value: V; weight: number }>();
  private weight = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  set(key: K, value: V, weight = 0): void {
    const old = this.map.get(key);
    if (old) {
      this.weight -= old.weight;
      this.map.delete(key);
    }
    this.map.set(key, { value, weight });
    this.weight += weight;
    while (this.map.size > this.maxEntries || (this.weight > this.maxWeight && this.map.size > 1)) {
      const oldest = this.map.keys().next().value as K;
      this.weight -= this.map.get(oldest)!.weight;
      this.map.delete(oldest);
    }
  }

  clear(): void {
    this.map.clear();
    this.weight = 0;
  }

  /** Newest first, filtered, at most `limit`. */
  latest(limit: number, filter?: (v: V) => boolean): V[] {
    const all = [...this.map.values()];
    const out: V[] = [];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const v = all[i].value;
      if (!filter || filter(v)) out.push(v);
    }
    return out;
  }
}
