/**
 * Hostile child programs for the corpus, written to a temp dir when a test
 * file loads (an allow-list entry needs its file at host construction):
 *
 * - `hostileAdapter`: a POSIX sh VCS adapter (fast to start). It answers the
 *   handshake normally, unless told to attack it, and otherwise prints the
 *   base64-decoded bytes of its first argument and exits with its second.
 * - `hostilePlugin`: a Node JSON-RPC plugin that first writes raw hostile bytes
 *   on stdout, then answers every request `ping` with `"pong"` in its framing.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const ADAPTER = `#!/bin/sh
# $1 the answer, base64; $2 exit code; $3 extra: hang | kill | huge | deep | wide | stderr-flood | -; $4 'handshake' to attack the handshake
IFS= read -r line
case "$line" in
  *'"method":"handshake"'*)
    if [ "$4" != handshake ]; then
      printf '%s\\n' '{"ok":true,"result":{"plugin_version":"6.6.6","protocol_version":1,"adapter_name":"hostile","capabilities":[]}}'
      exit 0
    fi ;;
esac
case "$3" in
  hang) exec sleep 1000 ;;
  kill) kill -9 $$ ;;
  huge) head -c 5000000 /dev/zero | tr '\\0' 'a' ;;
  deep) head -c 100000 /dev/zero | tr '\\0' '[' ;;
  wide) printf '{"ok":true,"result":{"patterns":['; yes 1, | head -n 1999999 | tr -d '\\n'; printf '1]}}\\n'; exit 0 ;;
  stderr-flood) head -c 10000000 /dev/zero | tr '\\0' 'e' >&2 ;;
esac
printf '%s' "$1" | base64 -d
exit "$2"
`;

const PLUGIN = `#!${process.execPath}
// argv[2]: framing; argv[3]: hostile bytes to write first, base64; argv[4]: a generated frame too big for argv
// (bigarray, deep, deep-open, longline). Then answers "ping" with "pong".
const [framing, hostile, generated] = process.argv.slice(2);
const encode = (text) => {
  const body = Buffer.from(text);
  if (framing === 'ndjson') return Buffer.concat([body, Buffer.from('\\n')]);
  if (framing === 'length-prefix') { const head = Buffer.alloc(4); head.writeUInt32LE(body.length); return Buffer.concat([head, body]); }
  return Buffer.concat([Buffer.from('Content-Length: ' + body.length + '\\r\\n\\r\\n'), body]);
};
const GENERATED = {
  bigarray: () => encode('{"jsonrpc":"2.0","method":"big","params":[' + '0,'.repeat(1500000) + '"\\\\ud800"]}'),
  deep: () => encode('{"jsonrpc":"2.0","method":"task.update","params":{"id":"t","message":' + '['.repeat(100000) + '"\\\\udc00"' + ']'.repeat(100000) + '}}'),
  'deep-open': () => encode('['.repeat(100000)),
  longline: () => Buffer.from('x'.repeat(5 * 1024 * 1024) + '\\n'),
};
process.stdout.write(Buffer.from(hostile, 'base64'));
if (generated) process.stdout.write(GENERATED[generated]());
let input = Buffer.alloc(0);
const answer = (text) => {
  const message = JSON.parse(text);
  if (message.method === 'ping') process.stdout.write(encode(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: 'pong' })));
  if (message.method === 'shutdown') process.stdout.write(encode(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: null })));
  if (message.method === 'exit') process.exit(0);
};
process.stdin.on('data', (chunk) => {
  input = Buffer.concat([input, chunk]);
  for (;;) {
    if (framing === 'ndjson') {
      const end = input.indexOf(10);
      if (end === -1) return;
      answer(input.subarray(0, end).toString());
      input = input.subarray(end + 1);
    } else if (framing === 'length-prefix') {
      if (input.length < 4 || input.length < 4 + input.readUInt32LE(0)) return;
      const size = input.readUInt32LE(0);
      answer(input.subarray(4, 4 + size).toString());
      input = input.subarray(4 + size);
    } else {
      const end = input.indexOf('\\r\\n\\r\\n');
      if (end === -1) return;
      const size = Number(/content-length: *(\\d+)/i.exec(input.subarray(0, end).toString())[1]);
      if (input.length < end + 4 + size) return;
      answer(input.subarray(end + 4, end + 4 + size).toString());
      input = input.subarray(end + 4 + size);
    }
  }
});
process.stdin.on('end', () => process.exit(0));
`;

function write(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobhost-hostile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, 0o755);
  return path;
}

/** Writes the hostile VCS adapter; call at the top level of a test file. */
export function hostileAdapter(): string {
  return write('hostile-adapter.sh', ADAPTER);
}

/** Writes the hostile JSON-RPC plugin; call at the top level of a test file. */
export function hostilePlugin(): string {
  return write('hostile-plugin.mjs', PLUGIN);
}

/** The plugin's arguments: its framing, raw bytes to write first, and optionally a generated frame. */
export function pluginArgs(framing: string, hostile: string | Buffer, generated?: 'bigarray' | 'deep' | 'deep-open' | 'longline'): string[] {
  return [framing, Buffer.from(hostile).toString('base64'), ...(generated === undefined ? [] : [generated])];
}

/** The adapter's arguments: answer `output` (bytes or text), exit with `exit`, then `extra`; `target` 'handshake' attacks the handshake. */
export function adapterArgs(output: string | Buffer, exit = 0, extra = '-', target = 'call'): string[] {
  return [Buffer.from(output).toString('base64'), String(exit), extra, target];
}
