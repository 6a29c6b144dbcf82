import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'contracts/index': 'src/contracts/index.ts',
    'jsonrpc/index': 'src/jsonrpc/index.ts',
    'rpc-plugin/index': 'src/rpc-plugin/index.ts',
    'vcs/index': 'src/vcs/index.ts',
    'vcs-adapter/index': 'src/vcs-adapter/index.ts',
    'catalog/index': 'src/catalog/index.ts',
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
