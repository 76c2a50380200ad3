// Stands in for node's `assert` in the bundle. yargs imports two functions of it for
// internal checks; without this file every run of the CLI loads node:assert (with its
// colours and stderr set-up), which takes 2.5 to 4 ms in a fresh node (timed around the
// require; too little to resolve in whole runs of `plan` on a loaded machine).
/**
 * @param {unknown} actual
 * @param {unknown} expected
 * @param {string} [message]
 */
export function strictEqual(actual, expected, message) {
  if (actual !== expected) throw new Error(message ?? `expected ${String(actual)} to be ${String(expected)}`);
}

/**
 * @param {unknown} actual
 * @param {unknown} expected
 * @param {string} [message]
 */
export function notStrictEqual(actual, expected, message) {
  if (actual === expected) throw new Error(message ?? `expected a value other than ${String(expected)}`);
}
