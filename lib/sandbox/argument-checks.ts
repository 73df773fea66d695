import { InvalidArgumentError } from '../errors';
import { listed } from '../listed';
import { unknownKey } from '../plain-object';
import { isTimerMs, MAX_TIMER_MS } from '../timer-ms';

// What the sandbox's methods take from a test (faults, routes, bill definitions, payment
// outcomes) is checked when given: TypeScript does not check every caller, and a value the sandbox
// cannot act on would otherwise do nothing, leaving the test that relied on it to pass without it.

/** Why a field's value cannot be taken, or undefined when it can. */
export type FieldCheck = (value: unknown) => string | undefined;

/** A field that may be left out: `check` applies when it is given. */
export function optional(check: FieldCheck): FieldCheck {
  return (value) => (value === undefined ? undefined : check(value));
}

/** A string. */
export const text: FieldCheck = (value) => (typeof value === 'string' ? undefined : 'expected a string');

/** True or false. */
export const flag: FieldCheck = (value) => (typeof value === 'boolean' ? undefined : 'expected true or false');

/** A function. */
export const callable: FieldCheck = (value) => (typeof value === 'function' ? undefined : 'expected a function');

/** A path from the root (`/v3/…`), as `example` shows. */
export function rootPath(example: string): FieldCheck {
  return (value) => (typeof value === 'string' && value.startsWith('/') ? undefined : `expected a path from the root, such as ${example}`);
}

/** A wait a timer holds, in whole milliseconds. */
export const waitMs: FieldCheck = (value) => (isTimerMs(value, 0, true) ? undefined : `expected a whole number of milliseconds from 0 to ${MAX_TIMER_MS}`);

/** A whole number from `least` to `most`, described as `what` (`an HTTP status`). */
export function wholeNumber(least: number, most: number, what = 'a whole number'): FieldCheck {
  return (value) => (Number.isSafeInteger(value) && (value as number) >= least && (value as number) <= most ? undefined : `expected ${what} from ${least} to ${most}`);
}

/** One of `values`, quoted in the message. */
export function oneOf(values: readonly string[]): FieldCheck {
  return (value) => (values.includes(value as string) ? undefined : `expected ${listed(values.map((one) => `'${one}'`), 'or')}`);
}

/** How {@link checkFields} names what it checks, and the error it throws. */
export interface FieldsNaming {
  /** The object in messages: `sandbox.route(): route`. */
  name: string;
  /** What is expected instead of a value that is no object: `an object with a type`. */
  expected: string;
  /** What precedes the list of the fields taken, in the message on an unknown one: `a 'slow' fault takes`. */
  takes: string;
  /** The error thrown: InvalidArgumentError unless given (InvalidOptionError for options). */
  Refusal?: new (message: string) => Error;
}

/**
 * Checks the object `given` against `checks`: anything but an object, each field it has that
 * `checks` does not name, and each field `checks` refuses, is an error naming `name.field`.
 */
export function checkFields(given: unknown, checks: Readonly<Record<string, FieldCheck>>, naming: FieldsNaming): void {
  const { name, Refusal = InvalidArgumentError } = naming;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw new Refusal(`${name}: expected ${naming.expected}`);
  const fields = given as Record<string, unknown>;
  const unknown = unknownKey(fields, checks);
  if (unknown !== undefined) throw new Refusal(`${name}.${unknown}: unknown; ${naming.takes} ${listed(Object.keys(checks)) || 'nothing more'}`);
  for (const [field, check] of Object.entries(checks)) {
    const why = check(fields[field]);
    if (why !== undefined) throw new Refusal(`${name}.${field}: ${why}`);
  }
}
