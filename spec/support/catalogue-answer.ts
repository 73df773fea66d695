import assert from 'node:assert/strict';
import { sandboxCatalogue } from '../../lib/sandbox/catalogue-data';
import { findBreach } from '../../lib/sandbox/catalogue-validation';

/**
 * Asserts that `data`, what a sandbox route answered to `method` on `path` (as the chain writes
 * it: `v3/fund-app/mch-transfer/transfer-bills`, variables filled in), holds against the
 * catalogue's answer schema of that operation: its required fields there, each field it describes
 * of its type or enum.
 */
export async function assertCatalogueAnswer(method: string, path: string, data: unknown): Promise<void> {
  const found = (await sandboxCatalogue()).find(method, path.replace(/^\//, ''));
  assert.ok(found, `the catalogue has ${method.toUpperCase()} /${path}`);
  const { operation } = found;
  assert.ok(operation.answer, `the catalogue describes the answer of ${method.toUpperCase()} /${operation.path}`);
  const breach = findBreach(operation.answer, data, 'json', new Set(operation.optional));
  assert.equal(breach, undefined, breach && `${method.toUpperCase()} /${path}: the answer's ${breach.field || 'body'} ${breach.problem}`);
}
