// Proves that the reference page of POST /v3/credit-repayment/partner/contracts/terminate tells
// the truth. Each of its six code-group snippets names its path style, type-checks against lib/
// under strict settings, and terminates a contract when it runs against the sandbox. Its other
// TypeScript blocks type-check and run too, and its tables cover the catalogue entry.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { isScalar, isSeq, parse, parseDocument } from 'yaml';
import * as wechatpay from '../../lib';
import * as sandboxEntry from '../../lib/sandbox';
import { CATALOGUE as CATALOGUE_ROOT } from '../../tools/generate/catalogue';
import { againstSandbox, CODE_GROUP, execute, recordingConsole, ROOT, row, section, tsBlocks, typeCheck, type Block } from '../support/docs-page';

const ENDPOINT = join('v3', 'credit-repayment', 'partner', 'contracts', 'terminate');
const PAGE = join(ROOT, 'docs', 'openapi', `${ENDPOINT}.md`);
const CATALOGUE = join(CATALOGUE_ROOT, `${ENDPOINT}.yaml`);

const CHAINED = 'wxpay.v3.creditRepayment.partner.contracts.terminate';
const DECLARED = "wxpay.chain('v3/credit-repayment/partner/contracts/terminate')";
const BRACKET = "wxpay['v3/credit-repayment/partner/contracts/terminate']";

/** The tabs of the code group, in the order the page shows them, and the path expression each must use. */
const STYLES = [
  { label: 'chained · promise', path: CHAINED },
  { label: 'declared path · promise', path: DECLARED },
  { label: 'bracket path · promise', path: BRACKET },
  { label: 'chained · callback', path: CHAINED },
  { label: 'declared path · callback', path: DECLARED },
  { label: 'bracket path · callback', path: BRACKET },
];

interface Terminated {
  contract_info: { out_contract_code: string; contract_state: string; contract_termination_remark: string };
}

/** Where the in-memory snippets of this page live, for the compiler's module resolution. */
const SNIPPET_DIR = join(ROOT, 'docs', '.page-snippets');

describe('the reference page of POST /v3/credit-repayment/partner/contracts/terminate', () => {
  const page = readFileSync(PAGE, 'utf8');
  const group = CODE_GROUP.exec(page)?.[1] ?? '';
  const tabs = tsBlocks(group);
  const others = tsBlocks(page.replace(CODE_GROUP, ''));
  const snippetFile = (index: number) => join(SNIPPET_DIR, `tab-${index}.ts`);
  const otherFile = (index: number) => join(SNIPPET_DIR, `block-${index}.ts`);
  const tab = (label: string): Block => {
    const found = tabs.find((block) => block.label === label);
    assert.ok(found, `the code group has a [${label}] tab`);
    return found;
  };
  const block = (marker: string): Block => {
    const found = others.find(({ code }) => code.includes(marker));
    assert.ok(found, `the page has a TypeScript block with ${marker}`);
    return found;
  };

  let diagnostics: Map<string, string>;
  let sandbox: sandboxEntry.Sandbox;
  before(async () => {
    diagnostics = typeCheck(new Map([...tabs.map((b, i) => [snippetFile(i), b.code] as const), ...others.map((b, i) => [otherFile(i), b.code] as const)]));
    sandbox = await sandboxEntry.Sandbox.start();
  });
  after(() => sandbox?.close());

  it('opens with front matter that gives a title and a description', () => {
    const front = /^---\n([\s\S]*?)\n---\n/.exec(page);
    assert.ok(front, 'the page starts with YAML front matter');
    const { title, description } = parse(front[1]) as { title?: unknown; description?: unknown };
    assert.equal(title, '解除自动还款协议 · Terminate an automatic-repayment contract');
    assert.equal(typeof description, 'string');
  });

  it('shows the call in a code group of exactly the six documented styles, in order', () => {
    assert.deepEqual(tabs.map(({ label }) => label), STYLES.map(({ label }) => label));
  });

  for (const [index, { label, path }] of STYLES.entries()) {
    it(`writes the [${label}] snippet with its own path style, .post( and the import of wechatpay-ts`, () => {
      const { code } = tab(label);
      assert.ok(code.startsWith("import { Wechatpay } from 'wechatpay-ts';\n"), code);
      assert.ok(code.includes(`${path}.post(`), `uses ${path}.post(`);
      for (const other of new Set(STYLES.map((style) => style.path))) {
        if (other !== path) assert.ok(!code.includes(other), `does not also use ${other}`);
      }
      if (label.endsWith('promise')) assert.match(code, /const \{ data \} = await wxpay/);
      else assert.match(code, /\}, \(err, res\) => \{/);
    });

    it(`type-checks the [${label}] snippet against the real API with no diagnostics`, () => {
      tab(label);
      assert.equal(diagnostics.get(snippetFile(tabs.findIndex((b) => b.label === label))), '');
    });

    it(`terminates a contract when the [${label}] snippet runs against the sandbox`, { timeout: 5000 }, async () => {
      const code = `DOCS-TERMINATE-${index}`;
      const recorder = recordingConsole();
      execute(againstSandbox(tab(label).code, { out_contract_code: code }), { console: recorder.console, sandboxOptions: sandbox.clientOptions });
      const { level, args } = await recorder.first;
      assert.equal(level, 'log', `the snippet reported an error: ${inspect(args[0])}`);
      const { contract_info } = args[0] as Terminated;
      assert.deepEqual(
        [contract_info.out_contract_code, contract_info.contract_state, contract_info.contract_termination_remark],
        [code, 'CONTRACT_STATE_TERMINATED', 'example_contract_termination_remark'],
      );
    });
  }

  it('type-checks its error-handling and offline snippets against the real API with no diagnostics', () => {
    assert.equal(others.length, 2, 'one error-handling block and one offline block outside the code group');
    others.forEach((_, index) => assert.equal(diagnostics.get(otherFile(index)), ''));
  });

  it('reports a refused and a forged answer through the error-handling snippet with the fields the page names', { timeout: 5000 }, async () => {
    const recorder = recordingConsole();
    const { terminate } = execute(block('instanceof ApiError').code, { console: recorder.console }) as {
      terminate: (wxpay: wechatpay.Wechatpay, outContractCode: string, remark: string) => Promise<unknown>;
    };
    const wxpay = new wechatpay.Wechatpay(sandbox.clientOptions);
    const data = (await terminate(wxpay, 'DOCS-ERRORS', 'first')) as Terminated;
    assert.equal(data.contract_info.contract_state, 'CONTRACT_STATE_TERMINATED');

    await assert.rejects(terminate(wxpay, 'DOCS-ERRORS', 'again'), (error) => error instanceof wechatpay.ApiError && error.code === wechatpay.ErrorCode.API_ERROR);
    const [status, apiCode, apiMessage, , requestId] = recorder.calls[0].args;
    assert.deepEqual([recorder.calls[0].level, status, apiCode, typeof apiMessage], ['error', 400, 'INVALID_REQUEST', 'string']);
    assert.match(String(requestId), /^[0-9a-f-]{36}$/);

    sandbox.inject({ type: 'tampered-body' });
    await assert.rejects(terminate(wxpay, 'DOCS-ERRORS-FORGED', 'r'), (error) => error instanceof wechatpay.VerificationError && error.code === wechatpay.ErrorCode.BAD_SIGNATURE);
    assert.deepEqual(recorder.calls[1].args, ['unverified answer', 'ERR_WECHATPAY_BAD_SIGNATURE']);
  });

  it('terminates a contract on a sandbox of its own when the offline snippet runs', { timeout: 5000 }, async () => {
    const recorder = recordingConsole();
    execute(block("from 'wechatpay-ts/sandbox'").code, { console: recorder.console });
    const { level, args } = await recorder.first;
    assert.equal(level, 'log', `the snippet reported an error: ${inspect(args[0])}`);
    assert.equal((args[0] as Terminated).contract_info.contract_state, 'CONTRACT_STATE_TERMINATED');
  });

  it('quotes the real ErrorCode values, and every code a call can end with', () => {
    const errors = section(page, '错误 · Errors');
    const quoted = new Set([...errors.matchAll(/'(ERR_WECHATPAY_[A-Z_]+)'/g)].map(([, code]) => code));
    const real = new Set<string>(Object.values(wechatpay.ErrorCode));
    for (const code of quoted) assert.ok(real.has(code), `${code} is an ErrorCode value`);
    // Every code a plain APIv3 call can end with; the toolkit's and the certificate manager's own do not arise here.
    const { INVALID_OPTION, TEMPLATE_VARIABLE, INCOMPLETE_HEADERS, CLOCK_SKEW, UNKNOWN_SERIAL, BAD_SIGNATURE, SIGNATURE_PROBE, API_ERROR, MALFORMED_BODY } = wechatpay.ErrorCode;
    for (const code of [INVALID_OPTION, TEMPLATE_VARIABLE, INCOMPLETE_HEADERS, CLOCK_SKEW, UNKNOWN_SERIAL, BAD_SIGNATURE, SIGNATURE_PROBE, API_ERROR, MALFORMED_BODY]) {
      assert.ok(quoted.has(code), `the page names ${code}`);
    }
  });

  describe('against the catalogue entry', () => {
    interface Schema {
      type?: string;
      format?: string;
      description?: string;
      example?: string | number | boolean;
      enum?: string[];
      required?: string[];
      properties?: Record<string, Schema>;
    }
    interface Operation {
      'x-last-updated-at': unknown;
      'x-role': string[];
      summary: string;
      description: string;
      parameters: Array<{ in: string; schema: Schema }>;
      responses: Record<string, { schema: Schema }>;
    }
    type Path = Array<string | number>;
    const document = parseDocument(readFileSync(CATALOGUE, 'utf8'));
    const operation = (document.toJS() as { post: Operation }).post;

    /** Every field under `schema`, nested ones with dotted names, with where it sits in the file. */
    function* fields(schema: Schema, at: Path, prefix = ''): Generator<{ name: string; schema: Schema; at: Path; required: boolean }> {
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        const name = prefix === '' ? key : `${prefix}.${key}`;
        const childAt = [...at, 'properties', key];
        yield { name, schema: child, at: childAt, required: schema.required?.includes(key) ?? false };
        yield* fields(child, childAt, name);
      }
    }

    /** The enum values of the field at `at`, with the meaning the catalogue gives in a comment. */
    function enumValues(at: Path): Array<{ value: string; meaning?: string }> {
      const values = document.getIn([...at, 'enum'], true);
      if (!isSeq(values)) return [];
      return values.items.map((item) => {
        assert.ok(isScalar(item));
        return { value: String(item.value), meaning: item.comment?.trim() };
      });
    }

    function checkTable(text: string, schema: Schema, at: Path): void {
      for (const field of fields(schema, at)) {
        const line = row(text, field.name);
        const cells = line.split(' | ');
        assert.ok(cells[1].startsWith(field.schema.type ?? ''), `${field.name} is typed ${String(field.schema.type)}: ${line}`);
        assert.ok(cells[2].startsWith(field.required ? '是' : '否'), `${field.name} is ${field.required ? '' : 'not '}required: ${line}`);
        if (field.schema.description) assert.ok(cells[3].includes(field.schema.description), `${field.name} gives its description: ${line}`);
        if (field.schema.example !== undefined) assert.ok(cells[4].includes(String(field.schema.example)), `${field.name} gives its example: ${line}`);
        for (const { value, meaning } of enumValues(field.at)) {
          const valueRow = row(text, value);
          if (meaning) assert.ok(valueRow.includes(meaning), `${value} gives its meaning ${meaning}: ${valueRow}`);
        }
      }
    }

    it('names the method and path, the summary, the description, the role and the last update', () => {
      const head = page.split(/^## /m)[0];
      for (const text of ['`POST /v3/credit-repayment/partner/contracts/terminate`', `# ${operation.summary}`, String(operation['x-last-updated-at']), ...operation['x-role']]) {
        assert.ok(head.includes(text), `the opening names ${text}`);
      }
      assert.ok(head.includes(operation.description.slice(0, 8)), 'the opening renders the catalogue description');
    });

    it('lists every body field with its type, whether it is required, its description and its example', () => {
      const body = operation.parameters.findIndex((parameter) => parameter.in === 'body');
      checkTable(section(page, '请求 · Request'), operation.parameters[body].schema, ['post', 'parameters', body, 'schema']);
    });

    it('lists every answer field, and every enum value with the meaning the catalogue gives it', () => {
      checkTable(section(page, '应答 · Response'), operation.responses['200'].schema, ['post', 'responses', '200', 'schema']);
    });

    it('links the partner documentation centre of WeChat Pay', () => {
      assert.ok(section(page, '官方文档').includes('(https://pay.weixin.qq.com/doc/v3/partner/4012069852)'));
    });
  });
});
