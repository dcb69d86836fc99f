import { z } from 'zod';
import { ValidationError } from './problem';

/** Parses input with a schema; a failure becomes a 400 naming each field and its reason. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((i) => ({
      field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || 'body',
      reason: i.message,
    })),
  );
}

export const uuidSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

/** Path ids: a malformed one is simply not found (it cannot name anything of the tenant's). */
export function isUuid(id: string): boolean {
  return uuidSchema.safeParse(id).success;
}
