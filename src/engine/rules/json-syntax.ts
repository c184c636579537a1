/** A JSON text that failed to parse: where (1-based line and column) and why, in a stable sentence. */
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/** Parsed JSON, or the first syntax problem. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false; problem: JsonSyntaxProblem };

class Stop {
  constructor(
    readonly at: number,
    readonly message: string,
  ) {}
}

function describe(ch: string | undefined): string {
  if (ch === undefined) return 'end of input';
  return ch < ' ' ? `character ${JSON.stringify(ch)}` : `character '${ch}'`;
}

/** Find the first syntax error of a JSON text (null when it is valid, or nested too deeply to tell); messages do not depend on the JS engine. */
export function findJsonSyntaxError(text: string): { at: number; message: string } | null {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const fail = (message: string, at = i): never => {
    throw new Stop(at, message);
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe(text[i])}: expected a JSON value`);
  };
  const string = (): void => {
    const start = i++;
    for (;;) {
      const ch = text[i];
      if (ch === undefined) fail('unterminated string', start);
      if (ch === '"') return void i++;
      if (ch === '\\') {
        const esc = text[i + 1];
        if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i += 2;
        else fail(`invalid escape "\\${esc ?? ''}" in string`);
      } else if ((ch as string).charCodeAt(0) < 0x20) {
        fail('unescaped control character (a line break?) in string');
      } else i++;
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (m === null || m[0] === '-') fail('invalid number');
    i += (m as RegExpExecArray)[0].length;
    if (/[0-9.eE]/.test(text[i] ?? '')) fail('invalid number');
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    fail(`unexpected ${describe(ch)}: expected a JSON value`);
  };
  const object = (): void => {
    i++;
    ws();
    if (text[i] === '}') return void i++;
    for (;;) {
      ws();
      if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before "}"' : `unexpected ${describe(text[i])}: expected a property name in double quotes`);
      string();
      ws();
      if (text[i] !== ':') fail(`unexpected ${describe(text[i])}: expected ":" after the property name`);
      i++;
      value();
      ws();
      if (text[i] === '}') return void i++;
      if (text[i] !== ',') fail(`unexpected ${describe(text[i])}: expected "," or "}" after a property value`);
      i++;
    }
  };
  const array = (): void => {
    i++;
    ws();
    if (text[i] === ']') return void i++;
    for (;;) {
      ws();
      if (text[i] === ']') fail('trailing comma before "]"');
      value();
      ws();
      if (text[i] === ']') return void i++;
      if (text[i] !== ',') fail(`unexpected ${describe(text[i])}: expected "," or "]" after an array element`);
      i++;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${describe(text[i])} after the JSON value`);
    return null;
  } catch (e) {
    if (e instanceof Stop) return { at: e.at, message: e.message };
    return null; // nested too deeply for this scanner: the caller falls back to JSON.parse's own message

  }
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < at && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

/** JSON.parse with a located, engine-independent error (a leading byte-order mark is ignored). */
export function parseJson(text: string): JsonParseResult {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (e) {
    const found = findJsonSyntaxError(body) ?? { at: 0, message: (e as Error).message };
    return { ok: false, problem: { ...lineColumnAt(body, found.at), message: found.message } };
  }
}
