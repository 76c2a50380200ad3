// Masking secret values in what composer prints. Pure: the values in, a masker out.
// Each value is masked whole, line by line, JSON-escaped and URL-encoded, since composer
// and the scripts it runs may print any of those forms.

export const MASK = '***';
/** Shorter strings would mask ordinary words; values this short are not secrets worth the noise. */
export const MIN_MASKED_LENGTH = 4;

export function maskedFormsOf(value: string): string[] {
  const forms = new Set<string>();
  const add = (form: string) => {
    if (form.length >= MIN_MASKED_LENGTH) forms.add(form);
  };
  add(value);
  for (const line of value.split(/\r?\n|\r/)) add(line.trim() === '' ? '' : line);
  add(JSON.stringify(value).slice(1, -1));
  add(encodeURIComponent(value));
  for (const line of value.split(/\r?\n|\r/)) {
    add(JSON.stringify(line).slice(1, -1));
    add(encodeURIComponent(line));
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
