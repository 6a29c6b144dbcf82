/**
 * A host application running a JSON-RPC plugin process through jobhost and
 * rendering its `task.*` notifications live: progress bars on a terminal,
 * plain lines otherwise (or when piped). `--tty` forces the live view.
 *
 *   node --import tsx examples/rpc-plugin.ts
 *
 * The plugin (examples/plugins/indexer.mjs) runs under the host's policy like
 * any job: allow-listed, confined, timed out, killed with its process group.
 */
import { fileURLToPath } from 'node:url';
import { JobHost } from '../src/index.js';
// the example's own leak check at the end; not part of jobhost's public API
import { groupMembers as processGroupMembers } from '../src/process/group.js';
import * as z from 'zod';
import { defineRequest, startRpcPlugin, TaskTracker, type TaskSnapshot } from '../src/rpc-plugin/index.js';

const live = process.stdout.isTTY === true || process.argv.includes('--tty');
const root = fileURLToPath(new URL('..', import.meta.url));

const host = new JobHost({
  root,
  binaries: { indexer: { path: fileURLToPath(new URL('./plugins/indexer.mjs', import.meta.url)) } },
  killGraceMs: 500,
});
const tasks = new TaskTracker();
const plugin = startRpcPlugin(host, {
  owner: 'indexer',
  request: { label: 'example indexer', binary: 'indexer', args: [], timeout_secs: 120 },
  tracker: tasks,
});

// the plugin asks the host for the files to index
plugin.onRequest('workspace/files', () => Array.from({ length: 16 }, (_, n) => `src/module-${n + 1}.ts`));

// ---- plain lines: one per milestone, for logs and pipes ----
const bucket = new Map<string, number>();
const invalid: string[] = [];
tasks.on('invalid', ({ method, reason, params }) => {
  invalid.push(reason);
  if (!live) console.log(`invalid  ${method}: ${reason} (params ${JSON.stringify(params)})`);
});
if (!live) {
  tasks.on('change', (task, event) => {
    const id = task.id.padEnd(6);
    if (event.type === 'start') console.log(`start    ${id} ${task.label} (${task.kind})`);
    if (event.type === 'log') console.log(`log      ${id} | ${task.logs.at(-1) ?? ''}`);
    if (event.type === 'done') console.log(task.state === 'failed' ? `failed   ${id} ${task.error ?? ''}` : `done     ${id} ${task.label}`);
    if (event.type === 'update' && task.percent !== null) {
      const quarter = Math.floor(task.percent / 25);
      if (quarter !== bucket.get(task.id)) console.log(`progress ${id} ${String(task.percent).padStart(3)}% ${task.message ?? ''}`);
      bucket.set(task.id, quarter);
    }
  });
}

// ---- live view: redraw the table from snapshots ----
const COLORS: Record<TaskSnapshot['state'], string> = { running: '36', done: '32', failed: '31' };
function row(task: TaskSnapshot): string {
  const width = 24;
  const filled = Math.round(((task.percent ?? 0) / 100) * width);
  const bar = task.percent === null ? '·'.repeat(width) : '█'.repeat(filled) + '░'.repeat(width - filled);
  const state = `\x1b[${COLORS[task.state]}m${task.state.padEnd(7)}\x1b[0m`;
  const percent = task.percent === null ? '    ' : `${String(task.percent).padStart(3)}%`;
  const detail = task.error ?? task.logs.at(-1) ?? task.message ?? '';
  return `${task.label.padEnd(28)} ${state} ${bar} ${percent}  ${detail}`.slice(0, (process.stdout.columns ?? 120) + 9);
}
let drawn = 0;
let shown: readonly TaskSnapshot[] | null = null;
function render(): void {
  const snapshot = tasks.snapshot();
  if (snapshot === shown) return; // the same array until something changed
  shown = snapshot;
  const lines = [...snapshot.map(row), ...invalid.map((reason) => `\x1b[33minvalid notification:\x1b[0m ${reason}`)];
  process.stdout.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((line) => `\x1b[2K${line}\n`).join('')}`);
  drawn = lines.length;
}
const timer = live ? setInterval(render, 50) : undefined;

// ---- the conversation: each method declared once, its params and result checked both ways ----
const initialize = defineRequest('initialize', z.object({ host: z.string() }), z.object({ name: z.string(), version: z.string() }));
const index = defineRequest('index', z.object({}), z.object({ indexed: z.number().int(), failedTasks: z.number().int() }));
const info = await plugin.sendRequest(initialize, { host: 'jobhost example' });
if (!live) console.log(`plugin   ${info.name} ${info.version} (job ${plugin.id}, pid ${plugin.pid ?? '?'})`);
const result = await plugin.sendRequest(index, {}, { timeoutMs: 60_000 });
const pid = plugin.pid;
const terminal = await plugin.shutdown();
if (timer !== undefined) {
  clearInterval(timer);
  render();
}
await host.dispose();

const all = tasks.snapshot();
const count = (state: TaskSnapshot['state']): number => all.filter((task) => task.state === state).length;
console.log(`\nindexed ${result.indexed} files; plugin ended with ${terminal.type}${terminal.type === 'job_completed' ? ` (exit ${terminal.exit_code})` : ''}`);
console.log(`summary: ${count('done')} done, ${count('failed')} failed, ${count('running')} running, ${invalid.length} invalid notification(s).`);
const left = pid === null ? [] : processGroupMembers(pid);
console.log(left.length === 0 ? "checked: the plugin's process group is gone." : `LEAK: processes left in group ${pid}: ${left.join(', ')}`);
process.exitCode = left.length === 0 && terminal.type === 'job_completed' ? 0 : 1;
