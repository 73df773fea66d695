// The types the generated declarations build on. Hand-written, and the only file of this package
// that is: tools/generate writes every other `.d.ts` here from catalogue/.
//
// This package holds declarations only and imports nothing. The three interfaces below that are
// empty here are filled in by wechatpay-ts, which augments this module with its call options and
// its MediaUpload class, so the package never imports the SDK that depends on it.

/** One method of one catalogue path: the options a call takes and the `data` it answers. */
export interface Operation<Options, Data> {
  options: Options;
  data: Data;
}

/** What every APIv3 call may add to the options its endpoint defines; wechatpay-ts fills it in (axios options, `encrypt`, `decrypt`, headers). */
export interface V3Extra {}

/** What every APIv2 call may add to its `xml`; wechatpay-ts fills it in (axios options, `nonceless`, `security`, headers). */
export interface V2Extra {}

/** A file an upload endpoint takes as `media`; wechatpay-ts fills it in with its `MediaUpload` class. */
export interface MediaUpload {}
