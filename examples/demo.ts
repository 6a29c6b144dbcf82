/**
 * `npm run demo`: a small host application embedding jobhost. Two plugins get
 * scoped handles and run several jobs at once; the host renders them live
 * (or as plain lines when stdout is not a terminal).
 */
import { fileURLToPath } from 'node:url';
import { JobHost, isJobHostError, processGroupMembers, type JobEvent, type JobHandle } from '../src/index.js';

const bin = (name: string): string => fileURLToPath(new URL(`./bin/${name}.mjs`, import.meta.url));
const tty = process.stdout.isTTY === true;

const host = new JobHost({
  root: fileURLToPath(new URL('..', import.meta.url)),
  binaries: {
    build: { path: bin('build'), progress: 'task-notifications' },
    chatty: { path: bin('chatty') },
    download: {
      path: bin('download'),
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

interface Row {
  owner: string;
  label: string;
  state: string;
  percent: number | null;
  last: string;
}
const rows = new Map<string, Row>();
const groups: number[] = [];

function update(event: JobEvent, owner: string): void {
  const row = rows.get(event.job_id) ?? { owner, label: event.job_id, state: 'pending', percent: null, last: '' };
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
      row.last = `${event.stream === 'stdout' ? '' : `[${event.stream}] `}${event.line}`;
      break;
    case 'job_completed':
      row.state = 'completed';
      row.percent = 100;
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

const COLORS: Record<string, string> = { pending: '90', running: '36', completed: '32', failed: '31', cancelled: '33', refused: '35' };
let drawn = 0;
function render(): void {
  const width = Math.max(60, Math.min(process.stdout.columns ?? 100, 140));
  const lines = [...rows.values()].map((row) => {
    const filled = Math.round(((row.percent ?? 0) / 100) * 20);
    const bar = row.percent === null ? ' '.repeat(20) : '█'.repeat(filled) + '░'.repeat(20 - filled);
    const state = `\x1b[${COLORS[row.state] ?? '0'}m${row.state.padEnd(9)}\x1b[0m`;
    const text = `${row.owner.padEnd(8)} ${row.label.padEnd(24)} ${state} ${bar} ${row.percent === null ? '    ' : `${String(row.percent).padStart(3)}%`}  `;
    return (text + row.last).slice(0, width + 9);
  });
  process.stdout.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((line) => `\x1b[2K${line}\n`).join('')}`);
  drawn = lines.length;
}

host.on('event', update);

/** Plugin "builder": a build with task-notification progress, a chatty job, and one that hangs until its timeout. */
function builderPlugin(jobs: JobHandle): Promise<unknown> {
  const ids = [
    jobs.spawn({ label: 'build (task.* progress)', binary: 'build', args: [] }),
    jobs.spawn({ label: 'chatty log job', binary: 'chatty', args: ['25'] }),
    jobs.spawn({ label: 'hangs → 2s timeout', binary: 'hang', args: [], timeout_secs: 2 }),
  ];
  labels(ids, jobs);
  return Promise.all(ids.map((id) => jobs.wait(id)));
}

/** Plugin "fetcher": a download it cancels at 40%, and two requests the policy refuses. */
async function fetcherPlugin(jobs: JobHandle): Promise<void> {
  const id = jobs.spawn({ label: 'download (cancelled)', binary: 'download', args: [] });
  labels([id], jobs);
  jobs.on('event', (event) => {
    if (event.type === 'job_progress' && event.job_id === id && (event.percent ?? 0) >= 40) jobs.cancel(id, 'plugin changed its mind at 40%');
  });
  for (const request of [
    { label: 'rm -rf (refused)', binary: 'rm', args: ['-rf', '/'] },
    { label: 'LD_PRELOAD (refused)', binary: 'chatty', args: [], env: { LD_PRELOAD: '/tmp/evil.so' } },
  ]) {
    try {
      jobs.spawn(request);
    } catch (error) {
      if (!isJobHostError(error)) throw error;
      const refusedId = `${jobs.owner}:refused-${request.binary}`;
      rows.set(refusedId, { owner: jobs.owner, label: request.label, state: 'refused', percent: null, last: `${error.code}: ${error.message}` });
      if (!tty) console.log(`${jobs.owner.padEnd(8)} ${request.label.padEnd(24)} refused          ${error.code}: ${error.message}`);
    }
  }
  await jobs.wait(id);
}

function labels(ids: string[], jobs: JobHandle): void {
  for (const summary of jobs.list()) {
    if (ids.includes(summary.id)) rows.set(summary.id, { owner: jobs.owner, label: summary.label, state: 'pending', percent: null, last: '' });
  }
}

const timer = tty ? setInterval(render, 80) : undefined;
await Promise.all([builderPlugin(host.forOwner('builder')), fetcherPlugin(host.forOwner('fetcher'))]);
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
