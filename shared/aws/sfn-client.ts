import { SFNClient, type SFNClientConfig } from '@aws-sdk/client-sfn';

export interface SfnClientOptions {
  /**
   * Endpoint override: the local Step Functions endpoint, or whatever the composition root read from
   * `AWS_ENDPOINT_URL_SFN`. Default: none, the regional AWS endpoint.
   */
  readonly endpoint?: string;
  /** Default: the SDK's own resolution (AWS_REGION, profile). */
  readonly region?: string;
  /** Default: the SDK's credential chain. */
  readonly credentials?: SFNClientConfig['credentials'];
}

/**
 * The one place an `SFNClient` is built. With an endpoint override the client must not prepend host
 * prefixes: `StartSyncExecution` is modelled with a `sync-` host prefix, which turns `127.0.0.1` into
 * the unresolvable `sync-127.0.0.1`. Against AWS the prefix stays (it routes to the sync fleet).
 * Pass the endpoint explicitly: the SDK would also pick up `AWS_ENDPOINT_URL_SFN` on its own, but
 * without `disableHostPrefix`, so StartSyncExecution would fail.
 */
export function createSfnClient({ endpoint, region, credentials }: SfnClientOptions = {}): SFNClient {
  return new SFNClient({
    ...(region === undefined ? {} : { region }),
    ...(credentials === undefined ? {} : { credentials }),
    ...(endpoint === undefined ? {} : { endpoint, disableHostPrefix: true }),
  });
}
