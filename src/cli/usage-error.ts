/** Thrown for a bad command line; main prints the message and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
