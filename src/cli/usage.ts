/** The `offload` command's help text (PRODUCT.md §8). */
export const usage = `offload — offload finished files from watch folders to your S3-compatible bucket

Usage:
  offload watch  [--config FILE] [--once]      watch and offload; --once: offload what is finished now, then exit
  offload status [--config FILE] [--json]      queue, active storage, counts
  offload ls     [--config FILE] [--json]      the ledger: every file seen and where it lives
  offload ls --remote --provider ID [--config FILE] [--json]
                                               what provider ID's bucket holds under its key prefix, each object
                                               marked "in library" when this machine's log knows it
  offload url    [--config FILE] PATH [--presign SECONDS]
                                               the link to an offloaded file
  offload test   [--config FILE] [--provider ID] [--json]
                                               the connection test: write, read back, public URL, delete
  offload retry  [--config FILE] PATH… | --failed
                                               give failed files (or named conflicts) a fresh attempt, offloading now
  offload restore [--config FILE] PATH… | --all [--provider ID] [--to DIR]
                                               bring locally removed files back from the bucket, verified, with
                                               their mtimes; never over a different file (that one is kept)
  offload migrate [--config FILE] --from SOURCE --to TARGET [--delete-source] [--dry-run] [--json]
                                               move a storage's files (SOURCE: a provider id, or local for the files
                                               kept on this machine) to provider TARGET, each verified there before
                                               the log points at it; --delete-source then deletes the SOURCE copy;
                                               stopped or killed, running it again finishes the move
  offload retention [--config FILE] --dry-run | --now [--json]
                                               the local retention policy: --dry-run lists the local copies it would
                                               remove now and the bytes that frees; --now removes them (each checked
                                               again first: unchanged here, the same in the bucket)
  offload pin | unpin [--config FILE] PATH…    keep files or folders on this computer whatever the policy says
                                               (unpin: let the policy remove them again)
  offload pause | resume [--config FILE]       hold or restart uploads; a running watch or app follows within a second
  offload secret set|delete PROVIDER_ID        store or remove a provider's secret in the OS keychain
                                               (the secret is read from standard input, never from arguments)
  offload --help | --version

Options:
  --config FILE  the settings file (default: $OFFLOAD_CONFIG, else the desktop app's settings file)

Exit codes: 0 all good, 1 some file or the test failed, 2 bad usage or bad configuration.
Credentials: the OS keychain, then OFFLOAD_<ID>_ACCESS_KEY_ID / OFFLOAD_<ID>_SECRET_ACCESS_KEY (ID upper-cased,
other characters as _), then for Amazon S3 the AWS SDK's default chain.`;
