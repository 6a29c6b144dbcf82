import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rejection, vcsFixture } from './helpers.js';
import { gitWorld } from './git-world.js';

// Every call starts node + tsx + git: allow for a slow, loaded machine.
describe('the example git adapter, end to end through the client on real repositories', { timeout: 120_000 }, () => {
  it('handshakes, detects, and reports its patterns, revision and protected targets', async () => {
    const world = gitWorld();
    const client = world.client();
    expect(await client.handshake()).toMatchObject({ adapter_name: 'git', protocol_version: 1 });
    expect(client.capabilities).toContain('protected_targets');
    expect(client.capabilities).not.toContain('open_review');
    expect(await client.detect({ project_root: world.work })).toEqual({ detected: true });
    expect(await client.detect({ project_root: world.root })).toEqual({ detected: false });
    expect(await client.detect({ project_root: join(world.root, 'missing') })).toEqual({ detected: false });
    expect(await client.excludePatterns()).toEqual({ patterns: ['.git/'] });
    expect(await client.revisionId()).toEqual({ revision_id: world.git(world.work, 'rev-parse', 'HEAD') });
    expect(await client.protectedTargets()).toEqual({ targets: ['main', 'master'] });
  });

  it('verify_target and push refuse on a protected branch', async () => {
    const world = gitWorld();
    const client = world.client();
    const refused = await rejection(client.verifyTarget());
    expect(refused).toMatchObject({ code: 'ERR_VCS_ADAPTER_ERROR', exitCode: 0 });
    expect(refused.message).toContain('protected target "main"');
    expect(refused.adapterMessage).toBe(refused.message);
    await expect(client.push({ goal_id: 'g' })).rejects.toMatchObject({ message: 'refusing to push protected target "main"' });
    const custom = world.client({ JOBHOST_GIT_PROTECTED: 'release/*,trunk' });
    expect(await custom.protectedTargets()).toEqual({ targets: ['release/*', 'trunk'] });
    await expect(custom.verifyTarget()).resolves.toBeUndefined();
  });

  it('prepare → commit (only the given files, co-author trailer) → push to the bare remote', async () => {
    const world = gitWorld();
    const client = world.client();
    await client.prepare({ goal_id: 'goal-7', goal_title: 'Fix the Login bug!', workspace_path: world.work, branch_prefix: 'feature/', co_author: 'Bot <bot@example.test>' });
    expect(world.git(world.work, 'branch', '--show-current')).toBe('feature/fix-the-login-bug');
    await expect(client.verifyTarget()).resolves.toBeUndefined();

    world.write(world.work, 'login.txt', 'fixed\n');
    world.write(world.work, 'unrelated.txt', 'not part of the goal\n');
    const committed = await client.commit({ goal_id: 'goal-7', goal_title: 'Fix the Login bug!', message: 'Fix the login bug\n\nIt was the cookie.', changed_files: ['login.txt'] });
    expect(committed.commit_id).toBe(world.git(world.work, 'rev-parse', 'HEAD'));
    expect(committed.metadata).toEqual({ branch: 'feature/fix-the-login-bug', goal_id: 'goal-7' });
    expect(world.git(world.work, 'show', '--name-only', '--format=', 'HEAD')).toBe('login.txt');
    expect(world.git(world.work, 'log', '-1', '--format=%B')).toBe('Fix the login bug\n\nIt was the cookie.\n\nCo-authored-by: Bot <bot@example.test>');
    expect(world.git(world.work, 'status', '--porcelain')).toBe('?? unrelated.txt');

    const pushed = await client.push({ goal_id: 'goal-7' });
    expect(pushed).toMatchObject({ remote_ref: 'feature/fix-the-login-bug', metadata: { remote: 'origin', commit: committed.commit_id } });
    expect(world.git(world.remote, 'rev-parse', 'refs/heads/feature/fix-the-login-bug')).toBe(committed.commit_id);
    await expect(client.commit({ goal_id: 'goal-7', goal_title: 't', message: 'm', changed_files: [] })).rejects.toMatchObject({
      message: 'nothing to commit: changed_files is empty',
    });
  });

  it('save_state stashes uncommitted work; restore_state brings branch and work back', async () => {
    const world = gitWorld();
    const client = world.client();
    world.write(world.work, 'README.md', 'line one\nedited\n');
    world.write(world.work, 'notes.txt', 'untracked notes\n');
    const { state } = await client.saveState();
    expect(state).toMatchObject({ branch: 'main', head: world.git(world.work, 'rev-parse', 'HEAD') });
    expect((state as { stash: string }).stash).toMatch(/^[0-9a-f]{40}$/);
    expect(world.git(world.work, 'status', '--porcelain')).toBe('');

    await client.prepare({ goal_id: 'g2', goal_title: 'Other work', workspace_path: world.work, branch_prefix: 'goal/' });
    expect(world.git(world.work, 'branch', '--show-current')).toBe('goal/other-work');
    await client.restoreState({ state });
    expect(world.git(world.work, 'branch', '--show-current')).toBe('main');
    expect(world.git(world.work, 'status', '--porcelain')).toBe('M README.md\n?? notes.txt');
    expect(world.git(world.work, 'stash', 'list')).toBe('');
    await expect(client.restoreState({ state: null })).resolves.toBeUndefined();
    expect((await rejection(client.restoreState({ state: 'garbage' }))).message).toContain('not a state saved by this adapter');
  });

  it('review methods are not offered unless a review command is configured', async () => {
    const world = gitWorld();
    const plain = world.client();
    expect(await plain.supports('check_review')).toBe(false);
    await expect(plain.checkReview({ review_id: '1' })).rejects.toMatchObject({ code: 'ERR_VCS_ADAPTER_ERROR', exitCode: 0 });
    const reviewing = world.client({ JOBHOST_GIT_REVIEW_COMMAND: vcsFixture('review-tool.mjs') });
    expect((await reviewing.handshake()).capabilities).toEqual(expect.arrayContaining(['open_review', 'check_review', 'merge_review']));
    expect(await reviewing.openReview({ goal_id: 'g9', goal_title: 'Nine', draft_summary: 's', changed_files: [] })).toEqual({
      review_url: 'https://reviews.example.test/g9',
      review_id: '101',
      message: 'opened for Nine',
      metadata: {},
    });
    expect(await reviewing.checkReview({ review_id: '101' })).toEqual({ found: true, state: 'open', checks_passing: true });
    expect(await reviewing.mergeReview({ review_id: '101' })).toEqual({ merged: true, merge_commit: null, message: 'merged', metadata: {} });
  });

  it('a broken configuration is reported by every call (the handshake still works)', async () => {
    const world = gitWorld();
    const client = world.client({ JOBHOST_GIT_SYNC: 'sideways' });
    await expect(client.handshake()).resolves.toMatchObject({ adapter_name: 'git' });
    await expect(client.syncUpstream()).rejects.toMatchObject({ message: 'JOBHOST_GIT_SYNC must be "rebase" or "merge", got "sideways"' });
    expect(existsSync(join(world.work, '.git'))).toBe(true);
  });
});
