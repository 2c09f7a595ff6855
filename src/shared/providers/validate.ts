/**
 * Field rules and readiness for a provider, from its catalog entry. Shared so the settings screen
 * validates as the user types with exactly the rules the engine applies. Messages name the rule.
 */
import type { ProviderSettings } from '../settings';
import { objectKey, type KeyResult } from '../object-key';
import { entryOf, needsEndpoint, type ProviderEntry } from './catalog';

/** The key a sample render (`renders/shot-0042.png`, modified 2026-12-02) gets with this prefix and template. */
export function keyExample(prefix: string, template: string | null | undefined): KeyResult {
  return objectKey({ prefix, template, relPath: 'renders/shot-0042.png', sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', mtimeMs: Date.UTC(2026, 11, 2, 9, 30), host: 'this-computer' });
}

export interface FieldIssue {
  field: 'bucket' | 'region' | 'endpoint' | 'accountId' | 'accessKeyId' | 'secret' | 'publicUrl' | 'keyPrefix' | 'keyTemplate' | 'storageClass';
  message: string;
}

/** Why a bucket name breaks the provider's naming rules, or null when it is fine. */
export function bucketNameProblem(name: string, rules: ProviderEntry['bucketRules']): string | null {
  if (!name) return 'Bucket is required';
  const max = rules === 'gcs' && name.includes('.') ? 222 : 63;
  if (name.length < 3 || name.length > max) return `Bucket names are 3 to ${max} characters long`;
  const allowed = rules === 'gcs' ? /^[a-z0-9._-]+$/ : /^[a-z0-9.-]+$/;
  if (!allowed.test(name)) return `Bucket names use lowercase letters, digits, dots and hyphens${rules === 'gcs' ? ' (and underscores)' : ''} only`;
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'Bucket names start and end with a letter or digit';
  if (name.includes('..')) return 'Bucket names cannot contain two dots in a row';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'Bucket names cannot look like an IP address';
  return null;
}

const isHttpUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
};

/**
 * Whether requests may be signed with this machine's own credentials (the AWS SDK's default chain) when
 * none are stored: where the catalog allows it, and only at the provider's own endpoint — a custom
 * endpoint could be any server.
 */
export function mayUseDefaultChain(p: Pick<ProviderSettings, 'type' | 'endpoint'>): boolean {
  return entryOf(p.type).defaultCredentialChain && !p.endpoint;
}

/** Every problem with a provider's fields; `hasSecret` says whether a secret is stored for it. */
export function validateProvider(p: ProviderSettings, hasSecret: boolean): FieldIssue[] {
  const entry = entryOf(p.type);
  const issues: FieldIssue[] = [];
  const bucket = bucketNameProblem(p.bucket, entry.bucketRules);
  if (bucket) issues.push({ field: 'bucket', message: bucket });

  if (p.endpoint && !isHttpUrl(p.endpoint)) issues.push({ field: 'endpoint', message: 'Endpoint must be an http:// or https:// URL' });
  else if (needsEndpoint(entry, p) && !p.endpoint) {
    issues.push(entry.accountId ? { field: 'accountId', message: 'Account ID (or a custom endpoint) is required' } : { field: 'endpoint', message: 'Endpoint is required' });
  }
  if (entry.accountId && p.accountId && !entry.accountId.pattern.test(p.accountId)) issues.push({ field: 'accountId', message: entry.accountId.message });
  if (!entry.regionFixed && entry.required.includes('region')) {
    if (!p.region) issues.push({ field: 'region', message: 'Region is required' });
    else if (entry.regions && !entry.regions.includes(p.region)) issues.push({ field: 'region', message: `Region must be one of ${entry.regions.join(', ')}` });
    else if (entry.regionPattern && !entry.regionPattern.test(p.region)) issues.push({ field: 'region', message: `"${p.region}" does not look like a ${entry.label} region` });
  }
  const credentialsOptional = mayUseDefaultChain(p) && !p.accessKeyId && !hasSecret;
  if (!credentialsOptional) {
    if (!p.accessKeyId) issues.push({ field: 'accessKeyId', message: 'Access key ID is required' });
    if (!hasSecret) issues.push({ field: 'secret', message: 'Secret is required' });
  }
  if (p.publicUrl && !isHttpUrl(p.publicUrl)) issues.push({ field: 'publicUrl', message: 'Public URL must be an http:// or https:// URL' });
  if (p.keyPrefix.split('/').some((s) => s === '.' || s === '..')) issues.push({ field: 'keyPrefix', message: 'Key prefix cannot contain "." or ".." segments' });
  else if (p.keyTemplate) {
    // A template is checked on a sample file: an unknown token or an escaping segment fails every file.
    const sample = keyExample(p.keyPrefix, p.keyTemplate);
    if (!sample.ok) issues.push({ field: 'keyTemplate', message: sample.message });
  }
  if (p.storageClass && !entry.storageClasses.includes(p.storageClass)) {
    issues.push({ field: 'storageClass', message: `Storage class must be one of ${entry.storageClasses.join(', ')}` });
  }
  return issues;
}

/** `retired`: kept only for the files it holds (settings.ts `retired`), never a choice for new files. */
export type ProviderStatus = 'retired' | 'disabled' | 'incomplete' | 'ready';

/** Ready = enabled and every required field plus its secret present and valid (PRODUCT.md §1). */
export function providerReadiness(p: ProviderSettings, hasSecret: boolean): { status: ProviderStatus; issues: FieldIssue[] } {
  const issues = validateProvider(p, hasSecret);
  if (p.retired) return { status: 'retired', issues };
  if (!p.enabled) return { status: 'disabled', issues };
  return { status: issues.length === 0 ? 'ready' : 'incomplete', issues };
}
