// GraphQL Code Generator: TypeScript types and typed documents for the operations in
// operations/, from the gateway's schema (`make codegen-check` runs it, then tsc --strict).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  // The committed schema.graphql at the repository's root; `make codegen-check` points this
  // at a freshly printed one when the root has none.
  schema: process.env.GATEWAY_SCHEMA ?? '../../schema.graphql',
  documents: ['operations/*.graphql'],
  generates: {
    'src/generated/': {
      preset: 'client',
      config: {
        // Money and dates travel as strings: "1234.50" (a decimal, never a float), "2026-03-23",
        // "2026-03-23T00:00:00+01:00". strictScalars fails on a scalar nobody mapped.
        strictScalars: true,
        scalars: { Date: 'string', DateTime: 'string', Decimal: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
