/**
 * Every query pgrescue sends ends with this comment. pg_stat_statements keeps it in the stored text (a leading
 * comment is trimmed away by PostgreSQL 17+), so a later scan can leave pgrescue's own catalog and EXPLAIN
 * queries out of the workload.
 */
export const QUERY_MARKER = '/* pgrescue */';

export function marked(sql: string): string {
  return `${sql}\n${QUERY_MARKER}`;
}
