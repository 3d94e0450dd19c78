/**
 * One API key as configured: who it is (`name`), the secret or its SHA-256, what it may reach
 * (models, route classes) and its limits. A plain string is a key with no limits and every scope.
 */
import { z } from 'zod';

/** The classes of routes a key may be allowed; see `routeScopeOf`. */
export const ROUTE_SCOPES = ['openai', 'native', 'sidecar', 'admin'] as const;
export type RouteScope = (typeof ROUTE_SCOPES)[number];

const positiveInt = z.number().int().positive();
const priorityClass = z.number().int().min(0).max(9);

export const apiKeyEntrySchema = z
  .strictObject({
    /** Shown in logs, metrics (`key` label) and usage; never the secret. */
    name: z.string().regex(/^[\w.@-]{1,64}$/, 'letters, digits, `_`, `.`, `@`, `-`; at most 64'),
    key: z.string().min(1).optional(),
    /** Hex SHA-256 of the key, so the file holds no secret (`llm-sidecar keys hash`). */
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, '64 hex digits').optional(),
    /** Globs (`*`, `?`) over model names; absent = every model. */
    models: z.array(z.string().min(1)).optional(),
    /** Route classes; absent = every class. */
    routes: z.array(z.enum(ROUTE_SCOPES)).optional(),
    rpm: positiveInt.optional(),
    tpm: positiveInt.optional(),
    maxConcurrent: positiveInt.optional(),
    priority: priorityClass.optional(),
    maxPriority: priorityClass.optional(),
    weight: z.number().positive().max(1000).optional(),
    dailyTokens: positiveInt.optional(),
    monthlyTokens: positiveInt.optional(),
  })
  .refine((entry) => (entry.key === undefined) !== (entry.sha256 === undefined), { message: 'give exactly one of `key` and `sha256`' })
  .refine((entry) => entry.priority === undefined || entry.maxPriority === undefined || entry.priority >= entry.maxPriority, {
    message: '`priority` must not be more urgent (lower) than `maxPriority`',
    path: ['priority'],
  });

export const apiKeySchema = z.union([z.string().min(1), apiKeyEntrySchema]);

/** What `apiKeysFile` holds: a list of entries (or plain keys). */
export const apiKeysFileSchema = z.array(apiKeySchema);

export type ApiKeyEntry = z.infer<typeof apiKeyEntrySchema>;
export type ApiKeyInput = z.infer<typeof apiKeySchema>;
