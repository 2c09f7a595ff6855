/** Turns a connection-test result into the toast PRODUCT.md §3 describes. */
import type { ProbeResult, ProbeStep } from '../../../../shared/probe';
import type { ToastContent } from '../../components/toast';
import { fixLine } from '../../lib/api';

const stepLabels: Record<ProbeStep, string> = {
  credentials: 'Signing in',
  write: 'Uploading a probe object',
  read: 'Reading the probe object back',
  'public-url': 'Checking the public URL',
  delete: 'Deleting the probe object',
};

export function probeToast(result: ProbeResult): ToastContent {
  if (!result.ok && result.failure) {
    const f = result.failure;
    return { tone: 'error', title: `Connection test failed at: ${stepLabels[f.step]}`, lines: [f.message, fixLine(f.fix)] };
  }
  const writeOnly = result.learned.writeOnly ? ['This key may write but not read: offloading works, links need a public URL.'] : [];
  if (result.warnings.length) {
    return {
      tone: 'warning',
      title: 'Connection works, with warnings',
      lines: [...writeOnly, ...result.warnings.flatMap((w) => [`${stepLabels[w.step]}: ${w.message}`, fixLine(w.fix)])],
    };
  }
  return { tone: 'success', title: 'Connection works', lines: [...writeOnly, 'A probe object was uploaded, read back byte for byte, and deleted.'] };
}
