import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError } from '../errors';
import { listed } from '../listed';
import { checkFields, optional, text, waitMs, wholeNumber, type FieldCheck } from './argument-checks';

/**
 * A misbehaviour the sandbox can put into one answer, to prove that the client rejects it.
 * Each injected fault is consumed by the next request the sandbox receives, APIv3 or APIv2.
 *
 * On an APIv2 request: `tampered-body`, `v2-bad-sign` and `v2-xml` spoil the XML answer,
 * `error` answers its status with a `return_code` FAIL body, `connection-reset`, `slow`, `stall`
 * and `drip` act as on APIv3. The faults that spoil APIv3 signature headers or JSON (`stale-timestamp`,
 * `unknown-serial`, `missing-headers`, `signature-probe`, `malformed-json`) mean nothing to
 * APIv2 and are consumed without effect; so are the signature faults on an answer that carries
 * no `sign` (a `return_code` FAIL, a bill download).
 */
export type Fault =
  /** The body is changed after it was signed. APIv2: `total_fee` (else `nonce_str`) is changed after signing. */
  | { type: 'tampered-body' }
  /** `Wechatpay-Timestamp` is `seconds` in the past (negative: in the future). */
  | { type: 'stale-timestamp'; seconds?: number }
  /** `Wechatpay-Serial` names a key the client does not have. */
  | { type: 'unknown-serial' }
  /** The named `Wechatpay-*` headers are left out (all four by default). */
  | { type: 'missing-headers'; headers?: string[] }
  /** The signature is a `WECHATPAY/SIGNTEST/` probe. */
  | { type: 'signature-probe' }
  /** A signed error answer with this status and JSON body (APIv2: an unsigned `return_code` FAIL with `message`). */
  | { type: 'error'; status: number; code?: string; message?: string; detail?: unknown }
  /** A correctly signed body that is not JSON. */
  | { type: 'malformed-json' }
  /** The connection is destroyed without an answer. */
  | { type: 'connection-reset' }
  /** The answer comes after `ms` milliseconds. */
  | { type: 'slow'; ms: number }
  /** No answer ever comes: the connection is held open until the client leaves or the sandbox closes. */
  | { type: 'stall' }
  /** The headers come at once, then the body one byte every `ms` milliseconds (files too). */
  | { type: 'drip'; ms: number }
  /** APIv2: the answer's `sign` is wrong: as long as the right one, with other digits. */
  | { type: 'v2-bad-sign' }
  /**
   * APIv2: the answer is this XML, byte for byte, whatever the route would have said; for
   * proving the client's parser against XXE, entity expansion, `__proto__` elements and the like.
   */
  | { type: 'v2-xml'; xml: string; status?: number };

/** The `Wechatpay-*` headers a signed answer carries. */
export const SIGNATURE_HEADERS = ['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial'];

const status = wholeNumber(200, 599, 'an HTTP status');

/** The fields of each fault besides `type`, and how each is checked: what {@link Fault} declares, for callers TypeScript does not check. */
const FAULT_FIELDS: Readonly<Record<Fault['type'], Readonly<Record<string, FieldCheck>>>> = {
  'tampered-body': {},
  'stale-timestamp': { seconds: optional((value) => (Number.isSafeInteger(value) ? undefined : 'expected a whole number of seconds')) },
  'unknown-serial': {},
  'missing-headers': { headers: optional((value) => (Array.isArray(value) && value.every((name) => SIGNATURE_HEADERS.includes(name as string)) ? undefined : `expected some of ${listed(SIGNATURE_HEADERS)}`)) },
  'signature-probe': {},
  error: { status, code: optional(text), message: optional(text), detail: () => undefined },
  'malformed-json': {},
  'connection-reset': {},
  slow: { ms: waitMs },
  stall: {},
  drip: { ms: waitMs },
  'v2-bad-sign': {},
  'v2-xml': { xml: text, status: optional(status) },
};

/** A notification's faults: the answers' faults, and its resource encrypted under another APIv3 key. */
const NOTIFICATION_FAULT_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldCheck>>>> = { ...FAULT_FIELDS, 'wrong-apiv3-key': {} };

/** `fault`, checked against `table`; an InvalidArgumentError naming the field at fault otherwise. */
function checkAgainst(table: Readonly<Record<string, Readonly<Record<string, FieldCheck>>>>, fault: unknown, where: string): void {
  const name = `${where}: fault`;
  const type = (fault as { type?: unknown } | null)?.type;
  if (fault === null || typeof fault !== 'object' || typeof type !== 'string') throw new InvalidArgumentError(`${name}: expected an object with a type`);
  if (!Object.hasOwn(table, type)) throw new InvalidArgumentError(`${name}.type: '${type.slice(0, 64)}' is no fault; one of ${Object.keys(table).map((one) => `'${one}'`).join(', ')}`);
  const fields = Object.fromEntries(Object.entries(fault).filter(([field]) => field !== 'type'));
  checkFields(fields, table[type], { name, expected: 'an object with a type', takes: `a '${type}' fault takes` });
}

/**
 * `fault` as a {@link Fault}, or an InvalidArgumentError saying, after `where`, what the sandbox
 * cannot act out: an unknown type, a missing or wrong field, or one the type does not take. A
 * fault let through would never happen, and the test that expected it would pass without it.
 */
export function checkFault(fault: unknown, where: string): Fault {
  checkAgainst(FAULT_FIELDS, fault, where);
  return fault as Fault;
}

/** {@link checkFault} for a notification's fault, which may also be `wrong-apiv3-key`. */
export function checkNotificationFault(fault: unknown, where: string): Fault | { type: 'wrong-apiv3-key' } {
  checkAgainst(NOTIFICATION_FAULT_FIELDS, fault, where);
  return fault as Fault | { type: 'wrong-apiv3-key' };
}

/** Passes the body on one byte every `ms` milliseconds: a server that never quite finishes. */
export function dripper(ms: number): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      let at = 0;
      const next = (): void => {
        if (at >= chunk.length || this.destroyed) return callback();
        this.push(chunk.subarray(at, (at += 1)));
        setTimeout(next, ms);
      };
      next();
    },
  });
}

/** Ends an answer whose headers are written with `body`, dripped when the fault says so. */
export function endAnswer(response: ServerResponse, body: Buffer, fault: Fault | undefined): void {
  if (fault?.type !== 'drip') {
    response.end(body);
    return;
  }
  pipeline(Readable.from([body]), dripper(fault.ms), response).catch(() => response.destroy());
}

/**
 * Applies the faults that act on the connection before any answer, the same for both APIs:
 * `connection-reset` drops it, `stall` holds it, `slow` waits. Resolves false when no answer is
 * to be written.
 */
export async function connectionFault(request: IncomingMessage, fault: Fault | undefined): Promise<boolean> {
  if (fault?.type === 'connection-reset') request.socket.destroy();
  if (fault?.type === 'connection-reset' || fault?.type === 'stall') return false;
  if (fault?.type === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.ms));
  return true;
}
