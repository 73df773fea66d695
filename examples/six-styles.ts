/**
 * The main job (`npm start`): the contract-termination call in the six documented styles,
 * each response verified before it is printed. With WECHATPAY_* credentials in the environment
 * it calls the real gateway; without, it starts the built-in sandbox.
 */
import { inspect } from 'node:util';
import { Wechatpay, type WechatpayOptions } from '../lib';
import { Sandbox } from '../lib/sandbox';

function fromEnvironment(env: NodeJS.ProcessEnv): WechatpayOptions | undefined {
  const { WECHATPAY_MCHID, WECHATPAY_SERIAL, WECHATPAY_PRIVATE_KEY, WECHATPAY_PLATFORM_ID, WECHATPAY_PLATFORM_KEY, WECHATPAY_BASE_URL } = env;
  if (!WECHATPAY_MCHID) return undefined;
  if (!WECHATPAY_SERIAL || !WECHATPAY_PRIVATE_KEY || !WECHATPAY_PLATFORM_ID || !WECHATPAY_PLATFORM_KEY) {
    throw new Error('WECHATPAY_MCHID is set: also set WECHATPAY_SERIAL, WECHATPAY_PRIVATE_KEY, WECHATPAY_PLATFORM_ID and WECHATPAY_PLATFORM_KEY');
  }
  return {
    mchid: WECHATPAY_MCHID,
    serial: WECHATPAY_SERIAL,
    privateKey: WECHATPAY_PRIVATE_KEY,
    certs: { [WECHATPAY_PLATFORM_ID]: WECHATPAY_PLATFORM_KEY },
    baseURL: WECHATPAY_BASE_URL,
  };
}

type Style = [name: string, call: (wxpay: Wechatpay, code: string) => Promise<unknown>];

function json(code: string) {
  return { out_contract_code: code, contract_termination_remark: 'terminated from wechatpay-ts' };
}

function viaCallback(send: (done: (error: Error | null, response?: { data: unknown }) => void) => void): Promise<unknown> {
  return new Promise((resolve, reject) => send((error, response) => (error ? reject(error) : resolve(response?.data))));
}

const STYLES: Style[] = [
  ['chained, promise', async (wxpay, code) => (await wxpay.v3.creditRepayment.partner.contracts.terminate.post({ json: json(code) })).data],
  ['declared path, promise', async (wxpay, code) => (await wxpay.chain('v3/credit-repayment/partner/contracts/terminate').post({ json: json(code) })).data],
  ['bracket path, promise', async (wxpay, code) => (await wxpay['v3/credit-repayment/partner/contracts/terminate'].post({ json: json(code) })).data],
  ['chained, callback', (wxpay, code) => viaCallback((done) => wxpay.v3.creditRepayment.partner.contracts.terminate.post({ json: json(code) }, done))],
  ['declared path, callback', (wxpay, code) => viaCallback((done) => wxpay.chain('v3/credit-repayment/partner/contracts/terminate').post({ json: json(code) }, done))],
  ['bracket path, callback', (wxpay, code) => viaCallback((done) => wxpay['v3/credit-repayment/partner/contracts/terminate'].post({ json: json(code) }, done))],
];

async function main(): Promise<void> {
  const real = fromEnvironment(process.env);
  const sandbox = real ? undefined : await Sandbox.start();
  const wxpay = new Wechatpay(real ?? sandbox!.clientOptions);
  console.log(real ? `Calling the real gateway as merchant ${real.mchid}` : `No WECHATPAY_MCHID: calling the built-in sandbox at ${sandbox!.baseURL}`);
  let failures = 0;
  try {
    for (const [index, [name, call]] of STYLES.entries()) {
      // Each style terminates its own contract, so each one succeeds on its own.
      const code = process.env.WECHATPAY_OUT_CONTRACT_CODE ?? `1000012${String(56 + index).padStart(2, '0')}`;
      try {
        const data = await call(wxpay, code);
        console.log(`\n✔ ${name}: response verified\n${inspect(data, { depth: 4, colors: process.stdout.isTTY })}`);
      } catch (error) {
        failures += 1;
        const { code: errorCode, message } = error as { code?: string; message: string };
        console.log(`\n✘ ${name}: ${errorCode ?? 'Error'}: ${message}`);
      }
    }
  } finally {
    await sandbox?.close();
  }
  process.exitCode = failures === 0 ? 0 : 1;
}

void main();
