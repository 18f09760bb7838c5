import type { CollectContext } from './context.js';
import { num } from './context.js';
import type { Column, Table } from '../model/snapshot.js';

interface TableRow {
  oid: number;
  schema: string;
  name: string;
  relkind: string;
  is_partition: boolean;
  owner: string;
  rls: boolean;
  force_rls: boolean;
  reltuples: string;
  heap_bytes: string;
  total_bytes: string;
  seq_scan: string | null;
  seq_tup_read: string | null;
  idx_scan: string | null;
  n_tup_ins: string | null;
  n_tup_upd: string | null;
  n_tup_hot_upd: string | null;
  n_tup_del: string | null;
  n_live_tup: string | null;
  n_dead_tup: string | null;
}

interface ColumnRow {
  table_oid: number;
  name: string;
  attnum: number;
  type: string;
  type_category: string;
  not_null: boolean;
  default: string | null;
  identity: string;
  generated: string;
}

/** Ordinary and partitioned tables with owner, RLS flags, size, row estimate, columns and usage statistics. */
export async function collectTables(ctx: CollectContext): Promise<Table[]> {
  const tables = await ctx.session.query<TableRow>(
    `
    SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
           c.relispartition AS is_partition, pg_get_userbyid(c.relowner) AS owner,
           c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls,
           c.reltuples::float8 AS reltuples,
           -- Sizes come from relpages (kept by VACUUM, ANALYZE and CREATE INDEX: no file access, so 2,000 tables
           -- cost no 2,000 stat calls); only a heap the catalog calls empty is measured, so an empty table is known
           -- for certain. A relation another session locks is never measured.
           h.heap_bytes,
           h.heap_bytes + (coalesce(tc.relpages, 0) + coalesce(ix.pages, 0))::bigint * current_setting('block_size')::bigint AS total_bytes,
           -- The statistics functions pg_stat_all_tables is made of, called for these tables only (the view
           -- aggregates every index of the database first).
           pg_stat_get_numscans(c.oid) AS seq_scan, pg_stat_get_tuples_returned(c.oid) AS seq_tup_read, ix.idx_scan,
           pg_stat_get_tuples_inserted(c.oid) AS n_tup_ins, pg_stat_get_tuples_updated(c.oid) AS n_tup_upd, pg_stat_get_tuples_hot_updated(c.oid) AS n_tup_hot_upd,
           pg_stat_get_tuples_deleted(c.oid) AS n_tup_del, pg_stat_get_live_tuples(c.oid) AS n_live_tup,
           pg_stat_get_dead_tuples(c.oid) AS n_dead_tup
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL (SELECT CASE WHEN c.relpages > 0 OR c.oid = ANY($2::oid[]) OR c.relkind = 'p'
                                    THEN c.relpages::bigint * current_setting('block_size')::bigint
                                    ELSE pg_relation_size(c.oid) END AS heap_bytes) h
    LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid
    LEFT JOIN (SELECT i.indrelid, sum(ic.relpages) AS pages, sum(pg_stat_get_numscans(i.indexrelid)) AS idx_scan
               FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid GROUP BY i.indrelid) ix ON ix.indrelid = c.oid
    WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    ORDER BY n.nspname, c.relname`,
    [ctx.schemas, [...ctx.locked]],
  );
  const columns = await ctx.session.query<ColumnRow>(
    `
    SELECT a.attrelid::int AS table_oid, a.attname AS name, a.attnum::int AS attnum,
           format_type(a.atttypid, a.atttypmod) AS type, t.typcategory::text AS type_category,
           a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default,
           a.attidentity::text AS identity, a.attgenerated::text AS generated
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[]) AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attrelid, a.attnum`,
    [ctx.schemas],
  );
  const byTable = new Map<number, Column[]>();
  for (const c of columns) {
    const list = byTable.get(c.table_oid) ?? [];
    list.push({
      name: c.name,
      attnum: c.attnum,
      type: c.type,
      typeCategory: c.type_category,
      notNull: c.not_null,
      default: c.default,
      identity: c.identity === 'a' ? 'always' : c.identity === 'd' ? 'by default' : null,
      generated: c.generated !== '' && c.generated !== undefined && c.generated !== null,
    });
    byTable.set(c.table_oid, list);
  }
  return tables.map((t) => ({
    schema: t.schema,
    name: t.name,
    oid: t.oid,
    kind: t.relkind === 'p' ? 'partitioned' : 'table',
    isPartition: t.is_partition,
    owner: t.owner,
    rlsEnabled: t.rls,
    rlsForced: t.force_rls,
    // reltuples is -1 for a never-analyzed table (PG14+); fall back to live tuples.
    rowEstimate: num(t.reltuples) >= 0 ? Math.round(num(t.reltuples)) : num(t.n_live_tup),
    ...(num(t.reltuples) < 0 ? { neverAnalyzed: true } : {}),
    totalBytes: num(t.total_bytes),
    heapBytes: num(t.heap_bytes),
    columns: byTable.get(t.oid) ?? [],
    stats: {
      seqScan: num(t.seq_scan),
      seqTupRead: num(t.seq_tup_read),
      idxScan: num(t.idx_scan),
      nTupIns: num(t.n_tup_ins),
      nTupUpd: num(t.n_tup_upd),
      nTupHotUpd: num(t.n_tup_hot_upd),
      nTupDel: num(t.n_tup_del),
      nLiveTup: num(t.n_live_tup),
      nDeadTup: num(t.n_dead_tup),
    },
  }));
}
