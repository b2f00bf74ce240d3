/** Removes the test run's synth cache folder (cache-dir.global.ts). */
export { teardown as default } from './cache-dir.global';
