// Stands in for the string-width package in the bundle. yargs measures its help text with
// it, and string-width compiles Unicode emoji regexes and an Intl.Segmenter when loaded, on
// every start of the CLI: without this file, `plan` on the bundled example took about 55 ms
// more CPU time (perf task-clock, 60 interleaved runs each, node 20). Our help text is plain
// ASCII, where the width is the number of characters.
import stripAnsi from 'strip-ansi';

/** @param {unknown} text */
export default function stringWidth(text) {
  if (typeof text !== 'string' || text.length === 0) return 0;
  return [...stripAnsi(text)].length;
}
