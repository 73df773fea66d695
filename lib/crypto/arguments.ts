import { InvalidArgumentError } from '../errors';

/** The crypto toolkit's inputs are bounded: nothing WeChat Pay exchanges comes near this. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** An OptionError with the INVALID_ARGUMENT code, naming the function and argument. */
export function invalidArgument(name: string, why: string): InvalidArgumentError {
  return new InvalidArgumentError(`${name}: ${why}`);
}

/** A string or bytes argument as bytes (strings as UTF-8), refusing other types and oversize input. */
export function bytesOf(value: unknown, name: string, { allowEmpty = true } = {}): Buffer {
  let bytes: Buffer;
  if (typeof value === 'string') bytes = Buffer.from(value, 'utf8');
  else if (Buffer.isBuffer(value)) bytes = value;
  else if (value instanceof Uint8Array) bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  else throw invalidArgument(name, `expected a string or a Buffer, got ${value === null ? 'null' : typeof value}`);
  if (!allowEmpty && bytes.length === 0) throw invalidArgument(name, 'is empty');
  if (bytes.length > MAX_INPUT_BYTES) throw invalidArgument(name, `is ${bytes.length} bytes, over the ${MAX_INPUT_BYTES}-byte limit`);
  return bytes;
}

/** Strict base64 (no whitespace, correct padding) decoded, refusing anything Buffer.from would silently skip. */
export function base64Of(value: unknown, name: string): Buffer {
  if (typeof value !== 'string') throw invalidArgument(name, `expected a base64 string, got ${value === null ? 'null' : typeof value}`);
  if (value.length === 0) throw invalidArgument(name, 'is empty');
  // A cheap bound before the regex runs; base64 of up to 2 bytes more has the same length, so the padding decides.
  if (value.length > 4 * Math.ceil(MAX_INPUT_BYTES / 3)) throw invalidArgument(name, `is over the ${MAX_INPUT_BYTES}-byte limit`);
  if (value.length % 4 !== 0 || !BASE64.test(value)) throw invalidArgument(name, 'is not valid base64');
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  if ((value.length / 4) * 3 - padding > MAX_INPUT_BYTES) throw invalidArgument(name, `is over the ${MAX_INPUT_BYTES}-byte limit`);
  return Buffer.from(value, 'base64');
}
