// Run only by harness.test.ts in a child vitest, with composer pointed at a missing
// binary, to see what a real run reports: skipped locally, failed in CI.
import { expect, it } from 'vitest';
import { describeWithComposer } from '../composer-command.js';

describeWithComposer('probe suite', () => {
  // If this ever runs, the missing binary was not noticed: fail loudly.
  it('runs only when composer is available', () => {
    expect.fail('the probe suite ran although composer was pointed at a missing binary');
  });
});
