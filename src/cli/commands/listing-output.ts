// Printing a listing: the rendering on standard output and, when it is empty, Terminus's
// warning on standard error (the exit code stays 0, as with Terminus).
import { writeWarning } from '../../context.js';
import type { Context } from '../context.js';
import { type ListingFormat, type ListingKind, type ListingRow, NO_SECRETS_WARNING, renderListing } from '../render/secret-listing.js';

export function writeListing(
  ctx: Pick<Context, 'stdout' | 'stderr'>,
  rows: readonly ListingRow[],
  kind: ListingKind,
  format: ListingFormat,
): void {
  if (rows.length === 0) writeWarning(ctx, NO_SECRETS_WARNING);
  ctx.stdout.write(renderListing(rows, kind, format));
}
