/** Thrown when a capture folder cannot be replayed at all (no meta.json, bad JSON). */
export class CaptureFormatError extends Error {
  override name = 'CaptureFormatError';
}
