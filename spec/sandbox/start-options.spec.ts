// Sandbox.start()'s options: each one it cannot honour is refused, naming it, before it listens.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { ErrorCode, InvalidOptionError } from '../../lib';
import { Sandbox, type SandboxOptions } from '../../lib/sandbox';

describe('the start options of the sandbox', () => {
  it('refuses start options it cannot honour, naming the option, rather than starting a sandbox unlike the one asked for', async () => {
    const refusals: [unknown, RegExp][] = [
      [{ mode: 'public_key' }, /^Sandbox\.start\(\): options\.mode: expected 'certificate', 'public-key' or 'migration'$/],
      [{ port: 70000 }, /^Sandbox\.start\(\): options\.port: expected a whole number from 0 to 65535$/],
      [{ port: -1 }, /^Sandbox\.start\(\): options\.port: /],
      [{ mchid: '' }, /^Sandbox\.start\(\): options\.mchid: expected the merchant id as a string of digits$/],
      [{ mchid: 1900000001 }, /^Sandbox\.start\(\): options\.mchid: /],
      [{ keysDir: '' }, /^Sandbox\.start\(\): options\.keysDir: expected the path of a folder$/],
      [{ tls: 'yes' }, /^Sandbox\.start\(\): options\.tls: expected true or false$/],
      [{ notifySchedule: 1000 }, /^Sandbox\.start\(\): options\.notifySchedule: expected an array of waits/],
      [{ notifySchedule: [10, -1] }, /^Sandbox\.start\(\): options\.notifySchedule: wait 1: expected a whole number of milliseconds from 0 to 2147483647$/],
      [{ notifySchedule: [2 ** 31] }, /^Sandbox\.start\(\): options\.notifySchedule: wait 0: /],
      [{ refundDelayMs: 2 ** 31 }, /^Sandbox\.start\(\): options\.refundDelayMs: expected a whole number of milliseconds from 0 to 2147483647$/],
      [{ profitSharingDelayMs: Number.NaN }, /^Sandbox\.start\(\): options\.profitSharingDelayMs: /],
      [{ transferCancelDelayMs: '20' }, /^Sandbox\.start\(\): options\.transferCancelDelayMs: /],
      [{ refundDelay: 60_000 }, /^Sandbox\.start\(\): options\.refundDelay: unknown; Sandbox\.start\(\) takes mode, port, mchid, keysDir, tls, notifySchedule, refundDelayMs, profitSharingDelayMs and transferCancelDelayMs$/],
      [null, /^Sandbox\.start\(\): options: expected an object of start options, or nothing$/],
    ];
    for (const [options, message] of refusals) {
      await assert.rejects(Sandbox.start(options as SandboxOptions), (error: unknown) => error instanceof InvalidOptionError && error.code === ErrorCode.INVALID_OPTION && message.test(error.message), `${inspect(options)}: ${message}`);
    }
  });

  it('starts with each option it takes at its edge', async () => {
    const sandbox = await Sandbox.start({ mode: 'migration', port: 0, mchid: '1900000001', tls: false, notifySchedule: [], refundDelayMs: 0, profitSharingDelayMs: 2 ** 31 - 1, transferCancelDelayMs: 0, keysDir: undefined });
    try {
      assert.deepEqual([sandbox.mode, sandbox.mchid, sandbox.tls], ['migration', '1900000001', false]);
    } finally {
      await sandbox.close();
    }
  });
});
