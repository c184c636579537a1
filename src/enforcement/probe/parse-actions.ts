// The `actions` of a push reply, each parsed with the contract's schema: a bad element is reported, never dropped silently.
import { plannedActionSchema, type PlannedAction } from '../action.ts';

/** An element of a reply's `actions` that is not a valid PlannedAction: its id (when it has a string one) and why. */
export interface InvalidAction {
  id: string | null;
  message: string;
}

/** Valid actions and the invalid elements, in reply order. */
export interface ParsedActions {
  actions: PlannedAction[];
  invalid: InvalidAction[];
}

/** Parse each element of a reply's `actions`; never throws. */
export function parseActions(raw: readonly unknown[]): ParsedActions {
  const out: ParsedActions = { actions: [], invalid: [] };
  raw.forEach((element, index) => {
    const parsed = plannedActionSchema.safeParse(element);
    if (parsed.success) {
      out.actions.push(parsed.data);
      return;
    }
    const id = (element as { id?: unknown } | null)?.id;
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(element)'}: ${i.message}`);
    out.invalid.push({ id: typeof id === 'string' ? id : null, message: `actions[${index}]: ${issues.join('; ')}` });
  });
  return out;
}
