// Reading and tampering with a data directory's database through Debian's sqlite3 tool, the way
// an attacker or a curious administrator would.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

export function sql(dataDir, statements) {
  const r = spawnSync('sqlite3', ['-bail', join(dataDir, 'mamori.db')], {
    input: statements,
    encoding: 'utf8',
  })
  assert.equal(r.status, 0, `sqlite3 failed: ${r.stderr}`)
  return r.stdout.trim()
}

export const count = (dataDir, table) => Number(sql(dataDir, `SELECT count(*) FROM ${table};`))

// The append-only triggers are the first thing someone tampering would drop.
export const dropGuards = 'DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;'
