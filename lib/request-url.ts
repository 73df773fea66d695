import type { InternalAxiosRequestConfig } from 'axios';
import { InvalidOptionError } from './errors';
import { appendQuery, serializeQuery } from './query-string';

/**
 * Fixes the URL a request goes to, once, before anything is decided about it: the path joined to
 * the base URL as the HTTP adapter would, the query serialized in the order given, and the result
 * parsed as URL parsing will. `config.url` becomes that absolute URL (no base, no params left for
 * axios to join or serialize again), so what is signed, what is checked and what is sent are one
 * and the same.
 */
export function pinRequestUrl(config: InternalAxiosRequestConfig): URL {
  const base = config.baseURL ?? '';
  const path = (config.url ?? '').replace(/^\/+/, '');
  const query = config.params === undefined ? '' : serializeQuery(config.params, config.paramsSerializer);
  const joined = `${base.replace(/\/+$/, '')}/${path}`;
  let url: URL;
  try {
    url = new URL(appendQuery(joined, query));
  } catch (cause) {
    throw new InvalidOptionError(`baseURL "${base}" with path "${path}" is not a valid URL`, { cause });
  }
  config.url = url.href;
  config.baseURL = undefined;
  config.params = undefined;
  return url;
}
