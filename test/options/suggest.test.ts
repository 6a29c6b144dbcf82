import { describe, expect, it } from 'vitest';
import { suggest } from '../../src/options/suggest.js';

const known = ['maxConcurrent', 'maxJobs', 'maxJobsPerOwner', 'timeoutMs', 'requestTimeoutMs', 'framing', 'signal'];

describe('suggest: the option a misspelt name meant', () => {
  it.each([
    ['maxConcurent', 'maxConcurrent'], // a letter missing
    ['maxConcurrnet', 'maxConcurrent'], // two letters swapped
    ['MAXJOBS', 'maxJobs'], // case
    ['timout', 'timeoutMs'], // a misspelt start
    ['framng', 'framing'],
    ['singal', 'signal'],
  ])('%s → %s', (name, meant) => {
    expect(suggest(name, known)).toBe(meant);
  });

  it('nothing for a name nothing resembles, or too short to guess from', () => {
    expect(suggest('zzzzzzzz', known)).toBeUndefined();
    expect(suggest('x', known)).toBeUndefined();
  });

  it('an alias wins over spelling: a wrong name that is not a misspelling', () => {
    expect(suggest('timeout', ['timeoutSecs', 'timeoutMs'], { timeout: 'timeoutSecs' })).toBe('timeoutSecs');
  });

  it('a long name matches nothing it is far from', () => {
    expect(suggest('m'.repeat(10_000), known)).toBeUndefined();
  });
});
