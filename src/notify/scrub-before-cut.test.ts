// Error texts are scrubbed before they are cut to length: a secret that straddles the cut must not leak a prefix.
// The secret is placed at every offset around the 200-character cut, in every text a notifier quotes.
import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './email/classify-smtp-error.ts';
import { smtpSecrets } from './email/email-notifier.ts';
import { renderMessage } from './render/render.ts';
import { scrubSecrets } from './scrub.ts';
import { createSlackNotifier } from './slack/slack-notifier.ts';
import { goldenSamples } from './test-support.ts';

const OFFSETS = Array.from({ length: 111 }, (_, i) => 150 + i);
const TOKEN = 'Zq9TokenSecretValue42abc';
const WEBHOOK = `https://hooks.slack.com/services/T0000000/B0000000/${TOKEN}`;
const PASS = 'hunter2-Sup3r-secret!';
const message = renderMessage(goldenSamples()['user-firing'].group, { mention: 'U024BE7LH' });

/** Filler that cannot form any part of the secrets (the cut counts characters of one line). */
const filler = (n: number): string => 'x'.repeat(n);

describe('scrub before cut', () => {
  it('Slack: the webhook token in an error body, at every offset 150..260, leaves no prefix', async () => {
    for (const offset of OFFSETS) {
      const body = `${filler(offset)}${TOKEN} tail`;
      const notifier = createSlackNotifier({ timeoutMs: 1_000 }, { fetch: () => Promise.resolve(new Response(body, { status: 400 })) });
      const result = await notifier.send(message, { kind: 'slack', webhookUrl: WEBHOOK, mention: 'U024BE7LH' });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error, `offset ${offset}`).not.toContain(TOKEN.slice(0, 3));
    }
  });

  it('Slack: the same in a request failure message', async () => {
    for (const offset of OFFSETS) {
      const notifier = createSlackNotifier({ timeoutMs: 1_000 }, { fetch: () => Promise.reject(new Error(`${filler(offset)}${TOKEN} tail`)) });
      const result = await notifier.send(message, { kind: 'slack', webhookUrl: WEBHOOK, mention: 'U024BE7LH' });
      if (!result.ok) expect(result.error, `offset ${offset}`).not.toContain(TOKEN.slice(0, 3));
    }
  });

  it('SMTP: the password in the server reply and the error message, at every offset 150..260, leaves no prefix', () => {
    const secrets = smtpSecrets({ host: '', port: 0, secure: false, auth: { user: 'gpuwarden', pass: PASS }, from: 'x', timeoutMs: 1 });
    const scrub = (text: string): string => scrubSecrets(text, secrets);
    for (const offset of OFFSETS) {
      const text = `${filler(offset)}${PASS} tail`;
      for (const err of [
        Object.assign(new Error(text), { code: 'EAUTH', responseCode: 535, response: `535 ${text}`, command: 'AUTH PLAIN' }),
        Object.assign(new Error(text), { code: 'EAUTH' }),
        Object.assign(new Error(text), { code: 'ECONNECTION' }),
        new Error(text),
      ]) {
        const failure = classifySmtpError(err, scrub);
        expect(scrub(failure.error), `offset ${offset}`).not.toContain('hun');
      }
    }
  });
});
