// Email layout of a message view: a one-line subject, a plain-text body and an HTML body (everything escaped).
import type { EmailMessage } from '../notifier.ts';
import type { SeverityWord } from './severity.ts';
import { escapeHtml, oneLine, truncate } from './text.ts';
import type { MessageView, ViewField, ViewItem } from './view.ts';

/** Subject length cap (RFC 5322 recommends 78 per header line; mail clients show about this much). */
export const SUBJECT_MAX_CHARS = 200;

/** The banner line of a drill message. */
export const EMAIL_TEST_LINE = 'THIS IS A TEST MESSAGE from gpuwarden (gpuwarden notify test): no action needed.';

const WORD_COLOR: Record<SeverityWord, string> = {
  'LIMIT REACHED': '#b00020',
  ALERT: '#c62828',
  WARNING: '#e65100',
  NOTICE: '#1565c0',
  RESOLVED: '#2e7d32',
  'NO LONGER TRACKED': '#616161',
};

/** `[TEST] [gpuwarden] WARNING: …`, one line, at most SUBJECT_MAX_CHARS. */
export function emailSubject(view: MessageView): string {
  return truncate(oneLine(`${view.test ? '[TEST] ' : ''}[gpuwarden] ${view.headline}`), SUBJECT_MAX_CHARS);
}

/** A description's paragraphs, each on one line. */
function paragraphs(text: string): string[] {
  return text.split(/\r?\n\s*\r?\n|\r?\n/).map(oneLine).filter((p) => p !== '');
}

function textFields(fields: ViewField[]): string[] {
  const width = Math.max(0, ...fields.map((f) => f.label.length)) + 1;
  return fields.map((f) => `  ${`${f.label}:`.padEnd(width + 1)}${f.value}`);
}

function textItem(item: ViewItem): string[] {
  return [`${item.word} · ${item.title}`, item.summary, ...(item.description !== null ? paragraphs(item.description) : []), ...textFields(item.fields)];
}

/** The plain-text body. */
export function emailText(view: MessageView): string {
  const parts: string[][] = [];
  if (view.test) parts.push([EMAIL_TEST_LINE]);
  parts.push([...(view.greeting !== null ? [view.greeting, ''] : []), view.intro]);
  for (const item of view.items) parts.push(textItem(item));
  parts.push(['-- ', ...view.footer]);
  return `${parts.map((p) => p.join('\n')).join('\n\n')}\n`;
}

const P = 'margin:4px 0;';
const TH = 'text-align:left;padding:2px 12px 2px 0;color:#555;font-weight:normal;vertical-align:top;';
const TD = 'padding:2px 12px 2px 0;vertical-align:top;';

function htmlBadge(word: SeverityWord): string {
  return `<strong style="color:${WORD_COLOR[word]};">${word}</strong>`;
}

function htmlUserItem(item: ViewItem): string {
  const rows = item.fields.map((f) => `<tr><th style="${TH}">${escapeHtml(f.label)}</th><td style="${TD}">${escapeHtml(f.value)}</td></tr>`);
  return [
    `<div style="border-left:4px solid ${WORD_COLOR[item.word]};padding:4px 12px;margin:16px 0;">`,
    `<p style="${P}">${htmlBadge(item.word)} · <strong>${escapeHtml(item.title)}</strong></p>`,
    `<p style="${P}">${escapeHtml(item.summary)}</p>`,
    ...(item.description !== null ? paragraphs(item.description).map((p) => `<p style="${P}color:#333;">${escapeHtml(p)}</p>`) : []),
    `<table style="border-collapse:collapse;font-size:13px;margin-top:6px;">`,
    ...rows,
    `</table>`,
    `</div>`,
  ].join('\n');
}

/** Column order of the admin table; labels not listed follow in order of first appearance. */
const ADMIN_COLUMNS = ['Rule', 'Severity', 'State', 'Stale', 'Host', 'User', 'Container', 'GPU', 'Process', 'Since', 'Resolved', 'No longer tracked'];

/** Admins get one table: a row per alert, a column per field any alert has. */
function htmlAdminTable(items: ViewItem[]): string {
  const seen: string[] = [];
  for (const item of items) for (const f of item.fields) if (!seen.includes(f.label)) seen.push(f.label);
  const rank = (label: string): number => (ADMIN_COLUMNS.includes(label) ? ADMIN_COLUMNS.indexOf(label) : ADMIN_COLUMNS.length + seen.indexOf(label));
  const columns = [...seen].sort((a, b) => rank(a) - rank(b));
  const head = ['', ...columns, 'Summary'].map((c) => `<th style="${TH}border-bottom:1px solid #ccc;">${escapeHtml(c)}</th>`).join('');
  const rows = items.map((item) => {
    const cells = columns.map((c) => `<td style="${TD}">${escapeHtml(item.fields.find((f) => f.label === c)?.value ?? '')}</td>`);
    return `<tr><td style="${TD}">${htmlBadge(item.word)}</td>${cells.join('')}<td style="${TD}">${escapeHtml(item.summary)}</td></tr>`;
  });
  return [`<table style="border-collapse:collapse;font-size:13px;margin:16px 0;">`, `<tr>${head}</tr>`, ...rows, `</table>`].join('\n');
}

/** The HTML body: the same content as the text body, every label and annotation escaped. */
export function emailHtml(view: MessageView, subject: string): string {
  const body: string[] = [];
  if (view.test) body.push(`<p style="${P}padding:8px;background:#fff3cd;border:1px solid #e0c36c;"><strong>${escapeHtml(EMAIL_TEST_LINE)}</strong></p>`);
  if (view.greeting !== null) body.push(`<p style="${P}">${escapeHtml(view.greeting)}</p>`);
  body.push(`<p style="${P}">${escapeHtml(view.intro)}</p>`);
  if (view.audience === 'admin') {
    body.push(htmlAdminTable(view.items));
    for (const item of view.items.filter((i) => i.description !== null)) {
      body.push(`<p style="${P}color:#333;"><strong>${escapeHtml(item.title)}</strong>: ${escapeHtml(paragraphs(item.description ?? '').join(' '))}</p>`);
    }
  } else {
    body.push(...view.items.map(htmlUserItem));
  }
  body.push(`<hr style="border:none;border-top:1px solid #ddd;margin:16px 0;">`);
  body.push(`<p style="${P}color:#555;font-size:12px;">${view.footer.map(escapeHtml).join('<br>\n')}</p>`);
  return [
    '<!DOCTYPE html>',
    '<html>',
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1d1d1d;">',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Subject, text and HTML of a message view. Pure. */
export function renderEmail(view: MessageView): EmailMessage {
  const subject = emailSubject(view);
  return { subject, text: emailText(view), html: emailHtml(view, subject) };
}
