// Fails (exit 1) when a file package.json points at is missing, so `npm pack` and `npm publish` (which run
// it from `prepack`, after the build) never ship a package without its dist. Checks main, module, types,
// typesVersions and every target in the exports map; a `*` target must match at least one file.
// Usage: node scripts/check-package.mjs [package directory, default: this repository]
// Writes to stderr only: `npm pack --json` prints its report on stdout.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every string target under an exports (or typesVersions) value, with where it came from. */
function targets(value, where, out) {
  if (typeof value === 'string') out.push([where, value]);
  else if (Array.isArray(value)) value.forEach((item, i) => targets(item, `${where}[${i}]`, out));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) targets(item, `${where}["${key}"]`, out);
  return out;
}

function exists(target) {
  const path = join(root, target);
  if (!target.includes('*')) return existsSync(path);
  // a pattern: some file in its directory matches (patterns here have one `*`, in the file name)
  const [before, after] = path.split('*');
  const dir = before.slice(0, before.lastIndexOf(sep));
  if (!existsSync(dir)) return false;
  const prefix = before.slice(dir.length + 1);
  return readdirSync(dir).some((name) => name.startsWith(prefix) && name.endsWith(after) && name.length > prefix.length + after.length);
}

const wanted = [
  ...['main', 'module', 'types'].filter((key) => typeof pkg[key] === 'string').map((key) => [key, pkg[key]]),
  ...targets(pkg.typesVersions ?? {}, 'typesVersions', []),
  ...targets(pkg.exports ?? {}, 'exports', []),
];
const missing = wanted.filter(([, target]) => !exists(target));
if (missing.length > 0) {
  console.error(`check-package: ${missing.length} of the ${wanted.length} files package.json names are missing in ${root}:`);
  for (const [where, target] of missing.slice(0, 8)) console.error(`  ${where}: ${target}`);
  if (missing.length > 8) console.error(`  ... and ${missing.length - 8} more`);
  console.error('Run `npm run build` first (npm pack and npm publish run it from prepack).');
  process.exit(1);
}
console.error(`check-package: all ${wanted.length} files package.json names exist`);
