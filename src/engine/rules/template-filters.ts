// Formatting filters of the rule template language: `{{facts.idleMinutes | minutes}}`, `{{facts.owner | default "owner unknown"}}`.
import { formatDurationHours, formatDurationMinutes, formatDurationSeconds } from '../../format/duration-words.ts';
import { formatNumber, formatPercent } from '../../format/human-number.ts';
import { didYouMean } from './suggest.ts';

/** Every filter a placeholder may pipe its value through, with what it does (for errors and rules/README.md). */
export const TEMPLATE_FILTERS = {
  seconds: 'a number of seconds as a duration in words: "2 min 50 s"',
  minutes: 'a number of minutes as a duration in words: "1 h 5 min"',
  hours: 'a number of hours as a duration in words: "7 d 13 h"',
  number: 'a number rounded for reading: "1.71", "12.3", "171"',
  percent: 'a number in percent, rounded, with "%": "87%", "2.5%"',
  default: 'the quoted text when the value is unknown (null or missing): default "owner unknown"',
} as const;

/** The name of one of TEMPLATE_FILTERS. */
export type TemplateFilterName = keyof typeof TEMPLATE_FILTERS;

/** One `| name` or `| default "text"` step of a placeholder. */
export interface TemplateFilter {
  name: TemplateFilterName;
  /** The quoted argument (only `default` takes one). */
  arg: string | null;
}

const STEP = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:"((?:[^"\\]|\\.)*)")?\s*$/;
const NAMES = Object.keys(TEMPLATE_FILTERS) as TemplateFilterName[];
const FILTER_FORMS = `filters are ${NAMES.map((n) => (n === 'default' ? 'default "TEXT"' : n)).join(', ')}`;

function isFilterName(name: string): name is TemplateFilterName {
  return Object.hasOwn(TEMPLATE_FILTERS, name);
}

/** Parse one filter step (the text between two `|`); an unknown name or a wrong argument is an error message. */
export function parseFilter(step: string, placeholder: string): { ok: true; filter: TemplateFilter } | { ok: false; error: string } {
  const m = STEP.exec(step);
  const name = m?.[1];
  if (m === null || name === undefined) return { ok: false, error: `malformed filter "${step.trim()}" in ${placeholder}: ${FILTER_FORMS}` };
  if (!isFilterName(name)) return { ok: false, error: `unknown filter "${name}" in ${placeholder}${didYouMean(name, NAMES)}; ${FILTER_FORMS}` };
  const arg = m[2] === undefined ? null : m[2].replace(/\\(.)/g, '$1');
  if (name === 'default' && arg === null) return { ok: false, error: `filter "default" in ${placeholder} needs a quoted text: default "owner unknown"` };
  if (name !== 'default' && arg !== null) return { ok: false, error: `filter "${name}" in ${placeholder} takes no argument` };
  return { ok: true, filter: { name, arg } };
}

/** Apply one filter: unit filters change numbers only (anything else passes through), `default` fills null / missing. */
export function applyFilter(value: unknown, filter: TemplateFilter): unknown {
  if (filter.name === 'default') return value === null || value === undefined ? filter.arg : value;
  if (typeof value !== 'number') return value;
  switch (filter.name) {
    case 'seconds':
      return formatDurationSeconds(value);
    case 'minutes':
      return formatDurationMinutes(value);
    case 'hours':
      return formatDurationHours(value);
    case 'number':
      return formatNumber(value);
    case 'percent':
      return formatPercent(value);
  }
}
