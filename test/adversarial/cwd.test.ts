/**
 * Hostile working directories: traversal, absolute paths, symlinks out of the
 * root (direct, relative, chained, nested), look-alike names, NUL, newlines,
 * overlong paths, a sibling that shares the root's prefix, and a directory
 * swapped for a symlink while its job waited in the queue. Guarantee:
 * ERR_CWD_OUTSIDE_ROOT or ERR_CWD_NOT_FOUND, nothing starts, the next request
 * is served; an accepted cwd runs in its resolved real path inside the root.
 */
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src/contracts/jobs.js';
import type { JobHostErrorCode } from '../../src/errors.js';
import { collect, makeHost, nextEvent, tempDir } from '../helpers/host.js';
import { useSentinel } from './harness.js';

const sentinel = useSentinel();
const OWNER = 'hostile-plugin';
let root = '';

beforeAll(() => {
  root = sentinel().root;
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(root, 'file.txt'), 'not a directory\n');
  symlinkSync('/', join(root, 'escape'));
  symlinkSync('/etc', join(root, 'etc-link'));
  symlinkSync('..', join(root, 'up'));
  symlinkSync(join(root, 'chain-b'), join(root, 'chain-a'));
  symlinkSync('/tmp', join(root, 'chain-b'));
  symlinkSync('../..', join(root, 'sub', 'out'));
  symlinkSync('/nonexistent-jobhost-target', join(root, 'dangling'));
  symlinkSync('.', join(root, 'self'));
  symlinkSync('sub', join(root, 'inner'));
  mkdirSync(`${root}-evil`);
});
afterAll(() => rmSync(`${root}-evil`, { recursive: true, force: true }));

/** Cases whose paths need the root: built inside the test. */
const cases: readonly { name: string; cwd: () => string; code: JobHostErrorCode }[] = [
  { name: '..', cwd: () => '..', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: '../..', cwd: () => '../..', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'sub/../..', cwd: () => 'sub/../..', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'nope/../.. (through a missing directory)', cwd: () => 'nope/../..', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'absolute /', cwd: () => '/', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'absolute /etc', cwd: () => '/etc', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'absolute /tmp', cwd: () => '/tmp', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'absolute <root>/..', cwd: () => `${root}/..`, code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'a sibling sharing the root as prefix (<root>-evil)', cwd: () => `${root}-evil`, code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'relative ../<root>-evil', cwd: () => `../${basename(root)}-evil`, code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'symlink to /', cwd: () => 'escape', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'symlink to /etc', cwd: () => 'etc-link', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'relative symlink to ..', cwd: () => 'up', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'a chain of symlinks ending in /tmp', cwd: () => 'chain-a', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'a nested relative symlink sub/out → ../..', cwd: () => 'sub/out', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'a path through a symlink escape/tmp', cwd: () => 'escape/tmp', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: '/proc/self/cwd', cwd: () => '/proc/self/cwd', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: '/proc/self/root', cwd: () => '/proc/self/root', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: '/dev/null', cwd: () => '/dev/null', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'NUL appended (sub\\0)', cwd: () => 'sub\0', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'NUL then traversal (sub\\0/../..)', cwd: () => 'sub\0/../..', code: 'ERR_CWD_OUTSIDE_ROOT' },
  { name: 'missing directory', cwd: () => 'nope', code: 'ERR_CWD_NOT_FOUND' },
  { name: 'dangling symlink', cwd: () => 'dangling', code: 'ERR_CWD_NOT_FOUND' },
  { name: 'a file, not a directory', cwd: () => 'file.txt', code: 'ERR_CWD_NOT_FOUND' },
  { name: 'a file with a trailing slash', cwd: () => 'file.txt/', code: 'ERR_CWD_NOT_FOUND' },
  { name: "Cyrillic look-alike 'ѕub' (U+0455)", cwd: () => '\u0455ub', code: 'ERR_CWD_NOT_FOUND' },
  { name: 'fullwidth ｓｕｂ', cwd: () => '\uff53\uff55\uff42', code: 'ERR_CWD_NOT_FOUND' },
  { name: 'zero-width space appended', cwd: () => 'sub\u200b', code: 'ERR_CWD_NOT_FOUND' },
  { name: 'other case SUB', cwd: () => 'SUB', code: 'ERR_CWD_NOT_FOUND' },
  { name: 'newline appended', cwd: () => 'sub\n', code: 'ERR_CWD_NOT_FOUND' },
  { name: '10 000 characters', cwd: () => 'd'.repeat(10_000), code: 'ERR_CWD_NOT_FOUND' },
  { name: '5 000 nested components', cwd: () => 'a/'.repeat(5_000), code: 'ERR_CWD_NOT_FOUND' },
  { name: 'a tilde (no expansion)', cwd: () => '~', code: 'ERR_CWD_NOT_FOUND' },
  { name: 'a variable (no expansion)', cwd: () => '$HOME', code: 'ERR_CWD_NOT_FOUND' },
];

describe('cwd: refused', () => {
  it.each(cases)('$name → $code', async ({ cwd, code }) => {
    const requested = cwd();
    const error = await sentinel().refused(OWNER, () => sentinel().host.forOwner(OWNER).spawn({ label: 'cwd', binary: 'cwd', args: [], cwd: requested }), code);
    expect(error.details).toMatchObject({ cwd: requested });
  });
});

describe('cwd: documented benign behaviour (the job runs in the resolved real path)', () => {
  const accepted: readonly { name: string; cwd: () => string | null; runsIn: () => string }[] = [
    { name: "''", cwd: () => '', runsIn: () => root },
    { name: 'null', cwd: () => null, runsIn: () => root },
    { name: '.', cwd: () => '.', runsIn: () => root },
    { name: './sub', cwd: () => './sub', runsIn: () => join(root, 'sub') },
    { name: 'sub/ (trailing slash)', cwd: () => 'sub/', runsIn: () => join(root, 'sub') },
    { name: 'absolute <root>/sub', cwd: () => join(root, 'sub'), runsIn: () => join(root, 'sub') },
    { name: 'sub/deeper/../../sub', cwd: () => 'sub/deeper/../../sub', runsIn: () => join(root, 'sub') },
    { name: 'a symlink to the root itself', cwd: () => 'self', runsIn: () => root },
    { name: 'a symlink inside the root (inner → sub)', cwd: () => 'inner', runsIn: () => join(root, 'sub') },
    // `..` is resolved lexically before symlinks, so this is the root, never the parent of the link's target
    { name: 'escape/.. (lexical ..)', cwd: () => 'escape/..', runsIn: () => root },
  ];
  it.each(accepted)('$name runs in its real path', async ({ cwd, runsIn }) => {
    const { end, lines } = await sentinel().run(OWNER, { label: 'cwd', binary: 'cwd', args: [], cwd: cwd() });
    expect(end.type).toBe('job_completed');
    expect(lines).toEqual([runsIn()]);
  });
});

describe('cwd: swapped for a symlink while the job waits in the queue', () => {
  // Regression: the job used to start in `/` — the real path checked at spawn() was re-resolved by the kernel at start.
  it('the job fails without starting, and the host serves the next request', async () => {
    const swapRoot = tempDir('jobhost-swap-');
    const host = makeHost({ root: swapRoot, maxConcurrent: 1 });
    const jobs = host.forOwner(OWNER);
    const events: JobEvent[] = collect(jobs);
    mkdirSync(join(swapRoot, 'work'));
    const blocker = jobs.spawn({ label: 'blocker', binary: 'forever', args: [] });
    await nextEvent(jobs, (event) => event.type === 'job_started' && event.job_id === blocker);
    const victim = jobs.spawn({ label: 'victim', binary: 'cwd', args: [], cwd: 'work' });
    expect(jobs.status(victim)).toBe('Pending');
    renameSync(join(swapRoot, 'work'), join(swapRoot, 'work-old'));
    symlinkSync('/', join(swapRoot, 'work'));
    jobs.cancel(blocker);
    const end = await jobs.wait(victim);
    expect(end).toMatchObject({ type: 'job_failed', exit_code: null });
    expect(end.type === 'job_failed' && end.error).toContain('now resolves to / (replaced by a symlink after the request was accepted)');
    expect(events.filter((event) => event.job_id === victim).map((event) => event.type)).toEqual(['job_failed']);
    const next = await jobs.run({ label: 'next', binary: 'cwd', args: [], cwd: 'work-old' });
    expect(next).toMatchObject({ type: 'job_completed', output_tail: `${join(swapRoot, 'work-old')}\n` });
  });
});
