/**
 * The HTTPS proxy for coordinator connections. gRPC's own proxy support reads only the lower-case variables
 * (grpc_proxy, https_proxy, no_grpc_proxy, no_proxy) when a channel is made; IT usually sets HTTPS_PROXY and
 * NO_PROXY, so those are copied to the names gRPC reads, and a managed policy's proxy wins over both.
 */
import type { ManagedProxy } from '../policy/managed-policy-schema.ts';

type Environment = Record<string, string | undefined>;

export function applyProxyEnvironment(proxy: ManagedProxy | undefined, env: Environment = process.env): void {
  if (proxy) {
    env.grpc_proxy = proxy.url;
    env.no_grpc_proxy = (proxy.noProxy ?? []).join(',');
    return;
  }
  if (!env.https_proxy && env.HTTPS_PROXY) env.https_proxy = env.HTTPS_PROXY;
  if (!env.no_proxy && env.NO_PROXY) env.no_proxy = env.NO_PROXY;
}
