/**
 * jobhost's client driving adapters that behave on the wire exactly as TA's
 * Python Perforce adapter and its Rust SVN adapter do (fixtures written from
 * /tmp/interop/ta.md): every method TA sends is reachable whatever the
 * capability names, every refusal has one code, and path params are absolute.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VcsAdapterClient } from '../../src/vcs/client.js';
import type { VcsAdapterClientOptions } from '../../src/vcs/client-options.js';
import { makeHost } from '../helpers/host.js';
import { rejection, thrownBy, vcsFixture } from './helpers.js';

const P4 = ['P4PORT', 'P4USER', 'P4CLIENT'];
const GOAL = { goal_id: 'a3c1e0f2-0000-4000-8000-000000000001', goal_title: 'Fix login' };

function clientFor(fixture: string, options: Partial<Omit<VcsAdapterClientOptions, 'host' | 'binary' | 'owner'>> = {}) {
  const host = makeHost({ binaries: { [fixture]: { path: vcsFixture(`${fixture}.mjs`), env: P4 } } });
  mkdirSync(join(host.root, 'ws'));
  const client = new VcsAdapterClient({ host, owner: 'vcs', binary: fixture, cwd: 'ws', ...options });
  return { host, client, labels: () => host.forOwner('vcs').list().map((job) => job.label.replace(`vcs ${fixture} `, '')) };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("TA's Python vcs-perforce adapter, on the wire", () => {
  it('without its variables: detect answers detected:false (its extra key ignored), every other call its own refusal, exit 0', async () => {
    const { client } = clientFor('ta-perforce-py');
    const hello = await client.handshake();
    expect(hello.adapter_name).toBe('perforce');
    expect(hello.capabilities).toEqual(['status', 'diff', 'submit', 'shelve', 'save_state', 'restore_state', 'revision_id', 'protected_targets', 'verify_target']);
    expect(await client.detect()).toEqual({ detected: false });
    const refused = await rejection(client.commit({ ...GOAL, message: 'm', changed_files: ['src/a.ts'] }));
    expect(refused).toMatchObject({ code: 'ERR_VCS_ADAPTER_ERROR', exitCode: 0, message: 'Missing Perforce env vars: P4PORT, P4USER, P4CLIENT', adapterMessage: 'Missing Perforce env vars: P4PORT, P4USER, P4CLIENT' });
  });

  it('passEnv hands P4PORT, P4USER and P4CLIENT through from this process, without touching the host base env', async () => {
    vi.stubEnv('P4PORT', 'ssl:p4.example.test:1666');
    vi.stubEnv('P4USER', 'bot');
    vi.stubEnv('P4CLIENT', 'bot-ws');
    const { client } = clientFor('ta-perforce-py', { passEnv: P4 });
    expect(await client.saveState()).toEqual({ state: { client: 'bot-ws', opened: [] } });
    // the values TA's adapter really sends, which a strict host must accept
    expect(await client.revisionId()).toEqual({ revision_id: '' });
    expect(await client.commit({ ...GOAL, message: 'm', changed_files: [] })).toEqual({ commit_id: '', message: 'No pending changelist found — nothing to submit', metadata: {} });
    expect(await client.checkReview({ review_id: '1' })).toEqual({ found: false, state: 'unknown', checks_passing: false });
    expect(await client.mergeReview({ review_id: '1' })).toEqual({ merged: false, merge_commit: '', message: 'Not implemented', metadata: {} });
    expect(await client.syncUpstream()).toEqual({ updated: true, conflicts: [], new_commits: 2, message: 'Synced 2 files', metadata: { changelist: '1236' } });
    await expect(client.verifyTarget()).resolves.toBeUndefined();
    await expect(client.restoreState({ state: { client: 'bot-ws', opened: [] } })).resolves.toBeUndefined();
  });

  it('methods it does not announce are still sent, as TA sends them; its "Unknown method" is an ordinary refusal', async () => {
    vi.stubEnv('P4PORT', 'p');
    vi.stubEnv('P4USER', 'u');
    vi.stubEnv('P4CLIENT', 'c');
    const { client, labels } = clientFor('ta-perforce-py', { passEnv: P4 });
    expect(await client.supports('open_review')).toBe(false);
    expect(await client.supports('is_path_ignored')).toBe(false);
    await expect(client.openReview({ ...GOAL, draft_summary: 's', changed_files: [] })).rejects.toMatchObject({ code: 'ERR_VCS_ADAPTER_ERROR', message: 'Unknown method: open_review', exitCode: 0 });
    await expect(client.isPathIgnored({ ta_rel_path: 'staging/' })).rejects.toMatchObject({ code: 'ERR_VCS_ADAPTER_ERROR', message: 'Unknown method: is_path_ignored' });
    expect(labels()).toEqual(['handshake', 'open_review', 'is_path_ignored']);
  });

  it('passEnv and env refuse host-only names up front, saying where they belong', () => {
    const { host } = clientFor('ta-perforce-py');
    const error = thrownBy(() => new VcsAdapterClient({ host, owner: 'vcs', binary: 'ta-perforce-py', passEnv: ['PATH'] }));
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
    expect(error.message).toContain('hostEnv');
    expect(thrownBy(() => new VcsAdapterClient({ host, owner: 'vcs', binary: 'ta-perforce-py', env: { HOME: '/x' } })).code).toBe('ERR_INVALID_OPTIONS');
  });
});

describe("TA's Rust ta-submit-svn adapter, on the wire", () => {
  it('answers open_review although it announces no review capability, and the client sends it', async () => {
    const { client } = clientFor('ta-svn');
    expect((await client.handshake()).capabilities).toEqual(['commit', 'push', 'sync', 'save_state', 'protected_targets']);
    expect(await client.openReview({ ...GOAL, draft_summary: 'what\nwhy', changed_files: ['a.c'] })).toEqual({
      review_url: 'svn://no-review',
      review_id: 'none',
      message: 'SVN has no review workflow',
      metadata: {},
    });
  });

  it('has no check_review or merge_review: its "Unknown method …" refusal (exit 0) has the same code as a refusal with exit 1', async () => {
    const { client } = clientFor('ta-svn');
    const exit0 = await rejection(client.checkReview({ review_id: 'none' }));
    expect(exit0).toMatchObject({ code: 'ERR_VCS_ADAPTER_ERROR', exitCode: 0 });
    expect(exit0.message).toMatch(/^Unknown method 'check_review'\. Supported methods: /);
    expect(exit0.stderr).toContain('[ta-submit-svn] check_review in');
    const other = clientFor('error-envelope');
    const exit1 = await rejection(other.client.commit({ ...GOAL, message: 'm', changed_files: [] }));
    expect(exit1).toMatchObject({ code: exit0.code, exitCode: 1, message: 'p4 not found' });
  });

  it('round-trips state with null values, and accepts {"ok":true} without a result', async () => {
    const { client } = clientFor('ta-svn');
    const saved = await client.saveState();
    expect(saved).toEqual({ state: { url: null, revision: null } });
    await expect(client.restoreState(saved)).resolves.toBeUndefined();
    await expect(client.verifyTarget()).resolves.toBeUndefined();
    expect(await client.protectedTargets()).toEqual({ targets: ['/trunk'] });
    expect(await client.syncUpstream()).toEqual({ updated: true, conflicts: ['src/a.c'], new_commits: 3, message: 'Updated to revision 45', metadata: {} });
  });

  it('paths: detect gets the absolute call directory by default; a relative path is refused before anything runs', async () => {
    const { host, client, labels } = clientFor('ta-svn');
    expect(await client.detect()).toEqual({ detected: false });
    mkdirSync(join(host.root, 'ws', '.svn'));
    expect(await client.detect()).toEqual({ detected: true });
    expect(await client.detect({ project_root: join(host.root, 'ws') })).toEqual({ detected: true });
    const relative = await rejection(client.detect({ project_root: 'ws' }));
    expect(relative).toMatchObject({ code: 'ERR_VCS_INVALID_PARAMS', method: 'detect' });
    expect(relative.message).toContain(`project_root must be an absolute path, got "ws"`);
    expect(relative.message).toContain(JSON.stringify(join(host.root, 'ws', 'ws')));
    const prepare = await rejection(client.prepare({ ...GOAL, workspace_path: 'staging', branch_prefix: 'ta/', co_author: null }));
    expect(prepare).toMatchObject({ code: 'ERR_VCS_INVALID_PARAMS', method: 'prepare' });
    await expect(client.isPathIgnored({ ta_rel_path: 'x', project_root: '.' })).rejects.toMatchObject({ code: 'ERR_VCS_INVALID_PARAMS' });
    expect(client.directory()).toBe(join(host.root, 'ws'));
    expect(labels()).toEqual(['handshake', 'detect', 'detect', 'detect']);
  });
});
