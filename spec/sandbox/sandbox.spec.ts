import assert from 'node:assert/strict';
import { randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { ErrorCode, NotificationVerifier, VerificationError, Wechatpay } from '../../lib';
import { Sandbox, type SandboxReply } from '../../lib/sandbox';
import { CATALOGUE } from '../../tools/generate/catalogue';
import { capture, order } from '../support/notification-http';
import { opensslVerifies } from '../support/openssl';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends a request with node:http alone, signed here by hand (or not at all). */
function send(sandbox: Sandbox, method: string, target: string, body = '', authorization?: (message: string) => string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const message = `${method}\n${target}\n${timestamp}\n${nonce}\n${body}\n`;
  const signature = authorization?.(message) ?? '';
  const value = `WECHATPAY2-SHA256-RSA2048 mchid="${sandbox.mchid}",serial_no="${sandbox.merchant.id}",timestamp="${timestamp}",nonce_str="${nonce}",signature="${signature}"`;
  return new Promise((resolve, reject) => {
    const outgoing = request(`${sandbox.baseURL.replace(/\/$/, '')}${target}`, { method, headers: { Authorization: value, 'Content-Type': 'application/json', ...headers } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function signedBy(sandbox: Sandbox) {
  return (message: string) => sign('sha256', Buffer.from(message), sandbox.merchant.privateKey).toString('base64');
}

/** The catalogue's schema of one endpoint's 200 answer. */
function catalogueSchema(file: string, method: string): { required?: string[]; properties: Record<string, { enum?: string[]; required?: string[]; properties?: Record<string, { enum?: string[] }> }> } {
  const path = join(CATALOGUE, 'v3', 'credit-repayment', 'partner', 'contracts', file);
  const spec = parse(readFileSync(path, 'utf8')) as Record<string, { responses: { 200: { schema: ReturnType<typeof catalogueSchema> } } }>;
  return spec[method].responses[200].schema;
}

describe('the sandbox gateway', () => {
  let sandbox: Sandbox;
  before(async () => (sandbox = await Sandbox.start()));
  after(() => sandbox.close());

  it('answers a correctly signed request, and signs its answer so that openssl verifies it', async () => {
    const answer = await send(sandbox, 'GET', '/v3/credit-repayment/partner/contracts/C-1', '', signedBy(sandbox));
    assert.equal(answer.status, 200);
    const message = `${String(answer.headers['wechatpay-timestamp'])}\n${String(answer.headers['wechatpay-nonce'])}\n${answer.body}\n`;
    assert.equal(answer.headers['wechatpay-serial'], sandbox.platformKeys[0].id);
    assert.ok(opensslVerifies(message, String(answer.headers['wechatpay-signature']), sandbox.platformKeys[0].publicKeyPem));
    assert.match(String(answer.headers['request-id']), /^[0-9a-f-]{36}$/);
  });

  it('answers 401 SIGN_ERROR to a request without a valid Authorization', async () => {
    for (const authorization of [undefined, () => 'AAAA', (m: string) => signedBy(sandbox)(`${m}x`)]) {
      const answer = await send(sandbox, 'GET', '/v3/credit-repayment/partner/contracts/C-1', '', authorization);
      assert.equal(answer.status, 401);
      assert.equal((JSON.parse(answer.body) as { code: string }).code, 'SIGN_ERROR');
    }
  });

  it('checks the signature against the target as received, query included', async () => {
    const signedWithoutQuery = (message: string) => signedBy(sandbox)(message.replace('?x=1', ''));
    const answer = await send(sandbox, 'GET', '/v3/credit-repayment/partner/contracts/C-1?x=1', '', signedWithoutQuery);
    assert.equal(answer.status, 401);
  });

  it('answers 404 NOT_FOUND for a path it does not serve', async () => {
    const answer = await send(sandbox, 'GET', '/v3/nowhere', '', signedBy(sandbox));
    assert.equal(answer.status, 404);
    assert.equal((JSON.parse(answer.body) as { code: string }).code, 'NOT_FOUND');
  });

  it('answers the contract endpoints with the shapes of the catalogue', async () => {
    const wxpay = new Wechatpay(sandbox.clientOptions);
    const queried = (await wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'SHAPE-1' })).data;
    const querySchema = catalogueSchema('{out_contract_code}.yaml', 'get');
    for (const field of querySchema.required ?? []) assert.ok(field in queried, `GET answer has ${field}`);
    for (const field of Object.keys(queried)) assert.ok(field in querySchema.properties, `GET answer's ${field} is in the catalogue`);
    assert.ok(querySchema.properties.contract_state.enum?.includes(queried.contract_state));

    const terminated = (await wxpay.v3.creditRepayment.partner.contracts.terminate.post({ json: { out_contract_code: 'SHAPE-1', contract_termination_remark: 'r' } })).data as { contract_info: Record<string, unknown> };
    const info = catalogueSchema('terminate.yaml', 'post').properties.contract_info;
    for (const field of info.required ?? []) assert.ok(field in terminated.contract_info, `terminate answer has ${field}`);
    for (const field of Object.keys(terminated.contract_info)) assert.ok(field in (info.properties ?? {}), `terminate answer's ${field} is in the catalogue`);
    assert.equal(terminated.contract_info.contract_state, 'CONTRACT_STATE_TERMINATED');
    assert.ok(info.properties?.contract_terminated_mode.enum?.includes(terminated.contract_info.contract_terminated_mode as string));
  });

  it('refuses to terminate a contract twice, and a terminate without its fields', async () => {
    const body = JSON.stringify({ out_contract_code: 'TWICE', contract_termination_remark: 'r' });
    assert.equal((await send(sandbox, 'POST', '/v3/credit-repayment/partner/contracts/terminate', body, signedBy(sandbox))).status, 200);
    const again = await send(sandbox, 'POST', '/v3/credit-repayment/partner/contracts/terminate', body, signedBy(sandbox));
    assert.equal(again.status, 400);
    const empty = await send(sandbox, 'POST', '/v3/credit-repayment/partner/contracts/terminate', '{}', signedBy(sandbox));
    assert.deepEqual(JSON.parse(empty.body), { code: 'PARAM_ERROR', message: 'out_contract_code is required' });
  });

  it('serves routes a test registers, with decoded path variables, and lets a later route replace one', async () => {
    sandbox.route({ method: 'get', path: '/v3/custom/{id}', handle: ({ params, query }) => ({ json: { id: params.id, query } }) });
    const first = await send(sandbox, 'GET', '/v3/custom/a%2Fb?k=v', '', signedBy(sandbox));
    assert.deepEqual(JSON.parse(first.body), { id: 'a/b', query: { k: 'v' } });
    sandbox.route({ method: 'GET', path: '/v3/custom/{id}', handle: () => ({ status: 204 }) });
    assert.equal((await send(sandbox, 'GET', '/v3/custom/x', '', signedBy(sandbox))).status, 204);
  });

  it('answers 500 SYSTEM_ERROR, saying what went wrong, when a registered route answers with no reply it can send', async () => {
    const replies: [unknown, RegExp][] = [
      [undefined, /^sandbox route failed: GET \/v3\/broken answered undefined, not a reply \{ status\?, json\?, body\?, headers\? \}$/],
      [{ status: 'ok' }, /^sandbox route failed: GET \/v3\/broken answered status 'ok': expected a whole number from 200 to 599$/],
      [{ json: {}, body: 7 }, /^sandbox route failed: GET \/v3\/broken answered body 7: expected a string or a Buffer$/],
      [{ headers: 'x' }, /^sandbox route failed: GET \/v3\/broken answered headers 'x': expected an object of strings$/],
    ];
    for (const [reply, message] of replies) {
      sandbox.route({ method: 'GET', path: '/v3/broken', handle: () => reply as SandboxReply });
      const answer = await send(sandbox, 'GET', '/v3/broken', '', signedBy(sandbox));
      assert.equal(answer.status, 500, String(reply));
      const { code, message: said } = JSON.parse(answer.body) as { code: string; message: string };
      assert.equal(code, 'SYSTEM_ERROR');
      assert.match(said, message);
    }
  });

  it('consumes one injected fault per request, in order', async () => {
    sandbox.inject({ type: 'error', status: 500 }).inject({ type: 'error', status: 429 });
    const target = '/v3/credit-repayment/partner/contracts/F-1';
    assert.equal((await send(sandbox, 'GET', target, '', signedBy(sandbox))).status, 500);
    assert.equal((await send(sandbox, 'GET', target, '', signedBy(sandbox))).status, 429);
    assert.equal((await send(sandbox, 'GET', target, '', signedBy(sandbox))).status, 200);
  });

  it('records what it received, as it came over the wire', async () => {
    await send(sandbox, 'POST', '/v3/custom/x?y=1', ' {"raw": true} ', signedBy(sandbox));
    const received = sandbox.requests[sandbox.requests.length - 1];
    assert.deepEqual([received.method, received.target, received.body.toString(), received.authorized], ['POST', '/v3/custom/x?y=1', ' {"raw": true} ', true]);
  });
});

describe('the sandbox modes', () => {
  it('signs with the public key in public-key mode, and hands out only that key', async () => {
    const sandbox = await Sandbox.start({ mode: 'public-key' });
    try {
      assert.deepEqual(Object.keys(sandbox.clientOptions.certs).map((id) => id.slice(0, 11)), ['PUB_KEY_ID_']);
      const answer = await send(sandbox, 'GET', '/v3/credit-repayment/partner/contracts/M-1', '', signedBy(sandbox));
      assert.match(String(answer.headers['wechatpay-serial']), /^PUB_KEY_ID_/);
    } finally {
      await sandbox.close();
    }
  });

  it('gives each merchant id a public key id of its own, naming the merchant, as the merchant platform does', async () => {
    const [first, second] = await Promise.all([Sandbox.start({ mode: 'public-key', mchid: '1900000101' }), Sandbox.start({ mode: 'public-key', mchid: '1900000102' })]);
    try {
      const ids = [first, second].map((sandbox) => Object.keys(sandbox.clientOptions.certs)[0]);
      assert.deepEqual(ids.map((id) => /^PUB_KEY_ID_\d{2}(\d{10})\d{22}$/.exec(id)?.[1]), ['1900000101', '1900000102']);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('signs with the key the request names in migration mode, the newest platform certificate by default (as the gateway does until a request names the public key)', async () => {
    const sandbox = await Sandbox.start({ mode: 'migration' });
    try {
      const [certificate, publicKey] = sandbox.platformKeys;
      const target = '/v3/credit-repayment/partner/contracts/M-2';
      const named = await send(sandbox, 'GET', target, '', signedBy(sandbox), { 'Wechatpay-Serial': certificate.id });
      assert.equal(named.headers['wechatpay-serial'], certificate.id);
      const byKey = await send(sandbox, 'GET', target, '', signedBy(sandbox), { 'Wechatpay-Serial': publicKey.id });
      assert.equal(byKey.headers['wechatpay-serial'], publicKey.id);
      const unnamed = await send(sandbox, 'GET', target, '', signedBy(sandbox));
      assert.equal(unnamed.headers['wechatpay-serial'], certificate.id);
    } finally {
      await sandbox.close();
    }
  });

  it('signs notifications in migration mode with the certificate and the public key in turn, as the gateway signs with either during the move', async () => {
    const sandbox = await Sandbox.start({ mode: 'migration' });
    try {
      const event = { event_type: 'TRANSACTION.SUCCESS', resource: order('M-3') };
      const received = await capture(sandbox, [event, event, event]);
      const [certificate, publicKey] = sandbox.platformKeys;
      assert.deepEqual(received.map(({ headers }) => headers['wechatpay-serial']), [certificate.id, publicKey.id, certificate.id]);
      const both = new NotificationVerifier(sandbox.notificationOptions);
      for (const notification of received) assert.equal((await both.verify(notification)).event_type, 'TRANSACTION.SUCCESS');
      const certificateOnly = new NotificationVerifier({ ...sandbox.notificationOptions, certs: { [certificate.id]: sandbox.notificationOptions.certs[certificate.id] } });
      await certificateOnly.verify(received[0]);
      await assert.rejects(certificateOnly.verify(received[1]), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.UNKNOWN_SERIAL);
    } finally {
      await sandbox.close();
    }
  });

  it('closes once: a close() after the first, as an after() hook may call it, resolves as the first did', async () => {
    const sandbox = await Sandbox.start();
    await Promise.all([sandbox.close(), sandbox.close()]);
    await sandbox.close();
  });

  it('closes even while a client holds keep-alive connections', async () => {
    const sandbox = await Sandbox.start();
    const wxpay = new Wechatpay(sandbox.clientOptions);
    await wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'K-1' });
    await sandbox.close();
    // A pooled socket may see the reset before the refusal; either way nothing answers.
    await assert.rejects(wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'K-1' }), (error: { code?: string; cause?: { code?: string } }) => error.code === ErrorCode.NETWORK && ['ECONNREFUSED', 'ECONNRESET'].includes(error.cause?.code ?? ''));
  });
});
