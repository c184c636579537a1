// Regenerates rules/rule.schema.json from the zod rule schema: npx tsx src/engine/rules/write-schema.ts
// A script, not a module to import: importing it writes the file.
import { writeRuleSchemaFile } from './load-dir.ts';

console.log(`wrote ${writeRuleSchemaFile(new URL('../../../rules/', import.meta.url))}`);
