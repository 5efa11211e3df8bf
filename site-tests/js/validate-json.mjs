// Validates JSON files against a JSON Schema (draft 2020-12) with ajv, its formats
// (`date`, `uri`, ...) checked too.
//
//   node validate-json.mjs SCHEMA.json FILE.json ...
//
// Prints every error of every file, as `FILE: /instance/path: message`, and exits 1
// if there was any (a file that cannot be read or is no JSON counts as one); 2 on
// wrong arguments or a schema ajv cannot compile. Prints nothing on success.

import { readFileSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

const [schemaPath, ...paths] = process.argv.slice(2)
if (!schemaPath || paths.length === 0) {
  console.error('usage: node validate-json.mjs SCHEMA.json FILE.json ...')
  process.exit(2)
}

let validate
try {
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true })
  addFormats(ajv)
  validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')))
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
