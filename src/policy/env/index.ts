/** Environment policy: the allow-list per binary, the deny list beneath it, and the host's base. */
export { DENIED_ENV, HOST_ONLY_ENV, compileDenyList, isDeniedEnv, type EnvDenyList } from './deny-list.js';
export { compileEnvRule, matchEnvRule, NO_ENV, type CompiledEnvRule, type EnvRule, type EnvValueRule } from './env-rule.js';
export { DEFAULT_PASSTHROUGH_ENV, defaultBaseEnv, checkBaseEnv } from './base-env.js';
export { buildEnv } from './build-env.js';
