import type { KeyedRead, Write } from './define.js';
import { inventory } from './inventory.js';
import { notifications } from './notifications.js';
import { orders } from './orders.js';
import { products } from './products.js';
import { reviews } from './reviews.js';
import { users } from './users.js';

/**
 * Every REST service the gateway calls. Adding a service is one module
 * (see docs/architecture.md, "Adding a service") and one entry here; the
 * order is the order of the demo ports and of listings.
 */
export const SERVICES = [users, orders, notifications, products, inventory, reviews] as const;

export type Service = (typeof SERVICES)[number];
export type ServiceName = Service['name'];
export const SERVICE_NAMES: readonly ServiceName[] = SERVICES.map((service) => service.name);

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;

/** Every keyed read of every service, by its loader name. */
export type Reads = UnionToIntersection<Service['reads']>;
export type ReadName = keyof Reads & string;

export const READS = collectByName('read', (service) => service.reads) as unknown as Reads;

/** Every write of every service, by its name (the name of its mutation). */
export type Writes = UnionToIntersection<Service['writes']>;
export type WriteName = keyof Writes & string;

export const WRITES = collectByName('write', (service) => service.writes) as unknown as Writes;

function collectByName<T extends KeyedRead | Write>(kind: string, of: (service: Service) => object): Readonly<Record<string, T>> {
  const all: Record<string, T> = {};
  for (const service of SERVICES) {
    for (const item of Object.values(of(service)) as T[]) {
      // One loader (or mutation) per name: two services declaring the same one would silently shadow each other.
      if (all[item.name]) throw new TypeError(`${kind} "${item.name}" is declared by both ${all[item.name]!.service} and ${item.service}`);
      all[item.name] = item;
    }
  }
  return Object.freeze(all);
}
