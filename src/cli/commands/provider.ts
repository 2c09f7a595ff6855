/** `offload test` and `offload secret`: the connection test and the keychain, from the command line. */
import type { OffloadService } from '../../core/service';
import type { ProbeIssue } from '../../shared/probe';
import { UsageError } from '../args';
import type { CliIo } from '../io';
import { printLines } from '../terminal-safe';

const describeIssue = (i: ProbeIssue): string[] => [`  step:  ${i.step}`, `  cause: ${i.message}`, `  fix:   ${i.fix}`];

export async function testCommand(service: OffloadService, providerId: string | undefined, json: boolean, io: CliIo): Promise<number> {
  const result = await service.providers.test(providerId);
  if (json) {
    printLines(io.out, JSON.stringify(result, null, 2));
    return result.ok ? 0 : 1;
  }
  if (result.failure) {
    io.out(`✗ connection test failed for "${result.providerId}"`);
    describeIssue(result.failure).forEach((l) => io.out(l));
  } else {
    io.out(`✓ "${result.providerId}" works: wrote, read back${result.warnings.some((w) => w.step === 'delete') ? '' : ' and deleted'} a probe object`);
  }
  for (const warning of result.warnings) {
    io.out(`! warning`);
    describeIssue(warning).forEach((l) => io.out(l));
  }
  return result.ok ? 0 : 1;
}

export async function secretCommand(service: OffloadService, positionals: string[], io: CliIo, stdin: () => Promise<string>): Promise<number> {
  const [action, providerId] = positionals;
  if ((action !== 'set' && action !== 'delete') || !providerId || positionals.length > 2) {
    throw new UsageError('secret: give `set PROVIDER_ID` or `delete PROVIDER_ID` (the secret is read from standard input, never from arguments)');
  }
  if (action === 'delete') {
    io.out((await service.providers.deleteSecret(providerId)) ? `removed the secret of "${providerId}" from the keychain` : `no secret for "${providerId}" in the keychain`);
    return 0;
  }
  await service.providers.setSecret(providerId, await stdin());
  io.out(`stored the secret of "${providerId}" in the OS keychain`);
  return 0;
}
