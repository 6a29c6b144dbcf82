// The plugin runtime, inside the worker_thread: it turns the MessagePort it was given into the four
// verbs, loads the plugin script, calls its default export with them, and posts what the plugin
// reports to the host. Plain JavaScript, so the worker needs no TypeScript loader.
//
// The verbs become async here: across a thread boundary every call is a message and a reply, so
// `spawn`, `cancel`, `status` and `drainEvents` return promises, where the in-process JobHandle
// answers synchronously. Refusals arrive as an Error with the JobHostError's `code` and `message`.
import { parentPort, workerData } from 'node:worker_threads';

/** @param {import('node:worker_threads').MessagePort} port */
function connect(port) {
  let nextId = 1;
  const waiting = new Map();
  port.on('message', (reply) => {
    const call = waiting.get(reply.id);
    if (call === undefined) return;
    waiting.delete(reply.id);
    if (reply.ok) call.resolve(reply.value);
    else call.reject(Object.assign(new Error(reply.error.message), { name: 'JobHostError', code: reply.error.code }));
  });
  const call = (verb, args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      port.postMessage({ id, verb, args });
    });
  // a frozen object without a prototype: four functions and nothing to walk from them
  return Object.freeze(
    Object.assign(Object.create(null), {
      spawn: (request) => call('spawn', [request]),
      cancel: (id, reason) => call('cancel', reason === undefined ? [id] : [id, reason]),
      status: (id) => call('status', [id]),
      drainEvents: (max) => call('drainEvents', max === undefined ? [] : [max]),
    }),
  );
}

const { jobsPort, pluginUrl } = workerData;
const jobs = connect(jobsPort);
try {
  const plugin = await import(pluginUrl);
  const report = await plugin.default(jobs);
  parentPort.postMessage({ type: 'report', lines: Array.isArray(report) ? report.map(String) : [String(report)] });
} catch (error) {
  parentPort.postMessage({ type: 'crashed', message: error instanceof Error ? error.message : String(error) });
} finally {
  jobsPort.close();
}
