import { getCurrentOtelContext } from '@envelop/opentelemetry';
import { useOnResolve } from '@envelop/on-resolve';
import { context, SpanStatusCode, trace, type Context, type Tracer } from '@opentelemetry/api';
import { getNamedType, isLeafType, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * A span per resolver that returns an object or a list of them: those are the
 * fields that wait on upstreams. Scalar fields are read from rows already in
 * memory and would only bury the trace. The span is made the active context
 * while the resolver runs, so an upstream call it starts (its DataLoader
 * batch) becomes its child, and a traced field under a traced field is its
 * child too. Arguments are not recorded: they are ids.
 */
export function useResolverSpans(tracer: Tracer): Plugin {
  // graphql-js hands each child field its parent's path object: that identity links the spans.
  const spanContextByPath = new WeakMap<GraphQLResolveInfo['path'], Context>();
  const nearestTracedAncestor = (path: GraphQLResolveInfo['path']): Context | undefined => {
    for (let at = path.prev; at; at = at.prev) {
      const found = spanContextByPath.get(at);
      if (found) return found;
    }
    return undefined;
  };
  return useOnResolve(
    ({ info, context: graphqlContext, resolver, replaceResolver }) => {
      if (isLeafType(getNamedType(info.returnType))) return;
      const parent = nearestTracedAncestor(info.path) ?? getCurrentOtelContext(graphqlContext);
      const span = tracer.startSpan(
        `${info.parentType.name}.${info.fieldName}`,
        {
          attributes: {
            'graphql.field.name': info.fieldName,
            'graphql.field.type': info.parentType.name,
            'graphql.field.path': responsePathAsArray(info.path).join('.'),
          },
        },
        parent,
      );
      const active = trace.setSpan(parent, span);
      spanContextByPath.set(info.path, active);
      replaceResolver((root, args, ctx, resolveInfo) => context.with(active, () => resolver(root, args, ctx, resolveInfo)));
      return ({ result }) => {
        if (result instanceof Error) {
          span.recordException(result);
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      };
    },
    { skipDefaultResolvers: true },
  ) as Plugin;
}
