#!/usr/bin/env node
// Stand-in for nvidia-smi on machines without a GPU. It replays captured real output kept next to it
// (q.xml for `-q -x`, L.txt for `-L`); a `mode` file makes it fail like the real one does.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const dir = dirname(process.argv[1]);
const modeFile = join(dir, 'mode');
const mode = existsSync(modeFile) ? readFileSync(modeFile, 'utf8').trim() : 'ok';
const args = process.argv.slice(2).join(' ');

if (mode === 'driver-fail') {
  process.stdout.write(
    "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n",
  );
  process.exit(9);
} else if (mode === 'hang') {
  setInterval(() => {}, 1000);
} else if (mode === 'garbage') {
  process.stdout.write('\u0000\u0001<nvidia_smi_log><gpu id="00000000:01:00.0"><product_name>Tes');
} else {
  const file = args === '-L' ? 'L.txt' : 'q.xml';
  if (!existsSync(join(dir, file))) {
    process.stderr.write(`fake nvidia-smi: no ${file} for "${args}"\n`);
    process.exit(2);
  }
  process.stdout.write(readFileSync(join(dir, file)));
}
