import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Report, ReportFinding } from '../../src/model/report.js';
import type { KeyPress, TuiState } from '../../src/tui/state.js';
import { currentFinding, initialState, reduce } from '../../src/tui/state.js';

function finding(id: string, severity: ReportFinding['severity'], rule = 'unused-index', category: ReportFinding['category'] = 'performance'): ReportFinding {
  return { id, rule, category, severity, title: rule, message: `about ${id}`, object: { schema: 'public', table: id }, evidence: {}, remediation: '' } as ReportFinding;
}

const REPORT = {
  findings: [finding('a', 'high'), finding('b', 'medium', 'missing-check', 'integrity'), finding('c', 'low'), finding('d', 'low', 'plaintext-secret', 'security')],
} as unknown as Report;

/** A key by name: "down", "enter", "esc", "tab", "bs", or the typed text. */
function k(name: string): KeyPress {
  const named: Record<string, KeyPress> = {
    up: { input: '', upArrow: true },
    down: { input: '', downArrow: true },
    enter: { input: '\r', return: true },
    esc: { input: '', escape: true },
    tab: { input: '\t', tab: true },
    bs: { input: '', backspace: true },
    'ctrl-c': { input: 'c', ctrl: true },
    pgdn: { input: '', pageDown: true },
    pgup: { input: '', pageUp: true },
    end: { input: '', end: true },
    home: { input: '', home: true },
  };
  return named[name] ?? { input: name };
}

function play(keys: readonly string[], from: TuiState = reduce(initialState('migrations'), { type: 'report', report: REPORT })): TuiState {
  return keys.reduce((s, name) => reduce(s, { type: 'key', key: k(name) }), from);
}

describe('the TUI state: (state, key) → state', () => {
  const cases: { keys: string[]; expect: (s: TuiState) => unknown; is: unknown; why: string }[] = [
    { keys: [], expect: (s) => s.screen, is: 'overview', why: 'the report opens on the overview' },
    { keys: ['tab'], expect: (s) => s.screen, is: 'list', why: 'tab goes to the list' },
    { keys: ['tab', 'down', 'down'], expect: (s) => currentFinding(s)?.id, is: 'c', why: 'arrows move the cursor' },
    { keys: ['tab', 'j', 'j', 'j', 'j', 'j'], expect: (s) => s.cursor, is: 3, why: 'the cursor stops at the last finding' },
    { keys: ['tab', 'k'], expect: (s) => s.cursor, is: 0, why: 'and at the first' },
    { keys: ['tab', 'down', 'enter'], expect: (s) => [s.screen, currentFinding(s)?.id], is: ['detail', 'b'], why: 'enter opens the detail of the finding under the cursor' },
    { keys: ['tab', 'enter', 'down', 'down', 'up'], expect: (s) => s.scroll, is: 1, why: 'arrows scroll the detail' },
    { keys: ['tab', 'enter', 'esc'], expect: (s) => s.screen, is: 'list', why: 'escape goes back' },
    { keys: ['tab', ' ', 'down', ' '], expect: (s) => [...s.selected].sort(), is: ['a', 'b'], why: 'space selects' },
    { keys: ['tab', ' ', ' '], expect: (s) => [...s.selected], is: [], why: 'space again unselects' },
    { keys: ['tab', 'a'], expect: (s) => s.selected.size, is: 4, why: 'a selects all in view' },
    { keys: ['tab', 'a', 'a'], expect: (s) => s.selected.size, is: 0, why: 'a again clears them' },
    { keys: ['tab', ' ', 'f', 'f', 'a'], expect: (s) => [...s.selected].sort(), is: ['a', 'b'], why: 'a adds the findings in view to what was picked before, it does not replace it' },
    { keys: ['tab', ' ', 'f', 'f', 'a', 'a'], expect: (s) => [...s.selected].sort(), is: ['a'], why: 'a again removes only the findings in view' },
    { keys: ['tab', 'end'], expect: (s) => s.cursor, is: 3, why: 'End goes to the last finding' },
    { keys: ['tab', 'end', 'home'], expect: (s) => s.cursor, is: 0, why: 'Home to the first' },
    { keys: ['tab', 'pgdn'], expect: (s) => s.cursor, is: 3, why: 'PgDn moves a page, stopping at the last' },
    { keys: ['tab', 'pgdn', 'pgup'], expect: (s) => s.cursor, is: 0, why: 'PgUp moves back a page' },
    { keys: ['tab', 'F'], expect: (s) => s.filter.rule, is: 'unused-index', why: 'F cycles the filters backwards (from all to the last rule)' },
    { keys: ['tab', 'f', 'F'], expect: (s) => [s.filter.category, s.filter.rule], is: [null, null], why: 'F undoes f' },
    { keys: ['tab', 'enter', 'pgdn', 'pgdn', 'home'], expect: (s) => s.scroll, is: 0, why: 'PgDn scrolls the detail a page, Home back to the top' },
    { keys: ['tab', 'ctrl-c'], expect: (s) => s.effect, is: { kind: 'exit', interrupted: true }, why: 'Ctrl-C quits as an interruption (exit 130)' },
    { keys: ['tab', '/', 'ctrl-c'], expect: (s) => s.effect, is: { kind: 'exit', interrupted: true }, why: 'even while typing a search' },
    { keys: ['tab', 'f', 'f'], expect: (s) => s.filter.category, is: 'integrity', why: 'f cycles the filter: all, performance, integrity…' },
    { keys: ['tab', 'f', 'f', 'enter'], expect: (s) => currentFinding(s)?.id, is: 'b', why: 'the filtered list is what enter opens' },
    { keys: ['tab', '/', 's', 'e', 'c', 'enter'], expect: (s) => [s.searching, s.filter.search], is: [false, 'sec'], why: '/ searches; enter keeps the search' },
    { keys: ['tab', '/', 'x', 'esc'], expect: (s) => s.filter.search, is: '', why: 'escape clears it' },
    { keys: ['tab', '/', 'q'], expect: (s) => s.effect, is: null, why: 'q while searching is text, not quit' },
    { keys: ['q'], expect: (s) => s.effect, is: { kind: 'exit' }, why: 'q quits' },
    { keys: ['?', 'tab'], expect: (s) => [s.help, s.screen], is: [false, 'overview'], why: 'any key closes the help, and only closes it' },
    { keys: ['tab', 'down', 'w'], expect: (s) => [s.screen, [...s.selected], s.write], is: ['write', ['b'], { phase: 'confirm', dir: 'migrations', count: 1 }], why: 'w without a selection writes the finding under the cursor' },
    { keys: ['tab', 'w', 'bs', 'bs', 'x', 'enter'], expect: (s) => s.effect && { ...s.effect, ids: [...(s.effect as { ids: ReadonlySet<string> }).ids] }, is: { kind: 'write', ids: ['a'], dir: 'migratiox' }, why: 'the directory is edited, enter asks the App to write' },
    { keys: ['tab', 'w', 'esc'], expect: (s) => s.screen, is: 'list', why: 'escape cancels the write' },
  ];
  for (const c of cases) {
    it(`${c.why} [${c.keys.join(' ')}]`, () => {
      assert.deepEqual(c.expect(play(c.keys)), c.is);
    });
  }

  it('before the report, keys other than q and ? do nothing; progress and failure are recorded', () => {
    let s = initialState('m');
    s = reduce(s, { type: 'key', key: k('tab') });
    assert.equal(s.screen, 'progress');
    s = reduce(s, { type: 'progress', line: { step: 'tables', state: 'done', count: 3, at: 1 } });
    s = reduce(s, { type: 'failed', message: 'connection refused' });
    assert.deepEqual([s.progress.length, s.error], [1, 'connection refused']);
  });

  it('the write result comes back as an event', () => {
    const writing = play(['tab', 'w', 'enter']);
    assert.equal(writing.write.phase, 'writing');
    assert.deepEqual(reduce(writing, { type: 'written', files: ['x.up.sql'] }).write, { phase: 'done', files: ['x.up.sql'] });
    assert.deepEqual(reduce(writing, { type: 'write-failed', message: 'exists' }).write, { phase: 'error', message: 'exists' });
    assert.equal(reduce(writing, { type: 'effect-started' }).effect, null);
  });

  it('the write result scrolls: a long list of files is never clipped at 80×24', () => {
    const written = reduce(play(['tab', 'w', 'enter']), { type: 'written', files: Array.from({ length: 60 }, (_, i) => `f${i}.up.sql`) });
    assert.equal(written.scroll, 0);
    assert.equal(play(['pgdn', 'down'], written).scroll, 11);
    assert.equal(play(['pgdn', 'home'], written).scroll, 0);
    assert.equal(play(['esc'], written).screen, 'list');
  });
});
