import { describeOwner, type OwnerRef } from '../../model/secret.js';

/** The confirmation of a store change: what was changed where, never the value. */
export function renderChange(verb: 'set' | 'deleted', owner: OwnerRef, name: string, environment: string | undefined): string {
  const what = environment === undefined ? `secret '${name}'` : `the ${environment} override of secret '${name}'`;
  return `${verb === 'set' ? 'Set' : 'Deleted'} ${what} of ${describeOwner(owner)}.\n`;
}

/** Terminus's answer to deleting an override, for one that was not there; then what we know. */
export function renderNoOverrideDeleted(owner: OwnerRef, name: string, environment: string): string {
  return (
    'Secret environment override deleted if it existed. ' +
    `(Secret '${name}' of ${describeOwner(owner)} had no ${environment} override; nothing changed.)\n`
  );
}
