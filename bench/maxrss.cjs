// Preloaded with `node --require bench/maxrss.cjs ...`: reports the process's peak resident
// set size (kilobytes) on stderr when it exits, so the CLI itself is what gets measured.
//
// VmHWM of /proc/self/status, not process.resourceUsage().maxRSS: Linux carries maxRSS
// over from the forked copy of the parent into the child it execs, so every child of a
// bench process holding a 100k-secret store would report at least the bench's own size.
'use strict';
const { readFileSync } = require('node:fs');

function peakKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Number(match[1]);
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  process.stderr.write(`\n__BENCH_MAXRSS_KB=${peakKb()}\n`);
});
