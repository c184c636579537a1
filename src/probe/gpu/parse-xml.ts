/**
 * Parses `nvidia-smi -q -x` output. Pure and total: any input yields a result, never an exception.
 * Entity processing is off (no DOCTYPE entity expansion); values stay strings so `0001` is not mangled.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { cleanText, parseIntOrNull } from './parse-value.ts';
import { readXmlGpu, type XmlGpu } from './xml-gpu.ts';
import { pruneUnreadSubtrees } from './xml-prune.ts';
import { isXmlRecord, textAt } from './xml-node.ts';

export type { MigMode, XmlGpu, XmlMigDevice, XmlProcess } from './xml-gpu.ts';

/** Outcome of parsing one `nvidia-smi -q -x` document. */
export type XmlParseResult =
  | { ok: true; driverVersion: string | null; cudaVersion: string | null; gpus: XmlGpu[]; warnings: string[] }
  | { ok: false; message: string };

const ROOT = 'nvidia_smi_log';
const ARRAY_PATHS = new Set([`${ROOT}.gpu`, `${ROOT}.gpu.processes.process_info`, `${ROOT}.gpu.mig_devices.mig_device`]);

/** The last document parsed and its result: a probe cycle parses the same text twice (collect, then build). */
let last: { xml: string; result: XmlParseResult } | null = null;

/**
 * Parses an `nvidia-smi -q -x` document into GPUs (counted by `<gpu>` element, not `attached_gpus`). The same
 * text asked for again gets the same result object back (callers never modify it).
 */
export function parseNvidiaSmiXml(xml: string): XmlParseResult {
  if (last !== null && last.xml === xml) return last.result;
  let result: XmlParseResult;
  try {
    result = parseDocument(xml);
  } catch (error) {
    result = { ok: false, message: `nvidia-smi XML could not be parsed: ${describeError(error)}` };
  }
  last = { xml, result };
  return result;
}

/** The same parse without cutting UNREAD_ELEMENTS first (and without the memo): lets tests prove the cut changes nothing. */
export function parseNvidiaSmiXmlUnpruned(xml: string): XmlParseResult {
  try {
    return parseDocument(xml, false);
  } catch (error) {
    return { ok: false, message: `nvidia-smi XML could not be parsed: ${describeError(error)}` };
  }
}

function parseDocument(xml: string, prune = true): XmlParseResult {
  if (typeof xml !== 'string' || xml.trim() === '') {
    return { ok: false, message: 'nvidia-smi XML output is empty' };
  }
  // Full validation costs as much as a third of a parse, so it runs only when the document does not end
  // the way every complete nvidia-smi log ends (truncation, garbage) or when the parser rejects it.
  if (!xml.trimEnd().endsWith(`</${ROOT}>`)) {
    const invalid = validationFailure(xml);
    if (invalid !== null) return invalid;
  }
  let doc: unknown;
  try {
    doc = PARSER.parse(prune ? pruneUnreadSubtrees(xml) : xml);
  } catch (error) {
    return validationFailure(xml) ?? { ok: false, message: `nvidia-smi XML could not be parsed: ${describeError(error)}` };
  }
  return readDocument(doc);
}

function validationFailure(xml: string): XmlParseResult | null {
  const validation = XMLValidator.validate(xml);
  if (validation === true) return null;
  const { msg, line, col } = validation.err;
  const position = col === undefined ? `line ${line}` : `line ${line}, col ${col}`;
  return { ok: false, message: `nvidia-smi output is not well-formed XML (${position}: ${msg})${diagnose(xml)}` };
}

/** One parser for every call: building it re-compiles its options each time. */
const PARSER = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  trimValues: true,
  isArray: (_name, jPath) => typeof jPath === 'string' && ARRAY_PATHS.has(jPath),
});

function readDocument(doc: unknown): XmlParseResult {
  const root = isXmlRecord(doc) ? doc[ROOT] : undefined;
  if (root === undefined) {
    const found = isXmlRecord(doc) ? Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('#')) : [];
    const seen = found.length > 0 ? `found <${found.join('>, <')}>` : 'found no root element';
    return { ok: false, message: `not an nvidia-smi XML log: expected <${ROOT}>, ${seen}` };
  }

  const warnings: string[] = [];
  const gpuNodes = isXmlRecord(root) ? toArray(root['gpu']) : [];
  const gpus = gpuNodes.map((node, position) => {
    const read = readXmlGpu(node, position);
    warnings.push(...read.warnings);
    return read.gpu;
  });

  const attached = parseIntOrNull(textAt(root, 'attached_gpus'));
  if (attached !== null && attached !== gpus.length) {
    warnings.push(`attached_gpus says ${attached} but the document holds ${gpus.length} <gpu> element(s); using the elements`);
  }
  if (gpus.length === 0) warnings.push('document contains no <gpu> elements');

  const driverVersion = versionAt(root, 'driver_version') ?? versionAt(root, 'kmd_version');
  return { ok: true, driverVersion, cudaVersion: versionAt(root, 'cuda_version'), gpus, warnings };
}

/** A version string with any bracketed suffix removed (`610.57.04 [Deprecated; …]` → `610.57.04`). */
function versionAt(root: unknown, name: string): string | null {
  const text = textAt(root, name);
  if (text === null) return null;
  return cleanText(text.replace(/\s*\[[^\]]*\]?\s*$/, ''));
}

function toArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Adds a hint about why the document is broken: truncation, HTML, or plain text such as an nvidia-smi error. */
function diagnose(xml: string): string {
  const head = xml.trimStart();
  if (head.includes(`<${ROOT}`) && !head.includes(`</${ROOT}>`)) {
    return `; the document appears truncated (no closing </${ROOT}>)`;
  }
  if (/^<(!doctype\s+html|html)[\s>]/i.test(head)) return '; the output looks like HTML';
  if (!head.startsWith('<')) {
    const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
    return `; output starts with "${firstLine.slice(0, 160)}"`;
  }
  return '';
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.slice(0, 300);
  return String(error).slice(0, 300);
}
