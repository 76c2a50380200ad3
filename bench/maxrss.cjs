// Preloaded with `node --require bench/maxrss.cjs ...`: reports the process's peak resident
// set size (kilobytes) on stderr when it exits, so the CLI itself is what gets measured.
'use strict';
process.on('exit', () => {
  process.stderr.write(`\n__BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
