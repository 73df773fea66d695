import assert from 'node:assert/strict';
import { ApiError } from '../../lib';

/** Asserts a call rejected with the gateway's `status` and `code`; answers its message and detail. */
export async function refused(call: Promise<unknown>, status: number, code: string): Promise<{ message?: string; detail?: unknown }> {
  const error: unknown = await call.then(
    () => assert.fail(`expected ${status} ${code}`),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof ApiError, String(error));
  assert.deepEqual([error.response?.status, error.apiCode], [status, code], error.apiMessage);
  return { message: error.apiMessage, detail: error.detail };
}
