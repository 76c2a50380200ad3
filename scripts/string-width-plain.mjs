// Stands in for the string-width package in the bundle. yargs measures its help text with
// it, and string-width compiles Unicode emoji regexes and an Intl.Segmenter when loaded:
// about 25 ms on every start of the CLI. Our help text is plain ASCII, where the width is
// the number of characters.
import stripAnsi from 'strip-ansi';

export default function stringWidth(text) {
  if (typeof text !== 'string' || text.length === 0) return 0;
  return [...stripAnsi(text)].length;
}
