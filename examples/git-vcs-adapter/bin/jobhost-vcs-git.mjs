#!/usr/bin/env node
// The git adapter's executable: registers tsx so the TypeScript source runs as is,
// then loads it. Module resolution starts at this file, so any cwd works.
import { register } from 'tsx/esm/api';

register();
await import('../adapter.ts');
