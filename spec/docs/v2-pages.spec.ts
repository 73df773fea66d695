// Proves that the APIv2 reference pages (POST /pay/micropay, POST /secapi/pay/refund) and the
// APIv2 guide tell the truth. Each page's six code-group snippets name their path style,
// type-check against lib/ under strict settings, and succeed when they run against a sandbox in
// TLS mode; its other TypeScript blocks type-check and run too; its tables cover the catalogue
// entry; and it quotes only real ErrorCode values. The guide's blocks type-check and run.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { parse } from 'yaml';
import * as wechatpay from '../../lib';
import * as sandboxEntry from '../../lib/sandbox';
import { CATALOGUE } from '../../tools/generate/catalogue';
import { againstSandbox, CODE_GROUP, execute, recordingConsole, ROOT, row, section, tsBlocks, typeCheck, type Block } from '../support/docs-page';

type Fields = Record<string, string>;

const SNIPPET_DIR = join(ROOT, 'docs', '.page-snippets', 'v2');
const APPID = 'wx8888888888888888';

/** The codes an APIv2 call can end with; the APIv3 header and crypto-toolkit codes cannot arise. */
const V2_CODES = new Set<string>([
  wechatpay.ErrorCode.API_ERROR,
  wechatpay.ErrorCode.BAD_SIGNATURE,
  wechatpay.ErrorCode.MALFORMED_BODY,
  wechatpay.ErrorCode.INVALID_OPTION,
  wechatpay.ErrorCode.INVALID_ARGUMENT,
]);

const LABELS = ['chained · promise', 'declared path · promise', 'bracket path · promise', 'chained · callback', 'declared path · callback', 'bracket path · callback'];

/** The path expression each tab must use, in the order of {@link LABELS}. */
function pathStyles(chained: string, path: string): string[] {
  const styles = [chained, `wxpay.chain('${path}')`, `wxpay['${path}']`];
  return [...styles, ...styles];
}

function readPage(...path: string[]): string {
  return readFileSync(join(ROOT, 'docs', ...path), 'utf8');
}

/** A page's TypeScript blocks: the code-group tabs, and the others. */
function blocksOf(page: string): { tabs: Block[]; others: Block[] } {
  return { tabs: tsBlocks(CODE_GROUP.exec(page)?.[1] ?? ''), others: tsBlocks(page.replace(CODE_GROUP, '')) };
}

function only(blocks: Block[], marker: string): Block {
  const found = blocks.filter(({ code }) => code.includes(marker));
  assert.equal(found.length, 1, `exactly one TypeScript block with ${marker}`);
  return found[0];
}

/** The `### ` subsection of `text` whose heading names the code span `name`. */
function subsection(text: string, name: string): string {
  const found = text.split(/^(?=#{2,3} )/m).find((part) => part.startsWith(`### \`${name}\``));
  assert.ok(found, `a "### \`${name}\`" subsection`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// The catalogue: Swagger 2.0 YAML, with `$ref`s into definitions/ and answers as `allOf` layers.

interface Schema {
  type?: string;
  format?: string;
  description?: string;
  example?: string | number | boolean;
  enum?: Array<string | number>;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  $ref?: string;
  'x-json'?: Schema;
}

interface Operation {
  /** `2026.04.24`: YAML reads it as a string. */
  'x-last-updated-at'?: string;
  'x-api-cert-required'?: boolean;
  summary: string;
  description: string;
  tags: string[];
  parameters: Array<{ in: string; schema: Schema }>;
  responses: Record<string, { schema: Schema }>;
}

/** Resolves a `$ref` such as `../../../definitions/refund.yaml#/refund.request` against `file`. */
function resolve(schema: Schema, file: string): Schema {
  if (!schema.$ref) return schema;
  const [target, key] = schema.$ref.split('#/');
  const document = parse(readFileSync(join(dirname(file), target), 'utf8')) as Record<string, Schema>;
  assert.ok(document[key], `${schema.$ref} resolves`);
  return document[key];
}

function loadOperation(path: string): { operation: Operation; request: Schema; layers: Schema[] } {
  const file = join(CATALOGUE, `${path}.yaml`);
  const operation = (parse(readFileSync(file, 'utf8')) as { post: Operation }).post;
  const body = operation.parameters.find((parameter) => parameter.in === 'body');
  assert.ok(body, `${path} has a body`);
  const answer = resolve(operation.responses['200'].schema, file);
  return { operation, request: resolve(body.schema, file), layers: answer.allOf ?? [answer] };
}

interface Field {
  name: string;
  /** Every definition of the field: an answer's layers may repeat one, as micropay's promotion_detail. */
  schemas: Schema[];
  required: boolean;
  /** The answer layer that requires it (0: always, 1: when return_code is SUCCESS, 2: when result_code is SUCCESS). */
  layer: number;
}

/** The top-level fields of the request schema, or of the answer layers merged, in order. */
function topFields(layers: Schema[]): Field[] {
  const fields = new Map<string, Field>();
  layers.forEach((layer, index) => {
    for (const [name, schema] of Object.entries(layer.properties ?? {})) {
      const field = fields.get(name) ?? { name, schemas: [], required: false, layer: index };
      field.schemas.push(schema);
      if (layer.required?.includes(name)) Object.assign(field, { required: true, layer: index });
      fields.set(name, field);
    }
  });
  return [...fields.values()];
}

/** The fields inside a JSON string field's `x-json` schema, array elements marked `[]`. */
function* jsonFields(schema: Schema, prefix: string): Generator<{ name: string; schema: Schema; required: boolean }> {
  const object = schema.type === 'array' && schema.items ? schema.items : schema;
  for (const [key, child] of Object.entries(object.properties ?? {})) {
    const name = `${prefix}${key}`;
    yield { name, schema: child, required: object.required?.includes(key) ?? false };
    if (child.type === 'array' && child.items) yield* jsonFields(child.items, `${name}[].`);
    else if (child.properties) yield* jsonFields(child, `${name}.`);
  }
}

function checkTypeCell(cell: string, schema: Schema, line: string): void {
  assert.ok(cell.startsWith(schema.type ?? ''), `typed ${String(schema.type)}: ${line}`);
  for (const value of schema.enum ?? []) assert.ok(cell.includes(`\`${value}\``), `names the enum value ${value}: ${line}`);
}

/**
 * Checks a field table against the catalogue: each field's row gives its type (and enum values),
 * whether it is required (and, for answers, in which layer), its description and its example.
 * A JSON string field shows its example and its own fields in a subsection named after it.
 */
function checkTable(text: string, fields: Field[], answer: boolean, jsonPrefix: Readonly<Record<string, string>> = {}): void {
  const layerWords = ['always', 'return_code is SUCCESS', 'result_code is SUCCESS'];
  for (const field of fields) {
    const line = row(text, field.name);
    const cells = line.split(' | ');
    const last = field.schemas[field.schemas.length - 1];
    checkTypeCell(cells[1], last, line);
    assert.ok(cells[2].startsWith(field.required ? '是' : '否'), `${field.name} is ${field.required ? '' : 'not '}required: ${line}`);
    if (answer && field.required) assert.ok(cells[2].includes(layerWords[field.layer]), `${field.name} is required ${layerWords[field.layer]}: ${line}`);
    for (const schema of field.schemas) {
      if (schema.description) assert.ok(cells[3].includes(schema.description), `${field.name} gives its description ${schema.description}: ${line}`);
    }
    const json = field.schemas.find((schema) => schema.format === 'jsonObjectLike');
    if (!json) {
      if (last.example !== undefined) assert.ok(cells[4].includes(String(last.example)), `${field.name} gives its example: ${line}`);
      continue;
    }
    const anchor = field.name.replaceAll('_', '-');
    assert.ok(cells[4].includes(`(#${anchor})`), `${field.name} links its subsection: ${line}`);
    const own = subsection(text, field.name);
    const example = /^```json\n([\s\S]*?)^```$/m.exec(own)?.[1];
    assert.ok(example, `the ${field.name} subsection shows the catalogue's example`);
    assert.deepEqual(JSON.parse(example), JSON.parse(String(json.example)));
    assert.ok(json['x-json'], `${field.name} has an x-json schema`);
    for (const inner of jsonFields(json['x-json'], jsonPrefix[field.name] ?? '')) {
      const innerLine = row(own, inner.name);
      const innerCells = innerLine.split(' | ');
      checkTypeCell(innerCells[1], inner.schema, innerLine);
      assert.ok(innerCells[2].startsWith(inner.required ? '是' : '否'), `${inner.name} is ${inner.required ? '' : 'not '}required: ${innerLine}`);
      if (inner.schema.description) assert.ok(innerCells[3].includes(inner.schema.description), `${inner.name} gives its description: ${innerLine}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

interface PageCase {
  endpoint: string;
  title: string;
  chained: string;
  /** Whether the endpoint needs mutual TLS, so every snippet must send `security: true`. */
  security: boolean;
  /** The string fields a snippet's run replaces, so that each run is a new order or refund. */
  values: (index: number) => Fields;
  /** What the run must answer; `paid` is the payment made beforehand for the order. */
  check: (data: Fields, values: Fields, paid: Fields) => void;
  /** The catalogue describes one element of promotion_detail's list: its rows are `promotion_detail[].…`. */
  jsonPrefix?: Record<string, string>;
}

const PAGES: PageCase[] = [
  {
    endpoint: 'pay/micropay',
    title: '提交付款码支付 · Pay with the payer\'s payment code (micropay)',
    chained: 'wxpay.v2.pay.micropay',
    security: false,
    values: (index) => ({ out_trade_no: `DOCS-MICROPAY-${index}` }),
    check: (data, values) => {
      assert.deepEqual(
        [data.return_code, data.result_code, data.trade_type, data.out_trade_no, data.total_fee, data.mch_id],
        ['SUCCESS', 'SUCCESS', 'MICROPAY', values.out_trade_no, '888', '1900000001'],
      );
      assert.match(data.transaction_id, /^4200000\d{21}$/);
    },
    jsonPrefix: { promotion_detail: 'promotion_detail[].' },
  },
  {
    endpoint: 'secapi/pay/refund',
    title: '申请退款 · Refund a payment',
    chained: 'wxpay.v2.secapi.pay.refund',
    security: true,
    values: (index) => ({ out_trade_no: `DOCS-REFUND-${index}`, out_refund_no: `DOCS-REFUND-R${index}` }),
    check: (data, values, paid) => {
      assert.deepEqual(
        [data.return_code, data.result_code, data.out_trade_no, data.out_refund_no, data.transaction_id, data.refund_fee, data.total_fee],
        ['SUCCESS', 'SUCCESS', values.out_trade_no, values.out_refund_no, paid.transaction_id, '888', '888'],
      );
      assert.match(data.refund_id, /^5030000\d{21}$/);
    },
  },
];

describe('the APIv2 reference pages', () => {
  let sandbox: sandboxEntry.Sandbox;
  let wxpay: wechatpay.Wechatpay;
  const diagnostics = new Map<string, string>();
  const pages = PAGES.map((spec) => ({ spec, page: readPage('openapi', 'v2', `${spec.endpoint}.md`) }));
  const fileOf = (endpoint: string, kind: 'tab' | 'block', index: number) => join(SNIPPET_DIR, endpoint.replaceAll('/', '-'), `${kind}-${index}.ts`);

  /** Pays an order at the sandbox, as the till would have before the refund. */
  const pay = async (out_trade_no: string, total_fee = 888, auth_code = '134567890123456789'): Promise<Fields> => {
    const { data } = await wxpay.v2.pay.micropay.post({ xml: { appid: APPID, mch_id: sandbox.mchid, body: 'docs', out_trade_no, total_fee, spbill_create_ip: '127.0.0.1', auth_code } });
    return data;
  };

  before(async () => {
    const files = new Map<string, string>();
    for (const { spec, page } of pages) {
      const { tabs, others } = blocksOf(page);
      tabs.forEach((block, index) => files.set(fileOf(spec.endpoint, 'tab', index), block.code));
      others.forEach((block, index) => files.set(fileOf(spec.endpoint, 'block', index), block.code));
    }
    for (const [file, result] of typeCheck(files)) diagnostics.set(file, result);
    sandbox = await sandboxEntry.Sandbox.start({ tls: true });
    wxpay = new wechatpay.Wechatpay(sandbox.clientOptions);
  });
  after(() => sandbox?.close());

  for (const { spec, page } of pages) {
    const { tabs, others } = blocksOf(page);
    const paths = pathStyles(spec.chained, `v2/${spec.endpoint}`);

    describe(`POST /${spec.endpoint}`, () => {
      it('opens with front matter that gives a title and a description', () => {
        const front = /^---\n([\s\S]*?)\n---\n/.exec(page);
        assert.ok(front, 'the page starts with YAML front matter');
        const { title, description } = parse(front[1]) as { title?: unknown; description?: unknown };
        assert.equal(title, spec.title);
        assert.equal(typeof description, 'string');
        assert.ok(String(description).startsWith(`POST /${spec.endpoint}: `));
        assert.ok(page.includes(`\n# ${spec.title}\n`), 'the title is the page heading');
      });

      it('shows the call in a code group of exactly the six documented styles, in order', () => {
        assert.deepEqual(tabs.map(({ label }) => label), LABELS);
      });

      for (const [index, label] of LABELS.entries()) {
        const path = paths[index];
        const tab = () => {
          assert.equal(tabs[index]?.label, label);
          return tabs[index];
        };

        it(`writes the [${label}] snippet with its own path style, .post(, xml${spec.security ? ', security: true' : ''} and the import of wechatpay-ts`, () => {
          const { code } = tab();
          assert.ok(code.startsWith("import { Wechatpay } from 'wechatpay-ts';\n"), code);
          assert.ok(code.includes(`${path}.post({\n`), `uses ${path}.post(`);
          for (const other of new Set(paths)) if (other !== path) assert.ok(!code.includes(other), `does not also use ${other}`);
          assert.match(code, /^\s+xml: \{$/m);
          assert.equal(/^\s+security: true,/m.test(code), spec.security, `security: true ${spec.security ? 'is' : 'is not'} sent`);
          assert.equal(/merchant: \{/.test(code), spec.security, `the client ${spec.security ? 'holds' : 'needs no'} merchant certificate`);
          if (label.endsWith('promise')) assert.match(code, /const \{ data \} = await wxpay/);
          else assert.match(code, /\}, \(err, res\) => \{/);
        });

        it(`type-checks the [${label}] snippet against the real API with no diagnostics`, () => {
          tab();
          assert.equal(diagnostics.get(fileOf(spec.endpoint, 'tab', index)), '');
        });

        it(`answers SUCCESS when the [${label}] snippet runs against the sandbox in TLS mode`, { timeout: 5000 }, async () => {
          const values = spec.values(index);
          const paid = spec.security ? await pay(values.out_trade_no) : {};
          const recorder = recordingConsole();
          execute(againstSandbox(tab().code, values), { console: recorder.console, sandboxOptions: sandbox.clientOptions });
          const { level, args } = await recorder.first;
          assert.equal(level, 'log', `the snippet reported an error: ${inspect(args[0])}`);
          spec.check(args[0] as Fields, values, paid);
          const received = sandbox.requests[sandbox.requests.length - 1];
          assert.deepEqual([received.target, received.authorized, received.api], [`/${spec.endpoint}`, true, 'v2']);
        });
      }

      it('type-checks its other TypeScript blocks with no diagnostics', () => {
        assert.equal(others.length, 2, 'one error-handling block and one offline block outside the code group');
        others.forEach((_, index) => assert.equal(diagnostics.get(fileOf(spec.endpoint, 'block', index)), ''));
      });

      it('runs its offline snippet on a TLS sandbox of its own', { timeout: 5000 }, async () => {
        const recorder = recordingConsole();
        execute(only(others, "from 'wechatpay-ts/sandbox'").code, { console: recorder.console });
        const { level, args } = await recorder.first;
        assert.equal(level, 'log', `the snippet reported an error: ${inspect(args[0])}`);
        const data = args[0] as Fields;
        assert.deepEqual([data.return_code, data.result_code], ['SUCCESS', 'SUCCESS']);
        assert.match(only(others, "from 'wechatpay-ts/sandbox'").code, /Sandbox\.start\(\{ tls: true \}\)/);
      });

      it('quotes only real ErrorCode values, and every code an APIv2 call can end with', () => {
        const errors = section(page, '错误 · Errors');
        const quoted = new Set([...errors.matchAll(/'(ERR_[A-Z_]+)'/g)].map(([, code]) => code));
        const real = new Set<string>(Object.values(wechatpay.ErrorCode));
        for (const code of quoted) assert.ok(real.has(code), `${code} is an ErrorCode value`);
        assert.deepEqual([...quoted].sort(), [...V2_CODES].sort());
        for (const name of Object.keys(wechatpay.ErrorCode)) {
          const mentioned = errors.includes(`ErrorCode.${name}\``);
          assert.equal(mentioned, V2_CODES.has(wechatpay.ErrorCode[name as keyof typeof wechatpay.ErrorCode]), `ErrorCode.${name} is named exactly when it can arise`);
        }
        for (const phrase of ["`apiCode` | `apiMessage`", "`'FAIL'`", '`err.response.data`']) assert.ok(errors.includes(phrase), `the errors section explains ${phrase}`);
      });

      describe('against the catalogue entry', () => {
        const { operation, request, layers } = loadOperation(join('v2', spec.endpoint));

        it('names the method and path, the summary, the description, the tag, mutual TLS and the last update', () => {
          const head = page.split(/^## /m)[0];
          const texts = [`\`POST /${spec.endpoint}\``, `# ${operation.summary} · `, operation.description.split('[')[0], ...operation.tags];
          if (operation['x-last-updated-at'] !== undefined) texts.push(operation['x-last-updated-at']);
          for (const text of texts) assert.ok(head.includes(text), `the opening names ${text}`);
          const tls = head.split('\n').find((line) => line.startsWith('| 双向 TLS · Mutual TLS |'));
          assert.ok(tls, 'the opening says whether mutual TLS is needed');
          assert.equal(tls.includes('**required**'), operation['x-api-cert-required'] === true, tls);
        });

        it('lists every request field with its type, whether it is required, its description and its example', () => {
          checkTable(section(page, '请求 · Request'), topFields([request]), false);
        });

        it('lists every answer field of every layer, with the layer that requires it', () => {
          checkTable(section(page, '应答 · Response'), topFields(layers), true, spec.jsonPrefix);
        });

        it('links the official APIv2 documentation centre', () => {
          assert.ok(section(page, '官方文档').includes('(https://pay.weixin.qq.com/wiki/doc/api/index.html)'));
        });
      });
    });
  }

  describe('the error-handling snippets', () => {
    const micropayBlocks = blocksOf(pages[0].page).others;
    const refundBlocks = blocksOf(pages[1].page).others;
    const order = (out_trade_no: string, auth_code: string): Fields => ({ appid: APPID, mch_id: '1900000001', body: 'docs', out_trade_no, total_fee: '1', spbill_create_ip: '127.0.0.1', auth_code });
    const targets = (from: number) => sandbox.requests.slice(from).map(({ target, authorized }) => `${target}${authorized ? '' : ' (refused)'}`);

    type Collect = (wxpay: wechatpay.Wechatpay, xml: Fields, options?: { tries?: number; interval?: number }) => Promise<Fields>;
    type Refund = (wxpay: wechatpay.Wechatpay, xml: Fields, attempts?: number) => Promise<Fields>;

    /** The order states `/pay/orderquery` reports for an out_trade_no, one per query; the last one repeats. */
    const states = new Map<string, string[]>();
    before(() => {
      sandbox.routeV2({
        path: '/pay/orderquery',
        handle: (fields) => {
          const queue = states.get(fields.out_trade_no) ?? ['NOTPAY'];
          const trade_state = queue.length > 1 ? (queue.shift() as string) : queue[0];
          return { appid: fields.appid, mch_id: fields.mch_id, result_code: 'SUCCESS', out_trade_no: fields.out_trade_no, trade_state };
        },
      });
      sandbox.routeV2({ path: '/secapi/pay/reverse', handle: (fields) => ({ appid: fields.appid, mch_id: fields.mch_id, result_code: 'SUCCESS', recall: 'N' }) });
    });

    it('collect() returns a payment that went through at once, without polling', async () => {
      const { collect } = execute(only(micropayBlocks, 'export async function collect').code, { console: recordingConsole().console }) as { collect: Collect };
      const from = sandbox.requests.length;
      const data = await collect(wxpay, order('DOCS-COLLECT-NOW', '134567890123456789'), { interval: 0 });
      assert.equal(data.result_code, 'SUCCESS');
      assert.deepEqual(targets(from), ['/pay/micropay']);
    });

    it('collect() reads the verified USERPAYING answer and polls orderquery until the payer confirms', async () => {
      const recorder = recordingConsole();
      const { collect } = execute(only(micropayBlocks, 'export async function collect').code, { console: recorder.console }) as { collect: Collect };
      states.set('DOCS-COLLECT-WAIT', ['USERPAYING', 'SUCCESS']);
      const from = sandbox.requests.length;
      const data = await collect(wxpay, order('DOCS-COLLECT-WAIT', '134567890123450000'), { interval: 0 });
      assert.deepEqual([data.trade_state, data.out_trade_no], ['SUCCESS', 'DOCS-COLLECT-WAIT']);
      assert.deepEqual(recorder.calls[0].args, ['waiting for the payer', 'USERPAYING', sandboxEntry.AUTH_CODE_OUTCOMES['0000'].err_code_des]);
      assert.deepEqual(targets(from), ['/pay/micropay', '/pay/orderquery', '/pay/orderquery']);
    });

    it('collect() reverses over mutual TLS an order the payer never confirms, and rejects', async () => {
      const { collect } = execute(only(micropayBlocks, 'export async function collect').code, { console: recordingConsole().console }) as { collect: Collect };
      states.set('DOCS-COLLECT-GONE', ['USERPAYING']);
      const from = sandbox.requests.length;
      await assert.rejects(collect(wxpay, order('DOCS-COLLECT-GONE', '134567890123450000'), { tries: 3, interval: 0 }), /DOCS-COLLECT-GONE was not paid; it has been reversed/);
      assert.deepEqual(targets(from), ['/pay/micropay', '/pay/orderquery', '/pay/orderquery', '/pay/orderquery', '/secapi/pay/reverse']);
    });

    it('collect() passes on a refusal that cannot complete later (NOTENOUGH) without polling', async () => {
      const { collect } = execute(only(micropayBlocks, 'export async function collect').code, { console: recordingConsole().console }) as { collect: Collect };
      const from = sandbox.requests.length;
      await assert.rejects(collect(wxpay, order('DOCS-COLLECT-POOR', '134567890123458888'), { interval: 0 }), (error) => error instanceof wechatpay.ApiError && error.apiCode === 'NOTENOUGH');
      assert.deepEqual(targets(from), ['/pay/micropay']);
    });

    it('refund() reports a refused refund, a forged answer and a client without the certificate with the fields the page names', async () => {
      const recorder = recordingConsole();
      const { refund } = execute(only(refundBlocks, 'export async function refund').code, { console: recorder.console }) as { refund: Refund };
      await pay('DOCS-REFUND-ERRORS', 100);
      const xml = { appid: APPID, mch_id: sandbox.mchid, out_trade_no: 'DOCS-REFUND-ERRORS', out_refund_no: 'DOCS-REFUND-ERRORS-1', total_fee: '100', refund_fee: '100' };
      assert.equal((await refund(wxpay, xml)).result_code, 'SUCCESS');

      await assert.rejects(refund(wxpay, { ...xml, out_refund_no: 'DOCS-REFUND-ERRORS-2', refund_fee: '101' }), (error) => error instanceof wechatpay.ApiError && error.apiCode === 'INVALID_REQUEST');
      assert.deepEqual(recorder.calls[0], { level: 'error', args: [200, 'INVALID_REQUEST', '退款金额大于支付金额'] });

      sandbox.inject({ type: 'v2-bad-sign' });
      await assert.rejects(refund(wxpay, { ...xml, out_refund_no: 'DOCS-REFUND-ERRORS-3' }), (error) => error instanceof wechatpay.VerificationError);
      assert.deepEqual(recorder.calls[1].args, ['unverified answer', 'ERR_WECHATPAY_BAD_SIGNATURE']);

      const { mchid, secret, baseURL, httpsAgent } = sandbox.clientOptions;
      const noCertificate = new wechatpay.Wechatpay({ mchid, secret, baseURL, httpsAgent });
      await assert.rejects(refund(noCertificate, xml), (error) => error instanceof wechatpay.OptionError);
      assert.deepEqual(recorder.calls[2].args, ['bad options', 'ERR_WECHATPAY_INVALID_OPTION']);
    });

    it('refund() sends the same out_refund_no again after SYSTEMERROR, and returns the accepted refund', async () => {
      const { refund } = execute(only(refundBlocks, 'export async function refund').code, { console: recordingConsole().console }) as { refund: Refund };
      const flaky = await sandboxEntry.Sandbox.start({ tls: true });
      try {
        const seen: string[] = [];
        flaky.routeV2({
          path: '/secapi/pay/refund',
          handle: (fields) => {
            seen.push(fields.out_refund_no);
            const base = { appid: fields.appid, mch_id: fields.mch_id };
            if (seen.length === 1) return { ...base, result_code: 'FAIL', err_code: 'SYSTEMERROR', err_code_des: '系统超时' };
            return { ...base, result_code: 'SUCCESS', out_refund_no: fields.out_refund_no, refund_id: '50300000000000000000000000001' };
          },
        });
        const data = await refund(new wechatpay.Wechatpay(flaky.clientOptions), { appid: APPID, mch_id: flaky.mchid, out_trade_no: 'T', out_refund_no: 'DOCS-RETRY', total_fee: '1', refund_fee: '1' });
        assert.equal(data.result_code, 'SUCCESS');
        assert.deepEqual(seen, ['DOCS-RETRY', 'DOCS-RETRY']);
      } finally {
        await flaky.close();
      }
    });
  });

  it('shows the micropay sandbox outcomes as AUTH_CODE_OUTCOMES defines them', () => {
    const offline = section(pages[0].page, '离线试用');
    for (const [suffix, { err_code, err_code_des }] of Object.entries(sandboxEntry.AUTH_CODE_OUTCOMES)) {
      assert.equal(row(offline, suffix), `| \`${suffix}\` | \`${err_code}\` | ${err_code_des} |`);
    }
  });
});

describe('the relative links of the APIv2 pages', () => {
  for (const path of [['openapi', 'v2', 'pay', 'micropay.md'], ['openapi', 'v2', 'secapi', 'pay', 'refund.md'], ['guide', 'apiv2.md']]) {
    it(`resolves every relative link of docs/${path.join('/')} to a file`, () => {
      const page = readPage(...path);
      const links = [...page.matchAll(/\]\((\.{1,2}\/[^)#]+)(?:#[^)]*)?\)/g)].map(([, target]) => target);
      assert.ok(links.length > 0);
      for (const target of links) assert.ok(existsSync(join(ROOT, 'docs', ...path.slice(0, -1), target)), `${target} exists`);
    });
  }
});

// ---------------------------------------------------------------------------------------------

describe('the APIv2 guide', () => {
  const guide = readPage('guide', 'apiv2.md');
  const blocks = tsBlocks(guide);
  const fileOf = (index: number) => join(SNIPPET_DIR, 'guide', `block-${index}.ts`);
  /** Free variables the blocks may use without declaring them; none so far, each declares its own. */
  const PREAMBLE = '';
  let sandbox: sandboxEntry.Sandbox;
  let wxpay: wechatpay.Wechatpay;
  const exported = <T>(marker: string, scope: Record<string, unknown> = {}): T => execute(only(blocks, marker).code, { console: recordingConsole().console, ...scope }) as T;

  before(async () => {
    sandbox = await sandboxEntry.Sandbox.start({ tls: true });
    wxpay = new wechatpay.Wechatpay(sandbox.clientOptions);
  });
  after(() => sandbox?.close());

  it('type-checks every TypeScript block against the real API with no diagnostics', () => {
    assert.ok(blocks.length >= 8, `the guide has its blocks (${blocks.length})`);
    const diagnostics = typeCheck(new Map(blocks.map((block, index) => [fileOf(index), `${PREAMBLE}${block.code}`])));
    blocks.forEach((_, index) => assert.equal(diagnostics.get(fileOf(index)), '', blocks[index].code));
  });

  it('covers configuration, the call options, signing, FAIL answers, bills, XML parsing, notifications and the sandbox', () => {
    for (const heading of ['配置', '调用选项', '签名', '失败的应答', '不签名的应答与账单', '安全的 XML 解析', '通知 {#notifications}', '离线测试']) section(guide, heading);
    for (const option of ['xml', 'nonceless', 'security']) row(section(guide, '调用选项'), option);
    assert.ok(section(guide, '通知').includes('(../../README.md#apiv2-notifications)'));
    const quoted = [...guide.matchAll(/`(ERR_[A-Z_]+)`/g)].map(([, code]) => code);
    for (const code of quoted) assert.ok(new Set<string>(Object.values(wechatpay.ErrorCode)).has(code), `${code} is an ErrorCode value`);
  });

  it('refunds through the call-options snippet over mutual TLS', async () => {
    const { refundInFull } = exported<{ refundInFull: (wxpay: wechatpay.Wechatpay, outTradeNo: string, amount: number) => Promise<Fields> }>('refundInFull');
    const data = await refundInFull(wxpay, 'DOCS-GUIDE-1', 1);
    assert.deepEqual([data.result_code, data.out_refund_no, data.refund_fee], ['SUCCESS', 'RDOCS-GUIDE-1', '1']);
  });

  it('signs and verifies with HMAC-SHA256 in the signing snippet', () => {
    const { ok } = exported<{ ok: boolean }>('signV2(', { secret: sandbox.apiv2Secret });
    assert.equal(ok, true);
  });

  it('keeps the verified USERPAYING answer in the FAIL snippet', async () => {
    const recorder = recordingConsole();
    const { pay } = execute(only(blocks, 'export async function pay').code, { console: recorder.console }) as { pay: (wxpay: wechatpay.Wechatpay, xml: Fields) => Promise<Fields | undefined> };
    const xml = { appid: APPID, mch_id: sandbox.mchid, body: 'docs', out_trade_no: 'DOCS-GUIDE-WAIT', total_fee: '1', spbill_create_ip: '127.0.0.1', auth_code: '134567890123450000' };
    assert.equal(await pay(wxpay, xml), undefined);
    assert.deepEqual(recorder.calls[0].args, ['the payer is confirming', '需要用户输入支付密码']);
    assert.equal((await pay(wxpay, { ...xml, out_trade_no: 'DOCS-GUIDE-PAID', auth_code: '134567890123456789' }))?.result_code, 'SUCCESS');
  });

  it('downloads and gunzips a bill in the bill snippet', async () => {
    const { tradeBill } = exported<{ tradeBill: (wxpay: wechatpay.Wechatpay, billDate: string) => Promise<string[]> }>('gunzipSync');
    const lines = await tradeBill(wxpay, '20261124');
    assert.ok(lines[0].startsWith('交易时间,'), lines[0]);
    assert.ok(lines.length >= 4);
  });

  it('keeps values as the exact strings in the parsing snippet', () => {
    const { amount, xml } = exported<{ amount: string; xml: string }>('Transformer.toObject');
    assert.equal(amount, '0888');
    assert.equal(xml, '<xml><body><![CDATA[A&B]]></body><total_fee>1</total_fee></xml>');
  });

  it('decrypts a refund notification in the notification snippet', () => {
    const recorder = recordingConsole();
    const secret = sandbox.apiv2Secret;
    const { onRefundNotification } = execute(only(blocks, 'onRefundNotification').code, { console: recorder.console, process: { env: { WECHATPAY_V2_KEY: secret } } }) as {
      onRefundNotification: (body: Buffer) => string;
    };
    const reqInfo = wechatpay.AesEcb.encrypt('<root><out_refund_no>R1</out_refund_no><refund_status>SUCCESS</refund_status></root>', wechatpay.Hash.md5(secret));
    const body = Buffer.from(wechatpay.Transformer.toXml({ return_code: 'SUCCESS', appid: APPID, mch_id: sandbox.mchid, nonce_str: 'n', req_info: reqInfo }));
    assert.equal(onRefundNotification(body), wechatpay.v2NotificationAnswer(true));
    assert.deepEqual(recorder.calls[0].args, ['R1', 'SUCCESS']);
  });

  it('answers SUCCESS from the orderquery route in the offline snippet', { timeout: 5000 }, async () => {
    const { userpayingOffline } = exported<{ userpayingOffline: () => Promise<string | undefined> }>('userpayingOffline');
    assert.equal(await userpayingOffline(), 'SUCCESS');
  });
});
