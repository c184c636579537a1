import type { LimitsConfig } from './limits-config.ts';

/** Server-wide settings from the limits file that are not per user. */
export interface SiteSettings {
  /** Container names (prefixes) that are the site's own infrastructure (`monitoring.infrastructure_containers`). */
  infrastructureContainers: string[];
  /** Label marking protected infrastructure containers (`monitoring.infrastructure_label`). */
  infrastructureLabel: string;
  /** Users allowed to use GPUs outside containers (`bare_metal_access.exempt_users`). */
  bareMetalExemptUsers: string[];
  /** Users who bypass isolation (`access_control.admin_users`). */
  adminUsers: string[];
  /** Linux group whose members are admins (`access_control.admin_group`, else `bare_metal_access.admin_group`). */
  adminGroup: string | null;
  defaultGroup: string;
}

/** DS01's label for protected infrastructure, also what its gpu-state-reader hard-codes. */
export const DEFAULT_INFRASTRUCTURE_LABEL = 'ds01.protected';

/** The site-wide settings, with empty lists (and DS01's label) where the file says nothing. Pure. */
export function siteSettings(config: LimitsConfig): SiteSettings {
  const d = config.data;
  return {
    infrastructureContainers: d.monitoring?.infrastructure_containers ?? [],
    infrastructureLabel: d.monitoring?.infrastructure_label ?? DEFAULT_INFRASTRUCTURE_LABEL,
    bareMetalExemptUsers: d.bare_metal_access?.exempt_users ?? [],
    adminUsers: d.access_control?.admin_users ?? [],
    adminGroup: d.access_control?.admin_group ?? d.bare_metal_access?.admin_group ?? null,
    defaultGroup: config.defaultGroup,
  };
}
