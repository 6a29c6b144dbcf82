// The soak's job program. argv[2] is a JSON plan (see WorkerPlan in plan.ts):
// print `lines` stdout lines of `line` characters (then `partial` characters
// without a newline), `err` stderr lines, optionally read all of stdin, start
// a grandchild, ignore SIGTERM, then exit, kill itself with a signal, or hang.
// Everything it prints is counted by the soak, so the plan fixes the output.
import { spawn } from 'node:child_process';

const plan = JSON.parse(process.argv[2] ?? '{}');

/** Backpressure: resolves once the stream takes more. */
function drained(stream) {
  return new Promise((resolve) => (stream.writableNeedDrain ? stream.once('drain', resolve) : resolve()));
}

/**
 * Resolves once everything written so far has reached the pipe. `writableNeedDrain`
 * is not enough: a small write behind a full pipe stays queued below the high
 * water mark, and `process.exit` would drop it.
 */
function flushed(stream) {
  return new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.write('', () => resolve())));
}

/** Writes `count` copies of `text`, in blocks of about 64 KiB, honouring backpressure. */
async function repeat(stream, text, count) {
  const unit = Buffer.from(text);
  const perBlock = Math.max(1, Math.floor(65_536 / unit.length));
  const block = Buffer.concat(Array.from({ length: Math.min(perBlock, count) }, () => unit));
  let left = count;
  while (left > 0) {
    const n = Math.min(perBlock, left);
    left -= n;
    if (!stream.write(n === perBlock ? block : block.subarray(0, n * unit.length))) await drained(stream);
  }
}

function readAll(stream) {
  return new Promise((resolve) => {
    let bytes = 0;
    stream.on('data', (chunk) => (bytes += chunk.length));
    stream.on('end', () => resolve(bytes));
  });
}

if (plan.ignoreTerm) {
  process.on('SIGTERM', () => undefined);
  process.stdout.write('ready\n');
}
if (plan.grandchild) {
  // sh ignoring SIGTERM passes that on to sleep (ignored dispositions survive exec), so only SIGKILL ends it
  const script = plan.grandchild === 'stubborn' ? 'trap "" TERM; exec sleep 1000' : 'exec sleep 1000';
  const child = spawn('/bin/sh', ['-c', script], { stdio: 'ignore' });
  process.stdout.write(`grandchild ${child.pid}\n`);
}
if (plan.readStdin) process.stdout.write(`stdin ${await readAll(process.stdin)}\n`);

const char = plan.utf8 ? 'é' : String.fromCharCode(97 + (plan.lines % 26));
await repeat(process.stdout, char.repeat(plan.line) + (plan.crlf ? '\r\n' : '\n'), plan.lines);
if (plan.partial > 0) process.stdout.write('p'.repeat(plan.partial));
for (let n = 0; n < plan.err; n++) process.stderr.write(n === plan.err - 1 && plan.then === 'exit' && plan.code !== 0 ? 'fatal: soak job failed\n' : `warning ${n}\n`);
await flushed(process.stdout);
await flushed(process.stderr);

if (plan.then === 'exit') process.exit(plan.code);
if (plan.then === 'signal') process.kill(process.pid, plan.signal);
setInterval(() => undefined, 1e8);
