import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formBoundary, parseForm, signedBody } from '../../lib/sandbox/multipart';

const FORM = Buffer.from(
  '--XyZ\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"filename":"a.png","sha256":"00"}\r\n' +
    '--XyZ\r\ncontent-disposition: form-data; name=file; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\r\n--XyZx\r\n\r\n' +
    '--XyZ--\r\n',
);

/** Why parseForm refused, failing when it did not. */
function reason(result: ReturnType<typeof parseForm>): string {
  assert.equal(typeof result, 'string', 'parseForm refuses');
  return result as string;
}

describe('the sandbox multipart parser', () => {
  it('finds the boundary of a multipart/form-data Content-Type, quoted or not, and nothing in other types', () => {
    assert.equal(formBoundary('multipart/form-data; boundary=XyZ'), 'XyZ');
    assert.equal(formBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b"'), 'a b');
    assert.equal(formBoundary('application/json'), undefined);
    assert.equal(formBoundary(undefined), undefined);
  });

  it('splits a form into its parts, bytes exact, a boundary-like line inside a part included', () => {
    const parts = parseForm(FORM, 'XyZ');
    assert.ok(Array.isArray(parts));
    assert.deepEqual(parts.map(({ name, filename, contentType }) => ({ name, filename, contentType })), [
      { name: 'meta', filename: undefined, contentType: 'application/json' },
      { name: 'file', filename: 'a.png', contentType: 'image/png' },
    ]);
    assert.equal(parts[0].data.toString(), '{"filename":"a.png","sha256":"00"}');
    assert.equal(parts[1].data.toString(), '\r\n--XyZx\r\n');
  });

  it('says why a form is malformed', () => {
    assert.match(reason(parseForm(Buffer.from('junk'), 'XyZ')), /does not start with the boundary/);
    assert.match(reason(parseForm(FORM.subarray(0, FORM.length - 9), 'XyZ')), /no closing boundary/);
    assert.match(reason(parseForm(Buffer.from('--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--\r\n'), 'XyZ')), /no form-data Content-Disposition/);
  });

  it('takes the meta part as the signed body of a form, and the body itself otherwise', () => {
    assert.equal(signedBody('multipart/form-data; boundary=XyZ', FORM).toString(), '{"filename":"a.png","sha256":"00"}');
    assert.equal(signedBody('application/json', FORM), FORM);
    assert.equal(signedBody('multipart/form-data; boundary=other', FORM), FORM);
  });
});
