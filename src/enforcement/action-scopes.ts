import type { Scope } from '../engine/subject.ts';
import type { ActionType } from './action.ts';

/** The rule scopes whose subjects each action type can act on (a rule file asking for another is refused at load). */
export const ACTION_SCOPES: Record<ActionType, readonly Scope[]> = {
  'stop-container': ['container'],
  'signal-process': ['gpuProcess'],
  warn: ['container', 'gpuProcess'],
};
