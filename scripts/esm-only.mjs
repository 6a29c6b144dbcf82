// Removes the CommonJS build of the ESM-only entries (jobhost/testing imports vitest, which cannot be
// required), so the package ships no file that would throw when loaded.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

for (const file of ['index.cjs', 'index.cjs.map', 'index.d.cts']) {
  rmSync(fileURLToPath(new URL(`../dist/testing/${file}`, import.meta.url)), { force: true });
}
console.log('esm-only: removed the CommonJS build of jobhost/testing');
