// nvidia-smi's <process_name> can hold a whole command line (Chromium's does): mask it before the XML is kept.
import { redactCommandText, type RedactionRules } from './redact-argv.ts';

const PROCESS_NAME = /<process_name>([^<]*)<\/process_name>/g;

/** `nvidia-smi -q -x` text with every <process_name> masked like a command line; the same string when clean. */
export function redactXmlProcessNames(xml: string, rules: RedactionRules): string {
  if (!xml.includes('<process_name>')) return xml;
  return xml.replace(PROCESS_NAME, (whole, name: string) => {
    const r = redactCommandText(name, rules);
    return r.redacted ? `<process_name>${r.text}</process_name>` : whole;
  });
}
