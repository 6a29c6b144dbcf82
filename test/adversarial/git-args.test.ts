/**
 * Option injection into an allow-listed git (`gitReadOnly`): config injection
 * (`-c`, `--config-env`) before and after the subcommand and glued to its
 * value, program-running options (`--upload-pack`, `--receive-pack`, `--exec`,
 * `--ext-diff`, pagers) in full and abbreviated, file-writing `--output`,
 * repository redirection (`-C`, `--git-dir`, `--work-tree`), and subcommands
 * outside the read-only set. Guarantee: ERR_ARGS_REFUSED naming the argument,
 * nothing starts (no event, no file written), the next request is served.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobHost } from '../../src/host/job-host.js';
import { gitReadOnly } from '../../src/policy/git/index.js';
import { useSentinel } from './harness.js';

const sentinel = useSentinel({}, { git: gitReadOnly });
const OWNER = 'hostile-plugin';
const PWNED = 'pwned';

/** Makes the sentinel's root a git repository with one commit, through a JobHost of its own with no argument rule. */
beforeAll(async () => {
  const root = sentinel().root;
  const env = { PATH: process.env.PATH ?? '', HOME: root, GIT_CONFIG_NOSYSTEM: '1' };
  const admin = new JobHost({ root, binaries: { git: {} }, env });
  try {
    const jobs = admin.forOwner('setup');
    writeFileSync(join(root, 'README.md'), '# adversarial\n');
    const identity = ['-c', 'user.name=adversary', '-c', 'user.email=adversary@jobhost.invalid', '-c', 'commit.gpgsign=false'];
    for (const args of [['init', '-q', '-b', 'main'], ['add', 'README.md'], [...identity, 'commit', '-q', '-m', 'initial']]) {
      expect(await jobs.run({ label: 'git setup', binary: 'git', args })).toMatchObject({ type: 'job_completed' });
    }
  } finally {
    await admin.dispose();
  }
});

const REFUSED: readonly (readonly string[])[] = [
  [],
  ['-c', `core.sshCommand=touch ${PWNED}`, 'fetch'],
  ['-c', `core.pager=touch ${PWNED}`, 'log'],
  ['-ccore.sshCommand=x', 'status'],
  ['status', '-c', `core.fsmonitor=touch ${PWNED}`],
  ['log', `-ccore.pager=touch ${PWNED}`],
  ['--config-env=core.pager=EVIL', 'log'],
  ['log', '--config-env=core.pager=EVIL'],
  ['log', '--config=core.pager=x'],
  ['fetch', `--upload-pack=touch ${PWNED}`],
  ['log', `--upload-pack=touch ${PWNED}`],
  ['ls-files', `--upload-pa=touch ${PWNED}`],
  ['log', '--u=x'],
  ['log', '--receive-pack=x'],
  ['log', `--exec=touch ${PWNED}`],
  ['log', '--exe=x'],
  ['log', `--output=${PWNED}`],
  ['diff', `--out=${PWNED}`],
  ['diff', '--output', PWNED],
  ['diff', '--ext-diff'],
  ['diff', '--ext'],
  ['show', '-O/etc/passwd'],
  ['show', `--open-files-in-pager=touch ${PWNED}`],
  ['-C', '/', 'status'],
  ['status', '-C', '/'],
  ['--git-dir=/etc', 'status'],
  ['status', '--git-dir=/tmp/x'],
  ['log', '--work-tree=/'],
  ['--exec-path=/tmp', 'status'],
  ['log', '--exec-path=/tmp'],
  ['log', '--template=/tmp'],
  ['log', '--namespace=x'],
  ['log', '--separate-git-dir=/tmp/x'],
  ['log', '--end-of-options', `--output=${PWNED}`],
  ['clone', `ext::sh -c touch% ${PWNED}`, 'x'],
  ['submodule', 'foreach', `touch ${PWNED}`],
  ['config', 'core.pager', `touch ${PWNED}`],
  ['push', '--receive-pack=x', 'origin'],
  ['STATUS'],
  ['stat'],
  ['--paginate', 'log'],
  [' status'],
  ['status\0'],
];

describe('git: option injection', () => {
  it.each(REFUSED.map((args) => [JSON.stringify(args), args] as const))('%s → ERR_ARGS_REFUSED', async (_title, args) => {
    const s = sentinel();
    const error = await s.refused(OWNER, () => s.host.forOwner(OWNER).spawn({ label: 'git', binary: 'git', args: [...args] }), 'ERR_ARGS_REFUSED');
    expect(error.message).toMatch(/^Arguments for "git" refused: /);
    expect(existsSync(join(s.root, PWNED))).toBe(false);
  });
});

describe('git: documented benign behaviour', () => {
  it('after `--` an option-looking argument is a path: nothing is written', async () => {
    const { end } = await sentinel().run(OWNER, { label: 'git', binary: 'git', args: ['log', '--oneline', '--', `--output=${PWNED}`] });
    expect(end).toMatchObject({ type: 'job_completed', exit_code: 0 });
    expect(existsSync(join(sentinel().root, PWNED))).toBe(false);
  });

  it('git options are case-sensitive, and the allow-list is exact: --OUTPUT is simply not in it', async () => {
    await sentinel().refused(OWNER, () => sentinel().host.forOwner(OWNER).spawn({ label: 'git', binary: 'git', args: ['log', `--OUTPUT=${PWNED}`] }), 'ERR_ARGS_REFUSED');
    expect(existsSync(join(sentinel().root, PWNED))).toBe(false);
  });

  it('an option that merely starts with a refused name (--output-indicator-new) is not an abbreviation of it', async () => {
    const { end } = await sentinel().run(OWNER, { label: 'git', binary: 'git', args: ['diff', '--output-indicator-new=>'] });
    expect(end).toMatchObject({ type: 'job_completed', exit_code: 0 });
    await sentinel().serves(OWNER);
  });
});
