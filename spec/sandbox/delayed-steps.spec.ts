// Steps that run a moment later, or, stopped first, never run and resolve with what stopping says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DelayedSteps } from '../../lib/sandbox/delayed-steps';

describe('DelayedSteps', () => {
  it('runs a step after its delay and resolves with what it produced, a promise’s value too', async () => {
    const steps = new DelayedSteps();
    const started = Date.now();
    const [plain, promised] = await Promise.all([steps.after(20, () => 'ran', () => 'stopped'), steps.after(5, () => Promise.resolve('ran later'), () => 'stopped')]);
    assert.deepEqual([plain, promised], ['ran', 'ran later']);
    assert.ok(Date.now() - started >= 19, 'not before its delay');
  });

  it('stops every step still waiting: they never run, and resolve with what stopping gives', async () => {
    const steps = new DelayedSteps();
    let ran = 0;
    const waiting = steps.after(10_000, () => ++ran, () => -1);
    const done = await steps.after(0, () => ++ran, () => -1);
    steps.stopAll();
    assert.deepEqual([done, await waiting, ran], [1, -1, 1]);
    steps.stopAll(); // nothing left: no error
  });
});
