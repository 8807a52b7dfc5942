import { LRUCache } from 'lru-cache';

/** What lru-cache takes as a key or a value: anything but null and undefined. */
type Some = NonNullable<unknown>;

/** How one named cache is doing since the process started (or since it was made). */
export interface CacheStats {
  name: string;
  size: number;
  max: number;
  hits: number;
  misses: number;
  /** hits / (hits + misses); null before the first lookup. */
  hitRate: number | null;
}

export interface NamedCacheOptions {
  /** The most entries kept; the least recently used goes first. */
  max: number;
  /** Milliseconds an entry is kept after it is set (none: until it is pushed out). */
  ttl?: number;
  /** The clock the TTL is measured on (`performance` by default); given, it is read at every check. */
  perf?: { now(): number };
}

/**
 * An LRU cache with a name whose lookups are counted: `get` and `has` are lru-cache's own plus one
 * integer increment, a hit when they find a value, a miss when they do not.
 */
export class NamedCache<K extends Some, V extends Some> extends LRUCache<K, V> {
  hits = 0;
  misses = 0;

  constructor(
    readonly cacheName: string,
    { max, ttl, perf }: NamedCacheOptions,
  ) {
    super({ max, ...(ttl !== undefined ? { ttl } : {}), ...(perf ? { perf, ttlResolution: 0 } : {}) });
  }

  override get(key: K, options?: LRUCache.GetOptions<K, V, unknown>): V | undefined {
    const value = super.get(key, options);
    if (value === undefined) this.misses++;
    else this.hits++;
    return value;
  }

  override has(key: K, options?: LRUCache.HasOptions<K, V, unknown>): boolean {
    const found = super.has(key, options);
    if (found) this.hits++;
    else this.misses++;
    return found;
  }

  /**
   * The value just found could not be used by the caller's own rule (an answer past its instant, a
   * template of other rules): counted as a miss, not a hit.
   */
  unusable(): void {
    this.hits--;
    this.misses++;
  }

  stats(): CacheStats {
    const lookups = this.hits + this.misses;
    return { name: this.cacheName, size: this.size, max: this.max, hits: this.hits, misses: this.misses, hitRate: lookups === 0 ? null : this.hits / lookups };
  }
}

/** Every named cache, by name; a cache made again under a name (a new app instance's) replaces the old. */
const registry = new Map<string, NamedCache<Some, Some>>();

/** A new LRU cache registered under `name`, whose hit rate `cacheStats()` reports. */
export function namedCache<K extends Some, V extends Some>(name: string, options: NamedCacheOptions): NamedCache<K, V> {
  const cache = new NamedCache<K, V>(name, options);
  registry.set(name, cache as unknown as NamedCache<Some, Some>);
  return cache;
}

/** Each registered cache's size, limit, hits, misses and hit rate, in the order they were first made. */
export function cacheStats(): CacheStats[] {
  return [...registry.values()].map((cache) => cache.stats());
}
