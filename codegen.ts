import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * `npm run codegen`: typed documents for the example client, from the
 * committed schema file and the operations written in examples/client. It
 * reads only local files, so it runs offline. The generated code is committed
 * and a test fails when it is stale.
 *
 * persisted-documents.json (sha256 hash -> document text) is the manifest the
 * gateway's trusted-documents mode reads (PERSISTED_OPERATIONS=<that path>).
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['examples/client/**/*.ts', '!examples/client/gql/**'],
  // NodeNext resolution: generated relative imports need the extension. Only honoured here, at the root.
  importExtension: '.js',
  generates: {
    'examples/client/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: {
        // Documents as strings (with their hash): a fetch client needs no graphql runtime.
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { ID: 'string' },
      },
    },
  },
};

export default config;
