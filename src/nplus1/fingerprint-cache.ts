import { analyzeStatement } from '../sql/analyze.js';
import { fingerprint } from '../sql/parser.js';
import { safeStatementText } from '../sql/normalize.js';

const LITERALS = /'(?:[^']|'')*'|(?<![\w$."])-?\d+(?:\.\d+)?\b/g;

export interface Shape {
  readonly fingerprint: string;
  /** Normalized by libpg-query: literals replaced by $n. Safe to print. */
  readonly normalized: string;
  /** A single-table SELECT by key = value, without ORDER BY: what a loop issues once per row. */
  readonly lookup: boolean;
  /** A SELECT that returns a list (not a key lookup): what a loop iterates over. */
  readonly list: boolean;
}

function classify(normalized: string): { lookup: boolean; list: boolean } {
  const parsed = analyzeStatement(normalized);
  if (!parsed.ok || parsed.shape.kind !== 'select') return { lookup: false, list: false };
  const s = parsed.shape;
  const keyed = s.predicates.some((p) => p.op === '=' && (p.operand === 'param' || p.operand === 'const') && !p.inOr);
  const lookup = s.tables.length === 1 && keyed && s.orderBy.length === 0;
  return { lookup, list: !lookup };
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
      // The same normalization as pg_stat_statements texts: a log line's utility statement never reaches a report.
      const safe = safeStatementText(text);
      shape = safe.withheld ? null : { fingerprint: fingerprint(text), normalized: safe.text, ...classify(safe.text) };
    } catch {
      shape = null;
    }
    this.cache.set(key, shape);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    return shape;
  }
}
