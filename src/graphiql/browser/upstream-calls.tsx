import type { GraphiQLPlugin } from '@graphiql/react';
import { useMemo, useSyncExternalStore, type CSSProperties } from 'react';
import type { UpstreamCallsStore } from './upstream-calls-store.js';
import { layoutWaterfall, type WaterfallBar, type WaterfallGroup } from './waterfall.js';

/**
 * The "Upstream calls" panel: the REST calls of the last response drawn as a
 * waterfall, one bar per call from its start to its end on one time axis,
 * grouped by response part (@defer parts apart) and by service. The
 * `data-*` attributes name what a bar stands for, for people's tools and tests.
 */
export const UPSTREAM_CALLS_TITLE = 'Upstream calls';

export function upstreamCallsPlugin(store: UpstreamCallsStore): GraphiQLPlugin {
  return { title: UPSTREAM_CALLS_TITLE, icon: WaterfallIcon, content: () => <UpstreamCalls store={store} /> };
}

function UpstreamCalls({ store }: { store: UpstreamCallsStore }) {
  const { status, parts } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const waterfall = useMemo(() => layoutWaterfall(parts), [parts]);
  const summary =
    status === 'idle'
      ? 'Run an operation: its REST calls appear here.'
      : `${waterfall.calls} REST call${waterfall.calls === 1 ? '' : 's'} over ${waterfall.spanMs} ms${status === 'running' ? ', more parts to come' : ''}`;
  return (
    <section className="upstream-calls" data-status={status}>
      <div className="graphiql-doc-explorer-title">{UPSTREAM_CALLS_TITLE}</div>
      <p className="upstream-calls-summary">{summary}</p>
      {waterfall.groups.map((group, index) => (
        <Part key={index} group={group} />
      ))}
      {waterfall.calls > 0 && <Axis spanMs={waterfall.spanMs} />}
    </section>
  );
}

function Part({ group }: { group: WaterfallGroup }) {
  return (
    <div className="upstream-calls-part" data-part={group.title}>
      <h3>{group.title}</h3>
      {!group.traced && <p className="upstream-calls-note">No trace in this part (UPSTREAM_TRACE is off, or the request was refused).</p>}
      {group.traced && group.services.length === 0 && <p className="upstream-calls-note">No REST call ended in this part.</p>}
      {group.services.map(({ service, hue, bars }) => (
        <div key={service} className="upstream-calls-service" data-service={service} style={{ '--upstream-bar': `hsl(${hue} 60% 48%)` } as CSSProperties}>
          <h4>{service}</h4>
          {bars.map((bar, index) => (
            <Bar key={index} bar={bar} />
          ))}
        </div>
      ))}
    </div>
  );
}

function Bar({ bar }: { bar: WaterfallBar }) {
  return (
    <div
      className="upstream-call"
      data-service={bar.service}
      data-start-ms={bar.startMs}
      data-end-ms={bar.endMs}
      data-failed={bar.failed ? 'true' : undefined}
      data-cache={bar.cache}
      title={bar.label}
    >
      <div className="upstream-call-label">
        {bar.cache !== undefined && <span className="upstream-call-cache">cache {bar.cache}</span>}
        {bar.label}
      </div>
      <div className="upstream-call-track">
        <div className="upstream-call-bar" style={{ left: `${bar.leftPercent}%`, width: `${bar.widthPercent}%` }} />
      </div>
    </div>
  );
}

function Axis({ spanMs }: { spanMs: number }) {
  return (
    <div className="upstream-calls-axis">
      <span>0 ms</span>
      <span>{Math.round(spanMs / 2)} ms</span>
      <span>{spanMs} ms</span>
    </div>
  );
}

function WaterfallIcon() {
  return (
    <svg height="1em" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M3 5h7M6 10h9M9 15h5M12 20h9" strokeLinecap="round" strokeWidth="2.5" />
    </svg>
  );
}
