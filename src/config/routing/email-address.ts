// Deliberately loose address checks: catch typos and placeholders gone wrong, leave the rest to the SMTP server.

const ADDRESS = /^[^\s@<>",;:]+@[^\s@<>",;:.][^\s@<>",;:]*$/;

/** `h.baker@hertie-school.org`: one `@`, something on each side, no spaces, brackets, quotes, commas. */
export function isEmailAddress(text: string): boolean {
  return ADDRESS.test(text) && !text.includes('..') && !text.endsWith('.');
}

/** An address, or `Display Name <address>` (for `from:`). */
export function isMailbox(text: string): boolean {
  const named = /^[^<>]*<([^<>]+)>$/.exec(text.trim());
  return named === null ? isEmailAddress(text.trim()) : isEmailAddress(named[1] ?? '');
}
