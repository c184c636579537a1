/**
 * Reads the field list from `nvidia-smi --help-query-gpu` (or `--help-query-compute-apps`):
 * a field is a line holding only quoted names, `"name"` or `"name" or "alias"`. Pure, never throws.
 */

/** One queryable field and the alternative names nvidia-smi accepts for it. */
export interface HelpQueryField {
  name: string;
  aliases: string[];
}

const FIELD_LINE = /^"([^"\s]+)"((?:\s+or\s+"[^"\s]+")*)\s*$/;
const QUOTED = /"([^"]+)"/g;

/** Lists the fields a driver's `--help-query-gpu` output documents, in order. */
export function parseHelpQueryFields(text: string): HelpQueryField[] {
  if (typeof text !== 'string') return [];
  const fields: HelpQueryField[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = FIELD_LINE.exec(line.trim());
    if (match === null || match[1] === undefined) continue;
    const aliases = [...(match[2] ?? '').matchAll(QUOTED)].map((m) => m[1] ?? '').filter((a) => a !== '');
    fields.push({ name: match[1], aliases });
  }
  return fields;
}
