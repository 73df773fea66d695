import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, OptionError, Transformer, WechatpayError } from '../../lib';
import { MAX_XML_BYTES } from '../../lib/v2/transformer';

/** Runs `read` and returns the WechatpayError it threw, failing the test if it threw nothing or something else. */
function failure(read: () => unknown): WechatpayError {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof WechatpayError, `expected a WechatpayError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a WechatpayError, nothing was thrown');
}

function malformed(xml: string | Buffer): WechatpayError {
  const error = failure(() => Transformer.toObject(xml));
  assert.equal(error.code, ErrorCode.MALFORMED_BODY);
  return error;
}

describe('Transformer.toXml', () => {
  it('writes a flat <xml> document with the keys in the order given', () => {
    assert.equal(Transformer.toXml({ mch_id: '10000100', appid: 'wxd930ea5d5a258f4f', total_fee: 1 }), '<xml><mch_id>10000100</mch_id><appid>wxd930ea5d5a258f4f</appid><total_fee>1</total_fee></xml>');
  });

  it('puts text with < > & " or \' in CDATA and leaves plain text bare', () => {
    for (const special of ['<', '>', '&', '"', "'"]) {
      assert.equal(Transformer.toXml({ body: `a${special}b` }), `<xml><body><![CDATA[a${special}b]]></body></xml>`);
    }
    assert.equal(Transformer.toXml({ body: '腾讯充值中心-QQ会员充值' }), '<xml><body>腾讯充值中心-QQ会员充值</body></xml>');
  });

  it('splits CDATA around ]]> so the value survives the round trip', () => {
    const xml = Transformer.toXml({ attach: 'x]]><injected>y</injected>' });
    assert.equal(xml, '<xml><attach><![CDATA[x]]]]><![CDATA[><injected>y</injected>]]></attach></xml>');
    assert.deepEqual(Transformer.toObject(xml), { attach: 'x]]><injected>y</injected>' });
  });

  it('writes a carriage return as &#13; in escaped text, never raw and never in CDATA, since XML parsers turn a raw CR into LF', () => {
    assert.equal(Transformer.toXml({ attach: 'line1\r\nline2' }), '<xml><attach>line1&#13;\nline2</attach></xml>');
    assert.equal(Transformer.toXml({ attach: 'a<b>&"\r' }), '<xml><attach>a&lt;b&gt;&amp;"&#13;</attach></xml>');
    assert.equal(Transformer.toXml({ attach: 'x\ry', other: 'z' }, { alwaysCdata: true }), '<xml><attach>x&#13;y</attach><other><![CDATA[z]]></other></xml>');
    for (const value of ['line1\r\nline2', 'a<b>&"\r', '\r', 'x]]>\r']) {
      assert.deepEqual(Transformer.toObject(Transformer.toXml({ value })), { value });
      assert.deepEqual(Transformer.toObject(Transformer.toXml({ value }, { alwaysCdata: true })), { value });
    }
  });

  it('wraps every value in CDATA when asked to, as WeChat Pay writes its own answers', () => {
    assert.equal(Transformer.toXml({ return_code: 'SUCCESS', empty: '' }, { alwaysCdata: true }), '<xml><return_code><![CDATA[SUCCESS]]></return_code><empty><![CDATA[]]></empty></xml>');
  });

  it('writes numbers, bigints and booleans as strings and leaves out undefined and null', () => {
    assert.equal(Transformer.toXml({ a: 0, b: 10n, c: true, d: undefined, e: null, f: '' }), '<xml><a>0</a><b>10</b><c>true</c><f></f></xml>');
  });

  it('refuses nested objects and arrays, naming the key', () => {
    for (const value of [{ x: '1' }, ['1'], Buffer.from('1'), new Date(0)]) {
      const error = failure(() => Transformer.toXml({ detail: value }));
      assert.ok(error instanceof OptionError);
      assert.equal(error.code, ErrorCode.INVALID_ARGUMENT);
      assert.match(error.message, /object\.detail/);
    }
  });

  it('refuses keys that are not XML names, and the prototype-pollution names', () => {
    for (const key of ['1a', 'a b', '<a>', '', 'a&b', '__proto__', 'constructor', 'prototype']) {
      const object = JSON.parse(`{${JSON.stringify(key)}:"v"}`) as Record<string, unknown>;
      const error = failure(() => Transformer.toXml(object));
      assert.equal(error.code, ErrorCode.INVALID_ARGUMENT);
      assert.ok(error.message.includes(JSON.stringify(key)), error.message);
    }
  });

  it('refuses values holding characters XML cannot carry, and non-finite numbers', () => {
    assert.match(failure(() => Transformer.toXml({ body: 'a\u0000b' })).message, /object\.body/);
    assert.match(failure(() => Transformer.toXml({ body: '\uD800' })).message, /object\.body/);
    assert.match(failure(() => Transformer.toXml({ fee: Number.NaN })).message, /object\.fee/);
  });

  it('refuses something other than a plain object', () => {
    for (const value of [null, 'xml', ['a'], new Map()]) {
      assert.equal(failure(() => Transformer.toXml(value as unknown as Record<string, unknown>)).code, ErrorCode.INVALID_ARGUMENT);
    }
  });
});

describe('Transformer.toObject', () => {
  it('reads the fields of a WeChat Pay answer, CDATA or not', () => {
    const xml = [
      '<xml><return_code><![CDATA[SUCCESS]]></return_code>',
      '<return_msg><![CDATA[OK]]></return_msg>',
      '<appid><![CDATA[wx2421b1c4370ec43b]]></appid>',
      '<total_fee>1</total_fee>',
      '<empty></empty><self_closed/>',
      '</xml>',
    ].join('\n');
    assert.deepEqual(Transformer.toObject(xml), { return_code: 'SUCCESS', return_msg: 'OK', appid: 'wx2421b1c4370ec43b', total_fee: '1', empty: '', self_closed: '' });
  });

  it('keeps every value the exact string sent: no number parsing, no trimming', () => {
    const fields = Transformer.toObject('<?xml version="1.0" encoding="UTF-8"?><xml><a>0001</a><b>1e3</b><c>0x10</c><d>true</d><e> padded </e><f>-0</f></xml>');
    assert.deepEqual(fields, { a: '0001', b: '1e3', c: '0x10', d: 'true', e: ' padded ', f: '-0' });
  });

  it('round-trips what toXml writes', () => {
    const object = { appid: 'wxd930ea5d5a258f4f', body: 'A&B <C> "D" \'E\'', detail: '{"goods_detail":[]}', total_fee: '0001', note: '中文 ]]> end' };
    assert.deepEqual(Transformer.toObject(Transformer.toXml(object)), object);
    assert.deepEqual(Transformer.toObject(Transformer.toXml(object, { alwaysCdata: true })), object);
  });

  it('reads bytes as UTF-8 and refuses broken UTF-8', () => {
    assert.deepEqual(Transformer.toObject(Buffer.from('<xml><body>中文</body></xml>')), { body: '中文' });
    malformed(Buffer.from([0x3c, 0x78, 0x6d, 0x6c, 0x3e, 0xff, 0x3c, 0x2f, 0x78, 0x6d, 0x6c, 0x3e]));
  });

  it('decodes the five predefined entities and character references, but never inside CDATA', () => {
    assert.deepEqual(Transformer.toObject('<xml><a>&lt;&gt;&amp;&quot;&apos;&#65;&#x4e2d;</a><b><![CDATA[&amp;]]></b><c>&amp;lt;</c></xml>'), {
      a: '<>&"\'A中',
      b: '&amp;',
      c: '&lt;',
    });
  });

  it('refuses an undeclared entity rather than leaving or expanding it', () => {
    assert.match(malformed('<xml><a>&x;</a></xml>').message, /<a>/);
    malformed('<xml><a>&#0;</a></xml>');
  });

  it('refuses an XXE payload before parsing', () => {
    const error = malformed('<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><a>&x;</a></xml>');
    assert.match(error.message, /DTD/);
    assert.doesNotMatch(error.message, /root:/);
  });

  it('refuses a billion-laughs payload before parsing', () => {
    const laughs = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [',
      ' <!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
      ']>',
      '<xml><a>&lol9;</a></xml>',
    ].join('\n');
    const started = process.hrtime.bigint();
    malformed(laughs);
    assert.ok(process.hrtime.bigint() - started < 50_000_000n, 'refusing took over 50 ms');
    malformed('<!doctype xml SYSTEM "http://127.0.0.1/evil.dtd"><xml/>');
    malformed('<xml><a>1</a></xml><!ENTITY x "y">');
  });

  it('refuses __proto__, constructor and prototype elements and pollutes nothing', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    for (const xml of [
      '<xml><__proto__>x</__proto__><constructor>y</constructor></xml>',
      '<xml><__proto__><x>polluted</x></__proto__></xml>',
      '<xml><constructor><prototype><x>polluted</x></prototype></constructor></xml>',
      '<xml><prototype>z</prototype></xml>',
    ]) {
      assert.match(malformed(xml).message, /__proto__|constructor|prototype/);
    }
    assert.equal(({} as Record<string, unknown>).x, undefined);
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
  });

  it('keeps other Object.prototype names as plain own keys, touching no prototype', () => {
    const fields = Transformer.toObject('<xml><toString>a</toString><hasOwnProperty>b</hasOwnProperty><valueOf>c</valueOf></xml>');
    assert.deepEqual(Object.keys(fields), ['toString', 'hasOwnProperty', 'valueOf']);
    assert.equal(Object.getPrototypeOf(fields), Object.prototype);
    assert.equal(typeof ({} as Record<string, unknown>).toString, 'function');
  });

  it('refuses a field that appears twice', () => {
    assert.match(malformed('<xml><sign>A</sign><sign>B</sign></xml>').message, /<sign>/);
  });

  it('refuses nested elements but keeps XML inside CDATA as a string', () => {
    assert.match(malformed('<xml><detail><goods>1</goods></detail></xml>').message, /<detail>.*<goods>/);
    assert.deepEqual(Transformer.toObject('<xml><detail><![CDATA[<goods><id>1</id></goods>]]></detail></xml>'), { detail: '<goods><id>1</id></goods>' });
  });

  it('takes any root name, such as the <root> of a refund req_info', () => {
    assert.deepEqual(Transformer.toObject('<root>\n<out_refund_no><![CDATA[R1]]></out_refund_no>\n</root>'), { out_refund_no: 'R1' });
  });

  it('refuses a document whose root is not a single element', () => {
    malformed('<xml><a>1</a></xml><xml><b>2</b></xml>');
    malformed('');
    malformed('   ');
    malformed('just text');
    malformed('<xml>loose text<a>1</a></xml>');
    malformed('<xml><![CDATA[loose]]><a>1</a></xml>');
  });

  it('refuses malformed XML', () => {
    for (const xml of ['<xml><a>1</b></xml>', '<xml><a>1</a>', '<xml><a>a & b</a></xml>', '<xml><a>a < b</a></xml>', '<xml></xml>junk', '<xml><1a>1</1a></xml>', '<xml><a>\u0001</a></xml>']) {
      malformed(xml);
    }
  });

  it('refuses what XML 1.0 forbids and the validator lets through: ]]> in text, -- in a comment, < in an attribute value', () => {
    for (const xml of [
      '<xml><a>a]]>b</a></xml>',
      '<xml><a>]]></a></xml>',
      '<xml><!-- a -- b --><a>x</a></xml>',
      '<xml><!-- ends with a dash---><a>x</a></xml>',
      '<xml><a b="<">x</a></xml>',
      "<xml><a b='x<y'>x</a></xml>",
    ]) {
      malformed(xml);
    }
    // What is allowed stays allowed: ]]> split across CDATA, a well-formed comment, > in an attribute value.
    assert.deepEqual(Transformer.toObject('<xml><!-- a - b --><a b="x>y"><![CDATA[p]]]]><![CDATA[>q]]></a></xml>'), { a: 'p]]>q' });
  });

  it('refuses input over 1 MiB before parsing, and input that is not text or bytes', () => {
    const filler = 'x'.repeat(MAX_XML_BYTES);
    for (const input of [`<xml><a>${filler}</a></xml>`, Buffer.from(`<xml><a>${filler}</a></xml>`), `<xml><a>${'中'.repeat(Math.ceil(MAX_XML_BYTES / 3) + 1)}</a></xml>`]) {
      const error = failure(() => Transformer.toObject(input));
      assert.ok(error instanceof OptionError);
      assert.equal(error.code, ErrorCode.INVALID_ARGUMENT);
    }
    assert.equal(MAX_XML_BYTES, 1024 * 1024);
    assert.deepEqual(Object.keys(Transformer.toObject(`<xml><a>${'x'.repeat(MAX_XML_BYTES - 100)}</a></xml>`)), ['a']);
    assert.equal(failure(() => Transformer.toObject(42 as unknown as string)).code, ErrorCode.INVALID_ARGUMENT);
  });
});
