#!/usr/bin/env node
// A build-like program that reports progress with task.* JSON-RPC notifications on stdout.
const note = (method, params) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', method, params })}\n`);
const modules = ['parser', 'lexer', 'codegen', 'optimizer', 'linker', 'runtime', 'stdlib', 'tests'];
note('task.start', { id: 'build', label: 'Building', kind: 'rebuild' });
let done = 0;
const timer = setInterval(() => {
  const name = modules[done];
  done += 1;
  note('task.update', { id: 'build', current: done, total: modules.length, message: `compiled ${name}` });
  if (done % 3 === 0) note('task.log', { id: 'build', line: `cache: ${done} of ${modules.length} modules up to date` });
  if (done === modules.length) {
    clearInterval(timer);
    note('task.done', { id: 'build' });
  }
}, 180);
