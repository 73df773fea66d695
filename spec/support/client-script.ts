// Code for a child process that builds a client, for specs that watch what a fresh process loads.

/**
 * Statements that make `wxpay`, an APIv3 client of a closed port with fresh keys, from the class
 * `Wechatpay` names in the script (`'Wechatpay'`, `'sdk.Wechatpay'`).
 */
export function v3ClientScript(Wechatpay: string): string {
  return [
    "const { generateKeyPairSync } = require('node:crypto');",
    "const pem = (type) => generateKeyPairSync('rsa', { modulusLength: 2048 })[`${type}Key`].export({ type: type === 'private' ? 'pkcs8' : 'spki', format: 'pem' });",
    `const wxpay = new ${Wechatpay}({ mchid: '1900000001', serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1', privateKey: pem('private'), baseURL: 'http://127.0.0.1:9/', certs: { PUB_KEY_ID_0114232134912410000000000000: pem('public') } });`,
  ].join('\n');
}
