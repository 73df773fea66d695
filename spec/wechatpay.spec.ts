import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, sep } from 'node:path';
import { describe, it } from 'node:test';
import { v3ClientScript } from './support/client-script';

const LIB = join(__dirname, '..', 'lib', 'index.js');

/** Which of `probes` are in the module cache of a fresh process after `script` ran with the SDK as `sdk`. */
function loadedAfter(script: string, probes: string[]): string[] {
  const program = `const sdk = require(${JSON.stringify(LIB)}); ${script}; const loaded = Object.keys(require.cache); process.stdout.write(JSON.stringify(${JSON.stringify(probes)}.filter((p) => loaded.some((k) => k.includes(p)))));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', program], { encoding: 'utf8' })) as string[];
}

describe('loading the client', () => {
  const probes = ['fast-xml-parser', `v2${sep}sender`];

  it('leaves the APIv2 machinery and its XML parser unloaded until they are used', () => {
    assert.deepEqual(loadedAfter('', probes), []);
  });

  it('loads the APIv2 sender on the first APIv2 call, and the XML parser on the first XML read', () => {
    const call = `const wxpay = new sdk.Wechatpay({ mchid: '1900000001', secret: 'a'.repeat(32), baseURL: 'http://127.0.0.1:9/' }); wxpay.v2.pay.micropay.post({ xml: {}, timeout: 1 }).catch(() => {})`;
    assert.deepEqual(loadedAfter(call, probes), [`v2${sep}sender`]);
    assert.deepEqual(loadedAfter(`sdk.Transformer.toObject('<xml><a>1</a></xml>')`, probes), ['fast-xml-parser']);
  });

  it('loads the URI template library on the first call, not with the client', () => {
    const withCerts = v3ClientScript('sdk.Wechatpay');
    const probes = [`node_modules${sep}uri-template`];
    assert.deepEqual(loadedAfter(withCerts, probes), []);
    assert.deepEqual(loadedAfter(`${withCerts}; wxpay.v3.pay.transactions.id._transaction_id_.get({ transaction_id: '1', timeout: 1 }).catch(() => {})`, probes), probes);
  });
});
