// "My plugin asks for a build and shows its progress", tested with jobhost/testing: a real process, no mocks.
import { describe, expect } from 'vitest';
import { jobhostTest } from '../../src/testing/index.js';
import { runBuild } from './build-plugin.js';

const test = jobhostTest({
  plugin: 'build-plugin',
  programs: {
    build: {
      steps: [
        { notify: 'task.update', params: { id: 'b', current: 1, total: 4, message: 'compiling' } },
        { stderr: 'unused variable x' },
        { notify: 'task.update', params: { id: 'b', current: 4, total: 4, message: 'linking' } },
      ],
      policy: { progress: 'task-notifications' },
    },
  },
});

describe('build plugin', () => {
  test('shows the build progress and its warnings', async ({ jobs, events }) => {
    const shown: string[] = [];
    expect(await runBuild(jobs, (status) => shown.push(status))).toBe(0);
    // stdout and stderr are separate pipes: progress keeps its order, the warning may land anywhere
    expect(shown.filter((status) => !status.startsWith('warning'))).toEqual(['25% compiling', '100% linking']);
    expect(shown).toContain('warning: unused variable x');
    expect(events).toHaveProgressed(100);
    expect(events).toCompleteWith(0);
  });
});
