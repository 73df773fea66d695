import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AxiosResponse } from 'axios';
import { Wechatpay } from '../../lib';
import { Sandbox } from '../../lib/sandbox';

interface Terminated {
  contract_info: { out_contract_code: string; contract_state: string };
}

const PATH = 'v3/credit-repayment/partner/contracts/terminate';

function viaCallback(send: (done: (error: Error | null, response?: AxiosResponse<unknown>) => void) => void): Promise<AxiosResponse<unknown>> {
  return new Promise((resolve, reject) => send((error, response) => (error ? reject(error) : resolve(response as AxiosResponse<unknown>))));
}

describe('the documented call, end to end against the sandbox', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => {
    sandbox = await Sandbox.start();
    sandbox.route({ method: 'GET', path: '/v3/pay/transactions/id/{transaction_id}', handle: ({ params, query }) => ({ json: { transaction_id: params.transaction_id, mchid: query.mchid, trade_state: 'SUCCESS' } }) });
    wxpay = new Wechatpay(sandbox.clientOptions);
  });
  after(() => sandbox.close());

  const json = (code: string) => ({ json: { out_contract_code: code, contract_termination_remark: 'remark' } });
  const styles: Array<[string, (code: string) => Promise<AxiosResponse<unknown>>]> = [
    ['chained properties with a promise', (code) => wxpay.v3.creditRepayment.partner.contracts.terminate.post(json(code))],
    ['a declared path with a promise', (code) => wxpay.chain(PATH).post(json(code))],
    ['a bracket path with a promise', (code) => wxpay[PATH].post(json(code))],
    ['chained properties with a callback', (code) => viaCallback((done) => wxpay.v3.creditRepayment.partner.contracts.terminate.post(json(code), done))],
    ['a declared path with a callback', (code) => viaCallback((done) => wxpay.chain(PATH).post(json(code), done))],
    ['a bracket path with a callback', (code) => viaCallback((done) => wxpay[PATH].post(json(code), done))],
  ];

  for (const [index, [name, call]] of styles.entries()) {
    it(`terminates a contract through ${name}`, async () => {
      const code = `E2E-${index}`;
      const { status, data } = await call(code);
      assert.equal(status, 200);
      const { contract_info } = data as Terminated;
      assert.deepEqual([contract_info.out_contract_code, contract_info.contract_state], [code, 'CONTRACT_STATE_TERMINATED']);
      assert.ok(sandbox.requests[sandbox.requests.length - 1].authorized);
    });
  }

  it('queries with URI template variables riding in the options', async () => {
    const contract = await wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: '100005698' });
    assert.equal((contract.data as { out_contract_code: string }).out_contract_code, '100005698');
    const transaction = await wxpay.v3.pay.transactions.id._transaction_id_.get({ transaction_id: '4200000001', query: { mchid: sandbox.mchid } });
    assert.deepEqual(transaction.data, { transaction_id: '4200000001', mchid: sandbox.mchid, trade_state: 'SUCCESS' });
  });

  it('verifies every answer of a burst of 100 concurrent calls', async () => {
    const codes = Array.from({ length: 100 }, (_, i) => `BURST-${i}`);
    const answers = await Promise.all(codes.map((code, i) => (i % 2 ? wxpay.chain(PATH).post(json(code)) : wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: code }))));
    answers.forEach((answer, i) => {
      assert.equal(answer.status, 200);
      const data = answer.data as unknown as Terminated & { out_contract_code: string };
      assert.equal(i % 2 ? data.contract_info.out_contract_code : data.out_contract_code, codes[i]);
    });
  });

  it('fails every forged answer of a concurrent burst, and only those', async () => {
    for (let i = 0; i < 10; i += 1) sandbox.inject({ type: 'tampered-body' });
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: `MIX-${i}` })));
    assert.equal(outcomes.filter((outcome) => outcome.status === 'rejected').length, 10);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') assert.equal((outcome.reason as { code: string }).code, 'ERR_WECHATPAY_BAD_SIGNATURE');
    }
  });
});

describe('npm start (the main job)', () => {
  it('makes the call in all six styles against the built-in sandbox and prints each verified answer', async () => {
    const script = join(__dirname, '..', '..', 'examples', 'six-styles.js');
    const env = { ...process.env };
    delete env.WECHATPAY_MCHID;
    const child = spawn(process.execPath, [script], { env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0, out);
    assert.match(out, /calling the built-in sandbox/);
    assert.equal(out.match(/✔ .*: response verified/g)?.length, 6, out);
    assert.equal(out.match(/CONTRACT_STATE_TERMINATED/g)?.length, 6);
  });
});
