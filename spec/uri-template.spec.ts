import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ErrorCode, OptionError } from '../lib';
import { parsePathTemplate } from '../lib/uri-template';

function rejectsWith(code: string, run: () => unknown): void {
  assert.throws(run, (error: unknown) => error instanceof OptionError && error.code === code);
}

describe('parsePathTemplate', () => {
  it('lets a failure to load the URI template library through as it is, not as a bad path', () => {
    // A fresh process in which requiring uri-template fails, as when the package is missing.
    const program = [
      "const Module = require('node:module');",
      'const load = Module._load;',
      "Module._load = function (request, ...rest) { if (request === 'uri-template') throw new Error('uri-template could not be loaded'); return load.call(this, request, ...rest); };",
      `try { require(${JSON.stringify(join(__dirname, '..', 'lib', 'uri-template.js'))}).parsePathTemplate('v3/pay/transactions/id/{transaction_id}'); } catch (error) { process.stdout.write(error.message); }`,
    ].join('\n');
    assert.equal(execFileSync(process.execPath, ['-e', program], { encoding: 'utf8' }), 'uri-template could not be loaded');
  });

  it('lists the variables a template names', () => {
    assert.deepEqual(parsePathTemplate('v3/a/{x}/b/{y}{?q,r}').variables, ['x', 'y', 'q', 'r']);
    assert.deepEqual(parsePathTemplate('v3/pay/transactions').variables, []);
  });

  it('expands a simple variable (RFC 6570 level 1)', () => {
    assert.equal(parsePathTemplate('v3/contracts/{out_contract_code}').expand({ out_contract_code: '100005698' }), 'v3/contracts/100005698');
  });

  it('percent-encodes every reserved character so a value cannot leave its segment', () => {
    const expanded = parsePathTemplate('v3/a/{id}/b').expand({ id: '../../x?y=1#z&w /中' });
    assert.equal(expanded, 'v3/a/..%2F..%2Fx%3Fy%3D1%23z%26w%20%2F%E4%B8%AD/b');
    assert.equal(new URL(expanded, 'https://h/').pathname, '/v3/a/..%2F..%2Fx%3Fy%3D1%23z%26w%20%2F%E4%B8%AD/b');
  });

  it('passes reserved characters through with {+var}, as RFC 6570 defines', () => {
    assert.equal(parsePathTemplate('v3/{+rest}').expand({ rest: 'a/b?c' }), 'v3/a/b?c');
  });

  it('expands the RFC 6570 examples for query and path operators', () => {
    const values = { var: 'value', list: ['red', 'green'], x: '1024', y: '768' };
    assert.equal(parsePathTemplate('{/list*}').expand(values), '/red/green');
    assert.equal(parsePathTemplate('map{?x,y}').expand(values), 'map?x=1024&y=768');
  });

  it('refuses a missing, null or empty variable and names every one missing', () => {
    const template = parsePathTemplate('v3/a/{x}/b/{y}');
    assert.throws(() => template.expand({}), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.TEMPLATE_VARIABLE && /x, y/.test(error.message));
    rejectsWith(ErrorCode.TEMPLATE_VARIABLE, () => template.expand({ x: null, y: '1' }));
    rejectsWith(ErrorCode.TEMPLATE_VARIABLE, () => template.expand({ x: '', y: '1' }));
  });

  it('refuses a value of "." or ".." (or their percent-encoded forms), which URL parsing would resolve away', () => {
    const template = parsePathTemplate('v3/a/{x}/b');
    for (const x of ['.', '..']) rejectsWith(ErrorCode.TEMPLATE_VARIABLE, () => template.expand({ x }));
    assert.equal(template.expand({ x: '%2e%2e' }), 'v3/a/%252e%252e/b', 'a literal % is encoded, so no dot segment');
    assert.equal(template.expand({ x: '...' }), 'v3/a/.../b');
    const reserved = parsePathTemplate('v3/{+x}/b');
    for (const x of ['..', 'c/./d', 'c/../d']) rejectsWith(ErrorCode.TEMPLATE_VARIABLE, () => reserved.expand({ x }));
  });

  it('refuses a literal path with a dot segment', () => {
    rejectsWith(ErrorCode.INVALID_OPTION, () => parsePathTemplate('v3/../v2/pay'));
  });

  it('reads {empty} as the trailing slash of the catalogue', () => {
    assert.equal(parsePathTemplate('v3/applyment4sub/applyment/{empty}').expand({}), 'v3/applyment4sub/applyment/');
  });

  it('encodes a value as RFC 3986 UTF-8 bytes, each %XX two upper-case hex digits', () => {
    const template = parsePathTemplate('v3/a/{id}');
    assert.equal(template.expand({ id: '😀' }), 'v3/a/%F0%9F%98%80', 'UTF-8, not CESU-8 (%ED%A0%BD%ED%B8%80)');
    assert.equal(template.expand({ id: 'é中' }), 'v3/a/%C3%A9%E4%B8%AD');
    assert.equal(template.expand({ id: "!'()*" }), 'v3/a/%21%27%28%29%2A');
    assert.equal(template.expand({ id: 'Az09-._~' }), 'v3/a/Az09-._~');
  });

  it('refuses a value holding a control character or a lone surrogate, naming the variable and the position but not the value', () => {
    const template = parsePathTemplate('v3/a/{id}');
    const cases: Array<[string, string]> = [
      ['\x041', 'U+0004 at index 0'],
      ['a\r\nb', 'U+000D at index 1'],
      ['\x00', 'U+0000 at index 0'],
      ['ab\x7f', 'U+007F at index 2'],
      ['\u0085', 'U+0085 at index 0'],
      ['x\ud800', 'U+D800 at index 1'],
      ['\ude00x', 'U+DE00 at index 0'],
    ];
    for (const [id, where] of cases) {
      assert.throws(
        () => template.expand({ id: `secret-${id}` }),
        (error: unknown) => error instanceof OptionError && error.code === ErrorCode.TEMPLATE_VARIABLE && error.message.includes('"id"') && !error.message.includes('secret'),
      );
      assert.throws(() => template.expand({ id }), (error: unknown) => error instanceof OptionError && error.message.includes(where), `${JSON.stringify(id)}: ${where}`);
    }
    rejectsWith(ErrorCode.TEMPLATE_VARIABLE, () => parsePathTemplate('{/list*}').expand({ list: ['a', 'b\nc'] }));
    rejectsWith(ErrorCode.TEMPLATE_VARIABLE, () => parsePathTemplate('{?keys*}').expand({ keys: { 'k\r': 'v' } }));
  });

  it('keeps valid %XX triplets and encodes any other % in reserved expansion', () => {
    const reserved = parsePathTemplate('v3/{+x}');
    assert.equal(reserved.expand({ x: '50%' }), 'v3/50%25');
    assert.equal(reserved.expand({ x: 'a%2Fb%e4%b8%ad' }), 'v3/a%2Fb%e4%b8%ad');
    assert.equal(reserved.expand({ x: '%zz%4' }), 'v3/%25zz%254');
    assert.equal(reserved.expand({ x: "a:b@c!$&'()*+,;=[]" }), "v3/a:b@c!$&'()*+,;=[]");
    assert.equal(reserved.expand({ x: 'a b😀' }), 'v3/a%20b%F0%9F%98%80');
    assert.equal(parsePathTemplate('v3/{#x}').expand({ x: '%41%' }), 'v3/#%41%25');
    rejectsWith(ErrorCode.TEMPLATE_VARIABLE, () => reserved.expand({ x: 'a/%2e%2E/b' }));
  });

  it('counts a prefix {var:n} in characters, never splitting a UTF-8 sequence or a surrogate pair', () => {
    assert.equal(parsePathTemplate('{x:1}').expand({ x: '😀x' }), '%F0%9F%98%80');
    assert.equal(parsePathTemplate('{x:2}').expand({ x: '中文字' }), '%E4%B8%AD%E6%96%87');
    assert.equal(parsePathTemplate('{+x:2}').expand({ x: '%41bc' }), '%41b', 'a %XX triplet is one character');
  });

  it('expands strings, numbers, booleans and bigints as their text, and refuses any other value', () => {
    const template = parsePathTemplate('v3/a/{id}');
    assert.equal(template.expand({ id: 10 }), 'v3/a/10');
    assert.equal(template.expand({ id: false }), 'v3/a/false');
    assert.equal(template.expand({ id: 12345678901234567890n }), 'v3/a/12345678901234567890');
    for (const id of [new Date(0), Symbol('s'), () => 1, new Map([['a', 1]]), [['nested']], { a: { b: 1 } }]) {
      assert.throws(() => template.expand({ id }), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.TEMPLATE_VARIABLE && error.message.includes('"id"'));
    }
    rejectsWith(ErrorCode.TEMPLATE_VARIABLE, () => parsePathTemplate('{x:2}').expand({ x: ['ab', 'cd'] }));
  });

  describe('RFC 6570 section 3.2 examples', () => {
    const values = {
      count: ['one', 'two', 'three'],
      dom: ['example', 'com'],
      dub: 'me/too',
      hello: 'Hello World!',
      half: '50%',
      var: 'value',
      who: 'fred',
      base: 'http://example.com/home/',
      path: '/foo/bar',
      list: ['red', 'green', 'blue'],
      keys: { semi: ';', dot: '.', comma: ',' },
      v: '6',
      x: '1024',
      y: '768',
      empty_keys: {},
    };
    // The examples with an empty or undefined variable are left out: this expander refuses those
    // (a path variable must be given), and `?`/`#` may not be written in a literal.
    const examples: Record<string, Array<[string, string]>> = {
      '3.2.1 variable expansion': [
        ['{count}', 'one,two,three'], ['{count*}', 'one,two,three'], ['{/count}', '/one,two,three'], ['{/count*}', '/one/two/three'],
        ['{;count}', ';count=one,two,three'], ['{;count*}', ';count=one;count=two;count=three'], ['{?count}', '?count=one,two,three'],
        ['{?count*}', '?count=one&count=two&count=three'], ['{&count*}', '&count=one&count=two&count=three'],
      ],
      '3.2.2 simple string expansion': [
        ['{var}', 'value'], ['{hello}', 'Hello%20World%21'], ['{half}', '50%25'], ['{x,y}', '1024,768'], ['{var:3}', 'val'], ['{var:30}', 'value'],
        ['{list}', 'red,green,blue'], ['{list*}', 'red,green,blue'], ['{keys}', 'semi,%3B,dot,.,comma,%2C'], ['{keys*}', 'semi=%3B,dot=.,comma=%2C'],
      ],
      '3.2.3 reserved expansion': [
        ['{+var}', 'value'], ['{+hello}', 'Hello%20World!'], ['{+half}', '50%25'], ['{base}index', 'http%3A%2F%2Fexample.com%2Fhome%2Findex'],
        ['{+base}index', 'http://example.com/home/index'], ['{+path}/here', '/foo/bar/here'], ['up{+path}{var}/here', 'up/foo/barvalue/here'],
        ['{+x,hello,y}', '1024,Hello%20World!,768'], ['{+path,x}/here', '/foo/bar,1024/here'], ['{+path:6}/here', '/foo/b/here'],
        ['{+list}', 'red,green,blue'], ['{+list*}', 'red,green,blue'], ['{+keys}', 'semi,;,dot,.,comma,,'], ['{+keys*}', 'semi=;,dot=.,comma=,'],
      ],
      '3.2.4 fragment expansion': [
        ['{#var}', '#value'], ['{#hello}', '#Hello%20World!'], ['{#half}', '#50%25'], ['{#x,hello,y}', '#1024,Hello%20World!,768'],
        ['{#path,x}/here', '#/foo/bar,1024/here'], ['{#path:6}/here', '#/foo/b/here'], ['{#list}', '#red,green,blue'], ['{#list*}', '#red,green,blue'],
        ['{#keys}', '#semi,;,dot,.,comma,,'], ['{#keys*}', '#semi=;,dot=.,comma=,'],
      ],
      '3.2.5 label expansion with dot-prefix': [
        ['{.who}', '.fred'], ['{.who,who}', '.fred.fred'], ['{.half,who}', '.50%25.fred'], ['www{.dom*}', 'www.example.com'], ['X{.var}', 'X.value'],
        ['X{.var:3}', 'X.val'], ['X{.list}', 'X.red,green,blue'], ['X{.list*}', 'X.red.green.blue'], ['X{.keys}', 'X.semi,%3B,dot,.,comma,%2C'],
        ['X{.keys*}', 'X.semi=%3B.dot=..comma=%2C'], ['X{.empty_keys}', 'X'], ['X{.empty_keys*}', 'X'],
      ],
      '3.2.6 path segment expansion': [
        ['{/who}', '/fred'], ['{/who,who}', '/fred/fred'], ['{/half,who}', '/50%25/fred'], ['{/who,dub}', '/fred/me%2Ftoo'], ['{/var}', '/value'],
        ['{/var,x}/here', '/value/1024/here'], ['{/var:1,var}', '/v/value'], ['{/list}', '/red,green,blue'], ['{/list*}', '/red/green/blue'],
        ['{/list*,path:4}', '/red/green/blue/%2Ffoo'], ['{/keys}', '/semi,%3B,dot,.,comma,%2C'], ['{/keys*}', '/semi=%3B/dot=./comma=%2C'],
      ],
      '3.2.7 path-style parameter expansion': [
        ['{;who}', ';who=fred'], ['{;half}', ';half=50%25'], ['{;x,y}', ';x=1024;y=768'], ['{;hello:5}', ';hello=Hello'], ['{;list}', ';list=red,green,blue'],
        ['{;list*}', ';list=red;list=green;list=blue'], ['{;keys}', ';keys=semi,%3B,dot,.,comma,%2C'], ['{;keys*}', ';semi=%3B;dot=.;comma=%2C'],
      ],
      '3.2.8 form-style query expansion': [
        ['{?who}', '?who=fred'], ['{?half}', '?half=50%25'], ['{?x,y}', '?x=1024&y=768'], ['{?var:3}', '?var=val'], ['{?list}', '?list=red,green,blue'],
        ['{?list*}', '?list=red&list=green&list=blue'], ['{?keys}', '?keys=semi,%3B,dot,.,comma,%2C'], ['{?keys*}', '?semi=%3B&dot=.&comma=%2C'],
      ],
      '3.2.9 form-style query continuation': [
        ['{&who}', '&who=fred'], ['{&half}', '&half=50%25'], ['{&var:3}', '&var=val'], ['{&list}', '&list=red,green,blue'],
        ['{&list*}', '&list=red&list=green&list=blue'], ['{&keys}', '&keys=semi,%3B,dot,.,comma,%2C'], ['{&keys*}', '&semi=%3B&dot=.&comma=%2C'],
      ],
    };
    for (const [section, cases] of Object.entries(examples)) {
      it(`expands the examples of ${section}`, () => {
        for (const [source, expected] of cases) assert.equal(parsePathTemplate(source).expand(values), expected, source);
      });
    }

    it('appends the operator\'s ifemp for an empty member of a named list, and skips undefined members', () => {
      assert.equal(parsePathTemplate('{;list*}').expand({ list: ['a', '', undefined, 'b'] }), ';list=a;list;list=b');
      assert.equal(parsePathTemplate('{?list*}').expand({ list: ['a', '', null] }), '?list=a&list=');
      assert.equal(parsePathTemplate('{?keys*}').expand({ keys: { a: '', b: undefined, c: 1 } }), '?a=&c=1');
    });
  });

  it('refuses a template that does not parse', () => {
    rejectsWith(ErrorCode.INVALID_OPTION, () => parsePathTemplate('v3/a/{x'));
  });
});
