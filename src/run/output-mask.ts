// Masking secret values in what composer prints. Pure: the values in, a masker out.
// Each value is masked whole and line by line, in each encoding composer and the PHP or
// shell scripts it runs may print it in.

export const MASK = '***';
/** Shorter strings would mask ordinary words; values this short are not secrets worth the noise. */
export const MIN_MASKED_LENGTH = 4;

const percent = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

/**
 * The ways a program may print a value: as is, JSON-escaped (JavaScript's and PHP's
 * json_encode, which also escapes '/' and non-ASCII), and URL-encoded (encodeURIComponent,
 * PHP's rawurlencode and urlencode, which writes spaces as '+').
 */
function encodingsOf(text: string): string[] {
  const json = JSON.stringify(text).slice(1, -1);
  const uri = encodeURIComponent(text);
  const raw = uri.replace(/[!'()*]/g, percent);
  return [
    text,
    json,
    json.replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    uri,
    raw,
    raw.replace(/~/g, percent).replace(/%20/g, '+'),
  ];
}

export function maskedFormsOf(value: string): string[] {
  const forms = new Set<string>();
  const lines = value.split(/\r?\n|\r/).filter((line) => line.trim() !== '');
  for (const text of [value, ...lines]) {
    for (const form of encodingsOf(text)) if (form.length >= MIN_MASKED_LENGTH) forms.add(form);
  }
  return [...forms];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A function that replaces every form of every value with MASK; longest forms first. */
export function outputMasker(values: readonly string[]): (text: string) => string {
  const forms = [...new Set(values.flatMap(maskedFormsOf))].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return (text) => text;
  const pattern = new RegExp(forms.map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(pattern, MASK);
}

/**
 * Masks a stream of chunks. Output is released a line at a time, so a value split across
 * two chunks is still seen whole; `flush` releases the rest at the end.
 */
export function lineMaskingStream(mask: (text: string) => string, write: (text: string) => void) {
  let pending = '';
  return {
    push(chunk: string): void {
      pending += chunk;
      const cut = Math.max(pending.lastIndexOf('\n'), pending.lastIndexOf('\r'));
      if (cut === -1) {
        // A very long line without a break: release it rather than hold output forever.
        if (pending.length > 1 << 16) {
          write(mask(pending));
          pending = '';
        }
        return;
      }
      write(mask(pending.slice(0, cut + 1)));
      pending = pending.slice(cut + 1);
    },
    flush(): void {
      if (pending !== '') write(mask(pending));
      pending = '';
    },
  };
}
