/**
 * Where a cache's entries are shared between machines (an S3 bucket, say): the local CacheStore
 * reads through it on a miss and writes through it after storing. An entry is pushed file by file
 * with its manifest last, so an entry without a manifest is a miss, and a pulled entry is checked
 * against its manifest's checksums like any other before it is used.
 */
export interface CacheRemote {
  /** For messages: `s3://bucket/prefix`. */
  readonly url: string;
  /** Writes entry `key`'s files and manifest.json into `dir`; false when the remote has no complete entry. */
  pull(key: string, dir: string): Promise<boolean>;
  /** Uploads the entry in `dir` (its files, then manifest.json). */
  push(key: string, dir: string, files: string[]): Promise<void>;
  recipe(recipeKey: string): Promise<string | undefined>;
  linkRecipe(recipeKey: string, entryKey: string): Promise<void>;
  /** Its complete entries (those with a manifest), each with its manifest's text: for `cache ls`. */
  list?(): Promise<{ key: string; manifest: string }[]>;
}
