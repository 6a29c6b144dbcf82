import { describe, expect, it } from 'vitest';
import { VcsAdapterClient } from '../../src/vcs/client.js';
import { fixtureClient, rejection, thrownBy } from './helpers.js';

const ALL = 'protected_targets,open_review,check_review,merge_review';

describe('VcsAdapterClient against a well-behaved adapter', () => {
  it('handshakes once, then runs one process per call through the JobHost, reading only the first line', async () => {
    const { host, client } = fixtureClient('ok', { env: { VCS_FIXTURE_CAPABILITIES: ALL }, hostVersion: '2.3.4' });
    expect(client.capabilities).toBeUndefined();
    expect(await client.revisionId()).toEqual({ revision_id: 'r42' });
    expect(await client.commit({ goal_id: 'g1', goal_title: 'T', message: 'msg', changed_files: ['a'] })).toEqual({
      commit_id: 'c-g1',
      message: 'msg',
      metadata: {},
    });
    expect(await client.detect({ project_root: '/nowhere' })).toEqual({ detected: false });
    expect(client.capabilities).toEqual(ALL.split(','));
    const labels = host.forOwner('vcs').list().map((job) => job.label);
    expect(labels).toEqual(['vcs vcs-ok handshake', 'vcs vcs-ok revision_id', 'vcs vcs-ok commit', 'vcs vcs-ok detect']);
    expect(host.forOwner('vcs').list().every((job) => typeof job.status === 'object' && 'Completed' in job.status)).toBe(true);
  });

  it('returns typed, schema-checked results for every method', async () => {
    const { client } = fixtureClient('ok', { env: { VCS_FIXTURE_CAPABILITIES: ALL } });
    expect(await client.handshake()).toEqual({ plugin_version: '0.0.1', protocol_version: 1, adapter_name: 'fixture', capabilities: ALL.split(',') });
    expect(await client.excludePatterns()).toEqual({ patterns: ['.fixture/'] });
    expect(await client.saveState()).toEqual({ state: { saved: [1, 2] } });
    await expect(client.restoreState({ state: { saved: [1, 2] } })).resolves.toBeUndefined();
    await expect(client.prepare({ goal_id: 'g', goal_title: 'T', workspace_path: '/w', branch_prefix: 'f/' })).resolves.toBeUndefined();
    expect(await client.push({ goal_id: 'g' })).toMatchObject({ remote_ref: 'refs/heads/g' });
    expect(await client.openReview({ goal_id: 'g', goal_title: 'T', draft_summary: 's', changed_files: [] })).toMatchObject({ review_id: '7' });
    expect(await client.protectedTargets()).toEqual({ targets: ['trunk'] });
    await expect(client.verifyTarget()).resolves.toBeUndefined();
    expect(await client.syncUpstream()).toEqual({ updated: false, conflicts: [], new_commits: 0, message: 'up to date', metadata: {} });
    expect(await client.checkReview({ review_id: '7' })).toEqual({ found: true, state: 'open', checks_passing: null });
    expect(await client.mergeReview({ review_id: '7' })).toEqual({ merged: true, merge_commit: 'm1', message: 'merged', metadata: {} });
  });

  it('shares one handshake between concurrent calls', async () => {
    const { host, client } = fixtureClient('ok');
    await Promise.all([client.revisionId(), client.revisionId(), client.handshake()]);
    expect(host.forOwner('vcs').list().filter((job) => job.label.endsWith('handshake'))).toHaveLength(1);
  });

  it('never refuses a method for the capabilities, as TA: supports() only advises', async () => {
    const { host, client } = fixtureClient('ok', { env: { VCS_FIXTURE_CAPABILITIES: 'commit,push' } });
    expect(await client.openReview({ goal_id: 'g', goal_title: 'T', draft_summary: 's', changed_files: [] })).toMatchObject({ review_id: '7' });
    expect(await client.protectedTargets()).toEqual({ targets: ['trunk'] });
    await expect(client.verifyTarget()).resolves.toBeUndefined();
    expect(await client.checkReview({ review_id: '7' })).toMatchObject({ found: true });
    expect(await client.supports('merge_review')).toBe(false);
    expect(await client.supports('open_review')).toBe(false);
    expect(await client.supports('commit')).toBe(true);
    expect(host.forOwner('vcs').list().map((job) => job.label)).toEqual([
      'vcs vcs-ok handshake',
      'vcs vcs-ok open_review',
      'vcs vcs-ok protected_targets',
      'vcs vcs-ok verify_target',
      'vcs vcs-ok check_review',
    ]);
  });

  it("supports() reads TA's names: review announces open_review, protected_targets announces verify_target", async () => {
    const { client } = fixtureClient('ok', { env: { VCS_FIXTURE_CAPABILITIES: 'review,protected_targets' } });
    expect(await client.supports('open_review')).toBe(true);
    expect(await client.supports('verify_target')).toBe(true);
    expect(await client.supports('is_path_ignored')).toBe(false);
    expect(await client.supports('commit_diff')).toBe(false);
  });

  it('refuses invalid params before spawning, naming the path', async () => {
    const { host, client } = fixtureClient('ok');
    const error = await rejection(client.commit({ goal_id: 'g', goal_title: 'T', message: 'm', changed_files: 'a' as never }));
    expect(error).toMatchObject({ code: 'ERR_VCS_INVALID_PARAMS', method: 'commit' });
    expect(error.message).toContain('changed_files');
    expect(host.forOwner('vcs').list().filter((job) => job.label.endsWith('commit'))).toEqual([]);
  });

  it('lenientLists turns failures of exclude_patterns and protected_targets into empty lists, and says so', async () => {
    const seen: string[] = [];
    const { client } = fixtureClient('error-envelope', { lenientLists: true, onLenientFailure: (error) => seen.push(error.code) });
    expect(await client.excludePatterns()).toEqual({ patterns: [] });
    expect(await client.protectedTargets()).toEqual({ targets: [] });
    expect(seen).toEqual(['ERR_VCS_ADAPTER_ERROR', 'ERR_VCS_ADAPTER_ERROR']);
    // other methods stay strict
    await expect(client.revisionId()).rejects.toMatchObject({ code: 'ERR_VCS_ADAPTER_ERROR' });
    // and an abort is never swallowed
    await expect(client.excludePatterns({ signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_VCS_ABORTED' });
  });

  it('without lenientLists the same failures throw', async () => {
    const { client } = fixtureClient('error-envelope');
    await expect(client.excludePatterns()).rejects.toMatchObject({ code: 'ERR_VCS_ADAPTER_ERROR', adapterMessage: 'p4 not found' });
  });

  it('validates its options, naming the option', () => {
    const { host } = fixtureClient('ok');
    expect(thrownBy(() => new VcsAdapterClient({ host, owner: 'vcs', binary: 'vcs-ok', timeoutMs: 0 }))).toMatchObject({
      code: 'ERR_INVALID_OPTIONS',
      message: 'Expected `timeoutMs` to be an integer from 1 to 2147483647, got `0` (number)',
    });
    expect(thrownBy(() => new VcsAdapterClient({ host, owner: '', binary: 'vcs-ok' })).code).toBe('ERR_INVALID_OPTIONS');
    const notAllowed = thrownBy(() => new VcsAdapterClient({ host, owner: 'vcs', binary: 'jobhost-vcs-nope' }));
    expect(notAllowed.code).toBe('ERR_VCS_POLICY');
    expect(notAllowed.message).toContain("not in the host's allow-list");
  });
});
