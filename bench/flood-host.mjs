// The memory benchmark's host process, run against the BUILT package (what users run): starts
// test/fixtures/flood.mjs for argv[2] MB with nobody draining, then prints its peak RSS as JSON.
import { JobHost } from '../dist/index.js';

const flood = new URL('../test/fixtures/flood.mjs', import.meta.url).pathname;
const host = new JobHost({ root: process.cwd(), binaries: { flood: { path: flood } } });
const jobs = host.forOwner('flood');
const terminal = await jobs.run({ label: 'flood', binary: 'flood', args: [process.argv[2] ?? '50'] });
await host.dispose();
process.stdout.write(`${JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), dropped: jobs.droppedEvents, terminal: terminal.type })}\n`);
