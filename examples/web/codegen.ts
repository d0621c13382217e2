// Types for every GraphQL document in src/, from the server's schema
// (the root schema.graphql, which `rolegraph schema print` writes).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**'],
  ignoreNoDocuments: false,
  // Node runs the compiled ES modules itself (no bundler), so generated
  // imports need their .js extensions.
  emitLegacyCommonJSImports: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { enumsAsTypes: true, useTypeImports: true, skipTypename: false },
    },
  },
};

export default config;
