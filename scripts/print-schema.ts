import { writeFileSync } from 'node:fs';
import { gatewaySchema } from '../src/schema/index.js';
import { SCHEMA_FILE, schemaFileText } from '../src/schema/print.js';

/** `npm run schema`: writes the SDL that client teams generate their code from. */
writeFileSync(SCHEMA_FILE, schemaFileText(gatewaySchema()));
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
