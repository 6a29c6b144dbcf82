import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'contracts/index': 'src/contracts/index.ts',
    'vcs-adapter/index': 'src/vcs-adapter/index.ts',
    // ESM-only in package.json (vitest is ESM-only); built here so it shares chunks with `jobhost`
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  external: ['vitest'],
});
