// @types/koa 3 names the options of content-disposition 0.5 (`contentDisposition.Options`), but the
// content-disposition 2 that express 5 hoists to the top of node_modules ships its own types, which
// call them `CreateOptions`: without this alias `tsc` (skipLibCheck off) fails inside @types/koa.
export {};

declare module 'content-disposition' {
  export type Options = CreateOptions;
}
