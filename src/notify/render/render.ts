// One entry point: a message group in, every channel's form of it out.
import type { RenderedMessage } from '../notifier.ts';
import type { MessageGroup } from '../types.ts';
import { renderEmail } from './email-body.ts';
import { renderSlack } from './slack-payload.ts';
import { renderTeams } from './teams-card.ts';
import { renderWebhook } from './webhook-payload.ts';
import { buildView, type RenderOptions } from './view.ts';

export type { RenderOptions } from './view.ts';

/**
 * Renders a message group for Slack, email and Teams, written for its audience (the person concerned, or the operators).
 * Pure: same group and options, same bytes. Pass the Slack destination's `mention` to ping the person. The webhook
 * form is Alertmanager's payload of the group (data, not prose).
 */
export function renderMessage(group: MessageGroup, options: RenderOptions = {}): RenderedMessage {
  const view = buildView(group, options);
  return { slack: renderSlack(view), email: renderEmail(view), teams: renderTeams(view), webhook: renderWebhook(group) };
}
