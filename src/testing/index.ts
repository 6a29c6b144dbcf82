/**
 * `jobhost/testing`: vitest fixtures, scriptable child programs, waits and
 * matchers for people who embed jobhost or write plugins for a host that does.
 * vitest is a peer dependency of this entry only; nothing in the library's
 * runtime imports it.
 */
import type { JobhostMatchers } from './matchers.js';

export { assertNoSurvivors, jobhostTest } from './fixtures.js';
export type { JobhostFixtures, JobhostTestOptions } from './fixtures.js';
export { scriptedProgram } from './program.js';
export type { ProgramStep, ScriptedProgram } from './program.js';
export { collectEvents, eventsOf, waitForEnd, waitForEvent, DEFAULT_WAIT_MS } from './wait.js';
export { jobhostMatchers } from './matchers.js';
export type { JobhostMatchers } from './matchers.js';
export { formatTimeline } from './timeline.js';
export { fakeVcsAdapter } from './fake-adapter.js';
export { catalogClient, duplexPair } from './catalog-client.js';
export type { FakeAnswer, FakeVcsAdapter, FakeVcsAdapterOptions } from './fake-adapter.js';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Matchers<T = any> extends JobhostMatchers<T> {}
}
