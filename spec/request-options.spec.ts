import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, OptionError, Wechatpay, type ChainNode } from '../lib';
import { Sandbox } from '../lib/sandbox';
import type { Method } from 'axios';
import { parsePathTemplate, type PathTemplate } from '../lib/uri-template';
import { checkV3Call } from '../lib/v3/call-options';
import { startSandbox } from './support/sandbox';

const template = parsePathTemplate('v3/pay/transactions/id/{transaction_id}');

/** The shared checks, as an APIv3 call makes them (the body options are APIv3's own). */
const toAxiosConfig = (method: Method, path: PathTemplate, options: unknown) => checkV3Call(method, path, options).config;

function refused(options: unknown, pattern: RegExp): void {
  assert.throws(
    () => toAxiosConfig('get', template, options),
    (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION && pattern.test(error.message),
  );
}

describe('toAxiosConfig', () => {
  it('splits template variables, query, headers and axios options', () => {
    const controller = new AbortController();
    const config = toAxiosConfig('get', template, {
      transaction_id: '4200000001',
      query: { mchid: '1900000001' },
      headers: { 'X-Trace': 't1' },
      timeout: 1500,
      signal: controller.signal,
    });
    assert.deepEqual(config, {
      method: 'get',
      url: 'v3/pay/transactions/id/4200000001',
      params: { mchid: '1900000001' },
      headers: { 'X-Trace': 't1' },
      timeout: 1500,
      signal: controller.signal,
    });
  });

  it('serializes json once, to the string that will be signed and sent', () => {
    const config = toAxiosConfig('post', parsePathTemplate('v3/x'), { json: { b: 1, a: '中' } });
    assert.equal(config.data, '{"b":1,"a":"中"}');
  });

  it('keeps a string or Buffer body as it is', () => {
    assert.equal(toAxiosConfig('post', parsePathTemplate('v3/x'), { body: ' {"a":1} ' }).data, ' {"a":1} ');
    const bytes = Buffer.from([0xe4, 0xb8, 0xad]);
    assert.equal(toAxiosConfig('post', parsePathTemplate('v3/x'), { body: bytes }).data, bytes);
  });

  it('refuses per-call options that would send the signed request to another host or socket, before anything is sent', async () => {
    let arrived = 0;
    const elsewhere = createServer((_request, response) => {
      arrived += 1;
      response.end();
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const sandbox = await Sandbox.start();
    try {
      const wxpay = new Wechatpay(sandbox.clientOptions);
      const url = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`;
      for (const [option, value] of [['baseURL', url], ['socketPath', '/tmp/elsewhere.sock'], ['allowAbsoluteUrls', true]] as const) {
        await assert.rejects(
          wxpay.v3.certificates.get({ [option]: value }),
          (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION && error.message.includes(`"${option}"`) && error.message.includes('configured'),
        );
      }
      assert.equal(arrived, 0);
      assert.equal(sandbox.requests.length, 0);
    } finally {
      await sandbox.close();
      elsewhere.close();
    }
  });

  it('refuses a misspelt option instead of ignoring it', () => {
    refused({ transaction_id: '1', jsno: {} }, /unknown option "jsno"/);
  });

  it('refuses json and body together, a non-string body and unserializable json', () => {
    refused({ transaction_id: '1', json: {}, body: '' }, /either json or body/);
    refused({ transaction_id: '1', body: { a: 1 } }, /"body" must be a string or a Buffer/);
    refused({ transaction_id: '1', json: () => 1 }, /not serializable/);
  });

  it('refuses the axios keys that would break signing, naming why', () => {
    refused({ transaction_id: '1', transformRequest: [] }, /transformRequest.*signed exactly as sent/);
    refused({ transaction_id: '1', url: '/elsewhere' }, /"url" is not accepted/);
    refused({ transaction_id: '1', data: '{}' }, /use json or body/);
  });

  it('refuses options that are not a plain object, and a query or headers that are not either', () => {
    refused([1], /plain object/);
    refused({ transaction_id: '1', query: 'a=1' }, /"query" must be a plain object/);
    refused({ transaction_id: '1', headers: new Map() }, /"headers" must be a plain object/);
  });

  it('reports a missing template variable before anything is sent', () => {
    assert.throws(() => toAxiosConfig('get', template, {}), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.TEMPLATE_VARIABLE && /transaction_id/.test(error.message));
  });
});

describe('request headers', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => ({ sandbox, wxpay } = await startSandbox()));
  after(() => sandbox.close());

  const refusedHeader = (header: string) => (error: unknown) =>
    error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION && error.message.includes(`header ${JSON.stringify(header.slice(0, 40))}`) && !error.message.includes('secret');

  it('refuses a header name that is not an RFC 7230 token, sending nothing', async () => {
    const before = sandbox.requests.length;
    for (const name of ['X-A\r\nX-Injected', 'X A', 'X-A:', 'X-中', '', `X-${'a'.repeat(60)}\n`]) {
      await assert.rejects(wxpay.v3.echo.get({ headers: { [name]: 'secret' } }), refusedHeader(name), JSON.stringify(name));
    }
    assert.equal(sandbox.requests.length, before);
  });

  it('refuses a header value holding CR, LF, NUL or another character HTTP cannot carry, naming the header but not the value', async () => {
    const before = sandbox.requests.length;
    for (const value of ['secret\r\nX-Injected: 1', 'secret\n', 'secret\u0000', 'secret\u007f', 'secret中', ['ok', 'secret\r']]) {
      await assert.rejects(wxpay.v3.echo.get({ headers: { 'X-Trace': value as string } }), refusedHeader('X-Trace'), JSON.stringify(value));
    }
    await assert.rejects(wxpay.chain('v2/echo').post({ headers: { 'X-Trace': 'a\nb' } }), refusedHeader('X-Trace'));
    assert.equal(sandbox.requests.length, before);
  });

  it('sends a header whose name is a token and whose value is visible ASCII, tab or Latin-1', async () => {
    await wxpay.v3.echo.get({ headers: { "X-Trace_1!#$%&'*+.^`|~": 'a\tb c\u00e9', 'X-Count': 3, 'X-Skip': undefined } });
    const sent = sandbox.requests[sandbox.requests.length - 1].headers;
    assert.equal(sent["x-trace_1!#$%&'*+.^`|~"], 'a\tb c\u00e9');
    assert.equal(sent['x-count'], '3');
    assert.equal(sent['x-skip'], undefined);
  });
});

describe('call options on either API', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => ({ sandbox, wxpay } = await startSandbox()));
  after(() => sandbox.close());

  const refusedBoth = async (call: Promise<unknown>, pattern: RegExp) =>
    assert.rejects(call, (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION && pattern.test(error.message));

  it('refuses an unknown option on APIv2 as on APIv3, naming the path as the caller wrote it', async () => {
    const before = sandbox.requests.length;
    await refusedBoth((wxpay.v2.pay.micropay as ChainNode).post({ xml: {}, nonce: 'x' }), /^POST v2\/pay\/micropay: unknown option "nonce"/);
    await refusedBoth(wxpay.v3.echo.post({ json: {}, nonce: 'x' }), /^POST v3\/echo: unknown option "nonce"/);
    assert.equal(sandbox.requests.length, before);
  });

  it('refuses the other API’s options by name, on either side', async () => {
    await refusedBoth((wxpay.v2.pay.micropay as ChainNode).post({ xml: {}, encrypt: ['a'] }), /^POST v2\/pay\/micropay: option "encrypt" is not accepted: it is an APIv3 option/);
    await refusedBoth((wxpay.v2.pay.micropay as ChainNode).post({ json: {} }), /^POST v2\/pay\/micropay: option "json" is not accepted/);
    await refusedBoth((wxpay.v3.echo.post as (options: unknown) => Promise<unknown>)({ security: true }), /^POST v3\/echo: option "security" is not accepted: it is an APIv2 option/);
  });
});

