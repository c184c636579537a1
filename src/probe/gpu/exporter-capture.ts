/**
 * Splits an nvidia_gpu_exporter capture file into its sections. A section header is a block of
 * `# …` lines between two `####` rules; `# $ <command>` names the command whose output follows.
 * Pure, never throws.
 */

/** One captured section: header title (`load :: query (-q)`), command (`nvidia-smi -q`) and raw output. */
export interface CaptureSection {
  title: string | null;
  command: string | null;
  body: string;
}

const RULE = /^#{20,}\s*$/;
const COMMAND = /^#\s*\$\s?(.*)$/;

/** Splits a capture into sections in file order; text before the first header becomes an untitled section. */
export function splitExporterCapture(text: string): CaptureSection[] {
  if (typeof text !== 'string') return [];
  const lines = text.split(/\r?\n/);
  const sections: CaptureSection[] = [];
  let current: { title: string | null; command: string | null; body: string[] } = { title: null, command: null, body: [] };
  let hasHeader = false;

  const flush = (): void => {
    const body = trimBlankLines(current.body).join('\n');
    if (hasHeader || body !== '') sections.push({ title: current.title, command: current.command, body });
  };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (!RULE.test(line)) {
      current.body.push(line);
      i += 1;
      continue;
    }
    let j = i + 1;
    while (j < lines.length && (lines[j] ?? '').startsWith('#') && !RULE.test(lines[j] ?? '')) j += 1;
    if (j < lines.length && j > i + 1 && RULE.test(lines[j] ?? '')) {
      flush();
      current = { ...readHeader(lines.slice(i + 1, j)), body: [] };
      hasHeader = true;
      i = j + 1;
    } else {
      i += 1; // a lone rule is only a visual separator
    }
  }
  flush();
  return sections;
}

function readHeader(headerLines: string[]): { title: string | null; command: string | null } {
  let title: string | null = null;
  let command: string | null = null;
  for (const line of headerLines) {
    const commandMatch = COMMAND.exec(line);
    if (commandMatch !== null) {
      command ??= (commandMatch[1] ?? '').trim();
      continue;
    }
    const text = line.replace(/^#\s?/, '').trim();
    if (title === null && text !== '') title = text;
  }
  return { title, command };
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start += 1;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end -= 1;
  return lines.slice(start, end);
}
