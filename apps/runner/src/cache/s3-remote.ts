import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { UserInputError, type CacheRemote } from '@stagegraph/pipeline';
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * A cache remote in S3 or any S3-compatible store (MinIO, Ceph, R2, s3rver): objects
 * `<prefix>/entries/<key>/<file>` with `manifest.json` uploaded last, and `<prefix>/recipes/<recipe>`.
 * Credentials and region come from the AWS SDK's usual sources (environment, profile, instance
 * role); `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` points it at another store.
 */
export class S3Remote implements CacheRemote {
  private client?: Promise<{ s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') }>;

  private constructor(
    readonly url: string,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  /** `s3://bucket/prefix` (the scheme in any case) -> the remote; anything else is a one-line usage error. */
  static parse(url: string, flag = '--cache-dir'): S3Remote {
    const match = /^[sS]3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
    if (!match)
      throw new UserInputError(
        `${flag} ${url}: expected s3://<bucket>/<prefix> with a bucket name of 3-63 lowercase letters, digits, dots or dashes`,
      );
    const prefix = (match[2] ?? '').replace(/\/+$/, '');
    // the prefix also names the local copy's folder: `..` would put it elsewhere, and `?`/`#` are not part of a key
    if (/[?#]/.test(prefix))
      throw new UserInputError(
        `${flag} ${url}: expected s3://<bucket>/<prefix> without a ?query or #fragment, got "${prefix.match(/[?#].*/)![0]}"`,
      );
    if (prefix && prefix.split('/').some((part) => part === '' || part === '.' || part === '..'))
      throw new UserInputError(
        `${flag} ${url}: expected a prefix of names separated by single slashes, got "${prefix}" (with an empty, "." or ".." part)`,
      );
    return new S3Remote(`s3://${match[1]}${prefix ? `/${prefix}` : ''}`, match[1], prefix);
  }

  /**
   * The local folder that keeps this remote's copy: `.stagegraph/s3/<bucket>/prefix-<prefix, %-encoded>`
   * (`root` for none). One folder per prefix, never nested: the copy of `s3://b/a/b` is not inside `s3://b/a`'s.
   */
  get localDir(): string {
    return join('.stagegraph', 's3', this.bucket, this.prefix ? `prefix-${encodeURIComponent(this.prefix)}` : 'root');
  }

  /** The SDK is loaded only when an S3 cache is used (it is large, and warns on older Node). */
  private connect() {
    // the SDK's notice about its future Node versions is not the run's business (unless asked for)
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.client ??= import('@aws-sdk/client-s3').then((sdk) => {
      const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
      const s3 = new sdk.S3Client({
        ...(endpoint && { endpoint, forcePathStyle: true }),
        region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      });
      return { s3, sdk };
    });
    return this.client;
  }

  private key(...parts: string[]) {
    return [this.prefix, ...parts].filter(Boolean).join('/');
  }

  /** An object's bytes, or undefined when there is none. */
  private async get(key: string): Promise<Uint8Array | undefined> {
    const { s3, sdk } = await this.connect();
    try {
      const object = await s3.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await object.Body!.transformToByteArray();
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      throw this.explain(error, `read ${key}`);
    }
  }

  private async put(key: string, body: Uint8Array | string): Promise<void> {
    const { s3, sdk } = await this.connect();
    await s3.send(new sdk.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body })).catch((error: unknown) => {
      throw this.explain(error, `write ${key}`);
    });
  }

  /** One line naming the remote, what it was doing and what the store said. */
  private explain(error: unknown, doing: string): Error {
    const e = error as { name?: string; message?: string; code?: string };
    const message = `cache ${this.url}: could not ${doing}`;
    // a bucket that is not there, or credentials it refuses: the user's to fix (exit 2)
    if (e.name === 'NoSuchBucket')
      return new UserInputError(`${message}: expected an existing bucket, got no bucket "${this.bucket}"`);
    if (e.name === 'AccessDenied' || e.name === 'InvalidAccessKeyId' || e.name === 'SignatureDoesNotMatch')
      return new UserInputError(`${message}: the store refused the credentials (${e.name})`);
    return new Error(`${message} (${e.name ?? e.code ?? 'error'}: ${e.message ?? String(error)})`);
  }

  async pull(key: string, dir: string): Promise<boolean> {
    const manifest = await this.get(this.key('entries', key, 'manifest.json'));
    if (!manifest) return false;
    let files: string[];
    try {
      files = Object.keys((JSON.parse(new TextDecoder().decode(manifest)) as { files: Record<string, unknown> }).files);
    } catch {
      return false; // not a manifest: a miss, and the entry is computed and pushed again
    }
    // names come from the bucket: one that would land outside the entry makes the entry a miss
    if (files.some((file) => isAbsolute(file) || file.split(/[\\/]/).includes('..'))) return false;
    for (const file of files) {
      const data = await this.get(this.key('entries', key, file));
      if (!data) return false; // removed under us: a miss
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), data);
    }
    await writeFile(join(dir, 'manifest.json'), manifest);
    return true;
  }

  async push(key: string, dir: string, files: string[]): Promise<void> {
    for (const file of files) await this.put(this.key('entries', key, file), await readFile(join(dir, file)));
    await this.put(this.key('entries', key, 'manifest.json'), await readFile(join(dir, 'manifest.json')));
  }

  async recipe(recipeKey: string): Promise<string | undefined> {
    const data = await this.get(this.key('recipes', recipeKey));
    return data && new TextDecoder().decode(data).trim();
  }

  async list(): Promise<{ key: string; manifest: string }[]> {
    const { s3, sdk } = await this.connect();
    const entries = `${this.key('entries')}/`;
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3
        .send(new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: entries, ContinuationToken: token }))
        .catch((error: unknown) => {
          throw this.explain(error, `list ${entries}`);
        });
      for (const { Key } of page.Contents ?? []) {
        const [key, file, ...more] = (Key ?? '').slice(entries.length).split('/');
        if (file === 'manifest.json' && more.length === 0) keys.push(key); // an upload cut short has none: not an entry
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const listed = [];
    for (const key of keys.sort()) {
      const manifest = await this.get(this.key('entries', key, 'manifest.json'));
      if (manifest) listed.push({ key, manifest: new TextDecoder().decode(manifest) }); // else removed under us
    }
    return listed;
  }

  async linkRecipe(recipeKey: string, entryKey: string): Promise<void> {
    await this.put(this.key('recipes', recipeKey), `${entryKey}\n`);
  }
}
