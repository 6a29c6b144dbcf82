import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitWorld, type GitWorld } from './git-world.js';

/** A colleague changes README.md's second line on main and pushes. */
function upstreamChange(world: GitWorld, line: string): void {
  world.write(world.other, 'README.md', `line one\n${line}\n`);
  world.git(world.other, 'commit', '--quiet', '-am', `upstream: ${line}`);
  world.git(world.other, 'push', '--quiet', 'origin', 'main');
}

/** Our goal branch with one local commit touching `path`. */
async function localWork(world: GitWorld, path: string, text: string): Promise<void> {
  const client = world.client();
  await client.prepare({ goal_id: 'g', goal_title: 'Local work', workspace_path: world.work, branch_prefix: 'feature/' });
  world.write(world.work, path, text);
  await client.commit({ goal_id: 'g', goal_title: 'Local work', message: 'local work', changed_files: [path] });
}

describe('the git adapter’s sync_upstream on real repositories', { timeout: 120_000 }, () => {
  it('rebases onto new upstream commits and reports them; a second sync has nothing to do', async () => {
    const world = gitWorld();
    await localWork(world, 'feature.txt', 'new feature\n');
    upstreamChange(world, 'upstream edit');
    const client = world.client();
    expect(await client.syncUpstream()).toEqual({
      updated: true,
      conflicts: [],
      new_commits: 1,
      message: 'rebased onto origin/main (1 new commit)',
      metadata: { strategy: 'rebase', upstream: 'origin/main' },
    });
    expect(world.git(world.work, 'log', '--format=%s')).toBe('local work\nupstream: upstream edit\ninitial commit');
    expect(await client.syncUpstream()).toMatchObject({ updated: false, new_commits: 0, conflicts: [], message: 'already up to date with origin/main' });
  });

  it('a conflicting rebase reports the files, is aborted, and leaves the workspace as it was', async () => {
    const world = gitWorld();
    await localWork(world, 'README.md', 'line one\nour edit\n');
    const before = world.git(world.work, 'rev-parse', 'HEAD');
    upstreamChange(world, 'their edit');
    const result = await world.client().syncUpstream();
    expect(result).toMatchObject({ updated: false, conflicts: ['README.md'], new_commits: 1, metadata: { strategy: 'rebase', aborted: 'true' } });
    expect(result.message).toContain('stopped on conflicts in README.md');
    expect(world.git(world.work, 'rev-parse', 'HEAD')).toBe(before);
    expect(world.git(world.work, 'status', '--porcelain')).toBe('');
    expect(existsSync(join(world.work, '.git', 'rebase-merge'))).toBe(false);
    expect(existsSync(join(world.work, '.git', 'rebase-apply'))).toBe(false);
  });

  it('with JOBHOST_GIT_SYNC=merge: merges cleanly, or aborts a conflicting merge', async () => {
    const clean = gitWorld();
    await localWork(clean, 'feature.txt', 'new feature\n');
    upstreamChange(clean, 'upstream edit');
    expect(await clean.client({ JOBHOST_GIT_SYNC: 'merge' }).syncUpstream()).toMatchObject({ updated: true, new_commits: 1, message: 'merged origin/main (1 new commit)' });
    expect(clean.git(clean.work, 'log', '-1', '--format=%P').split(' ')).toHaveLength(2);

    const clash = gitWorld();
    await localWork(clash, 'README.md', 'line one\nour edit\n');
    const before = clash.git(clash.work, 'rev-parse', 'HEAD');
    upstreamChange(clash, 'their edit');
    expect(await clash.client({ JOBHOST_GIT_SYNC: 'merge' }).syncUpstream()).toMatchObject({ updated: false, conflicts: ['README.md'] });
    expect(clash.git(clash.work, 'rev-parse', 'HEAD')).toBe(before);
    expect(existsSync(join(clash.work, '.git', 'MERGE_HEAD'))).toBe(false);
  });
});
