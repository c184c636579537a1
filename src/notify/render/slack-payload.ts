// Slack Block Kit layout of a message view: header, sections with fields, context; within Slack's limits.
import type { SlackBlock, SlackMessage } from '../notifier.ts';
import { escapeSlack, oneLine, truncate, truncateEscaped } from './text.ts';
import type { MessageView, ViewItem } from './view.ts';

/** Slack's documented limits that the payload respects. */
export const SLACK_LIMITS = {
  blocks: 50,
  headerChars: 150,
  sectionTextChars: 3000,
  fieldsPerSection: 10,
  fieldChars: 2000,
  contextElements: 10,
  contextTextChars: 2000,
  fallbackTextChars: 3000,
} as const;

/** The context line of a drill message. */
export const SLACK_TEST_LINE = 'This is a test message from gpuwarden (`gpuwarden notify test`): no action needed.';

function section(text: string, fields: string[] = []): SlackBlock {
  const block: SlackBlock = { type: 'section', text: { type: 'mrkdwn', text: truncateEscaped(text, SLACK_LIMITS.sectionTextChars) } };
  if (fields.length > 0) {
    block.fields = fields.slice(0, SLACK_LIMITS.fieldsPerSection).map((f) => ({ type: 'mrkdwn', text: truncateEscaped(f, SLACK_LIMITS.fieldChars) }));
  }
  return block;
}

function context(lines: string[]): SlackBlock {
  return {
    type: 'context',
    elements: lines.slice(0, SLACK_LIMITS.contextElements).map((l) => ({ type: 'mrkdwn', text: truncateEscaped(l, SLACK_LIMITS.contextTextChars) })),
  };
}

function itemSection(item: ViewItem): SlackBlock {
  const lines = [`*${item.word}* · *${escapeSlack(item.title)}*`, escapeSlack(item.summary)];
  if (item.description !== null) lines.push(escapeSlack(item.description));
  return section(
    lines.join('\n'),
    item.fields.map((f) => `*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}`),
  );
}

/** Lays a message view out as Block Kit blocks plus the `text` fallback. Pure. */
export function renderSlack(view: MessageView): SlackMessage {
  const marker = view.test ? '[TEST] ' : '';
  const head: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(oneLine(`${marker}${view.headline}`), SLACK_LIMITS.headerChars) } }];
  if (view.test) head.push(context([SLACK_TEST_LINE]));
  const greeting = [view.mention, view.greeting !== null ? escapeSlack(view.greeting) : null].filter((p) => p !== null).join(' ');
  head.push(section([greeting, escapeSlack(view.intro)].filter((p) => p !== '').join('\n')));
  const footer = context(view.footer.map(escapeSlack));

  const room = SLACK_LIMITS.blocks - head.length - 1;
  const shown = view.items.length <= room ? view.items : view.items.slice(0, room - 1);
  const hidden = view.items.length - shown.length;
  const blocks = [...head, ...shown.map(itemSection)];
  if (hidden > 0) blocks.push(section(`… and ${hidden} more ${hidden === 1 ? 'alert' : 'alerts'} not shown here (Slack shows at most ${SLACK_LIMITS.blocks} blocks).`));
  blocks.push(footer);

  const text = `${marker}${view.mention !== null ? `${view.mention} ` : ''}${escapeSlack(view.headline)}`;
  return { text: truncateEscaped(text, SLACK_LIMITS.fallbackTextChars), blocks };
}
