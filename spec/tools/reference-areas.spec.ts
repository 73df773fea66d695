// The reference's navigation by product: every catalogue path's page once, under its tag, titled
// by its Chinese summary, the tags in the catalogue's own order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CATALOGUE, loadCatalogue, type Operation } from '../../tools/generate/catalogue';
import { REPOSITORY } from '../../tools/generate/main';
import { AREAS_FILE, referenceAreas, referenceAreasFile, type ReferenceArea } from '../../tools/generate/reference-areas';

describe('the reference areas', () => {
  let operations: Operation[];
  let areas: ReferenceArea[];
  before(() => {
    operations = loadCatalogue(CATALOGUE);
    areas = (JSON.parse(referenceAreasFile(CATALOGUE, operations).text) as { areas: ReferenceArea[] }).areas;
  });

  it('lists every catalogue path once, under the first tag of its first operation', () => {
    const listed = areas.flatMap((area) => area.pages.map((page) => page.path));
    assert.equal(listed.length, new Set(listed).size, 'no page twice');
    assert.deepEqual(new Set(listed), new Set(operations.map((op) => op.path)));
    const jsapi = areas.find((area) => area.pages.some((page) => page.path === 'v3/pay/transactions/jsapi'));
    assert.equal(jsapi?.tag, '基础支付');
  });

  it('puts the product areas in the catalogue’s order of tags, 基础支付 first, with Chinese titles less a trailing API', () => {
    assert.deepEqual(areas.slice(0, 3).map((area) => area.tag), ['基础支付', '基础支付∙服务商模式', '基础支付∙合单']);
    const page = areas[0].pages.find((candidate) => candidate.path === 'v3/pay/transactions/jsapi');
    assert.deepEqual(page, { link: '/openapi/v3/pay/transactions/jsapi', title: 'JSAPI下单', path: 'v3/pay/transactions/jsapi' });
  });

  it('orders tags the catalogue does not list after those it does, and titles a page without a summary by its path', () => {
    const op = (path: string, tags?: string[], summary?: string) => ({ path, method: 'get', file: '', tags, summary, parameters: [], responses: {} }) as Operation;
    const ordered = referenceAreas([op('v3/b', ['新']), op('v3/a/', ['旧'], '查询API'), op('v3/c')], ['旧']);
    assert.deepEqual(ordered, [
      { tag: '旧', pages: [{ link: '/openapi/v3/a/index', title: '查询', path: 'v3/a/' }] },
      { tag: '新', pages: [{ link: '/openapi/v3/b', title: 'v3/b', path: 'v3/b' }] },
      { tag: '其他', pages: [{ link: '/openapi/v3/c', title: 'v3/c', path: 'v3/c' }] },
    ]);
  });

  it('is the file the repository holds', () => {
    assert.equal(readFileSync(join(REPOSITORY, AREAS_FILE), 'utf8'), referenceAreasFile(CATALOGUE, operations).text);
  });
});
