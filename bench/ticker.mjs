#!/usr/bin/env node
// The quiet job of the latency bench: prints argv[2] lines, one every argv[3] ms (default 10), each
// the CLOCK_MONOTONIC time it was written (process.hrtime.bigint(), the same clock in every process).
const total = Number(process.argv[2] ?? 100);
const every = Number(process.argv[3] ?? 10);
let sent = 0;
const tick = () => {
  process.stdout.write(`${process.hrtime.bigint()}\n`);
  if (++sent < total) setTimeout(tick, every);
};
tick();
