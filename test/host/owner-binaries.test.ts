/**
 * `forOwner(owner, { binaries })`: an owner limited to a subset of the host's
 * allow-list, with real processes. The rest of the allow-list is, for that
 * owner, exactly like a name that is not allow-listed at all.
 */
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src/contracts/jobs.js';
import { JobHost } from '../../src/host/job-host.js';
import { VcsAdapterClient } from '../../src/vcs/client.js';
import { expectJobHostError } from '../helpers/errors.js';
import { collect, fixture, linesOf, makeHost } from '../helpers/host.js';

describe('an owner limited to some binaries', () => {
  it('runs its own, and is refused the others exactly as if they were not allow-listed', async () => {
    const host = makeHost();
    const plugin = host.forOwner('plugin', { binaries: ['lines'] });
    const events = collect(plugin);
    const end = await plugin.run({ label: 'mine', binary: 'lines', args: ['2'] });
    expect(end.type).toBe('job_completed');
    expect(linesOf(events, 'plugin:1')).toHaveLength(2);

    const before = events.length;
    const refused = expectJobHostError(() => plugin.spawn({ label: 'theirs', binary: 'exit', args: ['0'] }), 'ERR_BINARY_NOT_ALLOWED');
    const unknown = expectJobHostError(() => plugin.spawn({ label: 'nothing', binary: 'rm', args: [] }), 'ERR_BINARY_NOT_ALLOWED');
    // the same words for an allow-listed name it may not use and a name nobody may use: the rest of the allow-list stays private
    expect(refused.message).toBe('Binary "exit" is not allow-listed (allowed: lines)');
    expect(unknown.message).toBe('Binary "rm" is not allow-listed (allowed: lines)');
    expect(events.slice(before)).toEqual([]);
    // no id was minted for the refusals
    expect(plugin.spawn({ label: 'next', binary: 'lines', args: ['1'] })).toBe('plugin:2');
  });

  it('leaves other owners their whole allow-list', async () => {
    const host = makeHost();
    host.forOwner('narrow', { binaries: ['lines'] });
    const wide = host.forOwner('wide');
    expect((await wide.run({ label: 'exit 3', binary: 'exit', args: ['3'] })).type).toBe('job_failed');
  });

  it('host.attach for that owner is held to the same subset', () => {
    const host = makeHost();
    host.forOwner('plugin', { binaries: ['lines'] });
    expectJobHostError(() => host.attach('plugin', { label: 'x', binary: 'echo-stdin', args: [] }), 'ERR_BINARY_NOT_ALLOWED');
  });

  it('a VCS client working for that owner cannot reach an adapter outside the subset', async () => {
    const host = makeHost({ binaries: { 'vcs-fake': { path: fixture('vcs/ok.mjs') } } });
    host.forOwner('plugin', { binaries: ['lines'] });
    const client = new VcsAdapterClient({ host, owner: 'plugin', binary: 'vcs-fake' });
    await expect(client.revisionId()).rejects.toMatchObject({ code: 'ERR_VCS_POLICY', cause: { code: 'ERR_BINARY_NOT_ALLOWED' } });
  });

  it('handle.binaries names what it may run, in allow-list order; an unlimited owner sees the whole list', () => {
    const host = makeHost();
    expect(host.forOwner('limited', { binaries: ['exit', 'lines'] }).binaries).toEqual(['lines', 'exit']);
    expect(host.forOwner('all').binaries).toEqual([...host.binaries.keys()]);
    expect(host.forOwner('none', { binaries: [] }).binaries).toEqual([]);
  });

  it('an empty list runs nothing', () => {
    const host = makeHost();
    const none = host.forOwner('none', { binaries: [] });
    expect(expectJobHostError(() => none.spawn({ label: 'x', binary: 'lines', args: [] }), 'ERR_BINARY_NOT_ALLOWED').message).toContain('(allowed: none)');
  });
});

describe("an owner's rights are fixed when its handle is created", () => {
  it('the same list again (any order, repeats) or no option gives the same handle', () => {
    const host = makeHost();
    const handle = host.forOwner('p', { binaries: ['lines', 'exit'] });
    expect(host.forOwner('p', { binaries: ['exit', 'lines', 'exit'] })).toBe(handle);
    expect(host.forOwner('p')).toBe(handle);
    expect(host.forOwner('p', { bufferEvents: false })).toBe(handle);
  });

  it('another list — wider or narrower — throws instead of handing back other rights', () => {
    const host = makeHost();
    host.forOwner('p', { binaries: ['lines'] });
    expectJobHostError(() => host.forOwner('p', { binaries: ['lines', 'exit'] }), 'ERR_INVALID_OPTIONS');
    expectJobHostError(() => host.forOwner('p', { binaries: [] }), 'ERR_INVALID_OPTIONS');
    host.forOwner('q');
    expect(expectJobHostError(() => host.forOwner('q', { binaries: ['lines'] }), 'ERR_INVALID_OPTIONS').message).toContain('fixed when its handle is created');
  });

  it.each([
    ['a name outside the allow-list', ['rm']],
    ['a prototype name', ['constructor']],
    ['a non-string', [1]],
    ['not an array', 'lines'],
  ])('refuses %s with ERR_INVALID_OPTIONS', (_, binaries) => {
    const host = makeHost();
    expectJobHostError(() => host.forOwner('p', { binaries } as never), 'ERR_INVALID_OPTIONS');
    // a refused call creates no owner: the first real call still sets its rights
    const handle = host.forOwner('p', { binaries: ['lines'] });
    expectJobHostError(() => handle.spawn({ label: 'x', binary: 'exit', args: [] }), 'ERR_BINARY_NOT_ALLOWED');
  });
});

describe('one program under two keys', () => {
  it('`path` may be a bare name looked up on PATH, so the host keeps a wider entry for itself', async () => {
    const host = new JobHost({
      root: makeHost().root,
      env: { PATH: process.env.PATH ?? '' },
      binaries: {
        // plugins: only `--version`
        git: { args: (args) => (args.length === 1 && args[0] === '--version') || 'only git --version' },
        // the host: anything git does
        'git-admin': { path: 'git' },
      },
    });
    try {
      expect(host.binaries.get('git-admin')).toBe(host.binaries.get('git'));
      const plugin = host.forOwner('plugin', { binaries: ['git'] });
      expectJobHostError(() => plugin.spawn({ label: 'init', binary: 'git', args: ['init'] }), 'ERR_ARGS_REFUSED');
      expectJobHostError(() => plugin.spawn({ label: 'init', binary: 'git-admin', args: ['init'] }), 'ERR_BINARY_NOT_ALLOWED');
      const admin = host.forOwner('host-setup', { binaries: ['git-admin'] });
      const events: JobEvent[] = collect(admin);
      const end = await admin.run({ label: 'init', binary: 'git-admin', args: ['init', '--quiet', 'repo'] });
      expect(end.type, JSON.stringify(events)).toBe('job_completed');
      const version = await plugin.run({ label: 'version', binary: 'git', args: ['--version'] });
      expect(version.type).toBe('job_completed');
      expect(linesOf(plugin.drainEvents(), version.job_id)[0]).toMatch(/^git version /);
    } finally {
      await host.dispose();
    }
  });
});
