import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ErrorCode, NotificationVerifier, WechatpayError, type NotificationRequest } from '../../lib';
import { Sandbox } from '../../lib/sandbox';

const NAMES = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'] as const;
const CODES: readonly string[] = Object.values(ErrorCode);

/** A notification the sandbox really sent, as the merchant server received it. */
interface Genuine {
  /** The four signature headers and the two others the sandbox sends, as received. */
  entries: Array<[string, string]>;
  body: Buffer;
  resource: unknown;
}

type Entries = Array<[string, unknown]>;
type Shape = 'node' | 'as-named' | 'fetch';
type BodyForm = 'buffer' | 'string' | 'uint8array';

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'delete'; at: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; text: string }
  | { kind: 'edit'; header: number; op: 'insert' | 'delete' | 'replace'; at: number; char: string }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'borrow'; header: number }
  | { kind: 'drop'; header: number }
  | { kind: 'rename'; header: number; style: 'upper' | 'lower' | 'title' | 'alternating' | 'underscore' | 'padded' }
  | { kind: 'array'; header: number; junk: string; junkFirst: boolean }
  | { kind: 'value'; header: number; value: unknown }
  | { kind: 'extra'; at: number; name: string; value: unknown }
  | { kind: 'other-body' };

/** Header entries as a framework would hand them: node's lower-case object, the names as written, or a Fetch Headers. */
function present(entries: Entries, shape: Shape): unknown {
  // Real header maps never hold two spellings of one name; keep the first.
  const seen = new Set<string>();
  const unique = entries.filter(([name]) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()));
  if (shape === 'node') return Object.fromEntries(unique.map(([name, value]) => [name.toLowerCase(), value]));
  if (shape === 'as-named') return Object.fromEntries(unique);
  const headers = new Headers();
  for (const [name, value] of unique) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      try {
        if (typeof item === 'string') headers.append(name, item);
      } catch {
        // A name or value a real Headers cannot hold: it could not have reached the verifier.
      }
    }
  }
  return headers;
}

function asBody(bytes: Buffer, form: BodyForm): string | Buffer | Uint8Array {
  if (form === 'string') return bytes.toString('utf8');
  if (form === 'uint8array') return new Uint8Array(bytes);
  return bytes;
}

/** A header's value as HTTP defines it: names case-insensitive, the first of repeated values, empty as absent. */
function headerValue(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) || undefined;
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const text: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
    return typeof text === 'string' && text !== '' ? text : undefined;
  }
  return undefined;
}

/** The verifier decodes Wechatpay-Signature strictly, so only the very same spelling passes. */
function sameSignature(given: string, genuine: string): boolean {
  return given === genuine;
}

/** The genuine notification `request` is byte for byte (serial ids compare case-insensitively), if any. */
function genuineOf(request: unknown, genuines: readonly Genuine[]): Genuine | undefined {
  if (request === null || typeof request !== 'object') return undefined;
  const { headers, body } = request as { headers?: unknown; body?: unknown };
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body instanceof Uint8Array ? Buffer.from(body) : undefined;
  if (!bytes) return undefined;
  return genuines.find((genuine) => {
    if (!bytes.equals(genuine.body)) return false;
    const expected = new Map(genuine.entries);
    const [timestamp, nonce, signature, serial] = NAMES.map((name) => headerValue(headers, name));
    return (
      timestamp === expected.get('wechatpay-timestamp') &&
      nonce === expected.get('wechatpay-nonce') &&
      signature !== undefined &&
      sameSignature(signature, expected.get('wechatpay-signature') ?? '') &&
      serial?.toUpperCase() === expected.get('wechatpay-serial')?.toUpperCase()
    );
  });
}

function at(index: number, length: number): number {
  return length === 0 ? 0 : index % (length + 1);
}

function rename(name: string, style: Extract<Mutation, { kind: 'rename' }>['style']): string {
  switch (style) {
    case 'upper':
      return name.toUpperCase();
    case 'lower':
      return name.toLowerCase();
    case 'title':
      return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
    case 'alternating':
      return [...name].map((char, index) => (index % 2 ? char.toUpperCase() : char.toLowerCase())).join('');
    case 'underscore':
      return name.replace(/-/g, '_');
    case 'padded':
      return `${name} `;
  }
}

/** Applies `mutations` to a copy of `genuine` (`other` lends its header values and body). */
function mutate(genuine: Genuine, other: Genuine, mutations: readonly Mutation[]): { entries: Entries; body: Buffer } {
  const entries: Entries = genuine.entries.map(([name, value]) => [name, value]);
  let body = Buffer.from(genuine.body);
  const signatureEntry = (header: number): [string, unknown] | undefined => entries.find(([name]) => name.toLowerCase() === NAMES[header]);
  for (const mutation of mutations) {
    switch (mutation.kind) {
      case 'flip': {
        if (body.length === 0) break;
        const index = mutation.at % body.length;
        body[index] ^= 1 << mutation.bit;
        break;
      }
      case 'insert': {
        const index = at(mutation.at, body.length);
        body = Buffer.concat([body.subarray(0, index), Buffer.from([mutation.byte]), body.subarray(index)]);
        break;
      }
      case 'delete': {
        if (body.length === 0) break;
        const index = mutation.at % body.length;
        body = Buffer.concat([body.subarray(0, index), body.subarray(index + 1)]);
        break;
      }
      case 'truncate':
        body = body.subarray(0, mutation.at % (body.length + 1));
        break;
      case 'append':
        body = Buffer.concat([body, Buffer.from(mutation.text, 'utf8')]);
        break;
      case 'edit': {
        const entry = signatureEntry(mutation.header);
        if (!entry || typeof entry[1] !== 'string') break;
        const chars = [...entry[1]];
        const index = at(mutation.at, chars.length);
        if (mutation.op === 'insert') chars.splice(index, 0, mutation.char);
        else chars.splice(index, 1, ...(mutation.op === 'replace' ? [mutation.char] : []));
        entry[1] = chars.join('');
        break;
      }
      case 'swap': {
        const [a, b] = [signatureEntry(mutation.a), signatureEntry(mutation.b)];
        if (a && b) [a[1], b[1]] = [b[1], a[1]];
        break;
      }
      case 'borrow': {
        const entry = signatureEntry(mutation.header);
        const lent = other.entries.find(([name]) => name === NAMES[mutation.header]);
        if (entry && lent) entry[1] = lent[1];
        break;
      }
      case 'drop': {
        const index = entries.findIndex(([name]) => name.toLowerCase() === NAMES[mutation.header]);
        if (index >= 0) entries.splice(index, 1);
        break;
      }
      case 'rename': {
        const entry = signatureEntry(mutation.header);
        if (entry) entry[0] = rename(entry[0], mutation.style);
        break;
      }
      case 'array': {
        const entry = signatureEntry(mutation.header);
        if (entry && typeof entry[1] === 'string') entry[1] = mutation.junkFirst ? [mutation.junk, entry[1]] : [entry[1], mutation.junk];
        break;
      }
      case 'value': {
        const entry = signatureEntry(mutation.header);
        if (entry) entry[1] = mutation.value;
        break;
      }
      case 'extra':
        entries.splice(at(mutation.at, entries.length), 0, [mutation.name, mutation.value]);
        break;
      case 'other-body':
        body = Buffer.from(other.body);
        break;
    }
  }
  return { entries, body };
}

describe('NotificationVerifier under fuzzing', () => {
  const received: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = [];
  const inbox = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(204).end();
    });
  });
  const sandboxes: Sandbox[] = [];
  const genuines: Genuine[] = [];
  let verifier: NotificationVerifier;
  let serials: string[] = [];
  let nowSeconds = 0;

  before(async () => {
    await new Promise<void>((resolve) => inbox.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(inbox.address() as AddressInfo).port}/notify`;
    // Migration signs with the public key; certificate mode with the certificate: both ids are real.
    sandboxes.push(await Sandbox.start({ mode: 'migration' }), await Sandbox.start({ mode: 'certificate' }));
    const resources = [
      { out_trade_no: 'FUZZ-PUBLIC-KEY', trade_state: 'SUCCESS', amount: { total: 1, currency: 'CNY' } },
      { out_trade_no: 'FUZZ-CERTIFICATE', trade_state: 'SUCCESS', amount: { total: 2, currency: 'CNY' }, attach: '中文' },
    ];
    for (const [index, sandbox] of sandboxes.entries()) {
      await sandbox.notify(url, { resource: resources[index] });
      const delivery = received.shift();
      assert.ok(delivery);
      const entries = [...NAMES, 'content-type', 'request-id'].map((name): [string, string] => [name, String(delivery.headers[name])]);
      genuines.push({ entries, body: delivery.body, resource: resources[index] });
    }
    verifier = new NotificationVerifier({ ...sandboxes[0].notificationOptions, now: () => nowSeconds * 1000 });
    serials = sandboxes[0].platformKeys.map((key) => key.id);
    nowSeconds = Number(genuines[0].entries[0][1]);
  });
  after(async () => {
    await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
    inbox.closeAllConnections();
    await new Promise<void>((resolve, reject) => inbox.close((error) => (error ? reject(error) : resolve())));
  });

  it('throws only typed errors for 10,000 random and mutated notifications, and passes only the genuine ones', async () => {
    const genuineValue = (name: (typeof NAMES)[number]) => fc.constantFrom(...genuines.map((genuine) => new Map(genuine.entries).get(name) ?? ''));
    const base64 = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 256, maxLength: 256 })).map((bytes) => Buffer.from(bytes).toString('base64'));
    const hex = fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFabcdef'), minLength: 1, maxLength: 48 });
    const timestamp = fc.oneof(fc.integer({ min: nowSeconds - 400, max: nowSeconds + 400 }).map(String), genuineValue('wechatpay-timestamp'));
    const serial = fc.oneof(fc.constantFrom(...serials, ...serials.map((id) => id.toLowerCase())), hex, hex.map((id) => `PUB_KEY_ID_${id}`));
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
    const value: fc.Arbitrary<unknown> = fc.oneof(
      genuineValue('wechatpay-signature'),
      genuineValue('wechatpay-nonce'),
      timestamp,
      serial,
      base64,
      base64.map((signature) => `WECHATPAY/SIGNTEST/${signature}`),
      text,
      fc.array(text, { maxLength: 3 }),
      fc.constantFrom('', undefined, null, 0, 1.5, true, {}),
    );
    const name = fc.oneof(
      fc.constantFrom(...NAMES, ...NAMES.map((known) => rename(known, 'title')), ...NAMES.map((known) => known.toUpperCase()), 'content-type', 'request-id', 'get', '__proto__', 'constructor', 'toString'),
      fc.string({ maxLength: 24 }),
    );
    const shape = fc.constantFrom<Shape>('node', 'as-named', 'fetch');
    const bodyForm = fc.constantFrom<BodyForm>('buffer', 'string', 'uint8array');
    const randomBody = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
      fc.json({ maxDepth: 3 }),
      fc.constantFrom(...genuines.map((genuine) => genuine.body), ...genuines.map((genuine) => genuine.body.toString('utf8'))),
    );
    const index = fc.nat({ max: 3 });
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.nat({ max: 255 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('append' as const), text: fc.constantFrom(' ', '\n', '\r\n', '}', '\u0000', '\ufeff', ',"x":1') }),
      fc.record({ kind: fc.constant('edit' as const), header: index, op: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const), at: fc.nat(), char: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }),
      fc.record({ kind: fc.constant('swap' as const), a: index, b: index }),
      fc.record({ kind: fc.constant('borrow' as const), header: index }),
      fc.record({ kind: fc.constant('drop' as const), header: index }),
      fc.record({ kind: fc.constant('rename' as const), header: index, style: fc.constantFrom('upper' as const, 'lower' as const, 'title' as const, 'alternating' as const, 'underscore' as const, 'padded' as const) }),
      fc.record({ kind: fc.constant('array' as const), header: index, junk: text, junkFirst: fc.boolean() }),
      fc.record({ kind: fc.constant('value' as const), header: index, value }),
      fc.record({ kind: fc.constant('extra' as const), at: fc.nat(), name, value }),
      fc.constant({ kind: 'other-body' as const }),
    );

    // Start from a genuine notification and spoil (or merely respell) it.
    const mutated = fc
      .record({ which: fc.nat({ max: 1 }), mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }), shape, bodyForm })
      .map(({ which, mutations, shape: as, bodyForm: form }) => {
        const { entries, body } = mutate(genuines[which], genuines[1 - which], mutations);
        return { headers: present(entries, as), body: asBody(body, form) };
      });
    // All four headers, each drawn from plausible values, over a plausible body.
    const plausible = fc
      .record({ timestamp, nonce: fc.oneof(genuineValue('wechatpay-nonce'), text), signature: fc.oneof(genuineValue('wechatpay-signature'), base64), serial, body: randomBody, shape })
      .map(({ timestamp: stamp, nonce, signature, serial: id, body, shape: as }) => ({
        headers: present([['Wechatpay-Timestamp', stamp], ['Wechatpay-Nonce', nonce], ['Wechatpay-Signature', signature], ['Wechatpay-Serial', id]], as),
        body,
      }));
    // Anything at all: random header records and bodies, and shapes that are not requests.
    const anything = fc.oneof(
      fc.record({ headers: fc.array(fc.tuple(name, value), { maxLength: 8 }), shape, body: fc.oneof(randomBody, fc.constantFrom(undefined, null, 42, [], {})) }).map(({ headers, shape: as, body }) => ({ headers: present(headers, as), body })),
      fc.record({ headers: fc.constantFrom(undefined, null, 'wechatpay-serial: x', 42, [], ['wechatpay-nonce', 'x']), body: randomBody }),
      fc.constantFrom(undefined, null, 'request', 42, [], {}),
    );
    const request: fc.Arbitrary<unknown> = fc.oneof({ arbitrary: mutated, weight: 6 }, { arbitrary: plausible, weight: 3 }, { arbitrary: anything, weight: 1 });

    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const genuine = genuineOf(input, genuines);
        let event: unknown;
        try {
          event = await verifier.verify(input as NotificationRequest);
        } catch (error) {
          assert.ok(error instanceof WechatpayError, `not a WechatpayError: ${String(error)}`);
          assert.ok(CODES.includes(error.code), `unknown code ${String(error.code)}`);
          assert.equal(genuine, undefined, `a genuine notification was refused: ${error.message}`);
          outcomes.set(error.code, (outcomes.get(error.code) ?? 0) + 1);
          return;
        }
        assert.ok(genuine, 'an altered notification passed verification');
        assert.deepEqual((event as { resource: unknown }).resource, genuine.resource);
        outcomes.set('passed', (outcomes.get('passed') ?? 0) + 1);
      }),
      { numRuns: 10_000 },
    );

    // The runs reached every check, and some (respelled but genuine) notifications passed.
    for (const outcome of ['passed', ErrorCode.INVALID_ARGUMENT, ErrorCode.INCOMPLETE_HEADERS, ErrorCode.SIGNATURE_PROBE, ErrorCode.CLOCK_SKEW, ErrorCode.UNKNOWN_SERIAL, ErrorCode.BAD_SIGNATURE]) {
      assert.ok((outcomes.get(outcome) ?? 0) > 0, `no run ended in ${outcome}: ${JSON.stringify([...outcomes])}`);
    }
  });
});
