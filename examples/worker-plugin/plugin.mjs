// An "untrusted" plugin, run in a worker_thread by runtime.mjs. Its default export receives the four
// verbs and returns lines for the host to show. Every verb is async: it is a message to the host
// thread and back.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const TERMINAL = new Set(['job_completed', 'job_failed', 'job_cancelled']);

/** Polls drainEvents until `id` ends, passing each of its events to `seen`; returns the terminal event and the number of polls. */
async function follow(jobs, id, seen = () => {}) {
  for (let polls = 1; ; polls++) {
    const batch = await jobs.drainEvents(); // the host never waits: an empty batch means "nothing yet"
    for (const event of batch) {
      if (event.job_id !== id) continue;
      seen(event);
      if (TERMINAL.has(event.type)) return { end: event, polls };
    }
    if (batch.length === 0) await sleep(20);
  }
}

/** The state name of a wire JobStatus: `"Pending"` or the one key of `{"Completed": {…}}`; undefined → unknown. */
const stateOf = (status) => (status === undefined ? 'unknown' : typeof status === 'string' ? status : Object.keys(status)[0]);

const describeEnd = (end) =>
  end.type === 'job_completed' ? `job_completed (exit ${end.exit_code})` : end.type === 'job_failed' ? `job_failed: ${end.error}` : `job_cancelled: ${end.reason}`;

/** @param {{ spawn: Function, cancel: Function, status: Function, drainEvents: Function }} jobs */
export default async function plugin(jobs) {
  const report = [];
  report.push(`given: ${Object.keys(jobs).sort().join(', ')}`);
  report.push(`process.env in this worker has ${Object.keys(process.env).length} variables (the host passed env: {})`);
  // honesty: the verbs are all the host *gave* the plugin, but a worker can still load Node's built-ins
  const fs = await import('node:fs');
  report.push(`not a sandbox: import('node:fs') ${typeof fs.readFileSync === 'function' ? 'works' : 'fails'} in this worker`);

  // 1. a job from the allow-list, followed by polling until its terminal event
  const id = await jobs.spawn({ label: 'chatty, from a worker', binary: 'chatty', args: ['5'] });
  report.push(`spawned ${id}`);
  let events = 0;
  const { end, polls } = await follow(jobs, id, (event) => {
    events += 1;
    if (event.type === 'job_started') report.push(`event job_started (pid ${event.pid})`);
    if (event.type === 'job_log_line') report.push(`event job_log_line ${event.stream}: ${event.line}`);
  });
  report.push(`ended: ${describeEnd(end)}; ${events} events in ${polls} drainEvents calls`);
  report.push(`status: ${stateOf(await jobs.status(id))}`);

  // 2. a binary the host never allow-listed: refused over the bridge with the JobHostError's code
  try {
    await jobs.spawn({ label: 'fetch a script', binary: 'curl', args: ['https://example.invalid/install.sh'] });
    report.push('curl was allowed?!');
  } catch (error) {
    report.push(`refused: ${error.code}: ${error.message}`);
  }
  // and a malformed call never reaches the handle: the bridge checks every argument first
  await jobs.drainEvents(-1).catch((error) => report.push(`refused: ${error.code}: ${error.message}`));

  // 3. a job that would hang forever, cancelled by the plugin once it is running
  const hang = await jobs.spawn({ label: 'hangs', binary: 'hang', args: [] });
  let cancelled = null;
  const { end: hangEnd } = await follow(jobs, hang, (event) => {
    if (event.type === 'job_started') cancelled = jobs.cancel(hang, 'the plugin stopped waiting');
  });
  report.push(`cancel(${hang}) → ${await cancelled}; ended: ${describeEnd(hangEnd)}`);

  // 4. another owner's job id is as unknown as a made-up one
  report.push(`cancel("someone-else:1") → ${await jobs.cancel('someone-else:1')}`);
  return report;
}
