// Counts in messages, read as people write them: "1 variable", "2 variables", "0 files".

/** `n` and the noun agreeing with it; `plural` for nouns that do not just take an s. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
