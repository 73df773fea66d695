// The one bound on a notification's body, `verifier.maxBodyBytes`, as every adapter applies it:
// refused as soon as it is known to be passed, by Content-Length or by the bytes counted so far.
import { InvalidArgumentError } from '../errors';

/** The refusals made here: answered 413 rather than the 400 of other bad arguments. */
const oversized = new WeakSet<InvalidArgumentError>();

/**
 * The error that refuses a body over `maxBytes`: an {@link InvalidArgumentError}, as
 * `NotificationVerifier.verify()` raises for one; `seen` says how it was found out ("2049 bytes
 * arrived", "Content-Length announces 5000 bytes").
 */
export function bodyTooLarge(seen: string, maxBytes: number, cause?: unknown): InvalidArgumentError {
  const error = new InvalidArgumentError(`notification: the request body is over maxBodyBytes ${maxBytes} (${seen})`, { cause });
  oversized.add(error);
  return error;
}

/** Whether `error` is a refusal of {@link bodyTooLarge}. */
export function isBodyTooLarge(error: unknown): boolean {
  return error instanceof InvalidArgumentError && oversized.has(error);
}

/**
 * The refusal when a `Content-Length` header announces more than `maxBytes`, before any byte is
 * read; undefined when it does not (absent, unusable, or within the bound: the bytes then decide).
 */
export function announcedTooLarge(contentLength: string | null | undefined, maxBytes: number): InvalidArgumentError | undefined {
  if (contentLength === null || contentLength === undefined || !/^\d+$/.test(contentLength.trim())) return undefined;
  const announced = Number(contentLength.trim());
  return announced > maxBytes ? bodyTooLarge(`Content-Length announces ${announced} bytes`, maxBytes) : undefined;
}
