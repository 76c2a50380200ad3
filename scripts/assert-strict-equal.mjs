// Stands in for node's `assert` in the bundle. yargs imports two functions of it for
// internal checks, and loading node:assert (with its colours and stderr set-up) costs about
// 3 ms on every start of the CLI.
export function strictEqual(actual, expected, message) {
  if (actual !== expected) throw new Error(message ?? `expected ${String(actual)} to be ${String(expected)}`);
}

export function notStrictEqual(actual, expected, message) {
  if (actual === expected) throw new Error(message ?? `expected a value other than ${String(expected)}`);
}
