import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACTION } from './redact-argv.ts';
import { redactXmlProcessNames } from './redact-xml-process-names.ts';

const XML = readFileSync(new URL('../../../test/fixtures/nvidia-smi/xml/telegraf__tesla-t4.xml', import.meta.url), 'utf8');

describe('redactXmlProcessNames', () => {
  it('masks arguments inside <process_name> and nothing else', () => {
    const xml = XML.replace('<process_name>python</process_name>', '<process_name>python app.py --api_key=abc&amp;def --lr 1</process_name>');
    const out = redactXmlProcessNames(xml, DEFAULT_REDACTION);
    expect(out).toContain('<process_name>python app.py --api_key=*** --lr 1</process_name>');
    expect(out.replace('python app.py --api_key=*** --lr 1', 'python')).toBe(XML);
  });

  it('returns a real capture without secrets unchanged', () => {
    expect(redactXmlProcessNames(XML, DEFAULT_REDACTION)).toBe(XML);
    expect(redactXmlProcessNames('<nvidia_smi_log/>', DEFAULT_REDACTION)).toBe('<nvidia_smi_log/>');
  });
});
