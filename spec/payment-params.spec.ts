import assert from 'node:assert/strict';
import { createHash, createHmac, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, OptionError, PaymentParams, type ErrorCode as Code } from '../lib';
import { opensslDigest, opensslSigns, opensslVerifies } from './support/openssl';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const SECRET = '192006250b4c09247ec02edce69f6a2d';

const APP_ID = 'wxd678efh567hg6787';
const MCHID = '1900000109';
const PREPAY_ID = 'wx201410272009395522657a690389285100';
const TIME = '1414561699';
const NONCE = '5K8264ILTKCH16CQ2502SI8ZNMTM67VS';

const payment = new PaymentParams({ privateKey: pkcs8, secret: SECRET });

/** Both independent checks of an RSA-SHA256 signature: node:crypto and the openssl CLI. */
function assertRsaSignature(message: string, signature: string): void {
  assert.ok(verify('sha256', Buffer.from(message), publicKey, Buffer.from(signature, 'base64')), 'node:crypto verifies');
  assert.ok(opensslVerifies(message, signature, spki), 'openssl verifies');
}

function md5Upper(message: string): string {
  return createHash('md5').update(message).digest('hex').toUpperCase();
}

function hmacUpper(message: string): string {
  return createHmac('sha256', SECRET).update(message).digest('hex').toUpperCase();
}

/** The call throws a typed OptionError with `code` whose message matches, and echoes no key material or secret. */
function refuses(run: () => unknown, code: Code, pattern: RegExp, mustNotEcho: string[] = []): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof OptionError, 'an OptionError');
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /MII|BEGIN/, 'no key material');
    for (const value of [SECRET, ...mustNotEcho]) assert.ok(!error.message.includes(value), `the message does not echo ${JSON.stringify(value)}`);
    return true;
  });
}

describe('PaymentParams.jsapi', () => {
  it('returns exactly the fields wx.requestPayment and getBrandWCPayRequest read, spelled as they spell them', () => {
    const params = payment.jsapi({ appId: APP_ID, prepayId: PREPAY_ID, timeStamp: TIME, nonceStr: NONCE });
    assert.deepEqual(Object.keys(params), ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign']);
    assert.equal(params.appId, APP_ID);
    assert.equal(params.timeStamp, TIME);
    assert.equal(params.nonceStr, NONCE);
    assert.equal(params.package, `prepay_id=${PREPAY_ID}`);
    assert.equal(params.signType, 'RSA');
  });

  it('signs appId\\ntimeStamp\\nnonceStr\\npackage\\n with RSA-SHA256, as node:crypto and openssl verify', () => {
    const params = payment.jsapi({ appId: APP_ID, prepayId: PREPAY_ID, timeStamp: TIME, nonceStr: NONCE });
    assertRsaSignature(`${APP_ID}\n${TIME}\n${NONCE}\nprepay_id=${PREPAY_ID}\n`, params.paySign);
  });

  it('gives the very signature openssl -sign makes when timeStamp and nonceStr are fixed (PKCS#1 v1.5 is deterministic)', () => {
    const input = { appId: APP_ID, prepayId: PREPAY_ID, timeStamp: TIME, nonceStr: NONCE };
    const expected = opensslSigns(`${APP_ID}\n${TIME}\n${NONCE}\nprepay_id=${PREPAY_ID}\n`, pkcs8);
    assert.equal(payment.jsapi(input).paySign, expected);
    assert.equal(payment.jsapi(input).paySign, expected);
  });

  it('defaults timeStamp to the current Unix seconds, as a string, and nonceStr to a fresh 32-character nonce', () => {
    const before = Math.floor(Date.now() / 1000);
    const first = payment.jsapi({ appId: APP_ID, prepayId: PREPAY_ID });
    const second = payment.jsapi({ appId: APP_ID, prepayId: PREPAY_ID });
    const afterwards = Math.floor(Date.now() / 1000);
    assert.equal(typeof first.timeStamp, 'string');
    assert.match(first.timeStamp, /^\d{10}$/);
    assert.ok(Number(first.timeStamp) >= before && Number(first.timeStamp) <= afterwards);
    assert.match(first.nonceStr, /^[0-9A-Za-z]{32}$/);
    assert.notEqual(first.nonceStr, second.nonceStr);
    assertRsaSignature(`${APP_ID}\n${first.timeStamp}\n${first.nonceStr}\n${first.package}\n`, first.paySign);
  });

  it('takes timeStamp as a number and hands it back as the string the front-end SDKs need', () => {
    const params = payment.jsapi({ appId: APP_ID, prepayId: PREPAY_ID, timeStamp: Number(TIME), nonceStr: NONCE });
    assert.equal(params.timeStamp, TIME);
    assert.equal(params.paySign, payment.jsapi({ appId: APP_ID, prepayId: PREPAY_ID, timeStamp: TIME, nonceStr: NONCE }).paySign);
  });

  it('is the same builder as miniProgram', () => {
    const input = { appId: APP_ID, prepayId: PREPAY_ID, timeStamp: TIME, nonceStr: NONCE };
    assert.deepEqual(payment.miniProgram(input), payment.jsapi(input));
  });
});

describe('PaymentParams.app', () => {
  const input = { appid: APP_ID, partnerid: MCHID, prepayid: PREPAY_ID, timestamp: TIME, noncestr: NONCE };

  it('returns exactly the fields the OpenSDK takes, all lower case, with package Sign=WXPay', () => {
    const params = payment.app(input);
    assert.deepEqual(Object.keys(params), ['appid', 'partnerid', 'prepayid', 'package', 'noncestr', 'timestamp', 'sign']);
    assert.deepEqual({ ...params, sign: undefined }, { appid: APP_ID, partnerid: MCHID, prepayid: PREPAY_ID, package: 'Sign=WXPay', noncestr: NONCE, timestamp: TIME, sign: undefined });
  });

  it('signs appid\\ntimestamp\\nnoncestr\\nprepayid\\n with RSA-SHA256, the very signature openssl makes', () => {
    const message = `${APP_ID}\n${TIME}\n${NONCE}\n${PREPAY_ID}\n`;
    const { sign } = payment.app(input);
    assertRsaSignature(message, sign);
    assert.equal(sign, opensslSigns(message, pkcs8));
  });

  it('defaults timestamp and noncestr', () => {
    const params = payment.app({ appid: APP_ID, partnerid: MCHID, prepayid: PREPAY_ID });
    assert.match(params.timestamp, /^\d{10}$/);
    assert.match(params.noncestr, /^[0-9A-Za-z]{32}$/);
    assertRsaSignature(`${APP_ID}\n${params.timestamp}\n${params.noncestr}\n${PREPAY_ID}\n`, params.sign);
  });
});

describe('PaymentParams.jsapiV2', () => {
  const input = { appId: APP_ID, prepayId: PREPAY_ID, timeStamp: TIME, nonceStr: NONCE };

  it('signs with upper-case MD5 over the sorted fields and &key= the secret by default', () => {
    const params = payment.jsapiV2(input);
    assert.deepEqual(Object.keys(params), ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign']);
    assert.equal(params.signType, 'MD5');
    assert.equal(params.package, `prepay_id=${PREPAY_ID}`);
    const signed = `appId=${APP_ID}&nonceStr=${NONCE}&package=prepay_id=${PREPAY_ID}&signType=MD5&timeStamp=${TIME}&key=${SECRET}`;
    assert.equal(params.paySign, md5Upper(signed));
    assert.equal(params.paySign, opensslDigest(signed).toUpperCase());
  });

  it('signs with upper-case HMAC-SHA256 keyed by the secret when signType says so', () => {
    const params = payment.jsapiV2({ ...input, signType: 'HMAC-SHA256' });
    assert.equal(params.signType, 'HMAC-SHA256');
    const signed = `appId=${APP_ID}&nonceStr=${NONCE}&package=prepay_id=${PREPAY_ID}&signType=HMAC-SHA256&timeStamp=${TIME}&key=${SECRET}`;
    assert.equal(params.paySign, hmacUpper(signed));
    assert.equal(params.paySign, opensslDigest(signed, SECRET).toUpperCase());
    assert.match(params.paySign, /^[0-9A-F]{64}$/);
  });
});

describe('PaymentParams.appV2', () => {
  it('returns the OpenSDK fields with an upper-case MD5 sign over the six sorted fields and &key= the secret', () => {
    const params = payment.appV2({ appid: APP_ID, partnerid: MCHID, prepayid: PREPAY_ID, timestamp: TIME, noncestr: NONCE });
    assert.deepEqual(Object.keys(params), ['appid', 'partnerid', 'prepayid', 'package', 'noncestr', 'timestamp', 'sign']);
    assert.equal(params.package, 'Sign=WXPay');
    const signed = `appid=${APP_ID}&noncestr=${NONCE}&package=Sign=WXPay&partnerid=${MCHID}&prepayid=${PREPAY_ID}&timestamp=${TIME}&key=${SECRET}`;
    assert.equal(params.sign, md5Upper(signed));
    assert.equal(params.sign, opensslDigest(signed).toUpperCase());
  });
});

describe('new PaymentParams', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'wechatpay-payment-params-'));
    writeFileSync(join(dir, 'apiclient_key.pem'), pkcs8);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the private key in every form a KeyInput allows, each giving the same signature', () => {
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    const forms = [pkcs8, pkcs1, Buffer.from(pkcs1), der, der.toString('base64'), pathToFileURL(join(dir, 'apiclient_key.pem')).href, privateKey];
    const input = { appId: APP_ID, prepayId: PREPAY_ID, timeStamp: TIME, nonceStr: NONCE };
    const expected = payment.jsapi(input).paySign;
    for (const form of forms) assert.equal(new PaymentParams({ privateKey: form }).jsapi(input).paySign, expected);
  });

  it('keeps the key and the secret out of util.inspect and JSON.stringify', () => {
    for (const shown of [inspect(payment, { showHidden: true, depth: 5 }), JSON.stringify(payment)]) {
      assert.ok(!shown.includes(SECRET));
      assert.doesNotMatch(shown, /MII|BEGIN|KeyObject/);
    }
  });

  it('refuses options with neither privateKey nor secret', () => {
    refuses(() => new PaymentParams({}), ErrorCode.INVALID_OPTION, /^PaymentParams: give privateKey .*secret/);
    refuses(() => new PaymentParams(undefined as never), ErrorCode.INVALID_OPTION, /^PaymentParams: expected options/);
  });

  it('refuses an unknown option, so a misspelt secret is not silently dropped', () => {
    refuses(() => new PaymentParams({ privateKey, apiV2Key: SECRET } as never), ErrorCode.INVALID_OPTION, /^PaymentParams: unknown option "apiV2Key"/);
  });

  it('refuses a secret that is not 32 characters, naming secret and never echoing it', () => {
    for (const secret of [SECRET.slice(1), `${SECRET}x`, '']) {
      refuses(() => new PaymentParams({ secret }), ErrorCode.INVALID_OPTION, /^secret: the APIv2 key has 32 characters, got \d+$/, [secret || SECRET]);
    }
    refuses(() => new PaymentParams({ secret: Buffer.from(SECRET) as never }), ErrorCode.INVALID_OPTION, /^secret: expected the APIv2 key as a string/);
  });

  it('refuses a non-RSA private key, naming privateKey and never echoing it', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const ecPem = ec.export({ type: 'pkcs8', format: 'pem' }).toString();
    refuses(() => new PaymentParams({ privateKey: ec }), ErrorCode.INVALID_OPTION, /^privateKey: expected an RSA private KeyObject, got a ec private key/);
    refuses(() => new PaymentParams({ privateKey: ecPem }), ErrorCode.INVALID_OPTION, /^privateKey: expected an RSA key, got ec/);
  });

  it('refuses a public key as privateKey, naming privateKey and never echoing it', () => {
    refuses(() => new PaymentParams({ privateKey: spki }), ErrorCode.INVALID_OPTION, /^privateKey: holds a public key, not a private key/);
    refuses(() => new PaymentParams({ privateKey: publicKey }), ErrorCode.INVALID_OPTION, /^privateKey: expected an RSA private KeyObject, got a rsa public key/);
  });

  it('refuses an RSA builder without privateKey and a V2 builder without secret, naming the missing option', () => {
    const v2Only = new PaymentParams({ secret: SECRET });
    const v3Only = new PaymentParams({ privateKey });
    refuses(() => v2Only.jsapi({ appId: APP_ID, prepayId: PREPAY_ID }), ErrorCode.INVALID_OPTION, /^PaymentParams\.jsapi: needs the privateKey option/);
    refuses(() => v2Only.app({ appid: APP_ID, partnerid: MCHID, prepayid: PREPAY_ID }), ErrorCode.INVALID_OPTION, /^PaymentParams\.app: needs the privateKey option/);
    refuses(() => v3Only.jsapiV2({ appId: APP_ID, prepayId: PREPAY_ID }), ErrorCode.INVALID_OPTION, /^PaymentParams\.jsapiV2: needs the secret option/);
    refuses(() => v3Only.appV2({ appid: APP_ID, partnerid: MCHID, prepayid: PREPAY_ID }), ErrorCode.INVALID_OPTION, /^PaymentParams\.appV2: needs the secret option/);
  });
});

describe('PaymentParams arguments', () => {
  const jsapi = { appId: APP_ID, prepayId: PREPAY_ID };
  const app = { appid: APP_ID, partnerid: MCHID, prepayid: PREPAY_ID };
  const bad = ErrorCode.INVALID_ARGUMENT;

  it('refuses a line break or control character in appId, which would shift the signed lines', () => {
    for (const appId of [`${APP_ID}\n${TIME}`, `${APP_ID}\r`, `${APP_ID}\u0000`, `${APP_ID}\u2028`, `${APP_ID}\u0085`]) {
      refuses(() => payment.jsapi({ ...jsapi, appId }), bad, /^PaymentParams\.jsapi: appId: contains a control character or line break/, [TIME]);
    }
    refuses(() => payment.app({ ...app, appid: `${APP_ID}\n` }), bad, /^PaymentParams\.app: appid: contains a control character/);
    refuses(() => payment.miniProgram({ ...jsapi, appId: `${APP_ID}\n` }), bad, /^PaymentParams\.miniProgram: appId: contains/);
  });

  it('refuses an empty, missing or non-string prepayId', () => {
    refuses(() => payment.jsapi({ ...jsapi, prepayId: '' }), bad, /^PaymentParams\.jsapi: prepayId: is empty$/);
    refuses(() => payment.jsapi({ appId: APP_ID } as never), bad, /^PaymentParams\.jsapi: prepayId: is missing$/);
    refuses(() => payment.jsapi({ ...jsapi, prepayId: 42 as never }), bad, /^PaymentParams\.jsapi: prepayId: expected a string, got number$/);
    refuses(() => payment.appV2({ ...app, prepayid: '' }), bad, /^PaymentParams\.appV2: prepayid: is empty$/);
  });

  it('refuses a prepayId that already carries the prepay_id= prefix', () => {
    refuses(() => payment.jsapi({ ...jsapi, prepayId: `prepay_id=${PREPAY_ID}` }), bad, /^PaymentParams\.jsapi: prepayId: give the bare prepay_id/);
  });

  it('refuses & or = in an APIv2 value, where they would pass for another field', () => {
    refuses(() => payment.jsapiV2({ ...jsapi, appId: `${APP_ID}&signType=MD5` }), bad, /^PaymentParams\.jsapiV2: appId: contains & or =/, ['signType=MD5']);
    refuses(() => payment.appV2({ ...app, noncestr: 'a=b' }), bad, /^PaymentParams\.appV2: noncestr: contains & or =/);
  });

  it('refuses a timeStamp that is not Unix seconds as digits', () => {
    refuses(() => payment.jsapi({ ...jsapi, timeStamp: '1414561699a' }), bad, /^PaymentParams\.jsapi: timeStamp: expected Unix seconds as digits$/);
    refuses(() => payment.jsapi({ ...jsapi, timeStamp: -1 }), bad, /^PaymentParams\.jsapi: timeStamp: expected Unix seconds/);
    refuses(() => payment.jsapi({ ...jsapi, timeStamp: 1.5 }), bad, /^PaymentParams\.jsapi: timeStamp: expected Unix seconds/);
    refuses(() => payment.jsapi({ ...jsapi, timeStamp: Date.now() }), bad, /^PaymentParams\.jsapi: timeStamp: has 13 digits; .*milliseconds/);
    refuses(() => payment.app({ ...app, timestamp: ' 1414561699' }), bad, /^PaymentParams\.app: timestamp: expected Unix seconds/);
  });

  it('refuses a nonceStr over 32 characters', () => {
    refuses(() => payment.jsapi({ ...jsapi, nonceStr: 'x'.repeat(33) }), bad, /^PaymentParams\.jsapi: nonceStr: is 33 characters; at most 32$/);
  });

  it('refuses a partnerid that is not a merchant id', () => {
    refuses(() => payment.app({ ...app, partnerid: 'mch-1' }), bad, /^PaymentParams\.app: partnerid: expected the merchant id, digits$/);
  });

  it('refuses an unknown signType', () => {
    refuses(() => payment.jsapiV2({ ...jsapi, signType: 'SHA1' as never }), bad, /^PaymentParams\.jsapiV2: signType: expected 'MD5' or 'HMAC-SHA256'$/);
  });

  it("refuses another builder's spelling rather than sign over a default", () => {
    refuses(() => payment.jsapi({ ...jsapi, timestamp: TIME } as never), bad, /^PaymentParams\.jsapi: unknown field "timestamp"; this builder spells it timeStamp$/);
    refuses(() => payment.app({ appId: APP_ID, partnerid: MCHID, prepayid: PREPAY_ID } as never), bad, /^PaymentParams\.app: unknown field "appId"; this builder spells it appid$/);
    refuses(() => payment.jsapi(null as never), bad, /^PaymentParams\.jsapi: expected an object with appId, prepayId/);
  });
});
