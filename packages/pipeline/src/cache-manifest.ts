import { z } from 'zod';

/** A file of an entry, named relative to the entry's folder: never absolute, never through `..`. */
const entryFileName = z
  .string()
  .refine(
    (name) => name !== '' && !name.startsWith('/') && !name.split(/[\\/]/).some((part) => part === '..' || part === ''),
    {
      message: 'expected a path inside the entry',
    },
  );

/**
 * What `manifest.json` of a cache entry holds. Checked on every load: a manifest of any other
 * shape (`[]`, a missing field, a file outside the entry) is a corrupt entry, not a crash.
 */
export const cacheManifestSchema = z.object({
  key: z.string(),
  stageId: z.string(),
  stageType: z.string(),
  stageVersion: z.number(),
  params: z.unknown(),
  createdAt: z.iso.datetime(),
  durationMs: z.number(),
  /** Port name -> port kind (the codec that wrote it). */
  outputs: z.record(z.string(), z.string()),
  /** Port name -> sha256 of that port's files: what readers of the port are keyed by (early cutoff). */
  outputHashes: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  /** Every file of the entry with its size and sha256, checked on load. */
  files: z.record(
    entryFileName,
    z.object({ size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  ),
  /** Facts about where it was computed (the tensor backend, say). */
  environment: z.record(z.string(), z.string()).optional(),
});

export type CacheManifest = z.infer<typeof cacheManifestSchema>;
