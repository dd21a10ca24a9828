// An API base URL as SDKs that take host, port and protocol separately want it (the Stripe SDK:
// pointed at the local emulator, or at api.stripe.com when no URL is given).
export interface SdkEndpoint {
  host: string;
  port: string | number;
  protocol: 'http' | 'https';
}

export function sdkEndpoint(apiUrl: string): SdkEndpoint {
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  return { host: url.hostname, port: url.port || (protocol === 'https' ? 443 : 80), protocol };
}
