import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BadSignatureError, InvalidOptionError, NotificationVerifier } from '../../lib';
import { adapterSettings, reportToConsole } from '../../lib/notifications/adapter-options';
import { Sandbox } from '../../lib/sandbox';

describe('adapter options', () => {
  let sandbox: Sandbox;
  let verifier: NotificationVerifier;
  before(async () => {
    sandbox = await Sandbox.start({ mode: 'public-key' });
    verifier = new NotificationVerifier(sandbox.notificationOptions);
  });
  after(() => sandbox.close());

  it('keep the verifier and handler, and report to the console unless onError is given', () => {
    const handler = () => undefined;
    const onError = () => undefined;
    assert.deepEqual(adapterSettings('x', verifier, handler, undefined), { verifier, handler, onError: reportToConsole });
    assert.deepEqual(adapterSettings('x', verifier, handler, { onError }), { verifier, handler, onError });
  });

  it('refuse what is unusable, naming the adapter and the argument', () => {
    const refuses = (run: () => unknown, message: string) => assert.throws(run, (error: unknown) => error instanceof InvalidOptionError && error.message === message);
    refuses(() => adapterSettings('koaNotifications', sandbox.notificationOptions, () => undefined, undefined), 'koaNotifications: verifier: expected a NotificationVerifier');
    refuses(() => adapterSettings('koaNotifications', verifier, {}, undefined), 'koaNotifications: handler: expected a function (event) => unknown');
    refuses(() => adapterSettings('koaNotifications', verifier, () => undefined, null as never), 'koaNotifications: options: expected an object');
    refuses(() => adapterSettings('koaNotifications', verifier, () => undefined, { onError: true as never }), 'koaNotifications: onError: expected a function (error, failure) => void');
    refuses(() => adapterSettings('koaNotifications', verifier, () => undefined, { Path: '/notify' } as never, ['onError', 'path']), 'koaNotifications: options.Path: unknown; the options are onError and path');
  });

  it('report to the console in one line: status, stage, code and message', () => {
    const lines: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void lines.push(args);
    try {
      reportToConsole(new BadSignatureError('notification: the signature does not match'), { status: 400, stage: 'verification' });
      reportToConsole(new Error('database down'), { status: 500, stage: 'handler' });
      reportToConsole('a thrown string', { status: 500, stage: 'handler' });
    } finally {
      console.error = original;
    }
    assert.deepEqual(lines, [
      ['wechatpay-ts: notification answered 400 (verification) ERR_WECHATPAY_BAD_SIGNATURE: notification: the signature does not match'],
      ['wechatpay-ts: notification answered 500 (handler): database down'],
      ['wechatpay-ts: notification answered 500 (handler): a thrown string'],
    ]);
  });
});
