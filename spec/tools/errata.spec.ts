// The corrections to the vendored catalogue: each still lands on a place the catalogue has and
// changes what it says there, and the generated types carry the corrected values.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CATALOGUE, loadCatalogue, responseSchema } from '../../tools/generate/catalogue';
import { applyErrata, ERRATA } from '../../tools/generate/errata';

describe('the catalogue errata', () => {
  it('each lands on a place the vendored catalogue has, and changes it', () => {
    for (const erratum of ERRATA) {
      const raw: unknown = parse(readFileSync(join(CATALOGUE, erratum.file), 'utf8'));
      assert.doesNotThrow(() => applyErrata(erratum.file, raw, [erratum]), `${erratum.file}#${erratum.pointer}`);
      assert.ok(erratum.why.length > 20, 'says why');
    }
  });

  it('refuses an erratum whose place is gone, or which the catalogue already agrees with', () => {
    const data = { get: { state: { enum: ['A'] } } };
    assert.throws(() => applyErrata('f.yaml', data, [{ file: 'f.yaml', pointer: '/get/missing/enum', value: [], why: '' }]), /nothing there any more/);
    assert.throws(() => applyErrata('f.yaml', data, [{ file: 'f.yaml', pointer: '/get/state/enum', value: ['A'], why: '' }]), /already says so/);
    applyErrata('f.yaml', data, [{ file: 'f.yaml', pointer: '/get/state/enum', value: ['B'], why: '' }, { file: 'other.yaml', pointer: '/x', value: 1, why: '' }]);
    assert.deepEqual(data.get.state.enum, ['B']);
  });

  it('reads the profit-sharing query as the gateway answers it', () => {
    const query = loadCatalogue(CATALOGUE).find((op) => op.path === 'v3/profitsharing/orders/{out_order_no}' && op.method === 'get');
    const schema = query && responseSchema(query);
    assert.deepEqual(schema?.properties?.state?.enum, ['PROCESSING', 'FINISHED']);
    assert.deepEqual(schema?.properties?.receivers?.items?.properties?.result?.enum, ['PENDING', 'SUCCESS', 'CLOSED']);
    const declarations = readFileSync(join(CATALOGUE, '..', 'openapi-types', 'v3', 'profitsharing.d.ts'), 'utf8');
    assert.ok(!/state: "PENDING" \| "SUCCESS" \| "CLOSED"/.test(declarations), 'the generated types no longer give the order a receiver’s states');
  });
});
