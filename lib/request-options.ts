import type { AxiosRequestConfig, Method } from 'axios';
import { InvalidOptionError } from './errors';
import { codePointName } from './percent-encoding';
import { isPlainObject } from './plain-object';
import type { MediaUpload } from './v3/media';
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
  data: 'use json or body (media for an upload; xml on APIv2)',
  baseURL: ORIGIN_IS_FIXED,
  socketPath: ORIGIN_IS_FIXED,
  allowAbsoluteUrls: ORIGIN_IS_FIXED,
  transformRequest: 'the body is signed exactly as sent, so it cannot be transformed afterwards',
  transformResponse: 'the body is verified before it is parsed, so it cannot be transformed first',
};

/** The options one API reads itself, and the other API's, which a call on this API refuses by name. */
export interface ApiOptionKeys {
  /** The API's own option names (APIv3: `json`, `body`, `media`, `encrypt`, `decrypt`). */
  own: readonly string[];
  /** The other API's option names. */
  foreign: readonly string[];
  /** Why a foreign option is refused, e.g. `it is an APIv2 option, and APIv2 paths start with v2/`. */
  foreignWhy: string;
}

/** A call's options checked: the axios config (path expanded, query and headers placed) and the API's own options, for the API to read. */
export interface CheckedCall {
  config: AxiosRequestConfig;
  own: Record<string, unknown>;
  /** Builds an error in the one message style of call options: `GET v3/…: <text>`. */
  refuse: (text: string) => InvalidOptionError;
}

/** A character outside RFC 7230's `tchar`: a header name is a non-empty token of those. */
const NOT_TOKEN_CHAR = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/** What Node's http refuses in a header value (CR and LF would split the header); axios would strip some of it silently. */
const NOT_FIELD_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

function where(found: RegExpExecArray): string {
  return `${codePointName(found[0].charCodeAt(0))} at index ${found.index}`;
}

/**
 * Refuses, before anything is sent, a header name that is not a token and a value that HTTP
 * cannot carry; Node would throw a bare TypeError from inside the adapter, or axios drop the
 * offending characters and send another value than the one given. Messages name the header
 * (cut short, as a name may be data) and the position, never the value.
 */
function checkHeaders(headers: Record<string, unknown>, refuse: (text: string) => InvalidOptionError): void {
  for (const [name, value] of Object.entries(headers)) {
    const shown = JSON.stringify(name.slice(0, 40));
    const found = NOT_TOKEN_CHAR.exec(name);
    if (found || name === '') {
      throw refuse(`header ${shown} is not a valid header name${found ? `: ${where(found)}` : ' (it is empty)'}; a name is an RFC 7230 token`);
    }
    // axios sends nothing for undefined, null or false, and one line per item of an array.
    if (value === undefined || value === null || value === false) continue;
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    items.forEach((item, index) => {
      const bad = NOT_FIELD_CHAR.exec(String(item));
      if (bad) throw refuse(`header ${shown}: its value${items === value ? ` (item ${index})` : ''} holds ${where(bad)}, which HTTP cannot carry (only tab, visible ASCII, space and U+0080-U+00FF)`);
    });
  }
}

/**
 * Checks a call's options for `method` on `template`, the part both APIs share: the path
 * expanded (variables percent-encoded), the query and headers placed, axios options passed
 * through, and every other key refused, so a typo is an error rather than a silently ignored
 * option. The API's own options come back in `own` for the API to check; every message names the
 * call as the caller wrote it.
 */
export function toAxiosConfig(method: Method, template: PathTemplate, options: unknown, api: ApiOptionKeys): CheckedCall {
  const name = `${method.toUpperCase()} ${template.source}`;
  const refuse = (text: string) => new InvalidOptionError(`${name}: ${text}`);
  if (options === undefined || options === null) options = {};
  if (!isPlainObject(options)) throw refuse('the options must be a plain object');
  const config: AxiosRequestConfig = { method };
  const own: Record<string, unknown> = {};
  const variables: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (key in REFUSED_KEYS) throw refuse(`option "${key}" is not accepted: ${REFUSED_KEYS[key]}`);
    if (api.own.includes(key)) own[key] = value;
    else if (api.foreign.includes(key)) throw refuse(`option "${key}" is not accepted: ${api.foreignWhy}`);
    else if (key === 'query') {
      if (!isPlainObject(value)) throw refuse('option "query" must be a plain object');
      config.params = value;
    } else if (key === 'headers') {
      if (!isPlainObject(value)) throw refuse('option "headers" must be a plain object');
      checkHeaders(value, refuse);
      config.headers = value as AxiosRequestConfig['headers'];
    } else if (AXIOS_KEYS.has(key)) {
      (config as Record<string, unknown>)[key] = value;
    } else if (template.variables.includes(key)) {
      variables[key] = value;
    } else {
      throw refuse(`unknown option "${key}": not a request option and not a template variable of the path`);
    }
  }
  config.url = template.expand(variables);
  return { config, own, refuse };
}
