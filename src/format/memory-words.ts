// Memory sizes for people: MiB below a GiB, GiB with as many decimals as the size deserves above.
import { formatNumber } from './human-number.ts';

/** A size in MiB for reading: `512 MiB`, `7.31 GiB`, `79.6 GiB`; null or not finite → `unknown`. */
export function formatMiB(mib: number | null): string {
  if (mib === null || !Number.isFinite(mib)) return 'unknown';
  return Math.abs(mib) < 1024 ? `${Math.round(mib)} MiB` : `${formatNumber(mib / 1024)} GiB`;
}
