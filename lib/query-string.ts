import type { AxiosRequestConfig } from 'axios';
import { InvalidOptionError } from './errors';
import { encodeOrRefuse } from './percent-encoding';

/**
 * Serializes query parameters in the order given: `k=v` pairs, keys and values percent-encoded
 * as RFC 3986 UTF-8 (only `A-Z a-z 0-9 - . _ ~` kept; `!'()*` encoded too), dates as ISO
 * strings, arrays as repeated keys, `undefined` and `null` left out. A key or value holding a
 * control character or a lone surrogate is an OptionError (`INVALID_OPTION`) naming the key.
 * A custom axios `paramsSerializer` (function or `{ serialize }`) is honoured as is. The result
 * is signed as is.
 */
export function serializeQuery(params: unknown, serializer?: AxiosRequestConfig['paramsSerializer']): string {
  if (typeof serializer === 'function') return serializer(params as Record<string, unknown>);
  if (serializer?.serialize) return serializer.serialize(params as Record<string, unknown>, serializer);
  if (params instanceof URLSearchParams) return params.toString();
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    const name = () => JSON.stringify(key.slice(0, 40));
    let encodedKey: string | undefined;
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, index) => {
      if (item === undefined || item === null) return;
      // The messages name the key or item (never the value), and are built only on failure.
      encodedKey ??= encodeOrRefuse(key, 'unreserved', (detail) => new InvalidOptionError(`query key ${name()}: ${detail}`));
      const text = item instanceof Date ? item.toISOString() : String(item);
      pairs.push(`${encodedKey}=${encodeOrRefuse(text, 'unreserved', (detail) => new InvalidOptionError(`query ${name()}${items === value ? `[${index}]` : ''}: ${detail}`))}`);
    });
  }
  return pairs.join('&');
}

/** `url` with `query` appended: after `?`, or after `&` when the path already has a query (from a `{?var}` template). */
export function appendQuery(url: string, query: string): string {
  return query === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${query}`;
}
