import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, OptionError, Wechatpay } from '../../lib';
import { Sandbox, type ReceivedRequest } from '../../lib/sandbox';
import { opensslSigns, opensslVerifies } from '../support/openssl';
import { startSandbox, type Echo } from '../support/sandbox';

const AUTHORIZATION = /^WECHATPAY2-SHA256-RSA2048 mchid="(\d+)",serial_no="([0-9A-F]+)",timestamp="(\d+)",nonce_str="([0-9A-Za-z]{32})",signature="([A-Za-z0-9+/=]+)"$/;

/** The message the merchant must have signed, rebuilt here from what went over the wire. */
function wireMessage(request: ReceivedRequest): { message: Buffer; signature: string; fields: string[] } {
  const match = AUTHORIZATION.exec(String(request.headers.authorization));
  assert.ok(match, `Authorization has the documented form: ${String(request.headers.authorization)}`);
  const [, mchid, serial, timestamp, nonce, signature] = match;
  const head = Buffer.from(`${request.method}\n${request.target}\n${timestamp}\n${nonce}\n`);
  return { message: Buffer.concat([head, request.body, Buffer.from('\n')]), signature, fields: [mchid, serial] };
}

describe('the APIv3 request signer', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => ({ sandbox, wxpay } = await startSandbox()));
  after(() => sandbox.close());

  const last = () => sandbox.requests[sandbox.requests.length - 1];

  it('signs the method, the target as sent, the timestamp, the nonce and the body (verified by the openssl CLI)', async () => {
    await wxpay.v3.echo._id_.post({ id: 'a b', json: { out_contract_code: '100001256', remark: '中文' }, query: { limit: 10, q: 'x y' } });
    const request = last();
    assert.equal(request.target, '/v3/echo/a%20b?limit=10&q=x%20y');
    assert.equal(request.body.toString(), '{"out_contract_code":"100001256","remark":"中文"}');
    const { message, signature, fields } = wireMessage(request);
    assert.deepEqual(fields, [sandbox.mchid, sandbox.merchant.id]);
    assert.ok(opensslVerifies(message, signature, sandbox.merchant.publicKeyPem));
    assert.ok(request.authorized);
  });

  it('computes the same signature as the openssl CLI for the same message', async () => {
    await wxpay.v3.echo.get();
    const { message, signature } = wireMessage(last());
    assert.equal(signature, opensslSigns(message, sandbox.merchant.privateKeyPem));
  });

  it('signs a GET with an empty body line', async () => {
    await wxpay.v3.echo.get({ query: { a: '1' } });
    const { message } = wireMessage(last());
    assert.match(message.toString(), /^GET\n\/v3\/echo\?a=1\n\d+\n[0-9A-Za-z]{32}\n\n$/);
  });

  it('signs and sends a string body as is, never re-quoted or trimmed', async () => {
    const body = '  {"a": 1,\n "b": "two"}  ';
    const { data } = (await wxpay.v3.echo.post({ body })) as { data: Echo };
    assert.equal(data.body, body);
    assert.equal(last().body.toString(), body);
    assert.ok(last().authorized);
  });

  it('signs and sends a Buffer body byte for byte, even when it is not UTF-8', async () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    await wxpay.v3.echo.put({ body });
    assert.deepEqual(last().body, body);
    assert.ok(last().authorized);
  });

  it('signs the query exactly as sent: encoded characters, repeated keys, order kept', async () => {
    await wxpay.v3.echo.get({ query: { z: '中/&=?', a: ['1', '2'], skip: undefined, t: "it's" } });
    // URL parsing percent-encodes the quote; the signer signs the parsed form, which is what is sent.
    assert.equal(last().target, '/v3/echo?z=%E4%B8%AD%2F%26%3D%3F&a=1&a=2&t=it%27s');
    assert.ok(last().authorized);
  });

  it('folds an axios params option into the signed target too', async () => {
    await wxpay.v3.echo.get({ params: { offset: 0 } });
    assert.equal(last().target, '/v3/echo?offset=0');
    assert.ok(last().authorized);
  });

  it('includes a path prefix of baseURL in the signed target', async () => {
    const prefixed = new Wechatpay({ ...sandbox.clientOptions, baseURL: `${sandbox.baseURL}prefix/` });
    const { data } = (await prefixed.v3.echo.delete()) as { data: Echo };
    assert.equal(data.target, '/prefix/v3/echo');
    assert.ok(last().authorized);
  });

  it('sends extra headers alongside the signature', async () => {
    const { data } = (await wxpay.v3.echo.patch({ json: { a: 1 }, headers: { 'X-Trace': 'abc' } })) as { data: Echo };
    assert.equal(data.body, '{"a":1}');
    assert.equal(last().headers['x-trace'], 'abc');
    assert.ok(last().authorized);
  });

  it('percent-encodes hostile template values so they stay inside their segment', async () => {
    const { data } = (await wxpay.v3.echo._id_.get({ id: '../../v2/pay?x=1#f' })) as { data: Echo };
    assert.equal(data.target, '/v3/echo/..%2F..%2Fv2%2Fpay%3Fx%3D1%23f');
    assert.equal(data.params.id, '../../v2/pay?x=1#f');
  });

  it('sends nothing when a template variable is missing or would climb out of its segment', async () => {
    const count = sandbox.requests.length;
    await assert.rejects(wxpay.v3.echo._id_.get(), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.TEMPLATE_VARIABLE && /\bid\b/.test(error.message));
    await assert.rejects(wxpay.v3.echo._id_.get({ id: '..' }), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.TEMPLATE_VARIABLE);
    assert.equal(sandbox.requests.length, count);
  });

  it('asks for answers signed by the newest platform certificate', async () => {
    await wxpay.v3.echo.get();
    assert.equal(last().headers['wechatpay-serial'], sandbox.platformKeys[0].id);
  });

  it('sets JSON content negotiation and a User-Agent naming the SDK', async () => {
    await wxpay.v3.echo.post({ json: {} });
    assert.equal(last().headers['content-type'], 'application/json');
    assert.equal(last().headers.accept, 'application/json');
    assert.match(String(last().headers['user-agent']), /^wechatpay-ts\/\d+\.\d+\.\d+ axios\/\S+ node\/\S+$/);
  });
});

describe('the Wechatpay-Serial a client asks for', () => {
  for (const mode of ['public-key', 'migration'] as const) {
    it(`is the public key id in ${mode} mode, and the answer is signed with it`, async () => {
      const sandbox = await Sandbox.start({ mode });
      try {
        const wxpay = new Wechatpay(sandbox.clientOptions);
        const response = await wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'C1' });
        const wanted = sandbox.platformKeys.find((key) => key.id.startsWith('PUB_KEY_ID_'))?.id;
        assert.equal(sandbox.requests[0].headers['wechatpay-serial'], wanted);
        assert.equal(response.headers['wechatpay-serial'], wanted);
      } finally {
        await sandbox.close();
      }
    });
  }
});
