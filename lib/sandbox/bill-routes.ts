import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { InvalidArgumentError } from '../errors';
import { checkFields, oneOf, optional, wholeNumber, type FieldCheck } from './argument-checks';
import { dripper, type Fault } from './faults';
import { type Route, type SandboxReply, paramError } from './routes';

/** The day that has no bill: asking for it answers 400 `NO_STATEMENT_EXIST`. */
export const NO_BILL_DAY = '2000-01-01';

/** How the sandbox makes the bills of one day (see {@link BillBook.define}). */
export interface BillDefinition {
  /** Data rows (20 by default). */
  rows?: number;
  /** Instead of `rows`: add rows until the CSV is at least this many bytes (for a 200 MB bill). */
  bytes?: number;
  /**
   * Serve other bytes than those hashed: `tampered` changes one byte of the CSV (a `GZIP` bill
   * still gunzips), `cut` drops the connection halfway through the file.
   */
  fault?: 'tampered' | 'cut';
  /** Answer a `download_url` on this origin (`https://elsewhere.example`) instead of the sandbox's own. */
  downloadOrigin?: string;
}

/** A bill's date, as the bill calls take it. */
const BILL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** How each field of a {@link BillDefinition} is checked. */
const DEFINITION_CHECKS: Readonly<Record<keyof BillDefinition, FieldCheck>> = {
  rows: optional(wholeNumber(0, 10_000_000)),
  bytes: optional(wholeNumber(1, 2 ** 32)),
  fault: optional(oneOf(['tampered', 'cut'])),
  downloadOrigin: optional((value) => {
    const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
    return url && /^https?:$/.test(url.protocol) && url.origin === (value as string).replace(/\/+$/, '') ? undefined : 'expected an origin, such as https://elsewhere.example';
  }),
};

/** One bill, as its download token carries it. */
export interface BillSpec {
  type: 'trade' | 'fundflow';
  bill_date: string;
  /** `bill_type` of a trade bill, `account_type` of a fund-flow bill. */
  kind: string;
  rows?: number;
  bytes?: number;
  gzip?: boolean;
  fault?: 'tampered' | 'cut';
}

/** A reply whose body is streamed, unsigned, as the gateway sends files. */
export interface StreamedReply extends SandboxReply {
  /** The bill's bytes, uncompressed; made afresh for each call. */
  stream: () => Readable;
  /** Compress on the way out (`tar_type=GZIP`). */
  gzip: boolean;
  /** Change one byte of the bill before it is compressed. */
  tamper: boolean;
  /** The gzipped body an earlier reply with the same bytes sent whole: sent as it is, as the gateway sends a stored file. */
  compressed?: Buffer;
  /** Keeps the gzipped body once sent whole, for the next reply with the same bytes. */
  keepCompressed?: (body: Buffer) => void;
}

const ROWS_PER_CHUNK = 1024;
/** The most gzipped bytes a {@link BillBook} keeps, over all its bills. */
const KEPT_GZIP_BYTES = 64 * 1024 * 1024;
const DEFAULT_ROWS = 20;
const APPID = 'wx2421b1c4370ec43b';
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const TRADE_HEADER = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,手续费,费率\r\n';
const FUNDFLOW_HEADER = '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号\r\n';

function yuan(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

function clock(i: number): string {
  const seconds = i % 86400;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

/**
 * The bill's CSV, in chunks of about 100 KB, the same bytes every time for the same spec: WeChat
 * Pay's layout (a header, one backtick-prefixed row per entry, a summary) with made-up entries.
 */
export function* billChunks(spec: BillSpec, mchid: string): Generator<Buffer> {
  const day = spec.bill_date.replace(/-/g, '');
  const trade = spec.type === 'trade';
  const state = spec.kind === 'REFUND' ? 'REFUND' : 'SUCCESS';
  const more = (i: number, size: number) => (spec.bytes !== undefined ? size < spec.bytes : i < (spec.rows ?? DEFAULT_ROWS));
  const header = trade ? TRADE_HEADER : FUNDFLOW_HEADER;
  let rows: string[] = [header];
  let size = Buffer.byteLength(header);
  let total = 0;
  let fees = 0;
  let i = 0;
  for (; more(i, size); i++) {
    const cents = 1 + ((i * 7919) % 99999);
    const serial = String(i).padStart(12, '0');
    total += cents;
    let row: string;
    if (trade) {
      const fee = Math.round(cents * 0.006);
      fees += fee;
      row = `\`${spec.bill_date} ${clock(i)},\`${APPID},\`${mchid},\`0,\`,\`4200000${day}${serial},\`T${day}${serial},\`${OPENID},\`JSAPI,\`${state},\`OTHERS,\`CNY,\`${yuan(cents)},\`0.00,\`sandbox goods,\`${yuan(fee)},\`0.60%\r\n`;
    } else {
      row = `\`${spec.bill_date} ${clock(i)},\`4200000${day}${serial},\`${day}${serial}F,\`交易,\`交易,\`收入,\`${yuan(cents)},\`${yuan(total)},\`system,\`,\`T${day}${serial}\r\n`;
    }
    rows.push(row);
    if (spec.bytes !== undefined) size += Buffer.byteLength(row);
    if (rows.length >= ROWS_PER_CHUNK) {
      yield Buffer.from(rows.join(''));
      rows = [];
    }
  }
  let text = rows.join('');
  text += trade
    ? `总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n\`${i},\`${yuan(total)},\`0.00,\`0.00,\`${yuan(fees)},\`${yuan(total)},\`0.00\r\n`
    : `资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\r\n\`${i},\`${i},\`${yuan(total)},\`0,\`0.00\r\n`;
  yield Buffer.from(text);
}

/** The chunks, but failing halfway through the first: a connection that drops mid-file. */
function* cutShort(chunks: Generator<Buffer>): Generator<Buffer> {
  const first = chunks.next();
  if (!first.done) yield first.value.subarray(0, Math.floor(first.value.length / 2));
  throw new Error('sandbox: the bill download was cut short');
}

/** Flips a bit in the last field of the first chunk: still text, no longer the hashed bytes. */
function tamperer(): Transform {
  let done = false;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      if (!done && chunk.length >= 3) {
        chunk = Buffer.from(chunk);
        chunk[chunk.length - 3] ^= 0x01;
        done = true;
      }
      callback(null, chunk);
    },
  });
}

function encodeToken(spec: BillSpec): string {
  return Buffer.from(JSON.stringify(spec)).toString('base64url');
}

function decodeToken(token: string | undefined): BillSpec | undefined {
  if (!token) return undefined;
  try {
    const spec = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as BillSpec;
    return (spec.type === 'trade' || spec.type === 'fundflow') && typeof spec.bill_date === 'string' ? spec : undefined;
  } catch {
    return undefined;
  }
}


/** Whether a route's reply is to be streamed rather than signed. */
export function isStreamedReply(reply: SandboxReply): reply is StreamedReply {
  return typeof (reply as Partial<StreamedReply>).stream === 'function';
}

/** Passes the chunks through and hands them to `keep`, joined, once all of them have passed. */
function keeper(keep: (body: Buffer) => void): Transform {
  const chunks: Buffer[] = [];
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      chunks.push(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      keep(Buffer.concat(chunks));
      callback();
    },
  });
}

/**
 * The stages that make a file reply's body. A gzipped body sent before is sent again as it was,
 * unless a queued `tampered-body` fault must change the bill first (the kept body came from the
 * bill's own bytes); otherwise the bill is made, changed when asked, and gzipped when asked, and a
 * gzipped body is kept when the reply can keep one.
 */
function bodyStages(reply: StreamedReply, tamperOnce: boolean): (Readable | Transform)[] {
  if (reply.gzip && reply.compressed && !tamperOnce) return [Readable.from([reply.compressed])];
  const stages: (Readable | Transform)[] = [reply.stream()];
  if (reply.tamper || tamperOnce) stages.push(tamperer());
  if (reply.gzip) {
    // The fastest level: the sandbox should not be what a download benchmark measures.
    stages.push(createGzip({ level: 1 }));
    if (reply.keepCompressed && !tamperOnce) stages.push(keeper(reply.keepCompressed));
  }
  return stages;
}

/**
 * Streams a file reply, unsigned and with backpressure (gzipped when asked; one byte changed
 * first when the bill or a queued `tampered-body` fault says so). A failing source drops the
 * connection mid-body, as a broken download does.
 */
export function sendStreamed(response: ServerResponse, reply: StreamedReply, fault: Fault | undefined): void {
  response.writeHead(reply.status ?? 200, reply.headers);
  const stages = bodyStages(reply, fault?.type === 'tampered-body');
  if (fault?.type === 'drip') stages.push(dripper(fault.ms));
  pipeline([...stages, response]).catch(() => response.destroy());
}

/**
 * The sandbox's bills: `GET /v3/bill/tradebill` and `/v3/bill/fundflowbill` answer (signed) with
 * `hash_type` SHA1, the `hash_value` of the CSV (uncompressed, as WeChat Pay hashes it) and a
 * `download_url` on the sandbox; `GET /v3/billdownload/file` streams that CSV, unsigned, gzipped
 * for `tar_type=GZIP` (the gzip made once, then kept, as the gateway keeps its files). Every day
 * has a bill of 20 rows, the same bytes each time, except {@link NO_BILL_DAY}; `define()` changes
 * a day's size or spoils its download.
 */
export class BillBook {
  private readonly definitions = new Map<string, BillDefinition>();
  /** SHA-1 by token: hashing a 200 MB bill is a full pass over it, done once. */
  private readonly hashes = new Map<string, string>();
  /** The gzipped bills sent whole, by token (a 200 MB bill gzips to about 18 MB); at most {@link KEPT_GZIP_BYTES} in all. */
  private readonly gzipped = new Map<string, Buffer>();

  constructor(
    private readonly mchid: string,
    private readonly baseURL: () => string,
  ) {}

  /**
   * Sets how the bills of `bill_date` (trade and fund-flow) are made, for the calls that follow.
   *
   * @example
   * ```ts
   * sandbox.bills.define('2026-11-24', { bytes: 200 * 1024 * 1024 }); // a 200 MB bill, never held in memory
   * sandbox.bills.define('2026-11-25', { fault: 'tampered' });         // its hash will not match
   * ```
   */
  define(bill_date: string, definition: BillDefinition): this {
    if (typeof bill_date !== 'string' || !BILL_DATE.test(bill_date)) throw new InvalidArgumentError('sandbox.bills.define(): bill_date: expected YYYY-MM-DD');
    checkFields(definition, DEFINITION_CHECKS, { name: 'sandbox.bills.define(): definition', expected: 'an object with rows or bytes, fault and downloadOrigin', takes: 'a bill definition takes' });
    if (definition.rows !== undefined && definition.bytes !== undefined) throw new InvalidArgumentError('sandbox.bills.define(): definition: give rows or bytes, not both');
    this.definitions.set(bill_date, { ...definition });
    return this;
  }

  /** The CSV of a bill as the sandbox serves it (uncompressed), for comparing with a download. */
  csv(bill: { type: 'trade' | 'fundflow'; bill_date: string; bill_type?: string; account_type?: string }): Buffer {
    return Buffer.concat([...billChunks(this.specOf(bill.type, bill.bill_date, bill.bill_type ?? bill.account_type, false), this.mchid)]);
  }

  /** The routes to register. */
  routes(): Route[] {
    return [
      { method: 'GET', path: '/v3/bill/tradebill', handle: ({ query }) => this.answer('trade', query) },
      { method: 'GET', path: '/v3/bill/fundflowbill', handle: ({ query }) => this.answer('fundflow', query) },
      { method: 'GET', path: '/v3/billdownload/file', handle: ({ query }) => this.file(query) },
    ];
  }

  private specOf(type: BillSpec['type'], bill_date: string, kind: string | undefined, gzip: boolean): BillSpec {
    const { rows, bytes, fault } = this.definitions.get(bill_date) ?? {};
    return { type, bill_date, kind: kind ?? (type === 'trade' ? 'ALL' : 'BASIC'), rows, bytes, gzip, fault };
  }

  private answer(type: BillSpec['type'], query: Record<string, string>): SandboxReply {
    const { bill_date, tar_type } = query;
    const kind = type === 'trade' ? query.bill_type : query.account_type;
    if (!bill_date || !BILL_DATE.test(bill_date)) return paramError('bill_date must be YYYY-MM-DD');
    if (tar_type !== undefined && tar_type !== 'GZIP') return paramError('tar_type must be GZIP');
    const kinds = type === 'trade' ? ['ALL', 'SUCCESS', 'REFUND', 'RECHARGE_REFUND', 'ALL_SPECIAL', 'SUC_SPECIAL', 'REF_SPECIAL'] : ['BASIC', 'OPERATION', 'FEES'];
    if (kind !== undefined && !kinds.includes(kind)) return paramError(`${type === 'trade' ? 'bill_type' : 'account_type'} must be one of ${kinds.join(', ')}`);
    if (bill_date === NO_BILL_DAY) return { status: 400, json: { code: 'NO_STATEMENT_EXIST', message: '账单文件不存在' } };
    const spec = this.specOf(type, bill_date, kind, tar_type === 'GZIP');
    const token = encodeToken(spec);
    let hash = this.hashes.get(token);
    if (hash === undefined) {
      const digest = createHash('sha1');
      for (const chunk of billChunks(spec, this.mchid)) digest.update(chunk);
      hash = digest.digest('hex');
      if (this.hashes.size >= 64) this.hashes.clear();
      this.hashes.set(token, hash);
    }
    const origin = this.definitions.get(bill_date)?.downloadOrigin;
    const base = origin === undefined ? this.baseURL() : `${origin.replace(/\/+$/, '')}/`;
    const download_url = `${base}v3/billdownload/file?token=${token}${spec.gzip ? '&tartype=gzip' : ''}`;
    return { json: { hash_type: 'SHA1', hash_value: hash, download_url } };
  }

  private file(query: Record<string, string>): SandboxReply {
    const token = query.token;
    const spec = decodeToken(token);
    if (!spec) return { status: 400, json: { code: 'INVALID_REQUEST', message: 'the download token is invalid or expired' } };
    const reply: StreamedReply = {
      headers: { 'Content-Type': spec.gzip ? 'application/x-gzip' : 'text/plain; charset=utf-8', 'Request-ID': randomUUID() },
      stream: () => Readable.from(spec.fault === 'cut' ? cutShort(billChunks(spec, this.mchid)) : billChunks(spec, this.mchid)),
      gzip: spec.gzip === true,
      tamper: spec.fault === 'tampered',
      compressed: this.gzipped.get(token),
      keepCompressed: (body) => this.keepGzipped(token, body),
    };
    return reply;
  }

  /** Keeps a bill's gzip for its next download, dropping the ones kept before when they would pass {@link KEPT_GZIP_BYTES}. */
  private keepGzipped(token: string, body: Buffer): void {
    if (body.length > KEPT_GZIP_BYTES) return;
    let kept = body.length;
    for (const other of this.gzipped.values()) kept += other.length;
    if (kept > KEPT_GZIP_BYTES) this.gzipped.clear();
    this.gzipped.set(token, body);
  }
}
