/** Parse the `btime <seconds since epoch>` line of /proc/stat; null when absent or junk. Never throws. */
export function parseBootTimeSec(text: string): number | null {
  if (typeof text !== 'string') return null;
  const match = /^btime[\t ]+(\d{1,15})[\t ]*\r?$/m.exec(text);
  if (match?.[1] === undefined) return null;
  const seconds = Number(match[1]);
  return Number.isSafeInteger(seconds) ? seconds : null;
}
