// express 4 is installed under the alias `express4` (beside express 5), without types of its own:
// the express 5 declarations describe everything the specs use of it.
declare module 'express4' {
  export { default } from 'express';
}
