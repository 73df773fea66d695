import type { AxiosResponse } from 'axios';
import { InvalidOptionError } from '../errors';
import type { RequestOptions } from '../request-options';
import { Wechatpay } from '../wechatpay';
import type { CredentialFlags } from './credentials';
import { resolveCredentials } from './credentials';
import { parseJsonInput } from './json-input';

/** The flags of `wechatpay <path>`. */
export interface CallFlags extends CredentialFlags {
  /** `-X`; when absent, POST for a call with a body (`--json`, `--xml`) or an APIv2 path, GET otherwise. */
  method?: string;
  json?: string;
  xml?: string;
  query?: string[];
  header?: string[];
  security?: boolean;
}

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete']);

function pairs(entries: string[] | undefined, separator: string, flag: string): Record<string, string> | undefined {
  if (!entries?.length) return undefined;
  return Object.fromEntries(entries.map((entry, index) => {
    const at = entry.indexOf(separator);
    // The entry is not quoted back: a header value may be a credential.
    if (at < 1) throw new InvalidOptionError(`${flag}: expected NAME${separator}VALUE (entry ${index + 1} has no name before "${separator}")`);
    return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
  }));
}

/**
 * Makes one call from the terminal: `path` in chained (`v3.pay.transactions.native`) or slash
 * (`v3/pay/transactions/native`) form, resolved through the same chain as code. Resolves with
 * the verified response.
 */
export function runCall(path: string, flags: CallFlags): Promise<AxiosResponse<unknown>> {
  const hasBody = flags.json !== undefined || flags.xml !== undefined;
  const method = (flags.method ?? (hasBody || /^v2[./]/.test(path) ? 'POST' : 'GET')).toLowerCase();
  if (!VERBS.has(method)) throw new InvalidOptionError(`-X: expected GET, POST, PUT, PATCH or DELETE, got ${flags.method}`);
  if (method === 'get' && hasBody) throw new InvalidOptionError(`${flags.json !== undefined ? '--json' : '--xml'}: a GET sends no body; use -X POST (or leave -X out)`);
  const credentials = resolveCredentials(flags);
  if (flags.security && credentials.merchant === undefined) throw new InvalidOptionError('--security: mutual TLS needs the merchant API certificate: give --merchant-cert FILE, with --private-key (its key) and --secret');
  const wxpay = new Wechatpay(credentials);
  const node = (path.includes('/') ? wxpay.chain(path) : path.split('.').reduce((at, segment) => at[segment], wxpay as unknown as Record<string, never>)) as unknown as Record<string, (options: RequestOptions) => Promise<AxiosResponse<unknown>>>;
  const options: RequestOptions = {};
  if (flags.json !== undefined) options.json = parseJsonInput(flags.json, '--json');
  if (flags.xml !== undefined) options.xml = parseJsonInput(flags.xml, '--xml');
  if (flags.security) options.security = true;
  const query = pairs(flags.query, '=', '--query');
  if (query) options.query = query;
  const headers = pairs(flags.header, ':', '--header');
  if (headers) options.headers = headers;
  return node[method](options);
}
