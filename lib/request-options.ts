import type { AxiosRequestConfig, Method } from 'axios';
import { InvalidOptionError } from './errors';
import { isPlainObject } from './plain-object';
import { MediaUpload } from './v3/media';
import type { PathTemplate } from './uri-template';

/**
 * The named options of a call: the body, query and headers, and any axios request option.
 * {@link RequestOptions} adds the URI template variables.
 */
export interface CallOptions extends Omit<AxiosRequestConfig, 'url' | 'method' | 'data' | 'headers' | 'transformRequest' | 'transformResponse' | 'baseURL' | 'socketPath' | 'allowAbsoluteUrls'> {
  /** A JSON body; serialized once, and that exact string is signed and sent. */
  json?: unknown;
  /** A raw body, signed and sent byte for byte. */
  body?: string | Buffer;
  /**
   * A file for an upload endpoint, from `await MediaUpload.from(pathOrBufferOrStream)`: sent as
   * multipart/form-data (`meta` and `file` parts), with the signature over the `meta` JSON.
   */
  media?: MediaUpload;
  /** Query parameters, appended to the path in the order given and signed as sent. */
  query?: Record<string, unknown>;
  /** Extra request headers. */
  headers?: Record<string, string | number | undefined>;
  /**
   * Fields of `json` to encrypt with the platform key (RSA-OAEP) before signing, as dotted paths
   * (`real_identity.real_name`, `list.*.id_number`); the request then names that key in
   * `Wechatpay-Serial`. A `Wechatpay-Serial` header given in `headers` picks the key instead.
   */
  encrypt?: string[];
  /** Fields of the answer encrypted to the merchant key, decrypted after verification (dotted paths). */
  decrypt?: string[];
}

/**
 * What one call takes: the body, query and headers, any axios request option, and the
 * URI template variables of the path (every other key).
 */
export interface RequestOptions extends CallOptions {
  /** URI template variables of the path, such as `out_trade_no`. */
  [variable: string]: unknown;
}

/** axios keys a call may pass through. `url`, `method` and `data` come from the chain and `json`/`body`. */
const AXIOS_KEYS = new Set([
  'params', 'paramsSerializer', 'timeout', 'timeoutErrorMessage', 'adapter',
  'responseType', 'responseEncoding', 'onUploadProgress', 'onDownloadProgress', 'maxContentLength', 'maxBodyLength',
  'validateStatus', 'maxRedirects', 'maxRate', 'beforeRedirect', 'transport', 'httpAgent', 'httpsAgent',
  'proxy', 'cancelToken', 'signal', 'decompress', 'insecureHTTPParser', 'family', 'lookup', 'transitional', 'env',
  'fetchOptions', 'redact', 'withCredentials', 'auth',
]);

/** A signed request is good at the real gateway for 300 s: it goes only where the client was configured to send it. */
const ORIGIN_IS_FIXED = 'a signed request goes only to the configured baseURL; make another client for another host';

/** Keys that would let the wire differ from what was signed, or that the chain owns. */
const REFUSED_KEYS: Record<string, string> = {
  url: 'the path comes from the chain',
  method: 'the method comes from the verb called',
  data: 'use json or body',
  baseURL: ORIGIN_IS_FIXED,
  socketPath: ORIGIN_IS_FIXED,
  allowAbsoluteUrls: ORIGIN_IS_FIXED,
  transformRequest: 'the body is signed exactly as sent, so it cannot be transformed afterwards',
  transformResponse: 'the body is verified before it is parsed, so it cannot be transformed first',
  xml: 'it is an APIv2 option; APIv2 paths start with v2/',
  nonceless: 'it is an APIv2 option; APIv2 paths start with v2/',
  security: 'it is an APIv2 option; APIv2 paths start with v2/',
};


/** A character outside RFC 7230's `tchar`: a header name is a non-empty token of those. */
const NOT_TOKEN_CHAR = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/** What Node's http refuses in a header value (CR and LF would split the header); axios would strip some of it silently. */
const NOT_FIELD_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

function where(found: RegExpExecArray): string {
  return `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at index ${found.index}`;
}

/**
 * Refuses, before anything is sent, a header name that is not a token and a value that HTTP
 * cannot carry; Node would throw a bare TypeError from inside the adapter, or axios drop the
 * offending characters and send another value than the one given. Messages name the header
 * (cut short, as a name may be data) and the position, never the value.
 */
function checkHeaders(headers: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(headers)) {
    const shown = JSON.stringify(name.slice(0, 40));
    const found = NOT_TOKEN_CHAR.exec(name);
    if (found || name === '') {
      throw new InvalidOptionError(`header ${shown} is not a valid header name${found ? `: ${where(found)}` : ' (it is empty)'}; a name is an RFC 7230 token`);
    }
    // axios sends nothing for undefined, null or false, and one line per item of an array.
    if (value === undefined || value === null || value === false) continue;
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    items.forEach((item, index) => {
      const bad = NOT_FIELD_CHAR.exec(String(item));
      if (bad) throw new InvalidOptionError(`header ${shown}: its value${items === value ? ` (item ${index})` : ''} holds ${where(bad)}, which HTTP cannot carry (only tab, visible ASCII, space and U+0080-U+00FF)`);
    });
  }
}

/**
 * Turns a call's options into the axios request config for `method` on `template`: the
 * path expanded (variables percent-encoded), the body and query placed, headers checked, and
 * every key checked, so a typo is an error rather than a silently ignored option.
 */
export function toAxiosConfig(method: Method, template: PathTemplate, options: unknown): AxiosRequestConfig {
  if (options === undefined || options === null) options = {};
  if (!isPlainObject(options)) throw new InvalidOptionError(`the options of ${method.toUpperCase()} ${template.source} must be a plain object`);
  const config: AxiosRequestConfig = { method };
  const variables: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (key in REFUSED_KEYS) throw new InvalidOptionError(`option "${key}" is not accepted: ${REFUSED_KEYS[key]}`);
    if (key === 'media') {
      if (config.data !== undefined) throw new InvalidOptionError('give one of json, body and media');
      if (!(value instanceof MediaUpload)) throw new InvalidOptionError('option "media" must be a MediaUpload (await MediaUpload.from(file))');
      config.data = value;
    } else if (key === 'json' || key === 'body') {
      if (config.data !== undefined) throw new InvalidOptionError(config.data instanceof MediaUpload ? 'give one of json, body and media' : 'give either json or body, not both');
      if (key === 'body' && typeof value !== 'string' && !Buffer.isBuffer(value)) {
        throw new InvalidOptionError('option "body" must be a string or a Buffer (use json for objects)');
      }
      config.data = key === 'json' ? JSON.stringify(value) : value;
      if (key === 'json' && config.data === undefined) throw new InvalidOptionError('option "json" is not serializable to JSON');
    } else if (key === 'query') {
      if (!isPlainObject(value)) throw new InvalidOptionError('option "query" must be a plain object');
      config.params = value;
    } else if (key === 'headers') {
      if (!isPlainObject(value)) throw new InvalidOptionError('option "headers" must be a plain object');
      checkHeaders(value);
      config.headers = value as AxiosRequestConfig['headers'];
    } else if (AXIOS_KEYS.has(key)) {
      (config as Record<string, unknown>)[key] = value;
    } else if (template.variables.includes(key)) {
      variables[key] = value;
    } else {
      throw new InvalidOptionError(`unknown option "${key}": not a request option and not a template variable of ${template.source}`);
    }
  }
  config.url = template.expand(variables);
  return config;
}
