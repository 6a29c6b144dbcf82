/**
 * The host's base environment: what every job starts from. The host decides
 * it, but the deny list applies to it too — a base that carries `NODE_OPTIONS`
 * or `LD_PRELOAD` (easily inherited by passing `process.env` whole) would hand
 * every job, and so every plugin, the code those variables load.
 */
import { JobHostError, describeValue } from '../../errors.js';
import { isDeniedEnv, type EnvDenyList } from './deny-list.js';
import { ENV_NAME } from './env-rule.js';

/** Names passed through from `process.env` by default: enough for locale, temp files and user lookup. */
export const DEFAULT_PASSTHROUGH_ENV: readonly string[] = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ', 'TMPDIR', 'TERM',
];

/** The default base environment: {@link DEFAULT_PASSTHROUGH_ENV} taken from `source`. */
export function defaultBaseEnv(source: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of DEFAULT_PASSTHROUGH_ENV) {
    const value = source[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function invalid(message: string, name: string): never {
  throw new JobHostError('ERR_INVALID_OPTIONS', message, { details: { option: 'env', name } });
}

/**
 * A checked copy of the host's `env` option: valid names, string values
 * without NUL, nothing on the deny list. Throws `ERR_INVALID_OPTIONS` naming
 * the first offending variable.
 */
export function checkBaseEnv(env: unknown, deny: EnvDenyList): Record<string, string> {
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`env\` to be an object of strings, got ${describeValue(env)}`, { details: { option: 'env' } });
  }
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(env as Record<string, unknown>)) {
    if (!ENV_NAME.test(name)) invalid(`Expected \`env\` to hold valid variable names, got ${describeValue(name)}`, name);
    if (typeof value !== 'string' || value.includes('\0')) invalid(`Expected \`env.${name}\` to be a string without NUL bytes, got ${describeValue(value)}`, name);
    if (isDeniedEnv(name, deny)) {
      invalid(`\`env.${name}\` is on the deny list: it can change which code every job runs (leave it out of the base environment, or pass only the names jobs need)`, name);
    }
    checked[name] = value;
  }
  return checked;
}
