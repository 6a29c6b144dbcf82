#!/usr/bin/env node
// Starts a helper grandchild and then hangs, so only a timeout ends it (and the grandchild must die too).
import { spawn } from 'node:child_process';
spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e8)'], { stdio: 'ignore' });
process.stdout.write('waiting for a lock that never frees...\n');
setInterval(() => {}, 1e8);
