import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, OptionError, toSegment, untyped, VERBS, Wechatpay, type ChainNode } from '../lib';
import type { Sandbox } from '../lib/sandbox';
import { startSandbox, type Echo } from './support/sandbox';

describe('toSegment', () => {
  it('lowers a leading capital and hyphenates the other capitals', () => {
    assert.equal(toSegment('Pay'), 'pay');
    assert.equal(toSegment('creditRepayment'), 'credit-repayment');
    assert.equal(toSegment('outTradeNo'), 'out-trade-no');
    assert.equal(toSegment('BillDownload'), 'bill-download');
    assert.equal(toSegment('v3'), 'v3');
  });

  it('turns _var_ and $var$ into URI template variables', () => {
    assert.equal(toSegment('_out_trade_no_'), '{out_trade_no}');
    assert.equal(toSegment('$transaction_id$'), '{transaction_id}');
  });

  it('turns _empty_ into a trailing slash', () => {
    assert.equal(toSegment('_empty_'), '');
  });

  it('keeps a name with a slash verbatim, less its leading slashes', () => {
    assert.equal(toSegment('v3/credit-repayment/partner/{outContractCode}'), 'v3/credit-repayment/partner/{outContractCode}');
    assert.equal(toSegment('//v3/pay'), 'v3/pay');
  });
});

describe('the chain', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => ({ sandbox, wxpay } = await startSandbox()));
  after(() => sandbox.close());

  it('returns the same node for the same path, however it is reached', () => {
    assert.equal(wxpay.v3.creditRepayment.partner, wxpay.v3.creditRepayment.partner);
    assert.equal(wxpay.v3.creditRepayment.partner, wxpay['v3/credit-repayment/partner']);
    assert.equal(wxpay.v3.creditRepayment.partner, wxpay.chain('v3/credit-repayment/partner'));
    assert.equal(wxpay.v3.creditRepayment.partner, wxpay.v3.chain('credit-repayment/partner'));
    assert.equal(wxpay.v3.pay.transactions.id._transaction_id_, wxpay.chain('v3/pay/transactions/id/{transaction_id}'));
  });

  it('untyped() hands back the same node, so the call goes to the typed path with any options', async () => {
    const node = wxpay.v3.creditRepayment.partner.contracts.terminate;
    assert.equal(untyped(node), node);
    const { data } = await untyped(node).post({ json: { out_contract_code: 'U1', contract_termination_remark: 'r' } });
    assert.equal((data as { contract_info?: { contract_state?: string } }).contract_info?.contract_state, 'CONTRACT_STATE_TERMINATED');
  });

  it('keeps at most 2048 nodes cached in all, however many distinct paths are built', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const refs: Array<WeakRef<object>> = [];
    for (let i = 0; i < 5000; i += 1) {
      const c = (wxpay as unknown as Record<string, Record<string, Record<string, object>>>)[`a${i}`][`b${i}`][`c${i}`];
      refs.push(new WeakRef(c));
    }
    // WeakRefs made in this job hold their targets until it ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const alive = refs.filter((ref) => ref.deref() !== undefined).length;
    assert.ok(alive <= 2048, `${alive} of 5000 leaf nodes are still held by the client`);
    // What is cached still answers as before.
    assert.equal(wxpay.v3.creditRepayment.partner, wxpay['v3/credit-repayment/partner']);
  });

  it('refuses \\, ?, # and control characters in a property or chain() segment, sending nothing', async () => {
    const before = sandbox.requests.length;
    const node = wxpay as unknown as ChainNode;
    const attempts = [
      () => node.v3.pay.transactions.outTradeNo['..\\..\\..\\refund\\domestic\\refunds'].get(),
      () => node.v3.pay.transactions.outTradeNo['..\\..\\..\\billdownload\\file'].get(),
      () => node.v3.pay.transactions['x?mchid=1'].get(),
      () => node.v3.pay.transactions['x#cut'].get(),
      () => node.chain('v3/pay/transactions/a\tb').get(),
      () => node.chain('v3/pay/transactions/a\nb').get(),
      () => node.v3.pay['a\rb'].get(),
      () => node.v3.pay['a\u0000b'].get(),
      () => node.v3.pay['a\u0085b'].get(),
      () => node['v2/pay/x?y'].post({ xml: {} }),
    ];
    for (const attempt of attempts) {
      await assert.rejects(attempt(), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION && /segment/.test(error.message));
    }
    assert.equal(sandbox.requests.length, before);
  });

  it('is not a thenable, so awaiting a node does not send anything', async () => {
    const before = sandbox.requests.length;
    assert.equal(wxpay.v3.then, undefined);
    assert.equal(wxpay.v3.toJSON, undefined);
    assert.equal(await Promise.resolve(wxpay.v3), wxpay.v3);
    assert.equal(sandbox.requests.length, before);
  });

  it('prints as its path and the client prints without secrets, sending nothing', () => {
    const before = sandbox.requests.length;
    assert.equal(inspect(wxpay.v3.pay.transactions), '[Wechatpay chain: v3/pay/transactions]');
    assert.equal(String(wxpay.v3.pay.transactions), 'v3/pay/transactions');
    const printed = inspect(wxpay, { depth: 10, showHidden: true });
    assert.match(printed, /^Wechatpay \{ mchid: '1900000001'/);
    assert.doesNotMatch(printed, /PRIVATE KEY|BEGIN/);
    assert.equal(JSON.stringify({ wxpay }), '{}');
    assert.equal(sandbox.requests.length, before);
  });

  it('is an instance of Wechatpay', () => {
    assert.ok(wxpay instanceof Wechatpay);
    assert.ok(!(wxpay.v3 instanceof Wechatpay));
  });

  it('leaves symbols alone rather than making them segments', () => {
    assert.equal((wxpay.v3 as unknown as Record<symbol, unknown>)[Symbol.iterator], undefined);
    assert.equal(Object.prototype.toString.call(wxpay.v3), '[object WechatpayChain]');
  });

  for (const verb of VERBS) {
    it(`sends ${verb.toUpperCase()} from the chained, declared and bracket styles alike`, async () => {
      for (const node of [wxpay.v3.echo, wxpay.chain('v3/echo'), wxpay['v3/echo']]) {
        const { data } = (await node[verb]()) as { data: Echo };
        assert.equal(data.method, verb.toUpperCase());
        assert.equal(data.target, '/v3/echo');
      }
    });
  }

  it('reaches any depth, and a verb name can also be a path segment', async () => {
    const { data } = (await wxpay.v3.echo._id_.detail.get({ id: 'a1' })) as { data: Echo };
    assert.deepEqual([data.method, data.target], ['GET', '/v3/echo/a1/detail']);
    const nested = (await wxpay.v3.echo.get.post()) as { data: Echo };
    assert.deepEqual([nested.data.method, nested.data.target], ['POST', '/v3/echo/get']);
  });

  it('sends template values percent-encoded as RFC 3986 UTF-8, signed as sent', async () => {
    const node = wxpay.chain('v3/echo/{id}');
    const quoted = (await node.get({ id: "it's a*b" })) as { data: Echo };
    assert.equal(quoted.data.target, '/v3/echo/it%27s%20a%2Ab');
    assert.equal(quoted.data.params.id, "it's a*b");
    const emoji = (await node.get({ id: '😀中' })) as { data: Echo };
    assert.equal(emoji.data.target, '/v3/echo/%F0%9F%98%80%E4%B8%AD');
    assert.equal(emoji.data.params.id, '😀中');
    assert.ok(sandbox.requests[sandbox.requests.length - 1].authorized);
  });

  it('refuses a control character or a lone surrogate in a template value or the query, sending nothing', async () => {
    const before = sandbox.requests.length;
    await assert.rejects(
      wxpay.chain('v3/echo/{id}').get({ id: '\x041' }),
      (error: unknown) => error instanceof OptionError && error.code === ErrorCode.TEMPLATE_VARIABLE && error.message.includes('U+0004 at index 0'),
      'sent as %41 ("A") before this check',
    );
    await assert.rejects(
      wxpay.chain('v3/echo/{id}').get({ id: 'a\r\nb' }),
      (error: unknown) => error instanceof OptionError && error.code === ErrorCode.TEMPLATE_VARIABLE && error.message.includes('"id"') && error.message.includes('U+000D at index 1'),
    );
    await assert.rejects(
      wxpay.chain('v3/echo').get({ query: { q: '\ud800' } }),
      (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION && error.message.includes('"q"') && error.message.includes('U+D800 at index 0'),
    );
    await assert.rejects(
      wxpay.chain('v2/echo').post({ query: { q: 'a\u0000' } }),
      (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION && error.message.includes('U+0000 at index 1'),
    );
    assert.equal(sandbox.requests.length, before);
  });

  it('keeps a trailing slash written as _empty_ or in a declared path', async () => {
    // The catalogue types this path; the echo gateway takes any body, so the call goes untyped.
    for (const node of [wxpay.v3.applyment4sub.applyment._empty_, wxpay.chain('v3/applyment4sub/applyment/')] as ChainNode[]) {
      const { data } = (await node.post({ json: {} })) as { data: Echo };
      assert.equal(data.target, '/v3/applyment4sub/applyment/');
    }
  });

  it('refuses to be called where it is a path rather than a verb', () => {
    assert.throws(() => (wxpay.v3.pay as unknown as () => void)(), (error: unknown) => error instanceof OptionError && /not a method/.test(error.message));
    assert.throws(() => (wxpay as unknown as () => void)(), OptionError);
  });

  it('refuses chain() without a path', () => {
    assert.throws(() => wxpay.chain(''), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION);
    assert.throws(() => wxpay.chain(42 as unknown as string), OptionError);
  });

  it('rejects, rather than throws, when the call options are wrong', async () => {
    const pending = (wxpay.v3.echo.post as unknown as (options: unknown) => unknown)('nope');
    assert.ok(pending instanceof Promise);
    await assert.rejects(pending, (error: unknown) => error instanceof OptionError && /plain object/.test(error.message));
  });

  describe('with a callback', () => {
    it('returns undefined and calls back once with the verified response', async () => {
      let calls = 0;
      const outcome = await new Promise<{ returned: unknown; error: unknown; data: unknown }>((resolve) => {
        const returned: unknown = wxpay.v3.echo.post({ json: { a: 1 } }, (error, response) => {
          calls += 1;
          resolve({ returned, error, data: response?.data });
        });
      });
      assert.equal(outcome.returned, undefined);
      assert.equal(outcome.error, null);
      assert.equal((outcome.data as Echo).body, '{"a":1}');
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(calls, 1);
    });

    it('takes a callback as the only argument', async () => {
      const data = await new Promise((resolve, reject) => wxpay.v3.echo.get((error, response) => (error ? reject(error) : resolve(response?.data))));
      assert.equal((data as Echo).method, 'GET');
    });

    it('passes the typed error to the callback, never the data', async () => {
      sandbox.inject({ type: 'tampered-body' });
      const [error, response] = await new Promise<unknown[]>((resolve) => wxpay.v3.echo.get((...args) => resolve(args)));
      assert.equal((error as { code?: string }).code, ErrorCode.BAD_SIGNATURE);
      assert.equal(response, undefined);
    });

    it('passes an option error to the callback asynchronously', async () => {
      let sync = true;
      const error = await new Promise((resolve) => {
        wxpay.v3.echo._id_.get({}, resolve);
        sync = false;
      });
      assert.equal(sync, false);
      assert.ok(error instanceof OptionError);
    });

    it('does not swallow an exception thrown inside the callback, nor call it twice', () => {
      const script = join(__dirname, 'support', 'callback-throws.js');
      const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
      assert.notEqual(child.status, 0, 'the exception reaches the process as uncaught');
      assert.match(child.stderr, /thrown inside the callback/);
      assert.doesNotMatch(child.stderr, /unhandled ?rejection/i);
      assert.equal(child.stdout.match(/callback called/g)?.length, 1);
    });
  });
});
