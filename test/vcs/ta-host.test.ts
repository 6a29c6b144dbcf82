/**
 * A host that behaves as TrustedAutonomy's does (ta-host-fake.ts) driving
 * adapters built with `jobhost/vcs-adapter`: TA must see the kit adapter's own
 * words, through the paths TA actually takes.
 */
import { describe, expect, it } from 'vitest';
import { makeHost } from '../helpers/host.js';
import { vcsFixture } from './helpers.js';
import { FakeTaHost } from './ta-host-fake.js';

function taHost(fixture: string, env: Record<string, string> = {}): { ta: FakeTaHost; jobs: () => string[] } {
  const host = makeHost({ binaries: { adapter: { path: vcsFixture(fixture) } }, env: { PATH: process.env.PATH ?? '', ...env } });
  const ta = new FakeTaHost(host, 'adapter');
  return { ta, jobs: () => host.forOwner('ta').list().map((job) => job.label) };
}

const GOAL = { goal_id: 'a3c1e0f2-0000-4000-8000-000000000001', goal_title: 'Fix login' };

describe("TA's host drives a kit adapter", () => {
  it('loads it as TA does: a handshake process, then protected_targets because the kit announced it', async () => {
    const { ta, jobs } = taHost('kit-ta.mjs');
    expect(await ta.load('kit-ta')).toMatchObject({ ok: true });
    expect(ta.adapterName).toBe('kit-ta');
    expect(ta.capabilities).toEqual(['commit', 'open_review', 'protected_targets', 'verify_target', 'is_path_ignored', 'commit_diff']);
    expect(jobs()).toEqual(['ta handshake', 'ta protected_targets']);
  });

  it("an adapter's refusal reaches the user in its own words: ok:false and exit 0, as TA's adapters", async () => {
    const { ta } = taHost('kit-ta.mjs');
    await ta.load('kit-ta');
    expect(await ta.call('commit', { ...GOAL, message: 'Fix login', changed_files: ['src/login.ts'] })).toEqual({
      ok: false,
      message: `VCS operation failed: VCS plugin 'kit-ta' method 'commit' failed: cannot commit ${GOAL.goal_id}: nothing staged`,
    });
    expect(await ta.call('verify_target', {})).toEqual({ ok: false, message: 'Invalid state: refusing to submit on protected target "main"' });
  });

  it('a request the kit cannot read exits 1, and TA (which then shows only stderr) still gets the reason', async () => {
    const { ta } = taHost('kit-ta.mjs');
    const outcome = await ta.transport('commit', '{"method":"commit"}');
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.message).toMatch(/^VCS operation failed: plugin 'vcs-plugin' method 'commit' failed: \[kit-ta\]: malformed request: .*params/);
  });

  it('the methods TA gates on exact capability names reach the kit adapter, which announces what it handles', async () => {
    const { ta, jobs } = taHost('kit-ta.mjs', { KIT_TA_BRANCH: 'feature' });
    await ta.load('kit-ta');
    expect(await ta.call('verify_target', {})).toEqual({ ok: true, result: null });
    expect(await ta.call('is_path_ignored', { project_root: '/srv/p', ta_rel_path: 'staging/' })).toEqual({ ok: true, result: { ignored: true } });
    expect(await ta.call('commit_diff', {})).toEqual({ ok: true, result: { diff: 'diff --git a/x b/x\n+ü\n' } });
    expect(await ta.call('open_review', { ...GOAL, draft_summary: 'what\nwhy', changed_files: [] })).toMatchObject({ ok: true, result: { review_id: '1' } });
    expect(jobs()).toEqual(['ta handshake', 'ta protected_targets', 'ta verify_target', 'ta is_path_ignored', 'ta commit_diff', 'ta open_review']);
  });

  it('a method TA adds later, or one without a handler, is an ok:false answer TA shows verbatim', async () => {
    const { ta } = taHost('kit-ta.mjs');
    await ta.load('kit-ta');
    expect(await ta.call('stage_env', {})).toEqual({ ok: false, message: "VCS operation failed: VCS plugin 'kit-ta' method 'stage_env' failed: unknown method: stage_env" });
    expect(await ta.call('merge_review', { review_id: '1' })).toEqual({
      ok: false,
      message: "VCS operation failed: VCS plugin 'kit-ta' method 'merge_review' failed: method not supported by this adapter: merge_review",
    });
  });

  it('a kit adapter without protected_targets never sees verify_target from TA (documented)', async () => {
    const { ta, jobs } = taHost('kit-adapter.mjs');
    await ta.load('kit-fixture');
    expect(ta.capabilities).toContain('verify_target');
    expect(await ta.call('verify_target', {})).toEqual({ ok: true, result: null });
    expect(await ta.call('revision_id', {})).toEqual({ ok: true, result: { revision_id: 'abc123' } });
    expect(jobs()).toEqual(['ta handshake', 'ta revision_id']);
  });
});
