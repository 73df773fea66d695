// Vue's SFC compiler for the site, less one cost. @vitejs/plugin-vue keeps every page's parsed
// descriptor, template AST included, until the build ends; with ~1,090 pages of tables and
// highlighted code that is millions of AST nodes, most of the build's memory. A template AST is
// spent once compiled (the compiler marks it `transformed` and parses the source again should
// it be asked twice), so it is emptied right after use.
import * as sfc from 'vue/compiler-sfc';

type TemplateAst = NonNullable<sfc.SFCTemplateCompileOptions['ast']>;

/** Drops what a compiled template AST holds; its `source` stays, for a later parse. */
function empty(ast: TemplateAst): void {
  ast.children = [];
  ast.hoists = [];
  ast.codegenNode = undefined;
}

/** `vue/compiler-sfc`, with template ASTs released once compiled: VitePress's `vue.compiler`. */
export const leanCompiler: typeof sfc = {
  ...sfc,
  compileTemplate(options) {
    const result = sfc.compileTemplate(options);
    if (options.ast) empty(options.ast);
    return result;
  },
};
