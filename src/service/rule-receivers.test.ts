import { describe, expect, it } from 'vitest';
import { formatRuleProblem } from '../engine/rules/rule-problem.ts';
import { unknownReceiverProblems } from './rule-receivers.ts';

describe('unknownReceiverProblems', () => {
  const rules = [
    { id: 'hot', file: 'rules/hot.json', notify: ['admins', 'owner', 'ops-slack'] },
    { id: 'quota', file: 'rules/quota.json', notify: ['ops-slak', 'pager'] },
  ];

  it('names each notify entry that is no receiver of the routing config, with file, rule and index', () => {
    const problems = unknownReceiverProblems(rules, new Set(['ops-slack', 'lab-email']), 'notifications.yaml');
    expect(problems.map(formatRuleProblem)).toEqual([
      'rules/quota.json: rule quota: notify[0]: receiver "ops-slak" is not defined in notifications.yaml (it defines "lab-email", "ops-slack"; "owner" and "admins" need none) (did you mean "ops-slack"?)',
      'rules/quota.json: rule quota: notify[1]: receiver "pager" is not defined in notifications.yaml (it defines "lab-email", "ops-slack"; "owner" and "admins" need none)',
    ]);
  });

  it('owner and admins need no receiver; a routing config without receivers says so', () => {
    expect(unknownReceiverProblems([{ id: 'a', file: 'a.json', notify: ['owner', 'admins'] }], new Set(), 'n.yaml')).toEqual([]);
    expect(unknownReceiverProblems([{ id: 'a', file: 'a.json', notify: ['x'] }], new Set(), 'n.yaml')[0]?.message).toMatch(/it defines none/);
  });
});
