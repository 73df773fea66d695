// The task guides run as written: each guide's TypeScript blocks, in order, against the sandbox
// the guide starts itself, with the merchant's server listening on a loopback port. The spec gives
// a guide only what a merchant's app has of its own (the port, the notification URL, the functions
// that update its books) and records what those functions were called with. The English page of
// each guide holds the same code as the Chinese one, block for block, so the Chinese is the one run.
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JsapiParams } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { ROOT } from '../support/docs-page';
import { guideBlocks } from '../support/guide-blocks';
import { runGuide } from '../support/guide-run';
import { closedPort } from '../support/ports';

/** What the spec gives a guide, the calls of the merchant's functions it recorded, and its checks of the run. */
interface TaskGuide {
  /** The merchant's own functions the guide calls (recorded), besides `port` and `notify_url`. */
  functions: readonly string[];
  /** Checks the run: what the blocks printed, what the merchant's functions were called with, and the guide's `sandbox`, if it named one so. */
  check(run: { logs: unknown[][]; calls: Record<string, unknown[][]>; sandbox?: Sandbox }): void | Promise<void>;
}

const TASK_GUIDES: Record<string, TaskGuide> = {
  payment: {
    functions: ['markPaid'],
    check({ logs, calls }) {
      assert.deepEqual(calls.markPaid, [['T20261128001', 2590]], 'the notification route marked the order paid once, with what the payer paid');
      assert.deepEqual(logs[0], ['SUCCESS', true], 'the sandbox paid the order and the server acknowledged the notification');
      assert.deepEqual(logs[1].slice(1), [2590], 'the query found the order paid, and printed its transaction id and what the payer paid');
      assert.equal(logs[2][0], 'PROCESSING', 'the refund was accepted');
      assert.match(String(logs[3][0]), /^交易时间,/, 'the bill’s header row');
    },
  },
  transfer: {
    functions: ['settle'],
    async check({ logs, calls, sandbox }) {
      assert.ok(sandbox, 'the guide starts a sandbox named sandbox');
      assert.deepEqual(logs[0], ['WAIT_USER_CONFIRM', logs[0][1]], 'the bill waits for its payee');
      assert.equal(typeof logs[0][1], 'string', 'with the package the confirmation page takes');
      assert.deepEqual(logs[1], ['SUCCESS', true], 'the payee confirmed and the server acknowledged the notification');
      assert.deepEqual(logs[2], ['CANCELING'], 'the waiting bill is being cancelled');
      assert.equal(logs[3][0], 'SUCCESS', 'the query finds the confirmed bill paid');
      await sandbox.transferSettled('plfk2020042014');
      assert.deepEqual(calls.settle, [['plfk2020042013', 'SUCCESS', 1800], ['plfk2020042014', 'CANCELLED', 2600]], 'settle() booked each end once');
    },
  },
  partner: {
    functions: ['markPaid', 'markRefunded'],
    check({ logs, calls, sandbox }) {
      assert.ok(sandbox, 'the guide starts a sandbox named sandbox');
      const params = logs[0][0] as JsapiParams;
      assert.equal(params.appId, 'wx8888888888888888', 'the page opens the payment with sp_appid, the app of the payer’s sp_openid');
      const signed = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
      const serviceProvider = createPublicKey(sandbox.clientOptions.privateKey);
      assert.ok(verify('sha256', Buffer.from(signed), serviceProvider, Buffer.from(params.paySign, 'base64')), 'paySign is the service provider’s signature');
      assert.deepEqual(logs[1], ['SUCCESS', true], 'the sandbox paid the sub-merchant’s order and the server acknowledged the notification');
      assert.deepEqual(logs[2], ['SUCCESS', '1900000109', 3680], 'the partner query found the sub-merchant’s order paid');
      assert.deepEqual(logs[3], ['PROCESSING'], 'the refund was accepted');
      assert.deepEqual(logs[4], ['SUCCESS', true], 'the refund succeeded and the server acknowledged its notification');
      assert.deepEqual(logs.slice(5), [
        ['1900000109', 'SP20261128001', 'SUCCESS', '0.00'],
        ['1900000109', 'SP20261128001', 'REFUND', '6.80'],
      ], 'the sub-merchant’s bill lists the payment and the refund');
      assert.deepEqual(calls.markPaid, [['1900000109', 'SP20261128001', 3680]], 'the payment was booked once, to the sub-merchant');
      assert.deepEqual(calls.markRefunded, [['1900000109', 'SPR20261128001', 680]], 'the refund was booked once, to the sub-merchant');
    },
  },
  'going-live': {
    functions: [],
    check({ logs }) {
      const checks = logs.slice(0, -1);
      assert.deepEqual(checks.map(([status, id]) => [status, id]).filter(([, id]) => ['private-key', 'serial', 'apiv3-key', 'clock', 'gateway-echo'].includes(String(id))), [
        ['pass', 'private-key'],
        ['pass', 'serial'],
        ['pass', 'apiv3-key'],
        ['pass', 'clock'],
        ['pass', 'gateway-echo'],
      ], 'the rehearsal passes the doctor’s checks, the gateway’s echo among them');
      assert.ok(checks.every(([status]) => status === 'pass'), 'and every other');
      assert.match(String(logs.at(-1)?.[0]), /^gateway-echo: the gateway refused the request’s signature \(401 SIGN_ERROR\)/, 'a serial not the merchant certificate’s stops the start');
    },
  },
  'many-merchants': {
    functions: ['markPaid'],
    check({ logs, calls }) {
      assert.deepEqual(logs.slice(0, 2), [
        ['1900000101', 'POST', '/v3/pay/transactions/jsapi', 200],
        ['1900000102', 'POST', '/v3/pay/transactions/jsapi', 200],
      ], 'each order went out with its merchant’s client, and the SDK’s events named that merchant');
      assert.deepEqual(logs.slice(2), [['1900000101', true], ['1900000102', true]], 'each sandbox paid its order and the one route acknowledged its notification');
      assert.deepEqual(calls.markPaid, [['1900000101', 'T20261128001', 2590], ['1900000102', 'T20261128001', 1800]], 'each notification was attributed to its own merchant, though the order numbers are the same');
    },
  },
  'public-key-migration': {
    functions: ['settle'],
    check({ logs, calls, sandbox }) {
      assert.ok(sandbox, 'the guide starts a sandbox named sandbox');
      const ids = Object.keys(sandbox.clientOptions.certs);
      const publicKeyId = ids.find((id) => id.startsWith('PUB_KEY_ID_'));
      const certificateSerial = ids.find((id) => !id.startsWith('PUB_KEY_ID_'));
      assert.ok(publicKeyId && certificateSerial, 'the guide’s sandbox is a migration one, with a certificate and a public key');
      const placed = (key: string) => [{ state: 'WAIT_USER_CONFIRM', encryptedTo: key, signedBy: key }];
      assert.deepEqual(logs[0], placed(certificateSerial), 'step 1: the name encrypted to the certificate, named in Wechatpay-Serial, and the answer signed by it');
      assert.deepEqual(logs[1], placed(publicKeyId), 'step 2: the name encrypted to the public key, named in Wechatpay-Serial, and the answer signed by it');
      assert.deepEqual(logs.slice(2, 4), [['SUCCESS', true], ['SUCCESS', true]], 'both payees confirmed and step 2’s route acknowledged both notifications');
      assert.deepEqual(logs[4], [[[certificateSerial, 1], [publicKeyId, 1]]], 'the migration sandbox signed one notification with each key, and the route verified both');
      assert.deepEqual(logs.slice(5, 8).map(([status, id]) => [status, id]), [['pass', `platform-key:${certificateSerial}`], ['pass', `platform-key:${publicKeyId}`], ['pass', 'gateway-echo']], 'the doctor passes both keys and the gateway’s echo');
      assert.deepEqual(logs[8], [[`answers: 1 signed by ${certificateSerial}`, `notifications: 1 signed by ${certificateSerial}`]], 'the check before dropping the certificate finds what it signed');
      assert.deepEqual(logs[9], placed(publicKeyId), 'step 3, against the public-key sandbox: the public key encrypts and signs');
      assert.deepEqual(logs[10], ['SUCCESS', true, 2], 'the key-only route verified the public key’s notification (the second the public key signed)');
      assert.deepEqual(logs[11], [400], 'and refuses one still signed by the certificate');
      assert.equal(logs.length, 12);
      assert.deepEqual(calls.settle, [['plfk2020042013', 'SUCCESS', 1800], ['plfk2020042014', 'SUCCESS', 2600], ['plfk2020042015', 'SUCCESS', 3000]], 'settle() booked each bill once, and nothing of the refused notification');
    },
  },
};

/** The merchant's functions: each records its arguments and resolves. */
function recorded(names: readonly string[]) {
  const calls: Record<string, unknown[][]> = Object.fromEntries(names.map((name) => [name, []]));
  const functions = Object.fromEntries(names.map((name) => [name, (...args: unknown[]) => Promise.resolve(void calls[name].push(args))]));
  return { calls, functions };
}

/** Closes what a guide left open: the merchant's server and every sandbox it started, whatever its name. */
async function closeWhatIsOpen(scope: Record<string, unknown>): Promise<void> {
  const server = scope.server as Server | undefined;
  if (server) await new Promise((resolve) => server.close(resolve));
  await Promise.all(Object.values(scope).filter((value): value is Sandbox => value instanceof Sandbox).map((sandbox) => sandbox.close()));
}

describe('the task guides, run against the sandbox block by block', () => {
  for (const [name, guide] of Object.entries(TASK_GUIDES)) {
    const chinese = join(ROOT, 'docs', 'guide', `${name}.md`);
    const english = join(ROOT, 'docs', 'en', 'guide', `${name}.md`);

    it(`docs/guide/${name}.md runs as written`, async () => {
      const port = await closedPort();
      const { calls, functions } = recorded(guide.functions);
      const scope: Record<string, unknown> = { port, notify_url: `http://127.0.0.1:${port}/wechatpay/notify`, ...functions };
      try {
        const logs = await runGuide(guideBlocks(chinese), scope);
        await guide.check({ logs, calls, sandbox: scope.sandbox instanceof Sandbox ? scope.sandbox : undefined });
      } finally {
        await closeWhatIsOpen(scope);
      }
    });

    it(`docs/en/guide/${name}.md holds the same code, block for block`, () => {
      const code = (file: string) => guideBlocks(file).map(({ preamble, code }) => ({ preamble, code }));
      assert.deepEqual(code(english), code(chinese));
    });
  }
});
