import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin, YogaServerOptions } from 'graphql-yoga';
import type { GatewayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { useAcceptCheck } from './accept-header.js';
import { AdmissionBudget } from './admission.js';
import { boundedParseCache } from './document-cache.js';
import { createErrorMasking } from './error-masking.js';
import { useHiddenSuggestions } from './hidden-suggestions.js';
import { useJsonDepthLimit } from './json-depth.js';
import { useMalformedRequestRefusal } from './malformed-request.js';
import { useOperationLimits } from './operation-limits.js';
import { useRequestBodyLimit } from './request-body-limit.js';
import { useTrustedDocuments } from './trusted-documents.js';

/**
 * The gateway's defences against hostile input, in the order a request meets
 * them: Accept, body size and batching (Yoga options), CSRF, trusted documents,
 * operation limits (cost last), admission within the process's budget of
 * cost in flight, then masking of what goes wrong anyway. docs/security.md
 * lists each limit with its default and variable.
 */
export interface Security {
  readonly options: Pick<
    YogaServerOptions<Record<string, unknown>, Record<string, unknown>>,
    'maskedErrors' | 'maxRequestBodySize' | 'batching' | 'cors' | 'extraParamNames' | 'parserAndValidationCache' | 'multipart'
  >;
  readonly plugins: Plugin[];
}

export function gatewaySecurity(config: GatewayConfig, logger: Logger): Security {
  const { security } = config;
  const masking = createErrorMasking(logger);
  const trusted = security.trustedDocuments;
  const admission = new AdmissionBudget(security.maxCostInFlight, security.admissionWaitMs);
  return {
    options: {
      maskedErrors: masking.options,
      // Ours (useRequestBodyLimit) instead of Yoga's: Content-Length checked first, only a body without one counted
      // as it streams in; 413 either way, never buffered whole.
      maxRequestBodySize: false,
      // One HTTP request, one operation: a batch would multiply every limit below.
      batching: false,
      // Any origin may call without credentials (cookies); only listed origins may call with them.
      cors: security.corsOrigins ? { origin: [...security.corsOrigins], credentials: true } : { origin: '*', credentials: false },
      ...(trusted ? { extraParamNames: ['documentId'] } : {}),
      parserAndValidationCache: boundedParseCache(),
      // No uploads here, so no multipart bodies: parsing 13,500 tiny parts alone held the event loop ~200 ms.
      multipart: false,
    },
    plugins: [
      useAcceptCheck(),
      // Before the plugins that wrap the chosen request parser: it replaces Yoga's JSON and form parsers.
      useJsonDepthLimit(),
      useMalformedRequestRefusal(),
      // A GET or a "simple" POST (form, text/plain) must carry this header, which a browser only sends after a CORS preflight.
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }) as Plugin,
      ...(trusted ? [useTrustedDocuments({ documents: trusted, allowArbitraryOperations: security.allowArbitraryOperations })] : []),
      ...useOperationLimits({ ...security, maxIdsPerList: config.maxIdsPerList, admission }),
      ...(config.introspection ? [] : [useHiddenSuggestions()]),
      masking.plugin,
      // Last: it wraps whichever request parser the plugins before it chose.
      useRequestBodyLimit(security.maxRequestBytes),
    ],
  };
}
