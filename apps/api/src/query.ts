import { parseInput, uuidSchema } from '@utskick/http';
import { ALL_STATUSES } from '@utskick/messages';
import { z } from 'zod';

const pageSchema = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(1000, 'at most 1000').default(100),
  cursor: uuidSchema.optional(),
});

export function parsePage(query: unknown) {
  return parseInput(pageSchema, query, 'query');
}

export function parseMessageQuery(query: unknown) {
  return parseInput(
    pageSchema.extend({
      status: z.enum(ALL_STATUSES as [string, ...string[]], { error: `must be one of ${ALL_STATUSES.join(', ')}` }).optional(),
    }),
    query,
    'query',
  );
}
