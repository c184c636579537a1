import { problem, type ConfigProblem } from './config-problem.ts';

/** One user named in a member list or an override file, with where it was written. */
export interface UserLine {
  user: string;
  file: string;
  line: number;
}

/** A `user:group` line of `group-overrides.txt`. */
export interface GroupOverride extends UserLine {
  group: string;
}

function contentLines(text: string): { content: string; line: number }[] {
  return text.split(/\r?\n/).flatMap((raw, i) => {
    const content = (raw.split('#')[0] ?? '').trim();
    return content === '' ? [] : [{ content, line: i + 1 }];
  });
}

/** `groups/<group>.members`: one user per line, `#` starts a comment (DS01 `line.split('#')[0].strip()`). */
export function parseMembersText(file: string, text: string): UserLine[] {
  return contentLines(text).map(({ content, line }) => ({ user: content, file, line }));
}

/**
 * `group-overrides.txt`: `user:group` lines (`#` comments) that beat pattern matching and member lists.
 * A line without a colon, or with an empty side, is an error; a user named twice keeps the last line, with a warning.
 */
export function parseGroupOverridesText(file: string, text: string): { entries: GroupOverride[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const byUser = new Map<string, GroupOverride>();
  for (const { content, line } of contentLines(text)) {
    const colon = content.lastIndexOf(':');
    const user = colon < 0 ? '' : content.slice(0, colon).trim();
    const group = colon < 0 ? '' : content.slice(colon + 1).trim();
    if (user === '' || group === '' || /\s/.test(user) || /\s/.test(group)) {
      problems.push(problem('error', file, line, '', `expected a "user:group" line, got ${JSON.stringify(content)}`));
      continue;
    }
    const earlier = byUser.get(user);
    if (earlier !== undefined) {
      problems.push(
        problem('warning', file, line, '', `${user} is already assigned to ${earlier.group} on line ${earlier.line}; this later line (${group}) wins`),
      );
    }
    byUser.set(user, { user, group, file, line });
  }
  return { entries: [...byUser.values()], problems };
}
