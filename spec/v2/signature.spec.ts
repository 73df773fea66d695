import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { ErrorCode, OptionError, signV2, verifyV2 } from '../../lib';

/** The example of WeChat Pay's APIv2 signature guide. */
const EXAMPLE = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
const EXAMPLE_KEY = '192006250b4c09247ec02edce69f6a2d';
/** The string the guide signs, written out by hand (keys in byte order, then `&key=`). */
const EXAMPLE_MESSAGE = 'appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key=192006250b4c09247ec02edce69f6a2d';

/** Upper-case hex digest from the openssl CLI, the message fed through stdin. */
function openssl(message: string, args: string[]): string {
  const out = execFileSync('openssl', ['dgst', ...args, '-r'], { input: message, encoding: 'utf8' });
  return out.split(' ')[0].toUpperCase();
}

function opensslMd5(message: string): string {
  return openssl(message, ['-md5']);
}

function opensslHmacSha256(message: string, key: string): string {
  return openssl(message, ['-sha256', '-hmac', key]);
}

function thrown(run: () => unknown): OptionError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof OptionError, `expected an OptionError, got ${String(error)}`);
    return error;
  }
  assert.fail('nothing was thrown');
}

describe('signV2', () => {
  it('gives the MD5 sign of the WeChat Pay guide example, as openssl and node:crypto compute it', () => {
    assert.equal(opensslMd5(EXAMPLE_MESSAGE), '9A0A8659F005D6984697E2CA0A9CF3B7');
    assert.equal(createHash('md5').update(EXAMPLE_MESSAGE).digest('hex').toUpperCase(), '9A0A8659F005D6984697E2CA0A9CF3B7');
    assert.equal(signV2(EXAMPLE, EXAMPLE_KEY), '9A0A8659F005D6984697E2CA0A9CF3B7');
    assert.equal(signV2(EXAMPLE, EXAMPLE_KEY, 'MD5'), '9A0A8659F005D6984697E2CA0A9CF3B7');
  });

  it('gives the HMAC-SHA256 sign of the same example, as openssl and node:crypto compute it', () => {
    const expected = opensslHmacSha256(EXAMPLE_MESSAGE, EXAMPLE_KEY);
    assert.equal(expected, '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6');
    assert.equal(createHmac('sha256', EXAMPLE_KEY).update(EXAMPLE_MESSAGE).digest('hex').toUpperCase(), expected);
    assert.equal(signV2(EXAMPLE, EXAMPLE_KEY, 'HMAC-SHA256'), expected);
  });

  it('sorts keys by byte order, leaves out sign and empty values, and does not URL-encode', () => {
    const params = { b: 'x y&z', B: '中文', a_: '1', a: '', sign: 'IGNORED', c: undefined, sign_type: 'HMAC-SHA256', total_fee: 1 };
    const message = `B=中文&a_=1&b=x y&z&sign_type=HMAC-SHA256&total_fee=1&key=${EXAMPLE_KEY}`;
    assert.equal(signV2(params, EXAMPLE_KEY, 'HMAC-SHA256'), opensslHmacSha256(message, EXAMPLE_KEY));
    assert.equal(signV2(params, EXAMPLE_KEY), opensslMd5(message));
  });

  it('refuses a secret that is not 32 characters, without echoing it', () => {
    for (const secret of ['short-secret-value', `${EXAMPLE_KEY}0`, '']) {
      const error = thrown(() => signV2(EXAMPLE, secret));
      assert.equal(error.code, ErrorCode.INVALID_ARGUMENT);
      assert.match(error.message, /signV2: secret/);
      if (secret !== '') assert.ok(!error.message.includes(secret));
    }
    assert.match(thrown(() => signV2(EXAMPLE, undefined as unknown as string)).message, /signV2: secret/);
  });

  it('refuses an unknown sign type and object values', () => {
    assert.match(thrown(() => signV2(EXAMPLE, EXAMPLE_KEY, 'SHA1' as 'MD5')).message, /signType/);
    assert.match(thrown(() => signV2({ ...EXAMPLE, detail: { a: 1 } }, EXAMPLE_KEY)).message, /params\.detail/);
  });
});

describe('verifyV2', () => {
  it('accepts the guide example signed with MD5, and with HMAC-SHA256 told by the sign length', () => {
    assert.equal(verifyV2({ ...EXAMPLE, sign: '9A0A8659F005D6984697E2CA0A9CF3B7' }, EXAMPLE_KEY), true);
    assert.equal(verifyV2({ ...EXAMPLE, sign: '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6' }, EXAMPLE_KEY), true);
  });

  it('takes the algorithm from sign_type when present', () => {
    const params = { ...EXAMPLE, sign_type: 'HMAC-SHA256' };
    assert.equal(verifyV2({ ...params, sign: signV2(params, EXAMPLE_KEY, 'HMAC-SHA256') }, EXAMPLE_KEY), true);
    // sign_type says MD5, so a (64-digit) HMAC sign cannot pass whatever its length suggests.
    const md5Declared = { ...EXAMPLE, sign_type: 'MD5' };
    assert.equal(verifyV2({ ...md5Declared, sign: signV2(md5Declared, EXAMPLE_KEY, 'HMAC-SHA256') }, EXAMPLE_KEY), false);
    assert.equal(verifyV2({ ...md5Declared, sign: signV2(md5Declared, EXAMPLE_KEY) }, EXAMPLE_KEY), true);
  });

  it('with signType, accepts only a sign of that algorithm, whatever sign_type or the sign length suggest', () => {
    const md5 = '9A0A8659F005D6984697E2CA0A9CF3B7';
    const hmac = '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6';
    assert.equal(verifyV2({ ...EXAMPLE, sign: hmac }, EXAMPLE_KEY, 'HMAC-SHA256'), true);
    assert.equal(verifyV2({ ...EXAMPLE, sign: md5 }, EXAMPLE_KEY, 'HMAC-SHA256'), false);
    assert.equal(verifyV2({ ...EXAMPLE, sign: md5 }, EXAMPLE_KEY, 'MD5'), true);
    assert.equal(verifyV2({ ...EXAMPLE, sign: hmac }, EXAMPLE_KEY, 'MD5'), false);
    const md5Declared = { ...EXAMPLE, sign_type: 'MD5' };
    assert.equal(verifyV2({ ...md5Declared, sign: signV2(md5Declared, EXAMPLE_KEY) }, EXAMPLE_KEY, 'HMAC-SHA256'), false);
    assert.equal(thrown(() => verifyV2({ ...EXAMPLE, sign: md5 }, EXAMPLE_KEY, 'SHA1' as 'MD5')).code, ErrorCode.INVALID_ARGUMENT);
  });

  it('rejects a changed field, a changed sign, another key, or an unknown sign_type', () => {
    const sign = '9A0A8659F005D6984697E2CA0A9CF3B7';
    assert.equal(verifyV2({ ...EXAMPLE, body: 'Test', sign }, EXAMPLE_KEY), false);
    assert.equal(verifyV2({ ...EXAMPLE, sign: sign.replace('9A', '9B') }, EXAMPLE_KEY), false);
    assert.equal(verifyV2({ ...EXAMPLE, sign: sign.toLowerCase() }, EXAMPLE_KEY), false);
    assert.equal(verifyV2({ ...EXAMPLE, sign }, EXAMPLE_KEY.replace('1', '2')), false);
    assert.equal(verifyV2({ ...EXAMPLE, sign_type: 'SHA1', sign }, EXAMPLE_KEY), false);
  });

  it('gives false, not an error, when there is no sign to check', () => {
    assert.equal(verifyV2(EXAMPLE, EXAMPLE_KEY), false);
    assert.equal(verifyV2({ ...EXAMPLE, sign: '' }, EXAMPLE_KEY), false);
  });

  it('refuses a secret that is not 32 characters', () => {
    const error = thrown(() => verifyV2({ ...EXAMPLE, sign: 'X' }, 'not-the-key'));
    assert.equal(error.code, ErrorCode.INVALID_ARGUMENT);
    assert.match(error.message, /verifyV2: secret/);
    assert.ok(!error.message.includes('not-the-key'));
  });
});
