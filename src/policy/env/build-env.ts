/**
 * A job's environment: the host's base plus what the request may add. The
 * binary's env rule is the allow-list (no rule, no variables); the deny list
 * is checked too, so a broad rule cannot reach the variables that change
 * which code runs.
 */
import { JobHostError, quote } from '../../errors.js';
import { describeIssues, safeParseWire } from '../../contracts/parse-wire.js';
import { isDeniedEnv, type EnvDenyList } from './deny-list.js';
import { ENV_NAME, matchEnvRule, type CompiledEnvRule } from './env-rule.js';

function refuse(binary: string, name: string, reason: string): never {
  throw new JobHostError('ERR_ENV_REFUSED', `Environment variable ${quote(name)} for "${binary}" refused: ${reason}`, {
    details: { binary, name: name.length > 128 ? `${name.slice(0, 128)}…` : name },
  });
}

/**
 * Returns the environment a job runs with: the host's base plus the request's
 * additions, or throws `ERR_ENV_REFUSED` naming the first offending variable.
 */
export function buildEnv(
  binary: string,
  requested: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string>>,
  deny: EnvDenyList,
  rule: CompiledEnvRule,
  maxBytes: number,
): Record<string, string> {
  const env: Record<string, string> = { ...base };
  let bytes = 0;
  for (const [name, value] of Object.entries(requested)) {
    // `__proto__` is a valid shell name but cannot be an own key of a plain object: refuse rather than lose it
    if (!ENV_NAME.test(name) || name === '__proto__') refuse(binary, name, 'not a valid variable name');
    const valueRule = matchEnvRule(rule, name);
    if (valueRule === undefined) {
      refuse(binary, name, rule.shown === '' ? `"${binary}" accepts no request variables (its policy has no \`env\` rule)` : `"${binary}" only accepts ${rule.shown}`);
    }
    if (isDeniedEnv(name, deny)) refuse(binary, name, 'it can change which code runs or which configuration is trusted');
    if (value.includes('\0')) refuse(binary, name, 'the value contains a NUL byte');
    bytes += name.length + Buffer.byteLength(value) + 2;
    if (bytes > maxBytes) refuse(binary, name, `request env exceeds ${maxBytes} bytes`);
    if (valueRule !== true) {
      const checked = safeParseWire(valueRule, value);
      if (!checked.success) refuse(binary, name, `the value breaks the binary's env rule (${describeIssues(checked.error)})`);
    }
    env[name] = value;
  }
  return env;
}
