#!/usr/bin/env node
// Writes dist/schemas/<Name>.json for every wire contract, and dist/schemas/index.json listing the names.
// Runs after tsup (`npm run build`): it reads the built contracts entry, so the published schemas are
// generated from exactly the code that ships. The logic lives in src/contracts/json-schema.ts.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { URL, fileURLToPath } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
const outDir = new URL('schemas/', dist);

const contracts = await import(new URL('contracts/index.js', dist).href).catch((error) => {
  console.error('emit-schemas: cannot load dist/contracts/index.js; run tsup first.');
  throw error;
});
if (typeof contracts.contractJsonSchemas !== 'function') {
  throw new Error('emit-schemas: dist/contracts/index.js does not export contractJsonSchemas (src/contracts/index.ts must re-export ./json-schema.js)');
}

const schemas = contracts.contractJsonSchemas(contracts);
const names = Object.keys(schemas);
if (names.length === 0) throw new Error('emit-schemas: no contracts found in dist/contracts/index.js');

await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
for (const name of names) {
  await writeFile(new URL(`${name}.json`, outDir), `${JSON.stringify(schemas[name], null, 2)}\n`);
}
await writeFile(new URL('index.json', outDir), `${JSON.stringify(names, null, 2)}\n`);

console.log(`emit-schemas: wrote ${names.length} schemas to ${fileURLToPath(outDir)}`);
