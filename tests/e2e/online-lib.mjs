// The harness of online.test.mjs, shared with its step modules (online-steps.mjs): steps with a
// timeout and a failure screenshot, polling text and field-error checks, screenshots in
// tests/e2e/artifacts/online-*.png (all from harness.mjs).
import { harness } from './harness.mjs';

export { visible } from './harness.mjs';
export const {
  url, username, password, step, open, run, shot, expectText, expectFieldError,
} = harness('online', { stepTimeoutMs: 30_000, waitTimeoutMs: 15_000 });
