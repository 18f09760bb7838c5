// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import React from 'react';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import type { ProgressEvent } from '../../src/collect/collect-snapshot.js';
import type { Report } from '../../src/model/report.js';
import { App } from '../../src/tui/app.js';
import type { Collection } from '../../src/tui/app.js';
import { theme } from '../../src/tui/theme.js';
import { nextFilter, NO_FILTER, visibleFindings, windowAround } from '../../src/tui/view-model.js';
import { databaseWith, execSql, useEmbeddedServer } from '../harness/server.js';
import { scanDatabase } from '../harness/scan.js';

const SCHEMA = `
CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE memberships (id bigint PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id), status text NOT NULL);
CREATE TABLE payments (id bigint PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id), amount double precision);
INSERT INTO members SELECT g, 'm' || g FROM generate_series(1, 3000) g;
INSERT INTO memberships SELECT g, 1 + g % 3000, 'active' FROM generate_series(1, 6000) g;
INSERT INTO payments SELECT g, 1 + g % 3000, 9.99 FROM generate_series(1, 6000) g;
`;

const tick = (ms = 100): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wait (up to 3 s) until the frame matches: rendering is asynchronous. */
async function frameMatching(ui: { lastFrame: () => string | undefined }, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 150; i++) {
    const frame = ui.lastFrame() ?? '';
    if (pattern.test(frame)) return frame;
    await tick(20);
  }
  return ui.lastFrame() ?? '';
}

function collectionOf(report: Report, events: ProgressEvent[] = []): Collection {
  return {
    target: 'postgres://app@db/community',
    report: Promise.resolve(report),
    subscribe(listener) {
      for (const e of events) listener(e);
      return () => undefined;
    },
  };
}

describe('TUI screens (ink-testing-library, report from a real server)', () => {
  const server = useEmbeddedServer();
  let report: Report;
  before(async () => {
    const url = await databaseWith(server(), SCHEMA, 'tui');
    for (let i = 1; i <= 10; i++) await execSql(url, 'SELECT id FROM memberships WHERE member_id = $1', [i]);
    report = await scanDatabase(url);
  });

  it('1. shows collection progress with counts, and errors in place', async () => {
    const pending: Collection = {
      target: 'postgres://app@db/community',
      report: new Promise(() => undefined),
      subscribe(listener) {
        listener({ step: 'tables', state: 'done', count: 3, elapsedMs: 12 });
        listener({ step: 'indexes', state: 'start' });
        return () => undefined;
      },
    };
    const ui = render(<App collection={pending} theme={theme(false)} defaultDir="migrations" write={async () => []} />);
    await tick();
    assert.match(ui.lastFrame() ?? '', /Collecting \(read-only\)/);
    assert.match(ui.lastFrame() ?? '', /✓ tables \(3\) 12 ms/);
    assert.match(ui.lastFrame() ?? '', /… indexes/);
    ui.unmount();
    const failing: Collection = { target: 'x', report: Promise.reject(new Error('pgrescue: password authentication failed for user "app"')), subscribe: () => () => undefined };
    const err = render(<App collection={failing} theme={theme(false)} defaultDir="m" write={async () => []} />);
    await tick();
    assert.match(err.lastFrame() ?? '', /password authentication failed/);
    err.unmount();
  });

  it('2. overview: capabilities, warnings, severities, categories, top statements with bars', async () => {
    const ui = render(<App collection={collectionOf(report)} theme={theme(false)} defaultDir="migrations" write={async () => []} />);
    await tick();
    const frame = ui.lastFrame() ?? '';
    assert.match(frame, /PostgreSQL 18/);
    assert.match(frame, /HypoPG no \(index advice unverified\)/);
    assert.match(frame, /\d+ critical {2}\d+ high/);
    assert.match(frame, /\d+ performance {2}\d+ integrity {2}\d+ security/);
    assert.match(frame, /█.*FROM memberships WHERE member_id/);
    ui.unmount();
  });

  it('3–5. list, filter, search, detail, select and write', async () => {
    const written: string[][] = [];
    const ui = render(
      <App
        collection={collectionOf(report)}
        theme={theme(false)}
        defaultDir="out"
        write={async (ids, dir) => {
          written.push([dir, ...ids]);
          return [`${dir}/001_x.up.sql`, `${dir}/001_x.down.sql`];
        }}
      />,
    );
    await tick();
    ui.stdin.write('\t');
    assert.match(await frameMatching(ui, /Findings: /), /Findings: \d+ · all findings · sorted by severity · 0 selected/);
    ui.stdin.write('f');
    assert.match(await frameMatching(ui, /· performance ·/), /· performance ·/);
    ui.stdin.write('/');
    await frameMatching(ui, /search: /);
    for (const ch of 'memberships') ui.stdin.write(ch);
    await frameMatching(ui, /search: memberships/);
    ui.stdin.write('\r');
    await tick();
    const frame = ui.lastFrame() ?? '';
    assert.match(frame, /"memberships"/);
    assert.match(frame, /unindexed-foreign-key/);
    ui.stdin.write('\r');
    await tick();
    assert.match(ui.lastFrame() ?? '', /Fix: /);
    assert.match(ui.lastFrame() ?? '', /Evidence/);
    ui.stdin.write('\u001b');
    await tick(80);
    ui.stdin.write(' ');
    await tick();
    assert.match(ui.lastFrame() ?? '', /\[x\]/);
    ui.stdin.write('w');
    await tick();
    assert.match(ui.lastFrame() ?? '', /Directory: out/);
    ui.stdin.write('\r');
    await tick(80);
    assert.match(ui.lastFrame() ?? '', /2 files written/);
    assert.equal(written.length, 1);
    assert.equal(written[0]![0], 'out');
    ui.stdin.write('?');
    await tick();
    assert.match(ui.lastFrame() ?? '', /add all in view to the selection/);
    ui.unmount();
  });

  it('fits 80×24: the list window keeps the cursor visible; filters cycle', () => {
    assert.deepEqual(windowAround(100, 0, 19), { start: 0, end: 19 });
    assert.deepEqual(windowAround(100, 50, 19), { start: 41, end: 60 });
    assert.deepEqual(windowAround(100, 99, 19), { start: 81, end: 100 });
    let f = NO_FILTER;
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      f = nextFilter(report, f);
      seen.add(JSON.stringify(f));
    }
    assert.ok(seen.has(JSON.stringify(NO_FILTER)), 'the cycle comes back to all findings');
    assert.equal(visibleFindings(report, { ...NO_FILTER, search: 'no-such-thing' }, 'severity').length, 0);
  });

  it('respects NO_COLOR: no escape codes in the frame', async () => {
    const ui = render(<App collection={collectionOf(report)} theme={theme(false)} defaultDir="m" write={async () => []} />);
    await tick();
    assert.doesNotMatch(ui.lastFrame() ?? '', /\u001b\[3\dm/);
    ui.unmount();
  });
});

describe('TUI key bursts', () => {
  const server = useEmbeddedServer();
  it('plays back keys that arrive together ("jj\\r" typed fast) one by one', async () => {
    const url = await databaseWith(server(), SCHEMA, 'tui_burst');
    const report = await scanDatabase(url);
    const ui = render(<App collection={collectionOf(report)} theme={theme(false)} defaultDir="m" write={async () => []} />);
    await tick();
    ui.stdin.write('\t');
    await tick();
    ui.stdin.write('jj\r');
    await tick(300);
    assert.match(ui.lastFrame() ?? '', /Fix: /, 'the burst moved twice and opened the third finding');
    assert.match(ui.lastFrame() ?? '', new RegExp(visibleFindings(report, NO_FILTER, 'severity')[2]!.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    ui.unmount();
  });
});
