/**
 * Whether `value` is a plain object (an object literal, or made by `Object.create(null)`):
 * the only objects read as a map of options, fields or template values. A class instance, an
 * array, a Map or a Date is not one, so it is refused rather than read by its enumerable keys.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The first of `given`'s own keys that `known` does not hold, cut to 64 characters (a key may be data); undefined when there is none. */
export function unknownKey(given: object, known: readonly string[] | Readonly<Record<string, unknown>>): string | undefined {
  const isKnown = Array.isArray(known) ? (key: string) => known.includes(key) : (key: string) => Object.hasOwn(known, key);
  return Object.keys(given).find((key) => !isKnown(key))?.slice(0, 64);
}
