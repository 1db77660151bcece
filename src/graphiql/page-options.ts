/**
 * What the server tells the GraphiQL page, as JSON inside the page: the
 * browser bundle (browser/main.tsx) reads it at start. Built once per process.
 */
export interface GraphiQLPageOptions {
  readonly title: string;
  /** The tabs GraphiQL opens on until a person's own tabs are stored in the browser; the first is the default. */
  readonly tabs: readonly string[];
  /** Headers sent with every request and not shown in the headers editor (the trace request). */
  readonly headers: Readonly<Record<string, string>>;
  /** The trace is answered: show the "Upstream calls" panel. */
  readonly upstreamTrace: boolean;
  /** Script URLs of Monaco's workers, by the label Monaco asks for. */
  readonly workers: Readonly<Record<'editor' | 'json' | 'graphql', string>>;
}

/** The id of the `<script type="application/json">` that carries the options. */
export const OPTIONS_ELEMENT_ID = 'graphiql-options';
