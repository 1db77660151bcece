import type DataLoader from 'dataloader';
import type { ServiceName } from '../config.js';
import { READS, type KeyedRead, type NotificationRow, type OrderRow, type ProductRow, type SalesRow, type StockRow, type UserRow } from '../upstream/endpoints.js';
import type { CallOptions } from '../upstream/call.js';
import type { ServiceClient } from '../upstream/service-client.js';
import { manyByKey, oneByKey } from './keyed-loader.js';

export type ServiceClients = { readonly [S in ServiceName]: ServiceClient };

/** The DataLoaders of one GraphQL request. Never shared: each request gets its own set. */
export interface Loaders {
  readonly userById: DataLoader<string, UserRow | null>;
  readonly ordersByUserId: DataLoader<string, OrderRow[] | null>;
  readonly notificationsByUserId: DataLoader<string, NotificationRow[] | null>;
  readonly productById: DataLoader<string, ProductRow | null>;
  readonly stockByProductId: DataLoader<string, StockRow | null>;
  readonly salesByProductId: DataLoader<string, SalesRow | null>;
}

type Factories = { readonly [K in keyof Loaders]: () => Loaders[K] };

/**
 * Loaders are built on first use, so a request pays only for the ones its query touches.
 * `callFor` gives each service its own call options: its headers differ (per-service forwarding).
 */
export function createLoaders(clients: ServiceClients, callFor: (service: ServiceName) => CallOptions): Loaders {
  // Each read names its service; the loader gets that service's client and call options.
  const one = <Row extends object>(read: KeyedRead<Row>) => () => oneByKey(read, clients[read.service], callFor(read.service));
  const many = <Row extends object>(read: KeyedRead<Row>) => () => manyByKey(read, clients[read.service], callFor(read.service));
  const factories: Factories = {
    userById: one(READS.userById),
    ordersByUserId: many(READS.ordersByUserId),
    notificationsByUserId: many(READS.notificationsByUserId),
    productById: one(READS.productById),
    stockByProductId: one(READS.stockByProductId),
    salesByProductId: one(READS.salesByProductId),
  };
  const built: Partial<Record<keyof Loaders, unknown>> = {};
  const loaders = {} as Loaders;
  for (const name of Object.keys(factories) as Array<keyof Loaders>) {
    Object.defineProperty(loaders, name, {
      enumerable: true,
      get: () => (built[name] ??= factories[name]()),
    });
  }
  return loaders;
}
