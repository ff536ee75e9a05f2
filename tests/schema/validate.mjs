// Validate JSON documents against a JSON Schema with ajv: node validate.mjs SCHEMA FILE...
// Prints "ok - FILE" or "not ok - FILE" with the errors, one document at a time, and exits
// 1 when any failed. The schema's "$schema" picks the draft: 2020-12 for our report
// schema, draft-07 for the official SARIF 2.1.0 schema.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || files.length === 0) {
  console.error('usage: node validate.mjs SCHEMA FILE...');
  process.exit(2);
}
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const is2020 = String(schema.$schema || '').includes('2020-12');
// Our own schema is held to ajv's strict mode; the official SARIF schema is taken as it
// is published, so only its validation matters, not its style.
const ajv = is2020 ? new Ajv2020({ allErrors: true, strict: true })
                   : new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

let failed = 0;
for (const file of files) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    console.log(`not ok - ${file}`);
    console.log(`#   not JSON: ${err.message}`);
    failed++;
    continue;
  }
  if (validate(doc)) {
    console.log(`ok - ${file}`);
    continue;
  }
  failed++;
  console.log(`not ok - ${file}`);
  for (const e of validate.errors.slice(0, 20))
    console.log(`#   ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
process.exit(failed ? 1 : 0);
