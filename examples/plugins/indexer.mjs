#!/usr/bin/env node
// An example plugin process: a small "indexer" that speaks JSON-RPC 2.0 over stdio with LSP-style
// Content-Length framing, like the extension runtime's plugins. It answers `initialize`, asks the host
// for the workspace files, reports its long work with task.* notifications while serving `index`,
// and follows the LSP shutdown sequence (`shutdown` request, `exit` notification).

const send = (message) => {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  process.stdout.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
};
const notify = (method, params) => send({ method, params });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// requests to the host, answered by its onRequest handlers
let nextId = 1;
const waiting = new Map();
function ask(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
}

/** One task: start, `steps` updates with a log line now and then, done (or failed). */
async function task(id, label, kind, steps, { every = 35, fail = null } = {}) {
  notify('task.start', { id, label, kind });
  for (let step = 1; step <= steps; step++) {
    await sleep(every);
    if (fail !== null && step === Math.ceil(steps / 2)) {
      notify('task.done', { id, error: fail });
      return false;
    }
    notify('task.update', { id, current: step, total: steps, message: `${step}/${steps}` });
    if (step % 4 === 0) notify('task.log', { id, line: `${label}: ${step} of ${steps} done` });
  }
  notify('task.done', { id });
  return true;
}

let shutdownRequested = false;
const methods = {
  initialize: () => ({ name: 'example-indexer', version: '1.0.0', capabilities: { tasks: true } }),
  index: async () => {
    const files = await ask('workspace/files', { glob: '**/*.ts' });
    // a mistake real plugins make: `task_id` instead of `id`; the host shows why this task never appears
    notify('task.start', { task_id: 'telemetry', label: 'Uploading telemetry' });
    const results = await Promise.all([
      task('deps', 'Downloading dependencies', 'download', 12),
      task('docs', 'Fetching documentation', 'download', 8, { every: 45, fail: 'network unreachable' }),
      task('index', `Indexing ${files.length} files`, 'rebuild', files.length, { every: 20 }),
      task('scan', 'Scanning for TODOs', 'generic', 10, { every: 30 }),
    ]);
    return { indexed: files.length, failedTasks: results.filter((ok) => !ok).length };
  },
  shutdown: () => {
    shutdownRequested = true;
    return null;
  },
};

async function onRequest({ id, method, params }) {
  const handler = methods[method];
  if (handler === undefined) return send({ id, error: { code: -32601, message: `Unhandled method ${method}` } });
  try {
    send({ id, result: (await handler(params)) ?? null });
  } catch (error) {
    send({ id, error: { code: -32603, message: error instanceof Error ? error.message : String(error) } });
  }
}

function onMessage(message) {
  if (message.method === undefined) {
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if ('error' in message) pending?.reject(new Error(message.error.message));
    else pending?.resolve(message.result);
  } else if (message.id !== undefined) {
    void onRequest(message);
  } else if (message.method === 'exit') {
    process.exit(shutdownRequested ? 0 : 1);
  }
}

// Content-Length framing on stdin
let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf('\r\n\r\n');
    if (end === -1) return;
    const length = Number(/content-length:\s*(\d+)/i.exec(buffer.toString('latin1', 0, end))?.[1]);
    if (buffer.length < end + 4 + length) return;
    const body = buffer.toString('utf8', end + 4, end + 4 + length);
    buffer = buffer.subarray(end + 4 + length);
    onMessage(JSON.parse(body));
  }
});
process.stdin.on('end', () => process.exit(shutdownRequested ? 0 : 1));
