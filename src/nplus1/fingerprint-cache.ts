import { normalizeSync } from 'libpg-query';
import { fingerprint } from '../sql/parser.js';

const LITERALS = /'(?:[^']|'')*'|(?<![\w$."])-?\d+(?:\.\d+)?\b/g;

export interface Shape {
  readonly fingerprint: string;
  /** Normalized by libpg-query: literals replaced by $n. Safe to print. */
  readonly normalized: string;
}

/**
 * Fingerprints for a stream of statement texts. Parsing is the slow part (~30k/s), so texts are first reduced to a
 * cheap key (literals blanked) and each key is parsed once; the cache is bounded (least recently used evicted).
 */
export class FingerprintCache {
  private readonly cache = new Map<string, Shape | null>();
  /** Exact texts seen (extended protocol repeats the same text): skips the literal-blanking regex. */
  private readonly exact = new Map<string, Shape | null>();

  constructor(private readonly capacity = 20_000) {}

  get(text: string): Shape | null {
    const known = this.exact.get(text);
    if (known !== undefined) return known;
    const shape = this.byKey(text);
    this.exact.set(text, shape);
    if (this.exact.size > this.capacity) this.exact.delete(this.exact.keys().next().value as string);
    return shape;
  }

  private byKey(text: string): Shape | null {
    const key = text.length > 2000 ? text.slice(0, 2000) : text.replace(LITERALS, '?');
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    let shape: Shape | null;
    try {
      shape = { fingerprint: fingerprint(text), normalized: normalizeSync(text) };
    } catch {
      shape = null;
    }
    this.cache.set(key, shape);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    return shape;
  }
}
