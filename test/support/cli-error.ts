// Awaiting a refusal: the typed error it ended with, and all of its text.
import { expect } from 'vitest';
import { CliError } from '../../src/errors.js';

export async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

/** The message and its detail lines, as the CLI prints them. */
export const fullText = (error: CliError) => [error.message, ...error.details].join('\n');
