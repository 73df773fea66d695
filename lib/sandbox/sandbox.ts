import { randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { AesGcm } from '../crypto/aes-gcm';
import { Formatter } from '../formatter';
import { checkAuthorization } from './authorization';
import { contractRoutes } from './contracts';
import { sensitiveRoutes } from './sensitive-routes';
import { SIGNATURE_HEADERS, type Fault } from './faults';
import { createKeyPair, issueCertificate, toIdentity, type Identity } from './pki';
import { compileRoute, matchRoute, type CompiledRoute, type Route, type SandboxReply, type SandboxRequest } from './routes';

/** Which keys the sandbox gateway signs its answers with. */
export type SandboxMode =
  /** A platform certificate (the scheme before 2024). */
  | 'certificate'
  /** A WeChat Pay public key with a `PUB_KEY_ID_…` id. */
  | 'public-key'
  /** Both, as during the migration: the request's `Wechatpay-Serial` picks the signing key. */
  | 'migration';

/** How to start a sandbox. */
export interface SandboxOptions {
  mode?: SandboxMode;
  /** The port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The merchant id the gateway knows. */
  mchid?: string;
}

/** What `notify()` sends: the event's envelope fields and its (plaintext) resource. */
export interface NotificationEvent {
  /** The resource the merchant should see once decrypted, e.g. a transaction. */
  resource: unknown;
  event_type?: string;
  /** The resource's `original_type`, also the default associated data. */
  resource_type?: string;
  summary?: string;
  id?: string;
  create_time?: string;
  associated_data?: string;
}

/** A request the sandbox received, as it came over the wire. */
export interface ReceivedRequest {
  method: string;
  target: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Whether its Authorization verified. */
  authorized: boolean;
}

/** The options `new Wechatpay()` needs to talk to a sandbox. */
export interface SandboxClientOptions {
  mchid: string;
  serial: string;
  privateKey: string;
  certs: Record<string, string>;
  baseURL: string;
}

interface Keys {
  merchant: Identity;
  platformCertificate: Identity;
  platformPublicKey: Identity;
  /** The merchant's APIv3 key: 32 characters, as the merchant platform issues them. */
  apiv3Key: string;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
const PUBLIC_KEY_ID = 'PUB_KEY_ID_0119000000012026010100000000000001';
const ISSUER = '/C=CN/O=wechatpay-ts sandbox/CN=Sandbox Root CA';

function serialHex(): string {
  // A positive 20-byte serial, upper-case hex, as the platform issues them.
  const bytes = randomBytes(20);
  bytes[0] = (bytes[0] & 0x7f) | 0x10;
  return bytes.toString('hex').toUpperCase();
}

async function createKeys(mchid: string): Promise<Keys> {
  const [ca, merchant, platform, publicKey] = await Promise.all([createKeyPair(), createKeyPair(), createKeyPair(), createKeyPair()]);
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(notBefore.getTime() + 5 * YEAR_MS);
  const certify = (pair: { publicKey: KeyObject; privateKey: KeyObject }, subject: string) => {
    const serial = serialHex();
    return toIdentity(serial, pair, issueCertificate({ serial, subject, issuer: ISSUER, notBefore, notAfter, publicKey: pair.publicKey, issuerKey: ca.privateKey }));
  };
  return {
    merchant: certify(merchant, `/C=CN/O=Sandbox Merchant/OU=${mchid}/CN=${mchid}`),
    platformCertificate: certify(platform, '/C=CN/O=Tenpay.com/OU=Tenpay.com CA Center/CN=Tenpay.com sign'),
    platformPublicKey: toIdentity(PUBLIC_KEY_ID, publicKey),
    apiv3Key: Formatter.nonce(32),
  };
}

/** Key generation is the slow part of a start; one set per merchant id serves every sandbox of a process. */
const keyCache = new Map<string, Promise<Keys>>();

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return body.length === 0 ? undefined : (JSON.parse(body.toString('utf8')) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * A local WeChat Pay gateway on loopback, for tests and offline development. It verifies each
 * request's Authorization exactly as the gateway does (401 `SIGN_ERROR` otherwise), answers
 * with responses signed by a platform certificate or public key, serves the credit-repayment
 * contract endpoints, takes more routes, and injects faults on demand.
 *
 * @example
 * ```ts
 * import { Sandbox } from 'wechatpay-ts/sandbox';
 * const sandbox = await Sandbox.start();
 * const wxpay = new Wechatpay(sandbox.clientOptions);
 * sandbox.inject({ type: 'tampered-body' }); // the next answer is forged: the call rejects
 * await sandbox.close();
 * ```
 */
export class Sandbox {
  /** Every request received, oldest first (the last 100). */
  readonly requests: ReceivedRequest[] = [];
  private readonly routes: CompiledRoute[] = [];
  private readonly faults: Fault[] = [];

  private constructor(
    private readonly server: Server,
    private readonly keys: Keys,
    /** Which keys answers are signed with. */
    readonly mode: SandboxMode,
    /** The merchant id it knows. */
    readonly mchid: string,
  ) {
    for (const route of [...contractRoutes(), ...sensitiveRoutes({ platformKeys: () => this.platformKeys, merchant: keys.merchant })]) this.route(route);
  }

  /** Starts a sandbox on 127.0.0.1 and resolves once it listens. */
  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const mchid = options.mchid ?? '1900000001';
    let keys = keyCache.get(mchid);
    if (!keys) keyCache.set(mchid, (keys = createKeys(mchid)));
    const server = createServer();
    const sandbox = new Sandbox(server, await keys, options.mode ?? 'certificate', mchid);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      sandbox.handle(request, response).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return sandbox;
  }

  /** `http://127.0.0.1:<port>/`. */
  get baseURL(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** The merchant's key and certificate: what the client signs with. */
  get merchant(): Identity {
    return this.keys.merchant;
  }

  /** The platform keys answers may be signed with, in this mode. */
  get platformKeys(): Identity[] {
    if (this.mode === 'certificate') return [this.keys.platformCertificate];
    if (this.mode === 'public-key') return [this.keys.platformPublicKey];
    return [this.keys.platformCertificate, this.keys.platformPublicKey];
  }

  /** Ready options for `new Wechatpay(sandbox.clientOptions)`. */
  get clientOptions(): SandboxClientOptions {
    return {
      mchid: this.mchid,
      serial: this.keys.merchant.id,
      privateKey: this.keys.merchant.privateKeyPem,
      certs: Object.fromEntries(this.platformKeys.map((key) => [key.id, key.certificatePem ?? key.publicKeyPem])),
      baseURL: this.baseURL,
    };
  }

  /** The APIv3 key notifications are encrypted under. */
  get apiv3Key(): string {
    return this.keys.apiv3Key;
  }

  /** Ready options for `new NotificationVerifier(sandbox.notificationOptions)`. */
  get notificationOptions(): { certs: Record<string, string>; apiv3Key: string } {
    return { certs: this.clientOptions.certs, apiv3Key: this.keys.apiv3Key };
  }

  /**
   * POSTs a signed notification to `url`, as WeChat Pay does: `resource` is encrypted with the
   * APIv3 key (AEAD_AES_256_GCM) and the body signed by the platform key. A fault, if given,
   * spoils it (signature faults as for answers; `wrong-apiv3-key` encrypts under another key).
   * Resolves with the merchant server's answer.
   */
  async notify(url: string, event: NotificationEvent, fault?: Fault | { type: 'wrong-apiv3-key' }): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
    const nonce = Formatter.nonce(12);
    const associatedData = event.associated_data ?? event.resource_type ?? 'transaction';
    const key = fault?.type === 'wrong-apiv3-key' ? Formatter.nonce(32) : this.keys.apiv3Key;
    const envelope = {
      id: event.id ?? randomUUID(),
      create_time: event.create_time ?? new Date().toISOString().replace(/\.\d+Z$/, '+00:00'),
      resource_type: 'encrypt-resource',
      event_type: event.event_type ?? 'TRANSACTION.SUCCESS',
      summary: event.summary ?? '支付成功',
      resource: {
        original_type: event.resource_type ?? 'transaction',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: AesGcm.encrypt(JSON.stringify(event.resource), key, nonce, associatedData),
        associated_data: associatedData,
        nonce,
      },
    };
    const signed = this.signAnswer(Buffer.from(JSON.stringify(envelope)), undefined, fault?.type === 'wrong-apiv3-key' ? undefined : fault);
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(url, { method: 'POST', headers: { ...signed.headers, 'Content-Length': String(signed.body.length) } }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }));
        incoming.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(signed.body);
    });
  }

  /** Adds (or, for the same method and path, replaces) a route. */
  route(route: Route): this {
    const compiled = compileRoute(route);
    const index = this.routes.findIndex((known) => known.method === compiled.method && known.path === compiled.path);
    if (index >= 0) this.routes.splice(index, 1);
    this.routes.unshift(compiled);
    return this;
  }

  /** Queues a fault; each request the sandbox receives consumes the oldest one queued. */
  inject(fault: Fault): this {
    this.faults.push(fault);
    return this;
  }

  /** Stops listening and drops every connection, keep-alive ones included. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  [inspect.custom](): string {
    return `Sandbox { mode: '${this.mode}', baseURL: '${this.baseURL}' }`;
  }

  private signer(requested: string | string[] | undefined): Identity {
    const keys = this.platformKeys;
    const wanted = typeof requested === 'string' ? requested.toUpperCase() : undefined;
    return keys.find((key) => key.id === wanted) ?? keys[keys.length - 1];
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const method = request.method ?? 'GET';
    const target = request.url ?? '/';
    const fault = this.faults.shift();
    const failure = checkAuthorization(
      { mchid: this.mchid, serial: this.keys.merchant.id, publicKey: this.keys.merchant.publicKey },
      { method, target, authorization: request.headers.authorization, body },
      Formatter.timestamp(),
    );
    this.requests.push({ method, target, headers: request.headers, body, authorized: failure === undefined });
    if (this.requests.length > 100) this.requests.shift();
    if (fault?.type === 'connection-reset') {
      request.socket.destroy();
      return;
    }
    if (fault?.type === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    const reply = failure
      ? { status: 401, json: { code: 'SIGN_ERROR', message: `signature verification failed: ${failure}` } }
      : await this.dispatch(method, target, request.headers, body);
    this.send(response, fault?.type === 'error' ? { status: fault.status, json: { code: fault.code ?? 'SYSTEM_ERROR', message: fault.message ?? 'injected error', detail: fault.detail } } : reply, request.headers['wechatpay-serial'], fault);
  }

  private async dispatch(method: string, target: string, headers: SandboxRequest['headers'], body: Buffer): Promise<SandboxReply> {
    const url = new URL(target, 'http://sandbox');
    try {
      const found = matchRoute(this.routes, method, url.pathname);
      if (!found) return { status: 404, json: { code: 'NOT_FOUND', message: `no sandbox route for ${method} ${url.pathname}` } };
      return await found.route.handle({
        method,
        path: url.pathname,
        target,
        params: found.params,
        query: Object.fromEntries(url.searchParams),
        headers,
        body,
        json: parseJson(body),
      });
    } catch (error) {
      return { status: 500, json: { code: 'SYSTEM_ERROR', message: `sandbox route failed: ${(error as Error).message}` } };
    }
  }

  private send(response: ServerResponse, reply: SandboxReply, requestedKey: string | string[] | undefined, fault: Fault | undefined): void {
    const { headers, body } = this.signAnswer(Buffer.from(reply.json !== undefined ? JSON.stringify(reply.json) : reply.body ?? ''), requestedKey, fault, reply.headers);
    response.writeHead(reply.status ?? 200, headers);
    response.end(body);
  }

  /** Signs an answer or a notification with the platform key, spoiling it as `fault` says. */
  private signAnswer(original: Buffer, requestedKey: string | string[] | undefined, fault: Fault | undefined, extraHeaders: Record<string, string> = {}): { headers: Record<string, string>; body: Buffer } {
    let body = fault?.type === 'malformed-json' ? Buffer.from('{"contract_info":{"contract_state":') : original;
    const key = this.signer(requestedKey);
    let timestamp = Formatter.timestamp();
    if (fault?.type === 'stale-timestamp') timestamp -= fault.seconds ?? 301;
    const nonce = Formatter.nonce();
    let signature = sign('sha256', Formatter.response(timestamp, nonce, body) as Buffer, key.privateKey).toString('base64');
    if (fault?.type === 'signature-probe') signature = `WECHATPAY/SIGNTEST/${signature}`;
    // A trailing space keeps the JSON valid, so only a client that verifies notices.
    if (fault?.type === 'tampered-body') body = Buffer.concat([body, Buffer.from(' ')]);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=utf-8',
      'Request-ID': randomUUID(),
      'Wechatpay-Timestamp': String(timestamp),
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Serial': fault?.type === 'unknown-serial' ? serialHex() : key.id,
      ...extraHeaders,
    };
    if (fault?.type === 'missing-headers') {
      const drop = new Set((fault.headers ?? SIGNATURE_HEADERS).map((name) => name.toLowerCase()));
      for (const name of Object.keys(headers)) if (drop.has(name.toLowerCase())) delete headers[name];
    }
    return { headers, body };
  }
}
