// Microsoft Teams layout of a message view: one Adaptive Card in the message shape a Power Automate workflow webhook
// takes (Alertmanager's msteamsv2: `{"type":"message","attachments":[{adaptive card}]}`), within Teams' size limit.
import type { AdaptiveElement, TeamsMessage } from '../notifier.ts';
import type { SeverityWord } from './severity.ts';
import { oneLine, truncate } from './text.ts';
import type { MessageView, ViewItem } from './view.ts';

/** The limits the card keeps to: Teams refuses messages over about 28 KB, so the card stays well below. */
export const TEAMS_LIMITS = {
  cardJsonChars: 20_000,
  headingChars: 150,
  textChars: 2000,
  factsPerItem: 10,
  factValueChars: 500,
} as const;

/** The line under the heading of a drill message. */
export const TEAMS_TEST_LINE = 'This is a test message from gpuwarden (gpuwarden notify test): no action needed.';

/** Adaptive Card schema and version (1.2, as Alertmanager's msteamsv2 sends, which Teams workflows render). */
const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
const CARD_VERSION = '1.2';

/** The heading colour of each word: Attention (red) for action, Warning (amber), Good (green) once over. */
const COLOR: Record<SeverityWord, string> = {
  'LIMIT REACHED': 'Attention',
  ALERT: 'Attention',
  WARNING: 'Warning',
  NOTICE: 'Default',
  RESOLVED: 'Good',
  'NO LONGER TRACKED': 'Default',
};

/**
 * Teams renders a subset of Markdown in card text: user-controlled text must not become a link (`[x](url)`), so the
 * link form is broken up; everything else shows as written.
 */
export function escapeTeams(text: string): string {
  return text.replace(/\]\(/g, '] (');
}

function textBlock(text: string, extra: Record<string, unknown> = {}): AdaptiveElement {
  return { type: 'TextBlock', text: truncate(text, TEAMS_LIMITS.textChars), wrap: true, ...extra };
}

function itemContainer(item: ViewItem): AdaptiveElement {
  const items: AdaptiveElement[] = [
    textBlock(`**${item.word}** · **${escapeTeams(item.title)}**`),
    textBlock(escapeTeams(item.summary), { spacing: 'None' }),
  ];
  if (item.description !== null) items.push(textBlock(escapeTeams(item.description), { isSubtle: true }));
  if (item.fields.length > 0) {
    const facts = item.fields.slice(0, TEAMS_LIMITS.factsPerItem).map((f) => ({ title: escapeTeams(f.label), value: truncate(escapeTeams(f.value), TEAMS_LIMITS.factValueChars) }));
    items.push({ type: 'FactSet', facts });
  }
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

function message(body: AdaptiveElement[]): TeamsMessage {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { $schema: CARD_SCHEMA, type: 'AdaptiveCard', version: CARD_VERSION, body, msteams: { width: 'Full' } },
      },
    ],
  };
}

/** Lays a message view out as one Adaptive Card; alerts that would push it past the size limit are counted instead. Pure. */
export function renderTeams(view: MessageView): TeamsMessage {
  const marker = view.test ? '[TEST] ' : '';
  const head: AdaptiveElement[] = [
    textBlock(truncate(oneLine(`${marker}${escapeTeams(view.headline)}`), TEAMS_LIMITS.headingChars), { weight: 'Bolder', size: 'Medium', style: 'heading', color: COLOR[view.word] }),
  ];
  if (view.test) head.push(textBlock(TEAMS_TEST_LINE, { isSubtle: true, spacing: 'None' }));
  head.push(textBlock([view.greeting, view.intro].filter((p) => p !== null && p !== '').map((p) => escapeTeams(p ?? '')).join('\n\n')));
  const footer = textBlock(view.footer.map(escapeTeams).join('\n\n'), { isSubtle: true, size: 'Small', separator: true });

  const shown: AdaptiveElement[] = [];
  let size = JSON.stringify(message([...head, footer])).length + 200; // room for the "… and N more" line
  for (const item of view.items) {
    const element = itemContainer(item);
    const more = JSON.stringify(element).length + 1;
    if (size + more > TEAMS_LIMITS.cardJsonChars) break;
    shown.push(element);
    size += more;
  }
  const hidden = view.items.length - shown.length;
  const rest = hidden > 0 ? [textBlock(`… and ${hidden} more ${hidden === 1 ? 'alert' : 'alerts'} not shown here (a Teams message holds about 28 KB).`, { isSubtle: true })] : [];
  return message([...head, ...shown, ...rest, footer]);
}
