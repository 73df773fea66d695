import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ErrorCode, InvalidArgumentError, OptionError } from '../../lib';

/** Runs `run` and returns what it throws; fails when it does not throw. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  assert.fail('expected a throw');
}

/** Expects an OptionError with the INVALID_ARGUMENT code whose message starts with `name: `. */
export function refuses(run: () => unknown, name: string, pattern?: RegExp): OptionError {
  const error = thrownBy(run);
  assert.ok(error instanceof OptionError, `expected an OptionError, got ${inspect(error)}`);
  assert.equal(error.code, ErrorCode.INVALID_ARGUMENT);
  assert.ok(error.message.startsWith(`${name}: `), `"${error.message}" names ${name}`);
  if (pattern) assert.match(error.message, pattern);
  return error;
}

/** For assert.throws and assert.rejects: an InvalidArgumentError (INVALID_ARGUMENT) whose message matches `message`. */
export function invalidArgumentMatching(message: RegExp): (error: unknown) => boolean {
  return (error) => error instanceof InvalidArgumentError && error.code === ErrorCode.INVALID_ARGUMENT && message.test(error.message);
}
