// --leak-check-ignore globs. Pure. A glob is matched against the whole path relative to the
// swept folder, with `/` between folders: `*` and `?` stay within a folder name, `**` spans
// folders (`vendor/**/.env`, `**/*.log`), `[abc]` / `[!abc]` match one character. A glob
// that matches a folder leaves out everything in it.
import { UsageError } from '../errors.js';

export type PathFilter = (relativePath: string) => boolean;

function globPattern(glob: string): RegExp {
  const text = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  let source = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '*' && text[i + 1] === '*') {
      const slashAfter = text[i + 2] === '/';
      // `**/` matches no folder too; `**` at the end matches everything below.
      source += slashAfter ? '(?:[^/]*/)*' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const close = text.indexOf(']', i + 2);
      if (close === -1) throw new UsageError('--leak-check-ignore: a glob has a [ without its ]');
      const inner = text
        .slice(i + 1, close)
        .replace(/^!/, '^')
        .replace(/[\\\]]/g, '\\$&');
      source += `[${inner}]`;
      i = close;
    } else {
      source += char.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}

/** Whether a path is left out by any of `globs`. */
export function ignoredBy(globs: readonly string[]): PathFilter {
  const patterns = globs.map(globPattern);
  if (patterns.length === 0) return () => false;
  return (relativePath) => patterns.some((pattern) => pattern.test(relativePath));
}
