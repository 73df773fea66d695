import { InvalidOptionError, UntrustedDownloadUrlError, MalformedBodyError, type WechatpayErrorContext } from '../errors';
import { listed } from '../listed';
import { unknownKey } from '../plain-object';
import { isUnsignedDownload } from '../v3/download-paths';
import type { Wechatpay } from '../wechatpay';
import { checkDownloadOptions, DOWNLOAD_TIMEOUT_MS, downloadFile, type BufferDownload, type DownloadOptions, type FileDownload } from './download';

/** Which bill to ask for: the query of `GET /v3/bill/tradebill` or `GET /v3/bill/fundflowbill`, and its kind. */
export interface BillRequest {
  /** `trade` (交易账单, `/v3/bill/tradebill`) or `fundflow` (资金账单, `/v3/bill/fundflowbill`). */
  type: 'trade' | 'fundflow';
  /** The day, `YYYY-MM-DD`. */
  bill_date: string;
  /** Trade bills: `ALL` (the gateway's default), `SUCCESS`, `REFUND`, … */
  bill_type?: string;
  /** Fund-flow bills: `BASIC` (the gateway's default), `OPERATION`, `FEES`. */
  account_type?: string;
  /** `GZIP` to have the file sent compressed; it is gunzipped on the way, so you get the CSV either way. */
  tar_type?: 'GZIP';
  /** A sub-merchant's bill (platforms and service providers). */
  sub_mchid?: string;
}

/** What the bill call answers (verified): where the file is and what it must hash to. */
interface BillAnswer {
  hash_type: string;
  hash_value: string;
  download_url: string;
}

function invalid(message: string): InvalidOptionError {
  return new InvalidOptionError(`downloadBill: ${message}`);
}

/** The fields of a {@link BillRequest}. */
const BILL_FIELDS = ['type', 'bill_date', 'bill_type', 'account_type', 'tar_type', 'sub_mchid'];

function billQuery(bill: BillRequest): Record<string, string> {
  if (bill === null || typeof bill !== 'object') throw invalid('expected { type, bill_date, … }');
  // A misspelt field (billType) would otherwise be left out of the query, and another bill downloaded.
  const unknown = unknownKey(bill, BILL_FIELDS);
  if (unknown !== undefined) throw invalid(`${unknown}: unknown; a bill request takes ${listed(BILL_FIELDS)}`);
  if (bill.type !== 'trade' && bill.type !== 'fundflow') throw invalid('type must be "trade" or "fundflow"');
  if (typeof bill.bill_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(bill.bill_date)) throw invalid('bill_date must be YYYY-MM-DD');
  if (bill.type === 'trade' && bill.account_type !== undefined) throw invalid('account_type belongs to fund-flow bills');
  if (bill.type === 'fundflow' && bill.bill_type !== undefined) throw invalid('bill_type belongs to trade bills');
  if (bill.tar_type !== undefined && bill.tar_type !== 'GZIP') throw invalid('tar_type is GZIP or absent');
  const query: Record<string, string> = { bill_date: bill.bill_date };
  for (const key of ['sub_mchid', 'bill_type', 'account_type', 'tar_type'] as const) {
    const value = bill[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') throw invalid(`${key} must be a non-empty string`);
    query[key] = value;
  }
  return query;
}

function isBillAnswer(data: unknown): data is BillAnswer {
  if (data === null || typeof data !== 'object') return false;
  const answer = data as Record<string, unknown>;
  return ['hash_type', 'hash_value', 'download_url'].every((key) => typeof answer[key] === 'string' && answer[key] !== '');
}

/**
 * The path and query of `downloadUrl` below `baseURL`, refusing a URL on another origin or
 * outside the base path, or one that is not an unsigned download: the request carries the
 * merchant's signature, so it goes only where the client's own calls go.
 */
export function downloadTarget(downloadUrl: string, baseURL: string, context: WechatpayErrorContext = {}): { path: string; query: Record<string, string> } {
  const refuse = (why: string) => new UntrustedDownloadUrlError(`response: download_url ${why}`, context);
  let url: URL;
  try {
    url = new URL(downloadUrl);
  } catch {
    throw refuse('is not an absolute URL');
  }
  const base = new URL(baseURL);
  if (url.origin !== base.origin) throw refuse(`is on ${url.origin}, not on ${base.origin}`);
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  if (!url.pathname.startsWith(prefix)) throw refuse(`is outside ${prefix}`);
  const path = url.pathname.slice(prefix.length);
  if (!isUnsignedDownload(`/${path}`)) throw refuse(`names ${url.pathname}, not a file download`);
  return { path, query: Object.fromEntries(url.searchParams) };
}

/** The client's base URL, recovered from the absolute URL a call to `path` went to (the signer fixes it). */
function baseOf(calledUrl: string, path: string): string {
  const called = new URL(calledUrl);
  const prefix = called.pathname.endsWith(`/${path}`) ? called.pathname.slice(0, called.pathname.length - path.length) : '/';
  return `${called.origin}${prefix}`;
}

/**
 * Downloads a trade or fund-flow bill: asks `GET /v3/bill/tradebill` (or `fundflowbill`) for it,
 * follows the verified `download_url` through the same client (signed; the file itself is not),
 * gunzips a `GZIP` bill on the way, and checks the bytes against `hash_type` / `hash_value`,
 * which WeChat Pay computes over the uncompressed bill. With `file` the bill is streamed to disk
 * with flat memory and appears there only once it matched; without, it resolves with the bytes.
 *
 * Rejects with a {@link VerificationError}: `HASH_MISMATCH` when the file does not match (nothing
 * is left on disk), `UNTRUSTED_DOWNLOAD_URL` when `download_url` leaves the client's `baseURL`;
 * with an `ApiError` when the gateway refuses (`NO_STATEMENT_EXIST` for a day without a bill).
 *
 * @example
 * ```ts
 * import { downloadBill } from 'wechatpay-ts';
 * const { bytes, hash_value } = await downloadBill(wxpay, { type: 'trade', bill_date: '2026-11-24', tar_type: 'GZIP' }, { file: '/var/bills/trade-2026-11-24.csv' });
 * const { data } = await downloadBill(wxpay, { type: 'fundflow', bill_date: '2026-11-24' }); // a Buffer
 * ```
 */
export function downloadBill(wxpay: Wechatpay, bill: BillRequest, options: DownloadOptions & { file: string }): Promise<FileDownload>;
export function downloadBill(wxpay: Wechatpay, bill: BillRequest, options?: Omit<DownloadOptions, 'file'>): Promise<BufferDownload>;
export async function downloadBill(wxpay: Wechatpay, bill: BillRequest, options: DownloadOptions = {}): Promise<FileDownload | BufferDownload> {
  checkDownloadOptions(options, 'downloadBill');
  const query = billQuery(bill);
  const callPath = `v3/bill/${bill.type}bill`;
  const response = await wxpay.chain(callPath).get({ query, signal: options.signal, timeout: options.timeout ?? DOWNLOAD_TIMEOUT_MS });
  const answer: unknown = response.data;
  if (!isBillAnswer(answer)) {
    throw new MalformedBodyError('the bill answer lacks hash_type, hash_value or download_url', { config: response.config, response });
  }
  const { path, query: downloadQuery } = downloadTarget(answer.download_url, baseOf(String(response.config.url), callPath), { config: response.config, response });
  const request = { path, query: downloadQuery, expect: { hash_type: answer.hash_type, hash_value: answer.hash_value }, gunzip: bill.tar_type === 'GZIP' };
  return options.file === undefined ? downloadFile(wxpay, request, options) : downloadFile(wxpay, request, { ...options, file: options.file });
}
