import { InvalidOptionError } from '../errors';

/** Rewrites one string field; the other fields and the caller's object are left as they were. */
type FieldTransform = (value: string, path: string) => string;

const SEGMENT = /^(?:\*|[A-Za-z0-9_-]+)$/;

/** `a.b.*.c` into segments, refusing anything else so a typo cannot silently match nothing. */
function segmentsOf(path: unknown, option: string): string[] {
  const segments = typeof path === 'string' ? path.split('.') : [];
  if (segments.length === 0 || !segments.every((segment) => SEGMENT.test(segment))) {
    throw new InvalidOptionError(`${option}: "${String(path).slice(0, 80)}" is not a field path such as real_identity.real_name or list.*.name`);
  }
  return segments;
}

function rewrite(value: unknown, segments: readonly string[], at: string, transform: FieldTransform, option: string): unknown {
  if (value === undefined || value === null) return value; // an optional field that is absent stays absent
  if (segments.length === 0) {
    if (typeof value !== 'string') throw new InvalidOptionError(`${option}: ${at} is a ${typeof value}, not a string`);
    return transform(value, at);
  }
  const [head, ...rest] = segments;
  if (typeof value !== 'object') throw new InvalidOptionError(`${option}: ${at || 'the body'} is not an object or array, so it has no ${head}`);
  if (head === '*') {
    if (Array.isArray(value)) return value.map((item, index) => rewrite(item, rest, `${at}[${index}]`, transform, option));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item, rest, `${at}.${key}`, transform, option)]));
  }
  if (Array.isArray(value) || !(head in value)) return value;
  const next = rewrite((value as Record<string, unknown>)[head], rest, at ? `${at}.${head}` : head, transform, option);
  return { ...(value as Record<string, unknown>), [head]: next };
}

/**
 * Applies `transform` to every string field named by `paths` (dotted, `*` for each element of
 * an array or value of an object), copying only along those paths. Absent fields are skipped;
 * a path that lands on something other than a string is an OptionError naming `option`.
 */
export function rewriteFields(value: unknown, paths: unknown, transform: FieldTransform, option: string): unknown {
  if (!Array.isArray(paths)) throw new InvalidOptionError(`${option}: expected an array of field paths`);
  return paths.reduce<unknown>((current, path) => rewrite(current, segmentsOf(path, option), '', transform, option), value);
}
