// The sandbox's pacing: a step runs once its delay is over, unless the sandbox stopped first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DelayedSteps } from '../../lib/sandbox/delayed-steps';

describe('delayed steps', () => {
  it('runs a step after the delay and resolves with what it resolves with', async () => {
    const steps = new DelayedSteps(5);
    let ran = false;
    const result = steps.after(
      () => {
        ran = true;
        return Promise.resolve('done');
      },
      () => 'stopped',
    );
    assert.equal(ran, false);
    assert.equal(await result, 'done');
    assert.equal(ran, true);
  });

  it('resolves a step still waiting when stopped with what stopped() gives, and never runs it', async () => {
    const steps = new DelayedSteps(60_000);
    let ran = false;
    const result = steps.after(
      () => {
        ran = true;
        return 'done';
      },
      () => 'stopped',
    );
    steps.stop();
    assert.equal(await result, 'stopped');
    assert.equal(ran, false);
  });

  it('rejects with what the step throws', async () => {
    const steps = new DelayedSteps(0);
    await assert.rejects(
      steps.after(
        () => {
          throw new RangeError('no');
        },
        () => 'stopped',
      ),
      RangeError,
    );
  });
});
