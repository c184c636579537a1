// Regenerates the fact tables of rules/README.md from the fact catalogue.
import { readFileSync, writeFileSync } from 'node:fs';
import { withFactTables } from './fact-docs.ts';

const path = new URL('../../rules/README.md', import.meta.url);
writeFileSync(path, withFactTables(readFileSync(path, 'utf8')));
