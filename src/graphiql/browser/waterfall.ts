import type { UpstreamCallTrace } from '../../errors/contract.js';

/**
 * The geometry and labels of the "Upstream calls" panel, apart from React so
 * that it can be tested without a browser. Every part of a response shares
 * one time axis: `startMs` counts from the operation's start in every part.
 */

/** A trace entry as it may come: an entity cache marks the calls it answered or refreshed with `cache`. */
export type TracedCall = UpstreamCallTrace & { readonly cache?: string };

/** The calls listed by one part of a response: the response itself, or one incremental (@defer/@stream) part. */
export interface TracedPart {
  readonly title: string;
  /** `undefined`: the part had no `extensions.upstreams` (the trace is off, or the request was refused). */
  readonly calls: readonly TracedCall[] | undefined;
}

export interface WaterfallBar {
  readonly service: string;
  /** From the operation's start, as the trace says. */
  readonly startMs: number;
  readonly endMs: number;
  /** Position and length on the time axis, in percent of its span. */
  readonly leftPercent: number;
  readonly widthPercent: number;
  readonly label: string;
  readonly failed: boolean;
  readonly cache: string | undefined;
}

export interface WaterfallService {
  readonly service: string;
  /** The colour of its bars: the same for a service in every drawing, never red (failures are). */
  readonly hue: number;
  readonly bars: readonly WaterfallBar[];
}

export interface WaterfallGroup {
  readonly title: string;
  readonly traced: boolean;
  readonly services: readonly WaterfallService[];
}

export interface Waterfall {
  /** The end of the last call: the span of the time axis. */
  readonly spanMs: number;
  readonly calls: number;
  readonly groups: readonly WaterfallGroup[];
}

/** A call shorter than this share of the axis is still drawn this wide, so that it stays visible. */
const MIN_WIDTH_PERCENT = 0.75;

export function layoutWaterfall(parts: readonly TracedPart[]): Waterfall {
  const calls = parts.flatMap((part) => part.calls ?? []);
  const spanMs = Math.max(1, ...calls.map((call) => call.startMs + call.durationMs));
  const groups = parts.map((part) => ({ title: part.title, traced: part.calls !== undefined, services: byService(part.calls ?? [], spanMs) }));
  return { spanMs, calls: calls.length, groups };
}

/** Services in the order of their first call; each call keeps its own bar. */
function byService(calls: readonly TracedCall[], spanMs: number): WaterfallService[] {
  const services = new Map<string, WaterfallBar[]>();
  for (const call of [...calls].sort((a, b) => a.startMs - b.startMs)) {
    const bars = services.get(call.service) ?? [];
    bars.push(barOf(call, spanMs));
    services.set(call.service, bars);
  }
  return [...services].map(([service, bars]) => ({ service, hue: serviceHue(service), bars }));
}

/** One of ten hues 30 degrees apart, from 30 to 300, by a hash of the name: no list of services to keep here. */
export function serviceHue(service: string): number {
  let hash = 0;
  for (const char of service) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return 30 + (hash % 10) * 30;
}

function barOf(call: TracedCall, spanMs: number): WaterfallBar {
  const leftPercent = (call.startMs / spanMs) * 100;
  const widthPercent = Math.min(100 - leftPercent, Math.max(MIN_WIDTH_PERCENT, (call.durationMs / spanMs) * 100));
  return {
    service: call.service,
    startMs: call.startMs,
    endMs: call.startMs + call.durationMs,
    leftPercent,
    widthPercent,
    label: callLabel(call),
    failed: call.code !== undefined,
    cache: call.cache,
  };
}

/** E.g. `/users?ids={keys} · 50 keys · 200 · 1 attempt · 12 ms`, `POST /orders · …` for a write, or `… · TIMEOUT · 3 attempts · …`. */
export function callLabel(call: TracedCall): string {
  const outcome = call.code === undefined ? String(call.status ?? '') : `${call.code}${call.status === undefined ? '' : ` ${call.status}`}`;
  return [
    call.method ? `${call.method} ${call.route}` : call.route,
    plural(call.keys, 'key'),
    outcome,
    plural(call.attempts, 'attempt'),
    call.shared ? 'shared' : '',
    call.cache === undefined ? '' : `cache ${call.cache}`,
    `${Math.round(call.durationMs)} ms`,
  ]
    .filter(Boolean)
    .join(' · ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
