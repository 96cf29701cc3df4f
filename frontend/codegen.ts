import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents from the one public contract; `npm run codegen` reproduces src/gql exactly.
const config: CodegenConfig = {
  schema: ['../schema.graphqls', '../schema/*.graphqls'],
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { Time: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        nonOptionalTypename: true,
      },
    },
  },
};

export default config;
