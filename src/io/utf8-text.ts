// Text that must be read exactly as written: bytes that are not UTF-8 are refused, never
// turned into U+FFFD (which would silently change a secret value, or a store on its next write).

/** `bytes` as UTF-8 text, a byte order mark kept; undefined when they are not UTF-8. */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
