// Process entry of the bundled CLI (dist/entry.mjs): runs main with the real argv and exit code.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
