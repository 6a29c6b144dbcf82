/** The git profile: hermetic, read-only git for plugins. */
export { gitPolicy, gitReadOnly, GIT_POLICED_SUBCOMMANDS, GIT_READ_ONLY_SUBCOMMANDS } from './profile.js';
export { GIT_PROTECTED_CONFIG } from './hermetic-env.js';
