// Reads citation files as a reference manager would, with citation-js, and prints
// what it made of them: one JSON object on stdout, each file's path to the CSL-JSON
// items citation-js produced, for the site tests to compare with what the files say.
//
//   node parse-citations.mjs FILE.bib FILE.ris FILE.csl.json ...
//
// The format is told by the file's name, and forced (citation-js guesses otherwise):
// `.bib` as biblatex (`@biblatex/text`, what citation-js takes a `.bib` for; it maps
// more fields than its plain BibTeX reading), `.ris` as a RIS file (`@ris/file`),
// `.json` as a list of CSL-JSON items (`@csl/list+object`). Exits 1, saying why, when
// a file cannot be read, does not parse, or yields no item or an item without a
// title (what citation-js makes of a record it could not read); 2 on wrong
// arguments.

import { readFileSync } from 'node:fs'
import { Cite, logger } from '@citation-js/core'
import '@citation-js/plugin-bibtex'
import '@citation-js/plugin-ris'
import '@citation-js/plugin-csl'

const paths = process.argv.slice(2)
if (paths.length === 0) {
  console.error('usage: node parse-citations.mjs FILE.bib|FILE.ris|FILE.csl.json ...')
  process.exit(2)
}

// citation-js reports problems it gets past (an entry with unbalanced braces) in its
// log rather than by failing: those fail here too.
const problems = []
logger.level = 'warn'
logger._console = { log: (scope, ...message) => problems.push(`${scope} ${message.join(' ')}`) }

function input (path) {
  const text = readFileSync(path, 'utf8')
  if (path.endsWith('.bib')) return [text, '@biblatex/text']
  if (path.endsWith('.ris')) return [text, '@ris/file']
  if (path.endsWith('.json')) {
    const data = JSON.parse(text)
    if (!Array.isArray(data) || !data.every(item => item && typeof item === 'object' && !Array.isArray(item))) {
      throw new Error('CSL-JSON must be a list of items (objects)')
    }
    return [data, '@csl/list+object']
  }
  throw new Error('unknown format: name the file .bib, .ris or .json')
}

const parsed = {}
let failed = false
for (const path of paths) {
  problems.length = 0
  try {
    const [data, forceType] = input(path)
    const items = new Cite(data, { forceType }).get({ format: 'real', type: 'json', style: 'csl' })
    if (problems.length > 0) throw new Error(problems.join('; '))
    if (items.length === 0) throw new Error('citation-js found no item in it')
    if (items.some(item => !item.title)) throw new Error('citation-js found an item without a title')
    parsed[path] = items
  } catch (error) {
    console.error(`${path}: ${error.message}`)
    failed = true
  }
}
if (failed) process.exit(1)
process.stdout.write(JSON.stringify(parsed, null, 2) + '\n')
