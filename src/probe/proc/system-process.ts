import { pathBasename } from './parse-cmdline.ts';

/** Driver, monitoring and display daemons that hold a GPU context but belong to nobody. */
export const SYSTEM_GPU_PROCESS_NAMES: ReadonlySet<string> = new Set([
  'nvidia-persistenced',
  'nv-hostengine',
  'dcgm',
  'dcgmi',
  'nvidia-smi',
  'nvidia-cuda-mps-server',
  'nvidia-cuda-mps-control',
  'Xorg',
  'X',
  'Xwayland',
  'gnome-shell',
  'kwin_x11',
  'kwin_wayland',
]);

/** Basename of the program in a name that may be a path or a whole command line. */
function programBasename(name: string): string | null {
  const program = name.trim().split(/[\t ]/)[0] ?? '';
  return program === '' ? null : pathBasename(program);
}

// argv[0] decides when present; nvidia-smi's process_name (a path, or a whole command line
// with arguments) is only the fallback. Case-sensitive.
/** True when a GPU process is a driver or display daemon (see SYSTEM_GPU_PROCESS_NAMES). Never throws. */
export function isSystemGpuProcess(basename: string | null, processName: string | null): boolean {
  const fromArgv = typeof basename === 'string' ? pathBasename(basename) : null;
  const name = fromArgv ?? (typeof processName === 'string' ? programBasename(processName) : null);
  return name !== null && SYSTEM_GPU_PROCESS_NAMES.has(name);
}
