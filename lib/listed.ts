/** `a, b and c` (`a, b or c` with `or`), as error messages name what a function takes. */
export function listed(items: readonly string[], conjunction = 'and'): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
