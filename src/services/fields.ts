import { z } from 'zod';
import { isSafeId } from '../upstream/ids.js';

/** Field shapes that rows of several services share. */

/** An id that comes back from an upstream and is used as a key for further calls: the client-id rules apply. */
export const Id = z.string().refine(isSafeId, 'not a usable id');
/** An id that is only shown, never sent upstream again. */
export const OpaqueId = z.string();
/** GraphQL's Int is 32-bit: a larger number would fail serialisation as a gateway error, not as the upstream's bad response. */
export const Int32 = z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);
/**
 * Any ISO-8601 date or date-time, with or without an offset: the contract
 * promises no more, and a row is not a bad response for lacking a time zone.
 */
export const IsoDateTime = z.union([z.iso.datetime({ offset: true, local: true }), z.iso.date()]);
