import type { AxiosRequestConfig } from 'axios';

function encode(value: unknown): string {
  return encodeURIComponent(value instanceof Date ? value.toISOString() : String(value));
}

/**
 * Serializes query parameters in the order given: `k=v` pairs, RFC 3986 percent-encoding,
 * arrays as repeated keys, `undefined` and `null` left out. A custom axios `paramsSerializer`
 * (function or `{ serialize }`) is honoured. The result is signed as is.
 */
export function serializeQuery(params: unknown, serializer?: AxiosRequestConfig['paramsSerializer']): string {
  if (typeof serializer === 'function') return serializer(params as Record<string, unknown>);
  if (serializer?.serialize) return serializer.serialize(params as Record<string, unknown>, serializer);
  if (params instanceof URLSearchParams) return params.toString();
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) pairs.push(`${encode(key)}=${encode(item)}`);
    }
  }
  return pairs.join('&');
}
