import { formatKeyPath, problem, sortProblems, type ConfigProblem, type PathSegment } from './config-problem.ts';
import { didYouMean } from './suggest.ts';
import { describeValue } from './values.ts';
import { lineOf, parseYamlSource, type YamlSource } from './yaml-source.ts';

/** The lifecycle limits a user can be exempted from. */
export const EXEMPTION_KINDS = ['idle_timeout_h', 'max_runtime_h'] as const;

/** One lifecycle limit a user can be exempted from. */
export type ExemptionKind = (typeof EXEMPTION_KINDS)[number];

/** One entry of `lifecycle-exemptions.yaml`. */
export interface Exemption {
  username: string;
  exemptFrom: ExemptionKind[];
  /** End of the exemption; null = permanent. */
  expiresAt: Date | null;
  reason: string | null;
  file: string;
  line: number;
}

const ENTRY_KEYS = ['username', 'exempt_from', 'expires_on', 'reason', 'category', 'approved_by', 'approved_on', 'requested_by', 'metadata'];
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const FAIL_OPEN = 'this exemption is ignored (fail open: not exempt)';

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseEntry(src: YamlSource, entry: unknown, i: number, warn: (p: PathSegment[], m: string) => void): Exemption | null {
  const at = (...rest: PathSegment[]): PathSegment[] => ['exemptions', i, ...rest];
  if (!isRecord(entry)) {
    warn(at(), `expected a mapping with username and exempt_from, got ${describeValue(entry)}; ${FAIL_OPEN}`);
    return null;
  }
  for (const key of Object.keys(entry)) {
    if (!ENTRY_KEYS.includes(key)) warn(at(key), `unknown key${didYouMean(key, ENTRY_KEYS)}; it is ignored`);
  }
  const username = entry.username;
  if (typeof username !== 'string' && typeof username !== 'number') {
    warn(at('username'), `expected a user name, got ${describeValue(username)}; ${FAIL_OPEN}`);
    return null;
  }
  const rawKinds = entry.exempt_from;
  if (!Array.isArray(rawKinds)) {
    warn(at('exempt_from'), `expected a list of ${EXEMPTION_KINDS.join(' / ')}, got ${describeValue(rawKinds)}; ${FAIL_OPEN}`);
    return null;
  }
  const exemptFrom: ExemptionKind[] = [];
  rawKinds.forEach((k, j) => {
    const kind = EXEMPTION_KINDS.find((known) => known === k);
    if (kind !== undefined) exemptFrom.push(kind);
    else warn(at('exempt_from', j), `unknown exemption ${describeValue(k)}${typeof k === 'string' ? didYouMean(k, EXEMPTION_KINDS) : ''}; it is ignored (fail open)`);
  });
  const expires = entry.expires_on;
  let expiresAt: Date | null = null;
  if (expires !== null && expires !== undefined) {
    const ms = typeof expires === 'string' && ISO_WITH_ZONE.test(expires.trim()) ? Date.parse(expires.trim()) : Number.NaN;
    if (Number.isNaN(ms)) {
      warn(at('expires_on'), `expected an ISO-8601 time with a zone such as "2026-06-30T23:59:59Z", or null, got ${describeValue(expires)}; ${FAIL_OPEN}`);
      return null;
    }
    expiresAt = new Date(ms);
  }
  const reason = typeof entry.reason === 'string' ? entry.reason : null;
  if (exemptFrom.length === 0) return null;
  return { username: String(username), exemptFrom, expiresAt, reason, file: src.file, line: lineOf(src, at()) ?? 1 };
}

/**
 * Parse `lifecycle-exemptions.yaml` (`exemptions: [{username, exempt_from, expires_on, reason}]`). It fails open,
 * as DS01 does: anything malformed makes that entry (or the whole file) not exempt, and is reported as a warning.
 */
export function parseExemptions(file: string, text: string): { exemptions: Exemption[]; problems: ConfigProblem[] } {
  const src = parseYamlSource(file, text, '1.2');
  const problems: ConfigProblem[] = src.problems.map((p) => ({
    ...p,
    severity: 'warning',
    message: p.severity === 'error' ? `${p.message}; no exemptions apply (fail open)` : p.message,
  }));
  if (!src.ok) return { exemptions: [], problems };
  const warn = (p: PathSegment[], m: string): void => void problems.push(problem('warning', file, lineOf(src, p), formatKeyPath(p), m));
  if (src.value === null) return { exemptions: [], problems };
  if (!isRecord(src.value)) {
    warn([], `expected a mapping with an "exemptions" list, got ${describeValue(src.value)}; no exemptions apply (fail open)`);
    return { exemptions: [], problems };
  }
  for (const key of Object.keys(src.value)) {
    if (key !== 'exemptions') warn([key], `unknown key${didYouMean(key, ['exemptions'])}; it is ignored`);
  }
  const list = src.value.exemptions ?? [];
  if (!Array.isArray(list)) {
    warn(['exemptions'], `expected a list, got ${describeValue(list)}; no exemptions apply (fail open)`);
    return { exemptions: [], problems };
  }
  const exemptions = list.flatMap((entry, i) => parseEntry(src, entry, i, warn) ?? []);
  return { exemptions, problems: sortProblems(problems) };
}

/** The limits `names` (a user's raw and sanitised names) are exempt from at `now`; expired entries count for nothing. */
export function activeExemptionKinds(exemptions: readonly Exemption[], names: readonly string[], now: Date): ExemptionKind[] {
  const kinds = new Set<ExemptionKind>();
  for (const e of exemptions) {
    if (!names.includes(e.username)) continue;
    if (e.expiresAt !== null && now.getTime() >= e.expiresAt.getTime()) continue;
    e.exemptFrom.forEach((k) => kinds.add(k));
  }
  return EXEMPTION_KINDS.filter((k) => kinds.has(k));
}
