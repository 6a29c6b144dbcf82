/**
 * A plugin runtime that hands a plugin only the four verbs. The host (this
 * thread) starts a worker_thread running the plugin script; the plugin gets an
 * object with `spawn`, `cancel`, `status` and `drainEvents` — async, because
 * each is a message over a MessagePort — and the host answers them with
 * `host.forOwner('worker-plugin')`.
 *
 *   node --import tsx examples/worker-plugin/main.ts
 *
 * What this isolates, honestly: capabilities at the API level. The JobHost,
 * the handle and every other owner live on this thread; no reference to them
 * crosses the port, so the plugin reaches jobs only through the verbs, and the
 * bridge checks every call. It is NOT a security sandbox: a worker shares the
 * process, so plugin code can still import `node:fs`, `node:child_process`
 * and the rest, read what the host can read (`/proc/self/environ` included,
 * whatever `env: {}` hides from `process.env`), and use CPU and memory up to
 * its `resourceLimits`. A `node:vm` context hands code only the globals you
 * give it, but Node documents that vm is no security mechanism either. For
 * untrusted code use a separate process — with Node's permission model
 * (`--experimental-permission` on Node 20), another user, a container — and
 * talk to it over stdio; `startRpcPlugin` runs such a process under a JobHost.
 */
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { JobHost } from '../../src/index.js';
// the example's own leak check at the end; not part of jobhost's public API
import { groupMembers as processGroupMembers } from '../../src/process/group.js';
import { bridgeJobs } from './bridge.js';

const bin = (name: string): string => fileURLToPath(new URL(`../bin/${name}.mjs`, import.meta.url));
const groups: number[] = [];

const host = new JobHost({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  binaries: { chatty: { path: bin('chatty') }, hang: { path: bin('hang') } },
  killGraceMs: 500,
});
host.on('event', (event) => {
  if (event.type === 'job_started' && event.pid !== null) groups.push(event.pid); // to check for leftovers at the end
});

// One channel per plugin: the host keeps port1, the worker gets port2 and nothing of the host.
const jobs = host.forOwner('worker-plugin');
const { port1, port2 } = new MessageChannel();
const closeBridge = bridgeJobs(port1, jobs, (error) => console.error('bridge: the host failed a call:', error));

const worker = new Worker(new URL('./runtime.mjs', import.meta.url), {
  workerData: { jobsPort: port2, pluginUrl: new URL('./plugin.mjs', import.meta.url).href },
  transferList: [port2],
  env: {}, // the worker's process.env is an empty copy of its own, not the host's
  execArgv: [], // no inherited flags (no loader, no inspector) in the plugin's thread
  resourceLimits: { maxOldGenerationSizeMb: 64 }, // a runaway plugin dies alone, with ERR_WORKER_OUT_OF_MEMORY
});
console.log(`host     started the plugin in worker thread ${worker.threadId}`);

/** What the runtime posts when the plugin returns or throws. Untrusted: the plugin can post on parentPort itself. */
type Outcome = { type: 'report'; lines: string[] } | { type: 'crashed'; message: string };
function toOutcome(message: unknown): Outcome {
  const { type, lines, message: text } = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
  if (type === 'report' && Array.isArray(lines) && lines.every((line) => typeof line === 'string')) return { type, lines };
  if (type === 'crashed' && typeof text === 'string') return { type, message: text };
  return { type: 'crashed', message: 'it posted something that is not a report' };
}

const outcome = await new Promise<Outcome>((resolve, reject) => {
  const deadline = AbortSignal.timeout(30_000); // its timer never keeps the host alive on its own
  deadline.addEventListener('abort', () => reject(new Error('the plugin did not report within 30s')));
  worker.once('message', (message: unknown) => resolve(toOutcome(message)));
  worker.once('error', reject); // an uncaught exception in the worker
  worker.once('exit', (code) => reject(new Error(`the worker exited with code ${code} before reporting`)));
}).catch((error: unknown): Outcome => ({ type: 'crashed', message: error instanceof Error ? error.message : String(error) }));

// The plugin is done (or gone): stop it, stop answering it, and end whatever jobs it left behind.
await worker.terminate();
closeBridge();
const leftOver = jobs.cancelAll('the plugin worker ended');
await host.dispose();

if (outcome.type === 'report') for (const line of outcome.lines) console.log(`plugin   ${line}`);
else console.log(`host     the plugin crashed: ${outcome.message}`);
console.log(`host     cancelled ${leftOver} job(s) the plugin left running`);
const survivors = groups.filter((pgid) => processGroupMembers(pgid).length > 0);
console.log(survivors.length === 0 ? `checked: none of the ${groups.length} process groups has a process left.` : `LEAK: process groups still alive: ${survivors.join(', ')}`);
process.exitCode = outcome.type === 'report' && survivors.length === 0 ? 0 : 1;
