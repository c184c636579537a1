import pkg from '../package.json' with { type: 'json' };

/** gpuwarden's version, from package.json: reported as `probe.version` in every snapshot. */
export const GPUWARDEN_VERSION: string = pkg.version;
