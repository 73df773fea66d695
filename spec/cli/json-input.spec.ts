import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { ErrorCode, OptionError } from '../../lib';
import { parseJsonInput } from '../../lib/cli/json-input';

describe('parseJsonInput', () => {
  it('parses JSON text', () => {
    assert.deepEqual(parseJsonInput('{"a":[1,"b"]}', '--json'), { a: [1, 'b'] });
  });

  it('says where the text stops being JSON, and neither the error nor anything it carries quotes the text', () => {
    const secret = '{"apiv3_key":"0123456789abcdef0123456789abcdef", oops}';
    const error = (() => {
      try {
        parseJsonInput(secret, '--json');
      } catch (caught) {
        return caught;
      }
      return assert.fail('parsed');
    })();
    assert.ok(error instanceof OptionError);
    assert.equal(error.code, ErrorCode.INVALID_OPTION);
    assert.match(error.message, /^--json: not valid JSON \(it stops being JSON at character \d+\)$/);
    assert.doesNotMatch(`${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`, /0123456789|apiv3_key/);
  });
});
