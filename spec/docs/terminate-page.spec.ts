// Proves that the reference page of POST /v3/credit-repayment/partner/contracts/terminate tells
// the truth. Each of its six code-group snippets names its path style, type-checks against lib/
// under strict settings, and terminates a contract when it runs against the sandbox. Its other
// TypeScript blocks type-check and run too, and its tables cover the catalogue entry.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { compileFunction } from 'node:vm';
import ts from 'typescript';
import { isScalar, isSeq, parse, parseDocument } from 'yaml';
import * as wechatpay from '../../lib';
import * as sandboxEntry from '../../lib/sandbox';

/** build/spec/docs → the repository root. */
const ROOT = join(__dirname, '..', '..', '..');
const ENDPOINT = join('v3', 'credit-repayment', 'partner', 'contracts', 'terminate');
const PAGE = join(ROOT, 'docs', 'openapi', `${ENDPOINT}.md`);
const CATALOGUE = join(ROOT, '..', 'shared', 'openapi', `${ENDPOINT}.yaml`);

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

interface Block {
  label?: string;
  code: string;
}

interface Terminated {
  contract_info: { out_contract_code: string; contract_state: string; contract_termination_remark: string };
}

const FENCE = /^```ts(?: \[([^\]\n]+)\])?\n([\s\S]*?)^```$/gm;
const CODE_GROUP = /^::: code-group\n([\s\S]*?)^:::$/m;

function tsBlocks(markdown: string): Block[] {
  return [...markdown.matchAll(FENCE)].map(([, label, code]) => ({ label, code }));
}

/** The page's sections by their `## ` heading, the heading line included. */
function section(markdown: string, heading: string): string {
  const found = markdown.split(/^(?=## )/m).find((part) => part.startsWith(`## ${heading}`));
  assert.ok(found, `the page has a "## ${heading}" section`);
  return found;
}

/** The table row whose first cell is the code span `name`. */
function row(text: string, name: string): string {
  const found = text.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
  assert.ok(found, `a table row for ${name}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Type-checking: one program for every block of the page, with the snippets held in memory and
// 'wechatpay-ts' mapped onto the sources in lib/.

const SNIPPET_DIR = join(ROOT, 'docs', '.page-snippets');

function compilerOptions(): ts.CompilerOptions {
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    {
      strict: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      module: 'commonjs',
      moduleResolution: 'node10',
      target: 'es2022',
      lib: ['es2022'],
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      baseUrl: ROOT,
      paths: { 'wechatpay-ts': ['lib/index.ts'], 'wechatpay-ts/sandbox': ['lib/sandbox/index.ts'] },
      noEmit: true,
      skipLibCheck: true,
    },
    ROOT,
  );
  assert.deepEqual(errors, []);
  return options;
}

/** Type-checks in-memory files; answers each file's diagnostics, formatted (empty when clean). */
function typeCheck(files: ReadonlyMap<string, string>): Map<string, string> {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const fromDisk = host.getSourceFile.bind(host);
  const exists = host.fileExists.bind(host);
  const read = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = files.get(fileName);
    return text === undefined ? fromDisk(fileName, languageVersion, onError, shouldCreate) : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  host.fileExists = (fileName) => files.has(fileName) || exists(fileName);
  host.readFile = (fileName) => files.get(fileName) ?? read(fileName);
  const program = ts.createProgram([...files.keys()], options, host);
  const format: ts.FormatDiagnosticsHost = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  assert.equal(ts.formatDiagnostics(global, format), '');
  const results = new Map<string, string>();
  for (const fileName of files.keys()) {
    const file = program.getSourceFile(fileName);
    assert.ok(file, `the program holds ${fileName}`);
    results.set(fileName, ts.formatDiagnostics([...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)], format));
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Running: a snippet is transpiled to CommonJS and run with its imports served by the compiled
// lib/, and with a console that records what the snippet reports.

const PAGE_MODULES: Record<string, unknown> = { 'wechatpay-ts': wechatpay, 'wechatpay-ts/sandbox': sandboxEntry };

function requireForPage(id: string): unknown {
  if (!(id in PAGE_MODULES)) throw new Error(`the snippet imports ${id}, which is not a module of this package`);
  return PAGE_MODULES[id];
}

/** Runs a snippet; `scope` names extra variables it sees (console among them). Answers its exports. */
function execute(source: string, scope: Record<string, unknown>): Record<string, unknown> {
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const run = compileFunction(outputText, ['exports', 'require', ...Object.keys(scope)]) as (...args: unknown[]) => void;
  const exports: Record<string, unknown> = {};
  run(exports, requireForPage, ...Object.values(scope));
  return exports;
}

interface ConsoleCall {
  level: 'log' | 'error';
  args: unknown[];
}

/** A console for a snippet: it records every call, and `first` settles on the first one. */
function recordingConsole() {
  const calls: ConsoleCall[] = [];
  let settle: (call: ConsoleCall) => void = () => undefined;
  const first = new Promise<ConsoleCall>((resolve) => (settle = resolve));
  const record = (level: ConsoleCall['level']) => (...args: unknown[]) => {
    const call = { level, args };
    calls.push(call);
    settle(call);
  };
  return { console: { log: record('log'), error: record('error') }, calls, first };
}

/**
 * The snippet as it would run against the sandbox. The argument of `new Wechatpay(…)` becomes the
 * `sandboxOptions` variable, and the `out_contract_code` value becomes `code`, because the sandbox
 * terminates a contract only once. Each must appear exactly once.
 */
function againstSandbox(source: string, code: string): string {
  const file = ts.createSourceFile('snippet.ts', source, ts.ScriptTarget.ES2022, true);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Wechatpay' && node.arguments?.length === 1) {
      edits.push({ start: node.arguments[0].getStart(file), end: node.arguments[0].end, text: 'sandboxOptions' });
    } else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'out_contract_code' && ts.isStringLiteral(node.initializer)) {
      edits.push({ start: node.initializer.getStart(file), end: node.initializer.end, text: JSON.stringify(code) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  assert.deepEqual(edits.map(({ text }) => text).sort(), [JSON.stringify(code), 'sandboxOptions'], 'one new Wechatpay({…}) and one out_contract_code');
  return edits
    .sort((a, b) => b.start - a.start)
    .reduce((text, edit) => text.slice(0, edit.start) + edit.text + text.slice(edit.end), source);
}

// ---------------------------------------------------------------------------------------------

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
      execute(againstSandbox(tab(label).code, code), { console: recorder.console, sandboxOptions: sandbox.clientOptions });
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
    // The crypto toolkit's own codes (invalid argument, decryption) do not arise from this call.
    const { INVALID_ARGUMENT, DECRYPTION_FAILED, ...ofACall } = wechatpay.ErrorCode;
    void [INVALID_ARGUMENT, DECRYPTION_FAILED];
    for (const code of Object.values(ofACall)) assert.ok(quoted.has(code), `the page names ${code}`);
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
