import type { z } from 'zod';
import { jsonPathOf, jsonTypeOf } from './json-path.ts';
import type { PlacedProblem } from './check-conditions.ts';
import { didYouMean } from './suggest.ts';

type Issue = z.core.$ZodIssue;

/** Every key a rules file may use somewhere, for "did you mean" on unknown keys. */
const KNOWN_KEYS = [
  '$schema', 'id', 'enabled', 'scope', 'severity', 'for', 'priority', 'labels', 'summary', 'description',
  'notify', 'conditions', 'event', 'stages', 'actions', 'type', 'params', 'stage',
];

function isDefaultMessage(message: string): boolean {
  return message.startsWith('Invalid ') || message.startsWith('Too ') || message.startsWith('Unrecognized ');
}

function describeInput(input: unknown): string {
  return input === undefined ? 'nothing' : typeof input === 'string' ? JSON.stringify(input) : jsonTypeOf(input);
}

/** Turn one zod issue (with `reportInput`) into problems with JSONPaths under `base`. */
export function zodIssueProblems(issue: Issue, base: string): PlacedProblem[] {
  const at = jsonPathOf(base, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({ jsonPath: jsonPathOf(at, [k]), message: `unknown key "${k}"${didYouMean(k, KNOWN_KEYS)}` }));
    case 'invalid_type':
      if (issue.input === undefined) return [{ jsonPath: at, message: 'required' }];
      return [{ jsonPath: at, message: `expected ${issue.expected}, got ${describeInput(issue.input)}` }];
    case 'invalid_value': {
      const options = issue.values.map((v) => String(v));
      const input = issue.input;
      const hint = typeof input === 'string' ? didYouMean(input, options) : '';
      return [{ jsonPath: at, message: `${describeInput(input)} is not one of ${options.join(', ')}${hint}` }];
    }
    case 'too_small':
      if (issue.origin === 'string') return [{ jsonPath: at, message: 'must not be empty' }];
      return [{ jsonPath: at, message: `must be ${issue.inclusive === true ? 'at least' : 'above'} ${String(issue.minimum)}` }];
    case 'too_big':
      return [{ jsonPath: at, message: `must be ${issue.inclusive === true ? 'at most' : 'below'} ${String(issue.maximum)}` }];
    case 'invalid_format':
      return [{ jsonPath: at, message: isDefaultMessage(issue.message) ? `${describeInput(issue.input)} must match ${issue.pattern ?? issue.format}` : issue.message }];
    case 'invalid_key':
      return issue.issues.flatMap((inner) => zodIssueProblems({ ...inner, path: [] } as Issue, at));
    case 'invalid_union': {
      // The branch with the fewest issues is the one the author most likely meant; on a tie, the last.
      let best: Issue[] | null = null;
      for (const branch of issue.errors) if (best === null || branch.length <= best.length) best = branch;
      if (best === null || best.length === 0) return [{ jsonPath: at, message: 'matches none of the allowed forms' }];
      return best.flatMap((inner) => zodIssueProblems(inner, at));
    }
    default:
      return [{ jsonPath: at, message: issue.message }];
  }
}

/** Problems for all issues of a failed parse. */
export function zodProblems(issues: readonly Issue[], base: string): PlacedProblem[] {
  return issues.flatMap((i) => zodIssueProblems(i, base));
}
