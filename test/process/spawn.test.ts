/**
 * What the process layer promises the host: the streams it hands over are the
 * child's own pipes, read as raw bytes (execa puts nothing in between when it
 * does not buffer), and probing a group that is gone says so without leaving
 * a trace in the process.
 */
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { signalGroup, terminateGroup } from '../../src/process/group.js';
import { isSpawnFailure, startProcess, type RunningProcess } from '../../src/process/spawn.js';

async function start(script: string): Promise<RunningProcess> {
  const started = await startProcess({ file: process.execPath, args: ['-e', script], cwd: '/', env: {} });
  if (isSpawnFailure(started)) throw new Error(`could not start node: ${started.code}: ${started.message}`);
  return started;
}

async function end(started: RunningProcess): Promise<void> {
  await started.exit;
  await terminateGroup(started.pid, 1000);
  started.release();
}

describe('startProcess', () => {
  it("hands over the child's own sockets: the bytes as written, nothing decoded, stripped or transformed", async () => {
    const started = await start('process.stdout.write(Buffer.from([0x61, 0xff, 0x62, 0x0d, 0x0a, 0x0a])); process.stderr.write("e\\n")');
    expect(started.stdout).toBeInstanceOf(Socket);
    expect(started.stderr).toBeInstanceOf(Socket);
    expect(started.stdout.readableEncoding).toBeNull();
    expect(started.stdout.readableObjectMode).toBe(false);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    started.stdout.on('data', (chunk: unknown) => out.push(chunk as Buffer));
    started.stderr.on('data', (chunk: unknown) => err.push(chunk as Buffer));
    await Promise.all([new Promise((resolve) => started.stdout.once('close', resolve)), new Promise((resolve) => started.stderr.once('close', resolve))]);
    await end(started);
    expect([...out, ...err].every((chunk) => Buffer.isBuffer(chunk))).toBe(true);
    expect(Buffer.concat(out)).toEqual(Buffer.from([0x61, 0xff, 0x62, 0x0d, 0x0a, 0x0a]));
    expect(Buffer.concat(err).toString()).toBe('e\n');
  });
});

describe('signalGroup', () => {
  it('is true for a live group, false once it is gone, and leaves Error.stackTraceLimit as it was', async () => {
    const before = Error.stackTraceLimit;
    const started = await start('setTimeout(() => {}, 60_000)');
    expect(signalGroup(started.pid, 0)).toBe(true);
    expect(signalGroup(started.pid, 'SIGKILL')).toBe(true);
    await end(started);
    expect(signalGroup(started.pid, 0)).toBe(false);
    expect(Error.stackTraceLimit).toBe(before);
  });

  it('works where Error.stackTraceLimit cannot be written (frozen intrinsics)', async () => {
    const started = await start('');
    await end(started);
    const descriptor = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit') as PropertyDescriptor;
    Object.defineProperty(Error, 'stackTraceLimit', { ...descriptor, writable: false });
    try {
      expect(signalGroup(started.pid, 0)).toBe(false);
      expect(Error.stackTraceLimit).toBe(descriptor.value);
    } finally {
      Object.defineProperty(Error, 'stackTraceLimit', descriptor);
    }
  });
});
