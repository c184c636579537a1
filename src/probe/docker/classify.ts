import type { Container } from '../../snapshot/schema.ts';
import type { InspectedContainer } from './inspected-container.ts';
import {
  LABEL_COMPOSE_PROJECT,
  LABEL_DS01_MANAGED,
  LABEL_DS01_MONITORING,
  LABEL_DS01_PROTECTED,
} from './label-keys.ts';
import { labelKeysOf, labelOf, stringFieldOf } from './safe-access.ts';

/** DS01's monitoring-stack container names (`monitoring.infrastructure_containers`). */
export const DS01_INFRASTRUCTURE_NAMES: readonly string[] = [
  'ds01-prometheus',
  'ds01-grafana',
  'ds01-alertmanager',
  'ds01-dcgm-exporter',
  'ds01-node-exporter',
];

/** How infrastructure containers are recognised (DS01 `monitoring.*` config). */
export interface ClassifyOptions {
  infrastructureNames: readonly string[];
  infrastructureLabel: string;
}

/** The class of a container and whether it is protected from lifecycle rules. */
export interface Classification {
  class: Container['class'];
  protected: boolean;
}

/**
 * Classifies a container, first match wins: infrastructure (`ds01.monitoring=true`, the
 * infrastructure label true, or a listed name) → managed (`ds01.managed=true`, any `ds01.*` /
 * `aime.mlc.*` label, a `._.` name, a `ds01*` cgroup parent) → devcontainer (`devcontainer.*`
 * label, `vsc-`/`vscode-` name) → compose (`com.docker.compose.project`) → docker. Never throws.
 */
export function classifyContainer(c: InspectedContainer, options: ClassifyOptions): Classification {
  const infrastructure = isInfrastructure(c, options);
  return {
    class: infrastructure ? 'infrastructure' : nonInfrastructureClass(c),
    protected: infrastructure || isTrue(labelOf(c, LABEL_DS01_PROTECTED)),
  };
}

function isInfrastructure(c: InspectedContainer, options: ClassifyOptions): boolean {
  if (isTrue(labelOf(c, LABEL_DS01_MONITORING))) return true;
  const label = typeof options?.infrastructureLabel === 'string' ? options.infrastructureLabel : '';
  if (label !== '' && isTrue(labelOf(c, label))) return true;
  const names = Array.isArray(options?.infrastructureNames) ? options.infrastructureNames : [];
  return names.includes(stringFieldOf(c, 'name') ?? '');
}

function nonInfrastructureClass(c: InspectedContainer): Container['class'] {
  const keys = labelKeysOf(c);
  const name = stringFieldOf(c, 'name') ?? '';
  const cgroupParent = (stringFieldOf(c, 'cgroupParent') ?? '').replace(/^\/+/, '');
  if (
    isTrue(labelOf(c, LABEL_DS01_MANAGED)) ||
    keys.some((k) => k.startsWith('ds01.') || k.startsWith('aime.mlc.') || k === 'aime.mlc') ||
    name.includes('._.') ||
    cgroupParent.startsWith('ds01')
  ) {
    return 'managed';
  }
  if (keys.some((k) => k.startsWith('devcontainer.')) || name.startsWith('vsc-') || name.startsWith('vscode-')) {
    return 'devcontainer';
  }
  if (labelOf(c, LABEL_COMPOSE_PROJECT) !== null) return 'compose';
  return 'docker';
}

/** DS01 label booleans are the string "true"; tolerate case and surrounding spaces. */
function isTrue(value: string | null): boolean {
  return value !== null && value.trim().toLowerCase() === 'true';
}
