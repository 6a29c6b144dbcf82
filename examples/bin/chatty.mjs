#!/usr/bin/env node
// Logs a line every 60 ms, alternating stdout and stderr, argv[2] lines in all.
const total = Number(process.argv[2] ?? 25);
let n = 0;
const timer = setInterval(() => {
  n += 1;
  (n % 5 === 0 ? process.stderr : process.stdout).write(`${n % 5 === 0 ? 'warning' : 'info'}: processed batch ${n}/${total}\n`);
  if (n === total) clearInterval(timer);
}, 60);
