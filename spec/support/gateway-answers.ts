// What the sandbox route specs read out of the gateway's answers: a refusal's status, code and
// message, and a trade bill's rows.
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

/** The data rows of a trade bill (header and summary off), each as its fields without backticks. */
export function billRows(bill: Buffer): string[][] {
  const lines = bill.toString('utf8').trimEnd().split('\r\n');
  return lines.slice(1, -2).map((line) => line.split(',').map((field) => field.replace(/^`/, '')));
}
