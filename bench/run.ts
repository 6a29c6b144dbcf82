/**
 * `npm run bench [-- --quick]`: jobhost against the raw alternatives, measured
 * in one run with contenders interleaved. Prints tables and writes
 * bench/results.json. Timings are reported, never judged: nothing here fails.
 */
import { execFile, spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { execa } from 'execa';
import { JobEvent, VcsPluginResponse } from '../src/contracts/index.js';
import { EventBuffer } from '../src/events/event-buffer.js';
import { JobHost } from '../src/index.js';
import { defaultBaseEnv } from '../src/policy/env/index.js';
import { catalogPushes, vcsCalls } from './integrations.js';
import { latencyUnderLoad, outputThroughput } from './output.js';
import { compare, table, type Measured } from './measure.js';
import { containmentSuite } from './containment.js';
import { gitProfileCost } from './git-profile.js';
import { refusalCost } from './refusal.js';

const quick = process.argv.includes('--quick');
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const FLOOD = here('../test/fixtures/flood.mjs');
const TRUE = '/bin/true';
const results: Record<string, unknown> = {};

async function pool(total: number, width: number, task: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      next += 1;
      await task();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return total;
}

function rawSpawn(file: string, args: string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.once('error', reject);
    child.once('close', () => resolve());
  });
}

/** The options src/process/spawn.ts passes execa for a job, with the JobHost's default base environment: execa's own cost, without the JobHost's. */
const JOB_EXECA_OPTIONS = { extendEnv: false, shell: false, detached: true, cleanup: false, reject: false, buffer: false, cwd: process.cwd(), env: defaultBaseEnv(process.env), forceKillAfterDelay: false, stdin: 'ignore' } as const;

async function spawnThroughput(): Promise<void> {
  const jobs = quick ? 30 : 300;
  for (const width of [1, 8]) {
    const host = new JobHost({ root: process.cwd(), binaries: { true: { path: TRUE } }, maxConcurrent: width, maxJobsPerOwner: 1000, maxJobs: 1000 });
    const handle = host.forOwner('bench');
    const measured = await compare(
      [
        { name: 'child_process.spawn', run: () => pool(jobs, width, () => rawSpawn(TRUE)) },
        { name: 'execa (buffer: false)', run: () => pool(jobs, width, () => execa(TRUE, { buffer: false })) },
        { name: "execa (the JobHost's options)", run: () => pool(jobs, width, () => execa(TRUE, [], JOB_EXECA_OPTIONS)) },
        { name: 'JobHost (spawn → terminal event)', run: () => pool(jobs, width, () => handle.run({ label: 't', binary: 'true', args: [] })) },
      ],
      quick ? 3 : 7,
    );
    await host.dispose();
    report(`1. Spawn throughput: ${jobs} × /bin/true, ${width} at a time`, 'jobs', measured, 'execa (buffer: false)', `spawn_x${width}`);
    // the issue's other yardstick: every contender against a raw child_process.spawn
    const raw = measured.find((m) => m.name === 'child_process.spawn')?.median ?? 1;
    console.log(`  × child_process.spawn: ${measured.map((m) => `${m.name} ${(m.median / raw).toFixed(2)}`).join('; ')}`);
    results[`spawn_x${width}`] = (results[`spawn_x${width}`] as Record<string, unknown>[]).map((entry, i) => ({ ...entry, ratioToRaw: (measured[i]?.median ?? 0) / raw }));
  }
}

async function memoryUnderFlood(): Promise<void> {
  const run = promisify(execFile);
  // Measure the built package, as users run it; from source (tsx adds ~40 MB of its own) when there is no build.
  const built = existsSync(here('../dist/index.js'));
  const command = built ? [here('./flood-host.mjs')] : ['--import', here('../node_modules/tsx/dist/loader.mjs'), here('../test/fixtures/flood-host.ts')];
  const sizes = quick ? [0.001, 10, 50] : [0.001, 50, 500];
  const rows: { megabytes: number; peakRssMb: number; dropped: number }[] = [];
  for (const megabytes of sizes) {
    const { stdout } = await run(process.execPath, [...command, String(megabytes)], { cwd: process.cwd() });
    rows.push({ megabytes, ...(JSON.parse(stdout) as { peakRssMb: number; dropped: number }) });
  }
  console.log(`\n3. Memory under flood: a child printing N MB that nobody drains (host process peak RSS, ${built ? 'built package' : 'from source via tsx'})`);
  for (const row of rows) {
    const label = row.megabytes < 1 ? 'idle baseline (≈0 MB)' : `${row.megabytes} MB`;
    console.log(`  ${label.padEnd(24)} peak RSS ${String(row.peakRssMb).padStart(4)} MB   events dropped from the undrained buffer: ${row.dropped}`);
  }
  results.memory = { built, rows };
}

/** The baseline of the drain benchmark: no bounds, no drop policy, no per-job order guarantees to keep. */
class ArrayQueue {
  private queue: JobEvent[] = [];
  get size(): number {
    return this.queue.length;
  }
  push(event: JobEvent): void {
    this.queue.push(event);
  }
  drain(): JobEvent[] {
    return this.queue.splice(0, this.queue.length);
  }
}

async function drainThroughput(): Promise<void> {
  const total = quick ? 200_000 : 2_000_000;
  const events: JobEvent[] = Array.from({ length: 1000 }, (_, n) => ({ type: 'job_log_line', job_id: 'b:1', line: `line ${n}`, stream: 'stdout' }));
  const measured = await compare(
    [
      {
        // what a host would write without jobhost: an unbounded array queue behind push/drain
        name: 'array push + splice',
        run: () => {
          const queue = new ArrayQueue();
          let taken = 0;
          for (let i = 0; i < total; i++) {
            queue.push(events[i % 1000] as JobEvent);
            if (queue.size === 10_000) taken += queue.drain().length;
          }
          return Promise.resolve(taken + queue.drain().length);
        },
      },
      {
        name: 'EventBuffer push + drainEvents',
        run: () => {
          const buffer = new EventBuffer({ maxEvents: 10_000, maxBytes: 64 * 1024 * 1024 });
          let taken = 0;
          for (let i = 0; i < total; i++) {
            buffer.push(events[i % 1000] as JobEvent);
            if (buffer.size === 10_000) taken += buffer.drain().length;
          }
          return Promise.resolve(taken + buffer.drain().length);
        },
      },
    ],
    quick ? 3 : 9,
  );
  report(`4. Drain: ${quick ? '200 k' : '2 M'} events, drained 10 000 at a time`, 'events', measured, 'array push + splice', 'drain');
}

async function contractDecode(): Promise<void> {
  const total = quick ? 50_000 : 500_000;
  const eventTexts = [
    '{"type":"job_log_line","job_id":"git:3","line":"Receiving objects:  45% (450/1000)","stream":"stderr"}',
    '{"type":"job_started","job_id":"git:3","pid":4242,"started_at":"2026-11-22T17:00:00.000Z"}',
    '{"type":"job_progress","job_id":"git:3","percent":45,"step":"Receiving objects"}',
    '{"type":"job_completed","job_id":"git:3","exit_code":0,"completed_at":"2026-11-22T17:00:01.000Z","output_tail":"done\\n"}',
  ];
  const responseText = '{"ok":true,"result":{"commit_id":"9f1c2e7","message":"Committed","metadata":{"cl":"42"}}}';
  const loop = (text: (i: number) => string, decode: (value: unknown) => unknown) => (): Promise<number> => {
    for (let i = 0; i < total; i++) decode(JSON.parse(text(i)));
    return Promise.resolve(total);
  };
  const measured = await compare(
    [
      { name: 'JSON.parse only (JobEvent text)', run: loop((i) => eventTexts[i & 3] as string, (v) => v) },
      { name: 'JobEvent.parse(JSON.parse)', run: loop((i) => eventTexts[i & 3] as string, (v) => JobEvent.parse(v)) },
      { name: 'VcsPluginResponse.parse(JSON.parse)', run: loop(() => responseText, (v) => VcsPluginResponse.parse(v)) },
    ],
    quick ? 3 : 7,
  );
  report(`5. Contract decoding: ${total} messages`, 'msgs', measured, 'JSON.parse only (JobEvent text)', 'contracts');
}

function report(title: string, unit: string, measured: Measured[], baseline: string, key: string): void {
  table(title, unit, measured, baseline);
  const base = measured.find((m) => m.name === baseline)?.median ?? 1;
  results[key] = measured.map((m) => ({ ...m, unit: `${unit}/s`, ratio: m.wrong === undefined ? m.median / base : null, baseline }));
}

const cpu = cpus()[0]?.model ?? 'unknown';
console.log(`jobhost bench${quick ? ' (quick)' : ''}: node ${process.version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const suites: Record<string, () => Promise<void>> = {
  spawn: spawnThroughput,
  output: () => outputThroughput(quick, report),
  latency: () => latencyUnderLoad(quick, results),
  memory: memoryUnderFlood,
  drain: drainThroughput,
  contracts: contractDecode,
  vcs: () => vcsCalls(quick, report),
  catalog: () => catalogPushes(quick, FLOOD, report),
  refusal: () => refusalCost(quick, report),
  'git-profile': () => gitProfileCost(quick, report),
  containment: () => containmentSuite(quick, results),
};
for (const [name, suite] of Object.entries(suites)) if (only === undefined || only.includes(name)) await suite();
const machine = { node: process.version, cpus: cpus().length, cpu, memoryGiB: Math.round(totalmem() / 2 ** 30), platform: process.platform };
// A partial run (--only) updates its suites in the last full results instead of replacing them.
const file = here('./results.json');
const previous = only !== undefined && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { results?: Record<string, unknown> }).results : undefined;
const command = `npm run bench${quick ? ' -- --quick' : ''}`;
if (quick) {
  // the smoke run CI makes checks the bench still works; its small samples must not replace measured figures
  console.log('\nquick run: bench/results.json left as it was');
} else {
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), quick, machine, command, results: { ...previous, ...results } }, null, 2)}\n`);
  console.log('\nwrote bench/results.json');
}
