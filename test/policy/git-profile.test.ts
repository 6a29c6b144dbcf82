/**
 * The git profile as a whole: what it refuses to be built on, the environment
 * it gives git, and the arguments it adds. Attack for each: an allow-listed
 * "git" that is too old for protected config (its defences would silently
 * not apply), a host base environment carrying GIT_* variables, and a plugin
 * that asks for subcommands jobhost has no option table for.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobHost } from '../../src/host/job-host.js';
import { GIT_POLICED_SUBCOMMANDS, GIT_PROTECTED_CONFIG, gitPolicy, gitReadOnly } from '../../src/policy/git/index.js';
import { GIT_PROFILE_ENV, hermeticEnv } from '../../src/policy/git/hermetic-env.js';
import { expectJobHostError } from '../helpers/errors.js';
import { tempDir } from '../helpers/host.js';

function fakeGit(dir: string, says: string): string {
  const file = join(dir, 'git');
  writeFileSync(file, `#!/bin/sh\necho '${says}'\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('the git binary must be new enough for the profile’s defences', () => {
  it.each([
    ['git version 2.30.9', 'needs git ≥ 2.32'],
    ['git version 1.8.3.1', 'needs git ≥ 2.32'],
    ['not git at all', 'did not answer like git'],
  ])('a "git" that says %j: ERR_BINARY_UNSUPPORTED at construction', (says, reason) => {
    const root = tempDir();
    const error = expectJobHostError(() => new JobHost({ root, binaries: { git: { ...gitReadOnly, path: fakeGit(root, says) } } }), 'ERR_BINARY_UNSUPPORTED');
    expect(error.message).toContain(reason);
  });

  it('git 2.32 and the machine’s own git are accepted, and the details name the profile', async () => {
    const root = tempDir();
    const old = new JobHost({ root, binaries: { git: { ...gitReadOnly, path: fakeGit(root, 'git version 2.32.0') } } });
    await old.dispose();
    const host = new JobHost({ root, binaries: { git: gitReadOnly } });
    expect(host.binaryDetails.get('git')?.profile).toMatch(/^git \(status, log, /);
    await host.dispose();
  });
});

describe('gitPolicy', () => {
  it('builds a policy for subcommands that have an option table, and refuses any other', () => {
    expect(GIT_POLICED_SUBCOMMANDS).toContain('status');
    expect(gitPolicy(['status', 'log']).profile?.name).toBe('git (status, log)');
    for (const subcommand of ['fetch', 'push', 'config', 'submodule', 'grep', 'STATUS']) {
      expect(expectJobHostError(() => gitPolicy([subcommand]), 'ERR_INVALID_OPTIONS').message).toContain('no option table');
    }
  });

  it('an old `args: gitReadOnly` is refused with the migration spelled out', () => {
    const error = expectJobHostError(() => new JobHost({ root: tempDir(), binaries: { git: { args: gitReadOnly as never } } }), 'ERR_INVALID_OPTIONS');
    expect(error.message).toContain('write `git: gitReadOnly`');
  });

  it('a status-only policy refuses log, and spreads with other fields', async () => {
    const root = tempDir();
    const host = new JobHost({ root, binaries: { git: { ...gitPolicy(['status']), timeoutSecs: 5 } } });
    try {
      expectJobHostError(() => host.forOwner('p').spawn({ label: 'g', binary: 'git', args: ['log'] }), 'ERR_ARGS_REFUSED');
    } finally {
      await host.dispose();
    }
  });
});

describe('the hermetic environment', () => {
  it('drops every GIT_* the base or request carried, then sets the profile’s own and the protected config', () => {
    const env = hermeticEnv({ PATH: '/usr/bin', HOME: '/home/u', GIT_AUTHOR_NAME: 'x', git_dir: '/elsewhere', SSH_ASKPASS: '/x', LANG: 'C' }, { GIT_DIR: '/r/.git', GIT_WORK_TREE: '/r' });
    expect(env.GIT_AUTHOR_NAME).toBeUndefined();
    expect(env.git_dir).toBeUndefined();
    expect(env.SSH_ASKPASS).toBeUndefined();
    expect(env).toMatchObject({ PATH: '/usr/bin', HOME: '/home/u', LANG: 'C', GIT_DIR: '/r/.git', GIT_WORK_TREE: '/r', ...GIT_PROFILE_ENV });
    expect(Number(env.GIT_CONFIG_COUNT)).toBe(GIT_PROTECTED_CONFIG.length);
    const protectedKeys = GIT_PROTECTED_CONFIG.map(([key]) => key);
    for (const key of ['core.fsmonitor', 'core.hooksPath', 'protocol.allow', 'credential.helper', 'gpg.program', 'core.sshCommand', 'safe.bareRepository']) expect(protectedKeys).toContain(key);
    GIT_PROTECTED_CONFIG.forEach(([key, value], index) => {
      expect(env[`GIT_CONFIG_KEY_${index}`]).toBe(key);
      expect(env[`GIT_CONFIG_VALUE_${index}`]).toBe(value);
    });
  });
});
