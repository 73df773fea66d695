import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_BASE_URL, ErrorCode, OptionError, Wechatpay, type WechatpayOptions } from '../lib';
import { resolveOptions } from '../lib/client-options';
import { Sandbox, type SandboxClientOptions } from '../lib/sandbox';

describe('client options', () => {
  let sandbox: Sandbox;
  let migration: Sandbox;
  let options: SandboxClientOptions;
  before(async () => {
    [sandbox, migration] = await Promise.all([Sandbox.start(), Sandbox.start({ mode: 'migration' })]);
    options = sandbox.clientOptions;
  });
  after(() => Promise.all([sandbox.close(), migration.close()]));

  function refused(given: unknown, pattern: RegExp): void {
    assert.throws(
      () => new Wechatpay(given as WechatpayOptions),
      (error: unknown) => {
        assert.ok(error instanceof OptionError, String(error));
        assert.equal(error.code, ErrorCode.INVALID_OPTION);
        assert.match(error.message, pattern);
        const everything = `${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`;
        assert.doesNotMatch(everything, /BEGIN|MII/, 'no key material in the error');
        return true;
      },
    );
  }

  it('names each missing or malformed option', () => {
    refused(undefined, /^options: expected an object/);
    refused({ ...options, mchid: undefined }, /^mchid: /);
    refused({ ...options, mchid: 1900000001 }, /^mchid: /);
    refused({ ...options, serial: 'not hex' }, /^serial: /);
    refused({ ...options, privateKey: undefined }, /^privateKey: missing/);
    refused({ ...options, privateKey: 'PEM?' }, /^privateKey: /);
    refused({ ...options, certs: undefined }, /^certs: expected/);
    refused({ ...options, certs: {} }, /^certs: expected .* at least one entry/);
    refused({ ...options, certs: { 'not an id': options.certs[Object.keys(options.certs)[0]] } }, /^certs\["not an id"\]: the key must be/);
    refused({ ...options, baseURL: 'ftp://example.com' }, /^baseURL: /);
    refused({ ...options, baseURL: 'api.mch.weixin.qq.com' }, /^baseURL: /);
    refused({ ...options, transformRequest: [] }, /^transformRequest: not accepted/);
  });

  it('refuses an option spelt like one of its own in another case, which would otherwise go to axios unread', () => {
    // baseUrl for baseURL would send every call to the production gateway.
    const { baseURL, ...rest } = options;
    refused({ ...rest, baseUrl: baseURL }, /^baseUrl: option names are case-sensitive; did you mean baseURL\?$/);
    refused({ ...options, apiV3Key: 'x'.repeat(32) }, /^apiV3Key: .*did you mean apiv3Key\?$/);
    refused({ ...options, Timeout: 1000 }, /^Timeout: .*did you mean timeout\?$/);
    refused({ ...options, httpsagent: {} }, /^httpsagent: .*did you mean httpsAgent\?$/);
    assert.ok(new Wechatpay({ ...options, requestLabel: 'kept for my own interceptors' } as WechatpayOptions), 'a name of the caller’s own still goes to axios');
  });

  it("refuses the merchant's own serial inside certs", () => {
    refused({ ...options, certs: { ...options.certs, [options.serial]: sandbox.merchant.certificatePem } }, /merchant's own serial/);
    refused({ ...options, certs: { ...options.certs, [options.serial.toLowerCase()]: sandbox.merchant.publicKeyPem } }, /merchant's own serial/);
  });

  it("refuses the merchant's own public key inside certs, under any id", () => {
    refused({ ...options, certs: { PUB_KEY_ID_0100: sandbox.merchant.publicKeyPem } }, /merchant's own public key/);
  });

  it('refuses a certificate filed under a serial that is not its own', () => {
    const [[, pem]] = Object.entries(options.certs);
    refused({ ...options, certs: { '0123ABCD': pem } }, /^certs\["0123ABCD"\]: the certificate's own serial is [0-9A-F]+$/);
  });

  it('loads keys once, at construction', () => {
    const resolved = resolveOptions(options);
    assert.equal(resolved.v3?.privateKey?.type, 'private');
    assert.deepEqual([...(resolved.v3?.keyring.keys.keys() ?? [])], Object.keys(options.certs).map((id) => id.toUpperCase()));
    assert.equal(resolved.baseURL, options.baseURL);
    assert.equal(resolveOptions({ ...options, baseURL: undefined }).baseURL, DEFAULT_BASE_URL);
  });

  it('asks for the public key id when one is configured, and otherwise the newest certificate', () => {
    assert.match(resolveOptions(migration.clientOptions).v3?.keyring.preferredId ?? '', /^PUB_KEY_ID_/);
    assert.equal(resolveOptions(options).v3?.keyring.preferredId, sandbox.platformKeys[0].id);
  });

  it('passes other options to axios as instance defaults', () => {
    const resolved = resolveOptions({ ...options, timeout: 1234, headers: { 'X-App': 'shop' } });
    assert.deepEqual(resolved.axiosDefaults, { timeout: 1234, headers: { 'X-App': 'shop' } });
  });

  it('never shows a private key through inspect, JSON or the error of a bad option', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wxpay = new Wechatpay({ ...options, privateKey });
    const shown = `${inspect(wxpay, { showHidden: true, depth: 20 })} ${JSON.stringify(wxpay) ?? ''} ${inspect(wxpay.v3.pay)}`;
    assert.doesNotMatch(shown, /PRIVATE|MII/);
  });
});
