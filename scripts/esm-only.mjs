// jobhost/testing is ESM-only: it imports vitest, which cannot be required. This replaces the CommonJS
// build tsup made of it with a stub that the exports map's `require` condition points at, so
// `require('jobhost/testing')` says what to do instead of Node's generic ERR_PACKAGE_PATH_NOT_EXPORTED.
// The stub loads nothing from jobhost.
// Usage: node scripts/esm-only.mjs [dist directory, default: this repository's dist]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url)));
const dist = (file) => join(root, 'testing', file);

const STUB = `'use strict';
// jobhost/testing is ESM-only (it imports vitest, which is ESM-only); see scripts/esm-only.mjs.
const error = new Error(
  "jobhost/testing is ESM-only: use import (import { ... } from 'jobhost/testing'), " +
    "or await import('jobhost/testing') from CommonJS",
);
error.code = 'ERR_ESM_ONLY';
throw error;
`;

for (const file of ['index.cjs.map', 'index.d.cts']) rmSync(dist(file), { force: true });
mkdirSync(dist(''), { recursive: true });
writeFileSync(dist('index.cjs'), STUB);
console.log('esm-only: jobhost/testing requires as a stub that throws ERR_ESM_ONLY');
