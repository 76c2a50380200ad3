// JSON as PHP's json_encode(..., JSON_PRETTY_PRINT) writes it, byte for byte: Terminus
// prints its listings this way (with JSON_UNESCAPED_SLASHES) and writes the SDK's
// secrets file this way (without). Objects keep their key order, which a JavaScript
// object would not for integer-like keys ("0", "10").

/** A PHP associative array or object: entries in order. An empty one prints as `[]` (an array) or `{}` (an object). */
export class PhpObject {
  constructor(
    readonly entries: readonly (readonly [string, PhpJsonValue])[],
    readonly emptyAs: '[]' | '{}' = '{}',
  ) {}
}

export type PhpJsonValue = string | number | boolean | null | readonly PhpJsonValue[] | PhpObject;

export type PhpJsonOptions = { escapeSlashes: boolean };

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A string as json_encode writes it without JSON_UNESCAPED_UNICODE: every UTF-16 unit past ASCII as \uxxxx (lowercase). */
export function phpJsonString(text: string, options: PhpJsonOptions): string {
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i);
    const code = text.charCodeAt(i);
    const short = SHORT_ESCAPES[char];
    if (short !== undefined) out += short;
    else if (char === '/') out += options.escapeSlashes ? '\\/' : '/';
    else if (code < 0x20 || code > 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

export function phpJsonPretty(value: PhpJsonValue, options: PhpJsonOptions, indent = ''): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return phpJsonString(value, options);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = `${indent}    `;
  if (value instanceof PhpObject) {
    if (value.entries.length === 0) return value.emptyAs;
    const members = value.entries.map(
      ([key, member]) => `${inner}${phpJsonString(key, options)}: ${phpJsonPretty(member, options, inner)}`,
    );
    return `{\n${members.join(',\n')}\n${indent}}`;
  }
  const list = value as readonly PhpJsonValue[];
  if (list.length === 0) return '[]';
  return `[\n${list.map((item) => `${inner}${phpJsonPretty(item, options, inner)}`).join(',\n')}\n${indent}]`;
}
