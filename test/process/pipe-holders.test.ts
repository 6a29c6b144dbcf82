/**
 * /proc says who holds a child's output pipes: the child and whatever it
 * passed them to, never the host itself, and nobody once they all exited.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnds, describeHolders, pipeHolders } from '../../src/process/pipe-holders.js';

const children: number[] = [];
afterEach(() => {
  for (const pid of children.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

describe('pipe holders', () => {
  it('finds the child holding its stdout and stderr, then a daemon it handed them to, then nobody', async () => {
    // the child starts a daemon (new session) that inherits its stdout and stderr, prints its pid, and waits for stdin to close
    const script = `
      const { spawn } = require('node:child_process');
      const d = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
      d.unref();
      process.stdout.write('daemon ' + d.pid + '\\n');
      process.stdin.resume();
      process.stdin.on('end', () => process.exit(0));`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child.pid as number);
    const ends = childEnds(child.pid as number);
    expect(ends).toHaveLength(2);
    for (const end of ends ?? []) expect(end).toMatch(/^(socket|pipe):\[\d+\]$/);
    const [first] = (await once(child.stdout, 'data')) as [Buffer];
    const daemon = Number(/daemon (\d+)/.exec(first.toString())?.[1]);
    children.push(daemon);

    expect(pipeHolders(ends ?? []).map((holder) => holder.pid).sort()).toEqual([child.pid, daemon].sort());
    child.stdin.end();
    await once(child, 'exit');
    const left = pipeHolders(ends ?? []);
    expect(left.map((holder) => holder.pid)).toEqual([daemon]);
    expect(describeHolders(left)).toBe(`pid ${daemon} (node)`);

    process.kill(daemon, 'SIGKILL');
    await once(child.stdout, 'close');
    expect(pipeHolders(ends ?? [])).toEqual([]);
  });

  it('an empty list of ends has no holders, and a gone process has no ends', async () => {
    expect(pipeHolders([])).toEqual([]);
    const child = spawn('/bin/true', [], { stdio: 'ignore' });
    await once(child, 'exit');
    expect(childEnds(child.pid as number)).toEqual([]);
  });
});
