// A secret's value typed at a terminal: read in raw mode, so the terminal does not echo it,
// up to Enter, which is not part of it. The value is never written anywhere on the way.
import type { OutputStream, TerminalInput } from '../context.js';
import { CancelledError, UsageError } from '../errors.js';

/** Whether `stdin` is a terminal that can be read without echo. */
export function isTerminal(stdin: TerminalInput): stdin is TerminalInput & { setRawMode: (raw: boolean) => unknown } {
  return stdin.isTTY === true && typeof stdin.setRawMode === 'function';
}

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const ERASE = new Set(['\u007f', '\b']);
const ESCAPE = '\u001b';

/**
 * One line typed at the terminal, without echo: Backspace erases a character, Ctrl-U the
 * line; Ctrl-C (and Ctrl-D on an empty line) cancel. Other control characters and the
 * escape sequences of arrow and function keys are dropped: no value typed by hand holds them.
 */
export async function readHiddenLine(
  stdin: TerminalInput & { setRawMode: (raw: boolean) => unknown },
  stderr: OutputStream,
  prompt: string,
): Promise<string> {
  stderr.write(prompt);
  stdin.setRawMode(true);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let value = '';
  let escapeState: 'none' | 'started' | 'sequence' = 'none';
  let onData!: (chunk: Buffer | string) => void;
  let onEnd!: () => void;
  try {
    return await new Promise<string>((resolve, reject) => {
      onEnd = () => resolve(value);
      onData = (chunk) => {
        let text: string;
        try {
          text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
        } catch {
          reject(new UsageError('the <value> typed is not valid UTF-8 text; nothing was changed'));
          return;
        }
        for (const char of text) {
          if (escapeState !== 'none') {
            // ESC [ ... final byte, or ESC O x, or ESC x: a key, not text.
            if (escapeState === 'started' && (char === '[' || char === 'O')) escapeState = 'sequence';
            else if (escapeState === 'started' || (char >= '@' && char <= '~')) escapeState = 'none';
            continue;
          }
          if (ENTER.has(char)) return resolve(value);
          if (char === CTRL_C || (char === CTRL_D && value === ''))
            return reject(new CancelledError('no <value> entered (cancelled); nothing was changed'));
          if (char === CTRL_D) return resolve(value);
          if (ERASE.has(char)) value = Array.from(value).slice(0, -1).join('');
          else if (char === CTRL_U) value = '';
          else if (char === ESCAPE) escapeState = 'started';
          else if (char >= ' ' && char !== '\u007f') value += char;
        }
      };
      stdin.on('data', onData);
      stdin.once('end', onEnd);
      stdin.resume();
    });
  } finally {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    stdin.setRawMode(false);
    stdin.pause();
    // The Enter was not echoed either.
    stderr.write('\n');
  }
}
