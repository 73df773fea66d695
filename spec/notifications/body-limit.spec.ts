import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, InvalidArgumentError } from '../../lib';
import { announcedTooLarge, bodyTooLarge, isBodyTooLarge } from '../../lib/notifications/body-limit';

describe('the body bound', () => {
  it('is an InvalidArgumentError naming maxBodyBytes and how the size was seen, told apart from other bad arguments', () => {
    const error = bodyTooLarge('5000 bytes arrived', 4096);
    assert.ok(error instanceof InvalidArgumentError);
    assert.equal(error.code, ErrorCode.INVALID_ARGUMENT);
    assert.equal(error.message, 'notification: the request body is over maxBodyBytes 4096 (5000 bytes arrived)');
    assert.equal(isBodyTooLarge(error), true);
    assert.equal(isBodyTooLarge(new InvalidArgumentError(error.message)), false);
    assert.equal(isBodyTooLarge(undefined), false);
  });

  it('refuses a Content-Length over the bound, and leaves the bytes to decide otherwise', () => {
    assert.match(announcedTooLarge('4097', 4096)?.message ?? '', /Content-Length announces 4097 bytes/);
    assert.ok(isBodyTooLarge(announcedTooLarge(' 99999999999999999999 ', 4096)));
    for (const within of ['4096', '0', undefined, null, '', 'abc', '-5', '1e9', '0x2000']) {
      assert.equal(announcedTooLarge(within, 4096), undefined, String(within));
    }
  });
});
