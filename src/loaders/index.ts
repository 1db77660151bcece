import type DataLoader from 'dataloader';
import { READS, type ReadName, type Reads, type ServiceName } from '../services/index.js';
import type { KeyedRead, ReadValue } from '../services/define.js';
import type { CallOptions } from '../upstream/call.js';
import type { ServiceClient } from '../upstream/service-client.js';
import type { RequestCache } from '../cache/read-through.js';
import { createReadLoader } from './keyed-loader.js';

export type ServiceClients = { readonly [S in ServiceName]: ServiceClient };

/** The DataLoaders of one GraphQL request, one per keyed read, named as the read. Never shared between requests. */
export type Loaders = { readonly [N in ReadName]: DataLoader<string, ReadValue<Reads[N]>> };

/**
 * A request pays only for the loaders its query touches: each is built on
 * first use, through a getter defined once per read on a shared prototype
 * (no per-request property definitions). `callFor` gives each service its own
 * call options: its headers differ (per-service forwarding).
 */
class RequestLoaders {
  readonly built: Partial<Record<ReadName, DataLoader<string, unknown>>> = {};

  constructor(
    readonly clients: ServiceClients,
    readonly callFor: (service: ServiceName) => CallOptions,
    readonly cache: RequestCache | undefined,
  ) {}
}

for (const read of Object.values(READS) as KeyedRead[]) {
  const name = read.name as ReadName;
  const service = read.service as ServiceName;
  Object.defineProperty(RequestLoaders.prototype, name, {
    enumerable: true,
    get(this: RequestLoaders) {
      return (this.built[name] ??= createReadLoader(read, this.clients[service], this.callFor(service), this.cache));
    },
  });
}

export function createLoaders(clients: ServiceClients, callFor: (service: ServiceName) => CallOptions, cache?: RequestCache): Loaders {
  return new RequestLoaders(clients, callFor, cache) as unknown as Loaders;
}
