/**
 * A job manifest: what a client UI may show about a job (the display fields of
 * kanade's `UserInvokableJob`) and how the host runs it. The "how" names a key
 * of the JobHost's allow-list, so a manifest can choose among the binaries the
 * host already trusts but can never add one; arguments, cwd and env still pass
 * the host's policy at execute time.
 */
import * as z from 'zod';
import type { JobRun, UserInvokableJob as UserInvokableJobType } from '../../contracts/catalog-types.js';
import { UserInvokableJob } from '../../contracts/catalog-types.js';
import { stringMapOrEmpty } from '../../contracts/containers.js';
import { i64, str, u64 } from '../../contracts/wire.js';

/** Printable, 1–128 characters: ids appear in logs, labels and the client's UI. */
const manifestId = str.regex(/^[^\p{Cc}]{1,128}$/u, 'expected 1 to 128 printable characters');
const text = str.min(1, 'must not be empty');

/**
 * One job manifest, validated strictly: an unknown key (a typo such as
 * `user_invocable`) is an error rather than silently ignored, because a
 * manifest is host configuration, not a message from a newer peer.
 */
export const CatalogManifest = z.strictObject({
  /** Stable id: `jobs.list[].id`, `jobs.execute` params, the key of `last_run`. */
  id: manifestId,
  display_name: text,
  display_description: str.optional(),
  /** lucide-react icon name or a `data:` URL. */
  icon: str.optional(),
  /** Free-form tab key (`software_update`, `troubleshoot`, …). */
  category: text,
  category_label: str.optional(),
  category_icon: str.optional(),
  category_order: i64.optional(),
  version: str,
  /** A key of the host's allow-list (`binaries`); never a path. */
  binary: text,
  /** Arguments, passed without a shell and checked by the binary's argument rule. @default [] */
  args: z.array(str).default([]),
  /** Working directory relative to the host's root. @default the root */
  cwd: str.optional(),
  /** Variables added to the host's base environment; the binary's `env` rule must name each (the deny list applies too). @default {} */
  env: stringMapOrEmpty,
  /** Kill deadline in seconds, 1 and up. @default the catalog's `defaultTimeoutSecs` */
  timeout_secs: u64.min(1, 'must be 1 or more (leave it out for the default)').optional(),
  /** Only `true` manifests are listed or may be executed; required so that forgetting it is an error. */
  user_invokable: z.boolean(),
});
/** A validated job manifest (defaults filled in). */
export type CatalogManifest = z.output<typeof CatalogManifest>;
/** A job manifest as written in a file or object (`args` and `env` optional). */
export type CatalogManifestInput = z.input<typeof CatalogManifest>;

/**
 * The `jobs.list` row for a manifest. Parsed through the wire schema so that
 * absent fields are absent keys (never `null`) and keys come in Rust order.
 */
export function toListItem(manifest: CatalogManifest, timeoutSecs: number, lastRun: JobRun | undefined): UserInvokableJobType {
  return UserInvokableJob.parse({
    id: manifest.id,
    display_name: manifest.display_name,
    display_description: manifest.display_description,
    icon: manifest.icon,
    category: manifest.category,
    category_label: manifest.category_label,
    category_icon: manifest.category_icon,
    category_order: manifest.category_order,
    version: manifest.version,
    timeout_secs: timeoutSecs,
    last_run: lastRun,
  });
}
