import type { z } from 'zod';
import type { ApiIssue } from './errors.ts';

/** The most issues one error reply lists. */
export const MAX_ISSUES = 20;

/** A zod issue path as a dotted string: `['gpus', 0, 'memoryUsedMiB']` → `gpus.0.memoryUsedMiB` (root: ''). */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** Zod issues as API issues: dotted paths, one entry per unknown key, at most `max`. */
export function toApiIssues(issues: readonly z.core.$ZodIssue[], max = MAX_ISSUES): ApiIssue[] {
  const out: ApiIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: dottedPath([...issue.path, key]), message: 'unknown key' });
    } else {
      out.push({ path: dottedPath(issue.path), message: issue.message });
    }
    if (out.length >= max) break;
  }
  return out.slice(0, max);
}
