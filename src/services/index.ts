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

export const READS: Reads = collectReads();

function collectReads(): Reads {
  const reads: Record<string, KeyedRead> = {};
  for (const service of SERVICES) {
    for (const read of Object.values(service.reads) as KeyedRead[]) {
      // One loader per name: two services declaring the same read would silently shadow each other.
      if (reads[read.name]) throw new TypeError(`read "${read.name}" is declared by both ${reads[read.name]!.service} and ${read.service}`);
      reads[read.name] = read;
    }
  }
  return Object.freeze(reads) as unknown as Reads;
}

/** Every write of every service, by its name (the name of its mutation). */
export type Writes = UnionToIntersection<Service['writes']>;
export type WriteName = keyof Writes & string;

export const WRITES: Writes = collectWrites();

function collectWrites(): Writes {
  const writes: Record<string, Write> = {};
  for (const service of SERVICES) {
    for (const write of Object.values(service.writes) as Write[]) {
      if (writes[write.name]) throw new TypeError(`write "${write.name}" is declared by both ${writes[write.name]!.service} and ${write.service}`);
      writes[write.name] = write;
    }
  }
  return Object.freeze(writes) as unknown as Writes;
}
