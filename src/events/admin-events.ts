import type { Grant } from '../enforcement/grant.ts';
import type { Silence } from '../store/store.ts';
import type { GwEvent } from './event.ts';

/** The value of a silence's plain `name=value` matcher, if it has one. */
function matcherValue(silence: Silence, name: string): string | undefined {
  const m = silence.matchers.find((x) => x.name === name && x.isEqual && !x.isRegex && x.value !== '');
  return m?.value;
}

/** `silence.created` / `silence.expired`: subject the silence id, host/user from its plain host= / user= matchers. */
export function silenceEvent(id: string, type: 'silence.created' | 'silence.expired', silence: Silence, at: string, by: string): GwEvent {
  const host = matcherValue(silence, 'host');
  const user = matcherValue(silence, 'user');
  return {
    id,
    at: new Date(at).toISOString(),
    type,
    ...(host === undefined ? {} : { host }),
    ...(user === undefined ? {} : { user }),
    subject: silence.id,
    details: {
      by,
      comment: silence.comment,
      matchers: silence.matchers.map((m) => `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '=~' : '='}${m.value}`),
      endsAt: silence.endsAt,
    },
  };
}

/** `grant.created` / `grant.revoked`: subject the grant id, user the exempted user. */
export function grantEvent(id: string, type: 'grant.created' | 'grant.revoked', grant: Grant, at: string, by: string): GwEvent {
  return { id, at: new Date(at).toISOString(), type, user: grant.user, subject: grant.id, details: { by, rule: grant.rule, until: grant.until, reason: grant.reason } };
}
