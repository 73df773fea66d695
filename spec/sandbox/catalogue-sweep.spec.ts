// Every operation of the catalogue, called through the real client against the sandbox with the
// example call its endpoint page shows (the sandbox's catalogue, lib/sandbox/catalogue-examples.ts):
// answered, the answer signed, verified and valid against the catalogue's answer schema; and,
// left without a required field or given a value outside an enum, refused naming the field.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AxiosResponse } from 'axios';
import { ApiError, MediaUpload, untyped, verifyV2, Wechatpay, type RequestOptions } from '../../lib';
import { isPlainObject } from '../../lib/plain-object';
import { Sandbox } from '../../lib/sandbox';
import { sandboxCatalogue, type CatalogueOperation } from '../../lib/sandbox/catalogue-data';
import { exampleCall } from '../../lib/sandbox/catalogue-examples';
import { findBreach } from '../../lib/sandbox/catalogue-validation';
import { isUnsignedDownload } from '../../lib/v3/download-paths';

/** Calls in flight at once: enough to keep both ends busy, few enough to leave the machine to other specs. */
const CONCURRENCY = 8;

/** The APIv2 fields that name the merchant; each call names the sandbox's. */
const V2_MERCHANT_FIELDS = ['mch_id', 'mchid', 'combine_mch_id'];
/** The APIv3 fields that name the merchant calling; each call names the sandbox's. */
const V3_MERCHANT_FIELDS = ['mchid', 'sp_mchid'];
/** The order ids the catalogue requires both of where either will do: leaving one out is no breach. */
const EITHER = ['transaction_id', 'out_trade_no'];

/** What became of one operation's call. */
type Kind =
  /** Answered 2xx, signed, verified and valid against the catalogue's answer schema. */
  | 'answered'
  /** A file, which the gateway does not sign: answered 2xx. */
  | 'download'
  /** Refused, signed, by a route of its own, whose state or stricter rules say no (an order never placed). */
  | 'refused by its route'
  /** An upload whose form the catalogue describes otherwise than MediaUpload sends it: refused naming the part or field. */
  | 'refused as the catalogue says'
  /** Not called: the client cannot make the call the catalogue describes. */
  | 'skipped'
  | 'failed';

interface Outcome {
  op: CatalogueOperation;
  kind: Kind;
  /** The options the call was made with. */
  options?: Record<string, unknown>;
  /** Why it was skipped, what refused it, or what went wrong. */
  note?: string;
}

const label = (op: CatalogueOperation): string => `${op.method.toUpperCase()} /${op.path}`;
const isV2 = (op: CatalogueOperation): boolean => op.path.startsWith('v2/');

/** Whether the catalogue gives an APIv2 answer whose `result_code` can only be FAIL. */
function describesFailOnly(op: CatalogueOperation): boolean {
  return isV2(op) && op.answer?.properties?.result_code?.enum?.includes('SUCCESS') === false;
}

/** Why the client cannot make an operation's call, if it cannot. */
function skipReason(op: CatalogueOperation): string | undefined {
  if (isV2(op) && op.method !== 'post') return "an APIv2 page the payer's browser opens (GET), not a call a server makes";
  if (isV2(op) && op.form) return 'an APIv2 upload: multipart, which the client sends to APIv3 only';
  return undefined;
}

/** The part or `meta` field an upload requires that MediaUpload (a `file` part, `meta` of filename and sha256) does not send. */
function unsendable(op: CatalogueOperation): string | undefined {
  if (!op.form) return undefined;
  const part = (op.form.required ?? []).find((name) => name !== 'file' && name !== 'meta');
  if (part) return part;
  const field = (op.form.properties?.meta?.required ?? []).find((name) => name !== 'filename' && name !== 'sha256');
  return field && `meta.${field}`;
}

/** Runs `task` over `items`, `CONCURRENCY` at a time; the results in the order of `items`. */
async function pooled<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await task(items[i]);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

/** The error a call rejected with, or undefined when it answered. */
async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => undefined,
    (error: unknown) => error ?? new Error('rejected without a reason'),
  );
}

/** Whether `error` is the refusal naming `field`: APIv3 400 PARAM_ERROR, APIv2 a FAIL, its message naming it. */
function namesField(op: CatalogueOperation, error: unknown, field: string): boolean {
  if (!(error instanceof ApiError) || !(error.apiMessage ?? '').includes(field)) return false;
  return isV2(op) || (error.response?.status === 400 && error.apiCode === 'PARAM_ERROR');
}

/**
 * Whether a refusal can only come from a route of its own, whose state or stricter rules say no.
 * The catalogue's APIv2 routes refuse with an unsigned `return_code` FAIL only, never a signed
 * `result_code` FAIL; its APIv3 routes with 404 NOT_FOUND saying there is no sandbox route (a
 * route's own NOT_FOUND, a record it does not know, names no route), or with 400 PARAM_ERROR for a
 * call the catalogue finds a breach in (these calls are the catalogue's own examples).
 */
function refusedByItsRoute(op: CatalogueOperation, options: Record<string, unknown>, error: ApiError): boolean {
  if (isV2(op)) return error.verified;
  const status = error.response?.status ?? 0;
  if (status < 400 || status > 499 || error.response?.headers['wechatpay-signature'] === undefined) return false;
  if (error.apiCode === 'NOT_FOUND') return !(error.apiMessage ?? '').startsWith('no sandbox route');
  if (error.apiCode !== 'PARAM_ERROR') return error.apiCode !== 'SIGN_ERROR';
  const optional = new Set(op.optional);
  const query = Object.fromEntries(Object.entries((options.query ?? {}) as Record<string, unknown>).map(([name, value]) => [name, String(value)]));
  return !(op.query && findBreach(op.query, query, 'text', optional)) && !(op.body && options.json !== undefined && findBreach(op.body, options.json, 'json', optional));
}

/** `options` with the top-level field `name` of its body or query (`where`) set to `value`, or left out for undefined. */
function withField(options: Record<string, unknown>, where: string, name: string, value: unknown): Record<string, unknown> {
  const part = { ...(options[where] as Record<string, unknown>) };
  if (value === undefined) delete part[name];
  else part[name] = value;
  return { ...options, [where]: part };
}

/** The parts of a call whose fields the sandbox checks, each with its schema: the body (`json`, `xml`) and, on APIv3, the query. */
function fieldParts(op: CatalogueOperation, options: Record<string, unknown>): Array<{ where: string; fields: Record<string, unknown>; schema: CatalogueOperation['body'] }> {
  const parts = isV2(op) ? [{ where: 'xml', schema: op.body }] : [
    { where: 'json', schema: op.body },
    { where: 'query', schema: op.query },
  ];
  return parts.flatMap(({ where, schema }) => {
    const fields = options[where];
    return isPlainObject(fields) ? [{ where, fields, schema }] : [];
  });
}

describe('the sandbox, swept over every operation of the catalogue', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  let outcomes: Outcome[] = [];

  const call = (op: CatalogueOperation, options: Record<string, unknown>): Promise<AxiosResponse<unknown>> => untyped(wxpay.chain(op.path))[op.method](options as RequestOptions);

  /** The example call of `op` as the sandbox's merchant makes it: its merchant ids, mutual TLS for APIv2, a file to upload. */
  async function exampleOptions(op: CatalogueOperation): Promise<Record<string, unknown>> {
    const options = exampleCall(op) ?? {};
    if (isV2(op)) {
      const xml = { ...(options.xml as Record<string, unknown> | undefined) };
      const named = V2_MERCHANT_FIELDS.filter((name) => name in xml);
      for (const name of named.length > 0 ? named : ['mch_id']) xml[name] = sandbox.mchid;
      return { ...options, xml, security: true };
    }
    for (const part of [options.json, options.query]) {
      if (isPlainObject(part)) for (const name of V3_MERCHANT_FIELDS) if (name in part) part[name] = sandbox.mchid;
    }
    if (op.form) options.media = await MediaUpload.from(Buffer.from('a sandbox sweep'), { filename: op.path.includes('video') ? 'sweep.mp4' : 'sweep.png' });
    return options;
  }

  /** What the answer to `op`'s example call says of the sandbox (an APIv2 FAIL the client rejected with, too). */
  function judge(op: CatalogueOperation, options: Record<string, unknown>, res: AxiosResponse<unknown>): Outcome {
    const optional = new Set(op.optional);
    if (isV2(op)) {
      if (Buffer.isBuffer(res.data)) return { op, kind: 'download', options };
      const fields = res.data as Record<string, string>;
      const signType = (options.xml as Record<string, unknown>).sign_type === 'HMAC-SHA256' ? 'HMAC-SHA256' : 'MD5';
      if (!verifyV2(fields, sandbox.apiv2Secret, signType)) return { op, kind: 'failed', note: `its sign does not verify under ${signType}` };
      const breach = findBreach(op.answer ?? {}, fields, 'text', optional);
      return breach ? { op, kind: 'failed', note: `the answer's ${breach.field} ${breach.problem}` } : { op, kind: 'answered', options };
    }
    if (res.status < 200 || res.status > 299) return { op, kind: 'failed', note: `answered ${res.status}` };
    if (isUnsignedDownload(`/${op.path}`)) return { op, kind: 'download', options };
    // The client verified the signature before it resolved; an answer without one would have rejected.
    if (res.headers['wechatpay-signature'] === undefined) return { op, kind: 'failed', note: 'the answer is not signed' };
    const breach = op.answer && res.data !== '' ? findBreach(op.answer, res.data, 'json', optional) : undefined;
    return breach ? { op, kind: 'failed', note: `the answer's ${breach.field || 'body'} ${breach.problem}` } : { op, kind: 'answered', options };
  }

  async function sweep(op: CatalogueOperation): Promise<Outcome> {
    const skipped = skipReason(op);
    if (skipped) return { op, kind: 'skipped', note: skipped };
    const options = await exampleOptions(op);
    const field = unsendable(op);
    try {
      const res = await call(op, options);
      return field ? { op, kind: 'failed', note: `answered ${res.status}, not refused naming ${field}` } : judge(op, options, res);
    } catch (error) {
      if (field) return namesField(op, error, field) ? { op, kind: 'refused as the catalogue says', note: field } : { op, kind: 'failed', note: `not refused naming ${field}: ${String(error)}` };
      // Where the catalogue describes an APIv2 answer's FAIL alone (its success being a file), that FAIL is the example.
      if (error instanceof ApiError && error.response && describesFailOnly(op)) return judge(op, options, error.response);
      if (error instanceof ApiError && refusedByItsRoute(op, options, error)) return { op, kind: 'refused by its route', note: `${error.apiCode ?? ''}: ${error.apiMessage ?? ''}` };
      return { op, kind: 'failed', note: error instanceof ApiError ? `${error.response?.status ?? ''} ${error.apiCode ?? ''}: ${error.apiMessage ?? error.message}` : String(error) };
    }
  }

  before(async () => {
    sandbox = await Sandbox.start({ tls: true });
    wxpay = new Wechatpay(sandbox.clientOptions);
    const { operations } = await sandboxCatalogue();
    outcomes = await pooled(operations, sweep);
  });
  after(() => sandbox.close());

  const of = (kind: Kind) => outcomes.filter((outcome) => outcome.kind === kind);

  it('answers the example call of every operation it serves, signed, verified and valid against the catalogue', (t) => {
    assert.deepEqual(of('failed').map(({ op, note }) => `${label(op)}: ${note ?? ''}`), []);
    assert.ok(outcomes.length > 1000, `the catalogue has ${outcomes.length} operations`);
    const kinds = [...new Set(outcomes.map((outcome) => outcome.kind))];
    t.diagnostic(`${outcomes.length} operations: ${kinds.map((kind) => `${kind} ${of(kind).length}`).join(', ')}`);
    for (const kind of ['skipped', 'refused as the catalogue says', 'refused by its route', 'download'] as const) {
      for (const { op, note } of of(kind)) t.diagnostic(`${kind}: ${label(op)}${note ? ` (${note})` : ''}`);
    }
  });

  it('refuses each of those calls left without a required field, naming the field', async (t) => {
    const cases = of('answered').flatMap(({ op, options = {} }) => {
      for (const { where, fields } of fieldParts(op, options)) {
        const name = Object.keys(fields).find((key) => !EITHER.includes(key) && !op.optional?.includes(key));
        if (name) return [{ op, options: withField(options, where, name, undefined), name }];
      }
      return [];
    });
    const wrong = await pooled(cases, async ({ op, options, name }) => (namesField(op, await rejection(call(op, options)), name) ? [] : [`${label(op)} without ${name}`]));
    t.diagnostic(`${cases.length} calls without a required field`);
    assert.ok(cases.length > 500, `${cases.length} calls`);
    assert.deepEqual(wrong.flat(), []);
  });

  it('refuses each of those calls given a value outside an enum, naming the field', async (t) => {
    const cases = of('answered').flatMap(({ op, options = {} }) => {
      for (const { where, fields, schema } of fieldParts(op, options)) {
        // sign_type also decides how the client signs.
        const name = Object.keys(fields).find((key) => key !== 'sign_type' && schema?.properties?.[key]?.enum);
        if (name) return [{ op, options: withField(options, where, name, 'NOT_IN_THE_ENUM'), name }];
      }
      return [];
    });
    const wrong = await pooled(cases, async ({ op, options, name }) => (namesField(op, await rejection(call(op, options)), name) ? [] : [`${label(op)} with ${name} outside its enum`]));
    t.diagnostic(`${cases.length} calls with a value outside an enum`);
    assert.ok(cases.length > 100, `${cases.length} calls`);
    assert.deepEqual(wrong.flat(), []);
  });
});
