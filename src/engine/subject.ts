/** What a rule iterates over. */
export const SCOPES = ['gpuProcess', 'container', 'user', 'gpu', 'host'] as const;

/** One of SCOPES. */
export type Scope = (typeof SCOPES)[number];

/** A fact's value: plain JSON scalars, or a list of strings (for `in` / `contains`). Unknown = null. */
export type FactValue = number | string | boolean | null | readonly string[];

/**
 * One thing a rule can fire on: a GPU process, a container, a user, a GPU or a host. `labels` identify it
 * (they become the alert's labels: host and, as they apply, user, container, pid, gpu); `facts` are what
 * rule conditions read, by name (documented in rules/README.md).
 */
export interface Subject {
  scope: Scope;
  key: string;
  labels: Record<string, string>;
  facts: Record<string, FactValue>;
}
