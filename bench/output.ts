/**
 * The output benchmarks: lines of a flooding child reaching each consumer
 * style of the JobHost against node:readline over a raw `child_process.spawn`
 * of the same fixture (row 2), and the line latency of a quiet job while
 * eight others flood (row 10). Every contender counts what it received; one
 * that loses a line is reported as wrong, never as fast.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { JobEvent } from '../src/contracts/jobs.js';
import { JobHost, type JobHandle, type JobHostOptions } from '../src/index.js';
import { LineSplitter } from '../src/output/line-splitter.js';
import { defaultBaseEnv } from '../src/policy/env/index.js';
import { compare, type Contender, type Measured } from './measure.js';

type Report = (title: string, unit: string, measured: Measured[], baseline: string, key: string) => void;

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const FLOOD = here('../test/fixtures/flood.mjs');
const TICKER = here('./ticker.mjs');
// the JobHost gives a job a minimal environment; the raw contenders get the same (this machine's
// NODE_EXTRA_CA_CERTS alone costs a Node child ~35 ms at start-up)
const ENV = defaultBaseEnv(process.env);

/** Lines flood.mjs prints for `megabytes`: whole 64 KiB blocks of 40-byte lines until the total is reached. */
function floodLines(megabytes: number): number {
  const perBlock = Math.floor(65_536 / 40);
  return Math.ceil((megabytes * 1024 * 1024) / (perBlock * 40)) * perBlock;
}

function rawLines(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(FLOOD, args, { stdio: ['ignore', 'pipe', 'ignore'], env: ENV });
    let lines = 0;
    createInterface({ input: child.stdout }).on('line', () => (lines += 1)).on('close', () => resolve(lines));
  });
}

function floodHost(options: Partial<JobHostOptions> = {}): JobHost {
  return new JobHost({ root: process.cwd(), binaries: { flood: { path: FLOOD } }, ...options });
}

const isStdoutLine = (event: JobEvent): boolean => event.type === 'job_log_line' && event.stream === 'stdout';

/** Drains `handle` on every event-loop turn while `job` runs, then once more; returns the stdout lines. */
async function drainEveryTurn(handle: JobHandle, args: string[]): Promise<number> {
  let lines = 0;
  let done = false;
  const drain = (): void => {
    for (const event of handle.drainEvents()) if (isStdoutLine(event)) lines += 1;
    if (!done) setImmediate(drain);
  };
  setImmediate(drain);
  await handle.run({ label: 'flood', binary: 'flood', args });
  done = true;
  for (const event of handle.drainEvents()) if (isStdoutLine(event)) lines += 1;
  return lines;
}

/** A listener contender: `subscribe` adds a counting listener; the job runs to its terminal event. */
async function listened(handle: JobHandle, args: string[], subscribe: (count: (event: JobEvent) => void) => () => void): Promise<number> {
  let lines = 0;
  const off = subscribe((event) => {
    if (isStdoutLine(event)) lines += 1;
  });
  await handle.run({ label: 'flood', binary: 'flood', args });
  off();
  return lines;
}

/** Row 2: every consumer style, with the settings each states, against readline on a raw child. */
export async function outputThroughput(quick: boolean, report: Report): Promise<void> {
  const megabytes = quick ? 200_000 * 40 / 2 ** 20 : 2_000_000 * 40 / 2 ** 20; // 200 k or 2 M lines of 40 bytes
  const args = [String(megabytes)];
  const expect = floodLines(megabytes);
  const defaults = floodHost();
  const big = floodHost({ buffer: { maxEvents: 1_000_000, maxBytes: 512 * 1024 * 1024 } });
  const unbuffered = floodHost();
  const listen = defaults.forOwner('listen');
  const hostListen = defaults.forOwner('host-listen');
  const drained = defaults.forOwner('drain');
  const drainedBig = big.forOwner('drain');
  const iterated = defaults.forOwner('iterate');
  const bare = unbuffered.forOwner('bare', { bufferEvents: false });
  const contenders: Contender[] = [
    { name: 'node:readline on a raw child', expect, run: () => rawLines(args) },
    {
      name: 'raw child + LineSplitter (no host)',
      expect,
      run: () =>
        new Promise((resolve) => {
          const child = spawn(FLOOD, args, { stdio: ['ignore', 'pipe', 'ignore'], env: ENV });
          let lines = 0;
          const splitter = new LineSplitter(65_536, () => (lines += 1));
          child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
          child.stdout.on('close', () => {
            splitter.end();
            resolve(lines);
          });
        }),
    },
    { name: 'handle.onEvent (defaults)', expect, run: () => listened(listen, args, (count) => listen.onEvent(count)) },
    {
      name: "host.on('event') (defaults)",
      expect,
      run: () =>
        listened(hostListen, args, (count) => {
          const listener = (event: JobEvent, owner: string): void => {
            if (owner === 'host-listen') count(event);
          };
          defaults.on('event', listener);
          return () => defaults.off('event', listener);
        }),
    },
    { name: 'onEvent, bufferEvents: false', expect, run: () => listened(bare, args, (count) => bare.onEvent(count)) },
    { name: 'drainEvents every turn (defaults)', expect, run: () => drainEveryTurn(drained, args) },
    { name: 'drainEvents every turn, 1M buffer', expect, run: () => drainEveryTurn(drainedBig, args) },
    {
      name: 'for await (defaults)',
      expect,
      run: async () => {
        let lines = 0;
        const id = iterated.spawn({ label: 'flood', binary: 'flood', args });
        for await (const event of iterated) {
          if (isStdoutLine(event)) lines += 1;
          else if (event.type !== 'job_log_line' && event.type !== 'job_started' && event.job_id === id) break;
        }
        return lines;
      },
    },
    {
      name: 'execa line iteration',
      expect,
      run: async () => {
        let lines = 0;
        for await (const _line of execa(FLOOD, args, { env: ENV, extendEnv: false })) lines += 1;
        return lines;
      },
    },
  ];
  const measured = await compare(contenders, quick ? 2 : 5);
  await Promise.all([defaults.dispose(), big.dispose(), unbuffered.dispose()]);
  report(`2. Output throughput: ${quick ? '200 k' : '2 M'} lines of 40 bytes, each consumer style`, 'lines', measured, 'node:readline on a raw child', 'output');
  const lost = [listen, hostListen, drained, drainedBig, iterated].filter((handle) => handle.droppedEvents > 0);
  for (const handle of lost) console.log(`  (owner "${handle.owner}" had ${handle.droppedEvents} events shed from its buffer)`);
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const CHATTY = 8;
const FOREVER_MB = '100000';

/** Quiet job's line latencies (ms) with 8 floods beside it, raw spawn + readline for every child. */
async function rawUnderLoad(ticks: number): Promise<number[]> {
  const floods = Array.from({ length: CHATTY }, () => spawn(FLOOD, [FOREVER_MB], { stdio: ['ignore', 'pipe', 'ignore'], env: ENV }));
  let chattyLines = 0;
  for (const child of floods) createInterface({ input: child.stdout }).on('line', () => (chattyLines += 1));
  const latencies: number[] = [];
  await new Promise<void>((resolve) => {
    const quiet = spawn(TICKER, [String(ticks)], { stdio: ['ignore', 'pipe', 'ignore'], env: ENV });
    createInterface({ input: quiet.stdout })
      .on('line', (line) => latencies.push(Number(process.hrtime.bigint() - BigInt(line)) / 1e6))
      .on('close', () => resolve());
  });
  for (const child of floods) child.kill('SIGKILL');
  await Promise.all(floods.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once('close', resolve)) : Promise.resolve())));
  if (chattyLines === 0) throw new Error('the chatty children printed nothing');
  return latencies;
}

/**
 * The same load through a JobHost: every job's lines reach an `onEvent` listener (default owner
 * settings). The owners never drain (a drain would turn on backpressure, and the cancelled floods
 * would then wait for the next one), so their buffers shed the oldest output.
 */
async function hostUnderLoad(host: JobHost, ticks: number): Promise<number[]> {
  const chatty = host.forOwner('chatty');
  const quiet = host.forOwner('quiet');
  let chattyLines = 0;
  const offChatty = chatty.onEvent((event) => {
    if (event.type === 'job_log_line') chattyLines += 1;
  });
  const latencies: number[] = [];
  const offQuiet = quiet.onEvent((event) => {
    if (event.type === 'job_log_line' && event.stream === 'stdout') latencies.push(Number(process.hrtime.bigint() - BigInt(event.line)) / 1e6);
  });
  const floods = Array.from({ length: CHATTY }, () => chatty.spawn({ label: 'flood', binary: 'flood', args: [FOREVER_MB] }));
  await quiet.run({ label: 'ticker', binary: 'ticker', args: [String(ticks)] });
  for (const id of floods) chatty.cancel(id, 'bench over');
  await Promise.all(floods.map((id) => chatty.wait(id)));
  offChatty();
  offQuiet();
  if (chattyLines === 0) throw new Error('the chatty jobs printed nothing');
  return latencies;
}

/** Row 10: a quiet job's line latency while 8 jobs flood, JobHost listener against raw spawn + readline. */
export async function latencyUnderLoad(quick: boolean, results: Record<string, unknown>): Promise<void> {
  const ticks = quick ? 50 : 300;
  const reps = quick ? 1 : 4;
  const host = new JobHost({ root: process.cwd(), binaries: { flood: { path: FLOOD }, ticker: { path: TICKER } }, maxConcurrent: CHATTY + 1 });
  const samples = { raw: [] as number[], host: [] as number[] };
  // one untimed warm-up each, then interleaved
  await rawUnderLoad(20);
  await hostUnderLoad(host, 20);
  for (let rep = 0; rep < reps; rep++) {
    samples.raw.push(...(await rawUnderLoad(ticks)));
    samples.host.push(...(await hostUnderLoad(host, ticks)));
  }
  await host.dispose();
  const expected = ticks * reps;
  console.log(`\n10. Latency under load: a quiet job's line every 10 ms while ${CHATTY} jobs flood (${reps} × ${ticks} lines each)`);
  const rows: Record<string, unknown> = {};
  for (const [name, values] of [['raw spawn + readline', samples.raw], ['JobHost onEvent (defaults)', samples.host]] as const) {
    const sorted = [...values].sort((a, b) => a - b);
    const row = { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN, lines: values.length };
    const wrong = values.length === expected ? '' : `   WRONG: ${values.length} of ${expected} lines`;
    console.log(`  ${name.padEnd(30)} p50 ${row.p50.toFixed(1).padStart(6)} ms   p90 ${row.p90.toFixed(1).padStart(6)} ms   p99 ${row.p99.toFixed(1).padStart(6)} ms   max ${row.max.toFixed(1).padStart(6)} ms${wrong}`);
    rows[name] = row;
  }
  results.latency = { chatty: CHATTY, ticks, reps, rows };
}
