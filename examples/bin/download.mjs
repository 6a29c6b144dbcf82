#!/usr/bin/env node
// A slow "download" that prints "NN%" lines until it is cancelled or reaches 100%.
let percent = 0;
const timer = setInterval(() => {
  percent += 2;
  process.stdout.write(`downloading dataset.tar.gz ${percent}%\n`);
  if (percent >= 100) clearInterval(timer);
}, 100);
