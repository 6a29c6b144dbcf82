import { describe, expect, it } from 'vitest';
import { REASON_INDENT, renderRows, wrap, type Row } from '../../examples/demo-render.js';

const row = (fields: Partial<Row>): Row => ({ owner: 'builder', label: 'job', state: 'running', percent: null, lines: 0, last: '', ...fields });
const plain = (rows: Row[], width = 100): string[] => renderRows(rows, width, 0, false);

describe('examples/demo-render.ts (the live view of npm run demo)', () => {
  const reason = 'Environment variable "LD_PRELOAD" for "download" refused: "download" only accepts DOWNLOAD_MIRROR';

  it.each([60, 80, 100, 140])('a refusal shows its code on the row and its whole reason on indented lines, at %i columns', (width) => {
    const lines = plain([row({ owner: 'fetcher', label: 'LD_PRELOAD (refused)', state: 'refused', code: 'ERR_ENV_REFUSED', last: reason })], width);
    expect(lines[0]).toMatch(/^fetcher +LD_PRELOAD \(refused\) +refused +ERR_ENV_REFUSED$/);
    const rest = lines.slice(1);
    expect(rest.length).toBeGreaterThan(0);
    for (const line of rest) expect(line.startsWith(' '.repeat(REASON_INDENT))).toBe(true);
    expect(rest.map((line) => line.trim()).join(' ')).toBe(reason);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
  });

  it('a job that reports no progress gets no bar: a spinner and its line count while it runs, the count when done', () => {
    const [running] = plain([row({ label: 'chatty log job', lines: 13, last: 'info: processed batch 13/25' })]);
    expect(running).not.toMatch(/[█░%]/);
    expect(running).toMatch(/running +⠋ 13 lines +info: processed batch 13\/25$/);
    const [done] = plain([row({ label: 'chatty log job', state: 'completed', lines: 25, last: 'done' })]);
    expect(done).not.toMatch(/[█░%]/);
    expect(done).toMatch(/completed 25 lines +done$/);
  });

  it('a job that reports progress gets a bar and its percent', () => {
    const [line] = plain([row({ state: 'completed', percent: 100, last: 'compiled tests' })]);
    expect(line).toMatch(/completed ████████████████████ 100% +compiled tests$/);
  });

  it('a cancelled job whose reason does not fit shows it whole on its own line; other rows are cut with an ellipsis', () => {
    const lines = plain([row({ state: 'cancelled', percent: 40, last: 'plugin changed its mind at 40% '.repeat(2).trim() })]);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.trim()).toBe('plugin changed its mind at 40% plugin changed its mind at 40%');
    const [cut] = plain([row({ lines: 1, last: 'x'.repeat(200) })]);
    expect([...cut!].length).toBe(100);
    expect(cut!.endsWith('…')).toBe(true);
  });

  it('wrap breaks at spaces, splits a word longer than the width, and keeps every character', () => {
    expect(wrap('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('', 10)).toEqual(['']);
  });
});
