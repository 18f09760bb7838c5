import type { Snapshot } from '../../src/model/snapshot.js';

/** Every defect the hygiene rules fix, in a non-public schema with names that need quoting. */
export const DEFECTS = `
CREATE SCHEMA "Billing Ops";
SET search_path = "Billing Ops";
CREATE TABLE "Members" (id bigint PRIMARY KEY, "E-mail" text NOT NULL, "naïve" text);
CREATE TABLE "order" ("Member Id" bigint REFERENCES "Members"(id), "user" text, note text);
CREATE INDEX "Dup A" ON "Members" ("E-mail");
CREATE INDEX "Dup B" ON "Members" ("E-mail");
CREATE INDEX "Members_naïve" ON "Members" ("naïve");
CREATE INDEX "Members_naïve_email" ON "Members" ("naïve", "E-mail");
CREATE TABLE "select" (code text NOT NULL, label text);
CREATE UNIQUE INDEX "select code" ON "select" (code);
CREATE TABLE "cafés" (id integer, "crème" text);
CREATE TABLE tickets (id serial PRIMARY KEY, "order ref" integer);
CREATE TABLE ticket_links (ticket_id integer REFERENCES tickets(id));
CREATE INDEX ON ticket_links (ticket_id);
INSERT INTO "Members" SELECT g, 'm' || g || '@x.io', 'n' || g FROM generate_series(1, 200) g;
INSERT INTO "order" SELECT 1 + g % 200, 'u', 'n' FROM generate_series(1, 500) g;
INSERT INTO "select" VALUES ('a', 'A'), ('b', 'B');
INSERT INTO "cafés" SELECT g, 'c' FROM generate_series(1, 50) g;
INSERT INTO "cafés" ("crème") VALUES ('no id yet');
INSERT INTO tickets ("order ref") VALUES (1);
SELECT setval('tickets_id_seq', 2000000000);
CREATE TABLE "Audit Log" (at timestamptz DEFAULT now(), what text);
INSERT INTO "Audit Log" (what) SELECT 'x' FROM generate_series(1, 30);
-- A uuid id that nothing fills: the key must be generated as a uuid, not from a bigint sequence.
CREATE TABLE "Sessions" (id uuid, note text);
INSERT INTO "Sessions" SELECT gen_random_uuid(), 's' FROM generate_series(1, 20);
INSERT INTO "Sessions" (note) VALUES ('no id yet');
CREATE TABLE broken (id bigint PRIMARY KEY, email text);
INSERT INTO broken VALUES (1, 'a'), (2, 'a');
RESET search_path;
`;

/**
 * The schema as a comparable value: tables, columns, indexes, constraints, sequences; no statistics.
 * INVALID indexes are left out: the down of dropping one does not rebuild a broken index, on purpose.
 */
export function shapeOf(snap: Snapshot): unknown {
  return {
    tables: snap.tables.map((t) => ({ name: `${t.schema}.${t.name}`, columns: t.columns.map((c) => [c.name, c.type, c.notNull, c.default]) })),
    indexes: snap.indexes.filter((i) => i.valid).map((i) => [i.schema, i.name, i.definition]).sort(),
    constraints: snap.constraints.map((c) => [c.schema, c.table, c.name, c.definition, c.validated]).sort(),
    sequences: snap.sequences.map((s) => [s.schema, s.name, s.dataType, s.maxValue]).sort(),
  };
}

export const RULES = ['unindexed-foreign-key', 'duplicate-index', 'redundant-index', 'invalid-index', 'missing-primary-key', 'sequence-overflow'];
