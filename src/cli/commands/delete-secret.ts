// What secret:site:delete and secret:org:delete share: the change under the store's lock,
// then what it did.
import { deleteSecret } from '../../model/store-changes.js';
import type { OwnerRef } from '../../model/secret.js';
import { updateStore } from '../../sources/local-store.js';
import type { Context } from '../context.js';
import { renderChange, renderNoOverrideDeleted } from '../render/change.js';

export async function deleteAndReport(ctx: Context, file: string, owner: OwnerRef, name: string, environment: string | undefined): Promise<void> {
  let changed = true;
  await updateStore(ctx.fs, ctx.lock, file, (store) => {
    const next = deleteSecret(store, { owner, name, environment });
    changed = next !== store;
    return next;
  });
  ctx.stdout.write(changed || environment === undefined ? renderChange('deleted', owner, name, environment) : renderNoOverrideDeleted(owner, name, environment));
}
