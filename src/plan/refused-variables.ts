// Variables a secret may not set: they change how the build itself runs (which programs,
// which PHP configuration, where composer keeps its state) rather than configure it.

export const REFUSED_VARIABLES: readonly string[] = [
  'PATH',
  'HOME',
  'SHELL',
  'IFS',
  'ENV',
  'BASH_ENV',
  'CDPATH',
  'PS4',
  'TMPDIR',
  'NODE_OPTIONS',
  'PHPRC',
  'PHP_INI_SCAN_DIR',
  'COMPOSER',
  'COMPOSER_HOME',
  'COMPOSER_CACHE_DIR',
  'COMPOSER_BINARY',
  'COMPOSER_VENDOR_DIR',
  'COMPOSER_BIN_DIR',
  'GIT_DIR',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_EXEC_PATH',
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_SYSTEM',
];

export const REFUSED_VARIABLE_PREFIXES: readonly string[] = ['LD_', 'DYLD_'];

export function isRefusedVariable(name: string): boolean {
  return REFUSED_VARIABLES.includes(name) || REFUSED_VARIABLE_PREFIXES.some((prefix) => name.startsWith(prefix));
}
