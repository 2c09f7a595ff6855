/** Fixed test principals of the Ceph RGW lab; never real credentials. */
import type { LabUser } from '../s3-lab/sigv4.ts';

export const rgwUsers = {
  main: { accessKeyId: 'RGWMAINKEY0000000001', secretAccessKey: 'rgw-main-secret-000000000000000000000001' },
  other: { accessKeyId: 'RGWOTHERKEY000000002', secretAccessKey: 'rgw-other-secret-00000000000000000000002' },
  /** A subuser of main that may only write (`--access=write`): 403 on GET, HEAD and List. */
  writer: { accessKeyId: 'RGWWRITERKEY00000003', secretAccessKey: 'rgw-writer-secret-0000000000000000000003' },
} satisfies Record<string, LabUser>;
