import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { StreamedReply } from './bill-routes';
import type { Route, SandboxReply, SandboxRequest } from './routes';
import { tradeBillCsv, type TradeBillKind } from './trade-bill';
import type { TradeLedger } from './trade-ledger';

const TRADE_BILL_PATH = '/v3/bill/tradebill';
const DOWNLOAD_PATH = '/v3/billdownload/file';
/** Tokens of the bills written from the ledger, told apart from the made-up bills' tokens by this prefix. */
const TOKEN_PREFIX = 'day-';
/** How many written bills are kept for download; the oldest goes first. */
const KEPT_BILLS = 64;

/** The kinds of trade bill the ledger writes; other kinds, and days without sandbox transactions, are left to the made-up bills. */
const KINDS: readonly string[] = ['ALL', 'SUCCESS', 'REFUND'] satisfies TradeBillKind[];

/**
 * The trade bill routes over the sandbox's own transactions: `GET /v3/bill/tradebill` for a day
 * on which orders were paid or refunds accepted answers the hash and `download_url` of a bill
 * written from them, the moment it is asked (a snapshot, as a real bill is), and `GET
 * /v3/billdownload/file` serves it (gzipped for `tar_type=GZIP`). Any other day, kind or token
 * goes to `fallback`, the made-up bills' routes for the same paths.
 */
export function tradeBillRoutes(ledger: TradeLedger, fallback: readonly Route[], baseURL: () => string): Route[] {
  const bills = new Map<string, { csv: Buffer; gzip: boolean }>();
  const passOn = (path: string, request: SandboxRequest): SandboxReply | Promise<SandboxReply> => {
    const route = fallback.find((known) => known.method === 'GET' && known.path === path);
    return route ? route.handle(request) : { status: 404, json: { code: 'NOT_FOUND', message: `no sandbox route for GET ${path}` } };
  };
  return [
    {
      method: 'GET',
      path: TRADE_BILL_PATH,
      handle: (request) => {
        const { bill_date, bill_type = 'ALL', tar_type, sub_mchid } = request.query;
        const ours = bill_date !== undefined && KINDS.includes(bill_type) && (tar_type === undefined || tar_type === 'GZIP');
        const day = ours ? ledger.day(bill_date) : undefined;
        if (!day || (day.payments.length === 0 && day.refunds.length === 0)) return passOn(TRADE_BILL_PATH, request);
        const csv = Buffer.from(tradeBillCsv(sub_mchid === undefined ? day : ledger.day(bill_date, sub_mchid), bill_type as TradeBillKind));
        const token = `${TOKEN_PREFIX}${randomUUID()}`;
        bills.set(token, { csv, gzip: tar_type === 'GZIP' });
        if (bills.size > KEPT_BILLS) bills.delete(bills.keys().next().value as string);
        const hash_value = createHash('sha1').update(csv).digest('hex');
        return { json: { hash_type: 'SHA1', hash_value, download_url: `${baseURL()}${DOWNLOAD_PATH.slice(1)}?token=${token}` } };
      },
    },
    {
      method: 'GET',
      path: DOWNLOAD_PATH,
      handle: (request) => {
        const { token } = request.query;
        if (!token?.startsWith(TOKEN_PREFIX)) return passOn(DOWNLOAD_PATH, request);
        const bill = bills.get(token);
        if (!bill) return { status: 400, json: { code: 'INVALID_REQUEST', message: 'the download token is invalid or expired' } };
        const reply: StreamedReply = {
          headers: { 'Content-Type': bill.gzip ? 'application/x-gzip' : 'text/plain; charset=utf-8', 'Request-ID': randomUUID() },
          stream: () => Readable.from([bill.csv]),
          gzip: bill.gzip,
          tamper: false,
        };
        return reply;
      },
    },
  ];
}
