/**
 * `npm run demo`: a small host application embedding jobhost. Two plugins get
 * scoped handles and run several jobs at once; the host renders them live
 * (or as plain lines when stdout is not a terminal).
 */
import { fileURLToPath } from 'node:url';
import { JobHost, type JobEvent, type JobHostError } from '../src/index.js';
// the example's own leak check at the end; not part of jobhost's public API
import { groupMembers as processGroupMembers } from '../src/process/group.js';
import * as builder from './demo-plugins/builder.js';
import * as fetcher from './demo-plugins/fetcher.js';
import { renderRows, type Row } from './demo-render.js';

const bin = (name: string): string => fileURLToPath(new URL(`./bin/${name}.mjs`, import.meta.url));
const tty = process.stdout.isTTY === true;

const host = new JobHost({
  root: fileURLToPath(new URL('..', import.meta.url)),
  binaries: {
    build: { path: bin('build'), progress: 'task-notifications' },
    chatty: { path: bin('chatty') },
    download: {
      path: bin('download'),
      env: ['DOWNLOAD_MIRROR'], // the one variable a request may set for it; any other is refused
      progress: (line) => {
        const match = /(\d+)%$/.exec(line);
        return match ? { percent: Number(match[1]), step: 'downloading' } : undefined;
      },
    },
    hang: { path: bin('hang') },
  },
  maxConcurrent: 4,
  killGraceMs: 500,
});

const rows = new Map<string, Row>();
const groups: number[] = [];

function update(event: JobEvent, owner: string): void {
  const label = (): string => host.forOwner(owner).list().find((job) => job.id === event.job_id)?.label ?? event.job_id;
  const row = rows.get(event.job_id) ?? { owner, label: label(), state: 'pending', percent: null, lines: 0, last: '' };
  rows.set(event.job_id, row);
  switch (event.type) {
    case 'job_started':
      row.state = 'running';
      if (event.pid !== null) groups.push(event.pid);
      break;
    case 'job_progress':
      if (event.percent !== null) row.percent = event.percent;
      if (event.step !== null) row.last = event.step;
      break;
    case 'job_log_line':
      row.lines += 1;
      row.last = `${event.stream === 'stdout' ? '' : `[${event.stream}] `}${event.line}`;
      break;
    case 'job_completed':
      row.state = 'completed';
      if (row.percent !== null) row.percent = 100; // a job that never reported progress gets no bar
      break;
    case 'job_failed':
      row.state = 'failed';
      row.last = event.error;
      break;
    case 'job_cancelled':
      row.state = 'cancelled';
      row.last = event.reason;
      break;
    case 'job_output_chunk':
      break;
  }
  if (!tty) printPlain(event, owner, row);
}

function printPlain(event: JobEvent, owner: string, row: Row): void {
  if (event.type === 'job_progress' && event.percent !== null && event.percent % 25 !== 0) return;
  const detail = event.type === 'job_log_line' ? `${event.stream}: ${event.line}` : event.type === 'job_progress' ? `${event.percent ?? '?'}% ${event.step ?? ''}` : row.last;
  console.log(`${owner.padEnd(8)} ${row.label.padEnd(24)} ${event.type.padEnd(16)} ${detail}`);
}

let drawn = 0;
let frame = 0;
function render(): void {
  const width = Math.max(60, Math.min(process.stdout.columns ?? 100, 140));
  const lines = renderRows(rows.values(), width, frame++);
  process.stdout.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((line) => `\x1b[2K${line}\n`).join('')}`);
  drawn = lines.length;
}

host.on('event', update);

/** A refused request, shown as a row of its own. */
function refused(owner: string, label: string, error: JobHostError): void {
  rows.set(`${owner}:refused:${label}`, { owner, label, state: 'refused', percent: null, lines: 0, code: error.code, last: error.message });
  if (!tty) console.log(`${owner.padEnd(8)} ${label.padEnd(24)} refused          ${error.code}: ${error.message}`);
}

const timer = tty ? setInterval(render, 80) : undefined;
// Each plugin gets its own scoped handle, limited to the binaries it needs, and nothing else.
await Promise.all([
  builder.activate(host.forOwner('builder', { binaries: ['build', 'chatty', 'hang'] })),
  fetcher.activate(host.forOwner('fetcher', { binaries: ['download'] }), (label, error) => refused('fetcher', label, error)),
]);
await host.dispose();
if (timer !== undefined) {
  clearInterval(timer);
  render();
}

const all = [...rows.values()];
const count = (state: string): number => all.filter((row) => row.state === state).length;
const survivors = groups.filter((pgid) => processGroupMembers(pgid).length > 0);
console.log(`\nsummary: ${count('completed')} completed, ${count('failed')} failed, ${count('cancelled')} cancelled, ${count('refused')} refused by the policy.`);
console.log(survivors.length === 0 ? `checked: none of the ${groups.length} process groups has a process left.` : `LEAK: process groups still alive: ${survivors.join(', ')}`);
process.exitCode = survivors.length === 0 ? 0 : 1;
