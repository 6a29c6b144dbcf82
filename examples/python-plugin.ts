/**
 * A plugin written in Python, run through a JobHost: its `task.*` JSON-RPC
 * notifications on stdout become `job_progress` events and system log lines,
 * with no Node.js code on the plugin's side.
 *
 *   node --import tsx examples/python-plugin.ts
 *
 * python3 is looked up on PATH once, when the host is built. A version-manager
 * shim there (pyenv, asdf) is refused, so the example then pins
 * /usr/bin/python3; without any python3 it says so and exits 0.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { JobHost, JobHostError, type JobEvent } from '../src/index.js';

const script = fileURLToPath(new URL('./plugins/python-tasks.py', import.meta.url));

/** A host that may run exactly one Python script; `python3` is looked up on PATH unless `path` says where. */
function buildHost(path?: string): JobHost {
  return new JobHost({
    root: fileURLToPath(new URL('..', import.meta.url)),
    binaries: {
      python3: {
        ...(path === undefined ? {} : { path }),
        progress: 'task-notifications', // task.* lines are consumed, not logged
        // an interpreter runs whatever it is told to: allow exactly this script, in isolated mode
        // (-I: no PYTHON* variables, no user site-packages, no script directory on sys.path)
        args: z.tuple([z.literal('-I'), z.literal(script)]),
      },
    },
    killGraceMs: 500,
  });
}

let host: JobHost;
try {
  host = buildHost();
} catch (error) {
  if (!(error instanceof JobHostError)) throw error;
  if (error.code === 'ERR_BINARY_DISPATCHER' && existsSync('/usr/bin/python3')) {
    // a pyenv/asdf shim picks the interpreter from .python-version files in the job's cwd: pin a real one
    console.log(`python3 on PATH is a ${String(error.details.dispatcher)}, which jobhost refuses; using /usr/bin/python3`);
    host = buildHost('/usr/bin/python3');
  } else if (error.code === 'ERR_BINARY_NOT_FOUND' || error.code === 'ERR_BINARY_DISPATCHER') {
    console.log(`python3 was not found on PATH, so there is no Python plugin to run (${error.code}). Install python3 to see this example.`);
    process.exit(0);
  } else {
    throw error;
  }
}

/** One plain line per event. */
function show(event: JobEvent): void {
  switch (event.type) {
    case 'job_started':
      return console.log(`started  pid ${event.pid ?? '?'}`);
    case 'job_progress': // task.start: step = label, no percent; task.update: percent = current/total; task.done: 100
      return console.log(`progress ${event.percent === null ? '    ' : `${String(event.percent).padStart(3)}%`} ${event.step ?? ''}`.trimEnd());
    case 'job_log_line': // task.log lines and failed tasks arrive on stream "system"
      return console.log(`${event.stream.padEnd(8)} ${event.line}`);
    case 'job_output_chunk':
      return;
    case 'job_completed':
      return console.log(`completed exit ${event.exit_code}; output tail: ${JSON.stringify(event.output_tail)}`);
    case 'job_failed':
      return console.log(`failed   ${event.error}`);
    case 'job_cancelled':
      return console.log(`cancelled ${event.reason}`);
  }
}

// Push delivery: every event reaches the listener, even progress updates that a buffer read by
// drainEvents() would coalesce when the reader lags; so this owner buffers nothing.
const jobs = host.forOwner('python-plugin', { bufferEvents: false });
jobs.onEvent(show);
const id = jobs.spawn({ label: 'python tasks', binary: 'python3', args: ['-I', script] });
console.log(`python3  ${host.binaries.get('python3') ?? '?'} as job ${id}`);

const end = await jobs.wait(id); // after every other event of the job, once its processes are gone
await host.dispose();
process.exitCode = end.type === 'job_completed' ? 0 : 1;
