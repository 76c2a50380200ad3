import { describeOwner, type OwnerRef } from '../../model/secret.js';

/** The confirmation of a store change: what was changed where, never the value. */
export function renderChange(verb: 'set' | 'deleted', owner: OwnerRef, name: string, environment: string | undefined): string {
  const what = environment === undefined ? `secret '${name}'` : `the ${environment} override of secret '${name}'`;
  return `${verb === 'set' ? 'Set' : 'Deleted'} ${what} of ${describeOwner(owner)}.\n`;
}
