// Validates JSON files against a JSON Schema (draft 2020-12) with ajv, its formats
// (`date`, `uri`, ...) checked too.
//
//   node validate-json.mjs [--draft-07] SCHEMA.json FILE.json ...
//
// With --draft-07, the schema is of the draft-07 era (or older, as IIIF's is) and
// compiled with ajv's draft-07 class, not in strict mode (such schemas keep their
// definitions under keys of their own, which strict mode refuses).
//
// Prints every error of every file, as `FILE: /instance/path: message`, and exits 1
// if there was any (a file that cannot be read or is no JSON counts as one); 2 on
// wrong arguments or a schema ajv cannot compile. Prints nothing on success.

import { readFileSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'
import Ajv07 from 'ajv'
import addFormats from 'ajv-formats'

const args = process.argv.slice(2)
const draft07 = args[0] === '--draft-07'
const [schemaPath, ...paths] = draft07 ? args.slice(1) : args
if (!schemaPath || paths.length === 0) {
  console.error('usage: node validate-json.mjs SCHEMA.json FILE.json ...')
  process.exit(2)
}

let validate
try {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'))
  let ajv
  if (draft07) {
    ajv = new Ajv07({ allErrors: true, allowUnionTypes: true, strict: false })
    // "http://json-schema.org/schema#" (the latest draft, whichever it was) is no
    // meta-schema ajv knows: the schema is taken as draft-07.
    if (schema.$schema && !schema.$schema.includes('draft-07')) delete schema.$schema
  } else {
    ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true })
  }
  addFormats(ajv)
  validate = ajv.compile(schema)
} catch (error) {
  console.error(`${schemaPath}: ${error.message}`)
  process.exit(2)
}

let failed = false
for (const path of paths) {
  let data
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    console.error(`${path}: ${error.message}`)
    failed = true
    continue
  }
  if (!validate(data)) {
    failed = true
    for (const error of validate.errors) {
      const params = error.keyword === 'additionalProperties'
        ? ` (${error.params.additionalProperty})`
        : ''
      console.error(`${path}: ${error.instancePath || '/'}: ${error.message}${params}`)
    }
  }
}
process.exit(failed ? 1 : 0)
